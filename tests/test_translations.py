"""French and Spanish: complete, safe, consistent, and what a reader gets in each language."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import EXAMPLES, ROOT, replace_msgstr, template
from glossary import GLOSSARY, matches, modality_problems

from toolkit import api, i18n, locale_check, pofile
from toolkit.api import BuildOptions

LOCALES = ROOT / "locales"
LANGS = ["fr", "es"]
CATALOGS = {lang: LOCALES / lang / "LC_MESSAGES" / "messages.po" for lang in LANGS}


def entries(lang):
    return [e for e in pofile.read(CATALOGS[lang]) if e.msgid]


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_is_complete_with_no_fuzzy_entry(lang):
    template = locale_check.template_keys()
    found = {(e.msgctxt, e.msgid) for e in entries(lang)}
    assert template - found == set(), "missing: run draft locales update"
    assert [e.line for e in entries(lang) if e.fuzzy] == []
    assert [e.line for e in entries(lang) if not e.translated] == []


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_and_no_template_code(lang):
    bad = [(e.line, i18n.refusal(e)) for e in entries(lang) if i18n.refusal(e)]
    assert bad == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_msgfmt_check_passes(lang, tmp_path):
    run = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(CATALOGS[lang])],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_locales_check_is_clean(invoke):
    result = invoke("locales", "check")
    assert result.exit_code == 0, result.output
    stats = invoke("locales", "stats")
    assert "fr: 100.0% translated" in stats.output and "es: 100.0% translated" in stats.output


@pytest.mark.parametrize("lang", LANGS)
def test_terminology_follows_the_glossary(lang):
    """Where the English uses a term, the translation uses its agreed rendering and none of the rejected
    ones (the official titles of instruments are as the catalogue gives them)."""
    problems = []
    for entry in entries(lang):
        text = " ".join(entry.msgstr.values()).replace("\u2019", "'")
        for term in GLOSSARY["terms"]:
            if not matches(term, entry.msgid):
                continue
            sensitive = term.get("case_sensitive", False)
            haystack = text if sensitive else text.lower()
            if term.get("check_forms", True) and not any((form if sensitive else form.lower()) in haystack
                                                         for form in term[lang]):
                problems.append(f"{entry.line}: {term['en']!r} → one of {term[lang]}")
            if (entry.msgctxt or "").startswith("instrument:"):
                continue
            for pattern in term.get("reject", {}).get(lang, []):
                if (found := re.search(pattern, text, re.I)):
                    problems.append(f"{entry.line}: {term['en']!r} → not {found.group()!r}")
    assert problems == []


def clause_texts(lang):
    """The translated paragraphs and items of the clause library: a clause id as their msgctxt."""
    library = api.library()
    ids = {clause.id for clause in library.clauses()}
    return [e for e in entries(lang) if e.msgctxt in ids]


@pytest.mark.parametrize("lang", LANGS)
def test_every_clause_text_takes_the_modality_of_the_glossary(lang):
    """An obligation of the directive in the French present or the Spanish future, a permission as
    « peut » or "podrá", « doit » only where the English states a necessity — in every clause text of the
    library, whether or not an example selects it."""
    problems = []
    for entry in clause_texts(lang):
        problems += modality_problems(entry.msgid, entry.msgstr[0], lang, intro=entry.msgid.rstrip().endswith(":"))
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_official_titles_match_the_catalogue(lang):
    lib = api.library()
    t = i18n.translator(lang)
    for inst in lib.instruments.values():
        assert t.pgettext(f"instrument:{inst.key}:title", inst.title["en"]) == inst.title[lang]
        assert t.pgettext(f"instrument:{inst.key}:short", inst.short["en"]) == inst.short[lang]


def english_sentences():
    """Clause texts long enough that finding one verbatim means it was not translated."""
    lib = api.library()
    return {text for clause in lib.clauses() for _, text in clause.texts() if len(text) > 40 and "%(" not in text}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("i18n")
    report = api.build(EXAMPLES, out, BuildOptions(langs=("fr", "es"), formats=("md",)))
    return out, report


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_builds_contain_no_english_clause_text(built, lang, example):
    out, report = built
    assert report.fallbacks == {}
    text = (out / f"{example.stem}.{lang}.md").read_text(encoding="utf-8").replace("\\", "")
    leaked = [s for s in english_sentences() if s in text]
    assert leaked == []


@pytest.mark.parametrize("lang, expected", [("en", "22 November 2026"), ("fr", "22 novembre 2026"),
                                            ("es", "22 de noviembre de 2026")])
def test_dates_are_formatted_for_the_locale(lang, expected):
    from datetime import date

    assert i18n.translator(lang).date(date(2026, 11, 22)) == expected


@pytest.mark.parametrize("lang, months, expected", [("fr", 1, "1 mois"), ("fr", 18, "18 mois"),
                                                    ("es", 1, "1 mes"), ("es", 18, "18 meses")])
def test_plural_forms(lang, months, expected):
    from toolkit import questionnaire
    from toolkit.wording import Wording

    assert Wording(i18n.translator(lang), questionnaire.load()).value("max_age_months", months) == expected


def test_an_edit_shows_at_the_next_build_without_compiling(scratch_locales, invoke, tmp_path):
    po = scratch_locales / "fr" / "LC_MESSAGES" / "messages.po"
    replace_msgstr(po, "word", "Sommaire de la directive", msgid="Contents")
    result = invoke("build", EXAMPLES[0], "--lang", "fr", "--format", "docx", "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    import docx

    document = docx.Document(str(tmp_path / "o" / f"{EXAMPLES[0].stem}.fr.docx"))
    assert any(p.text == "Sommaire de la directive" for p in document.paragraphs)
    assert not list(scratch_locales.rglob("*.mo"))


def test_missing_translation_falls_back_and_is_counted(scratch_locales, invoke, tmp_path):
    po = scratch_locales / "es" / "LC_MESSAGES" / "messages.po"
    replace_msgstr(po, "section:separation", "")
    result = invoke("build", EXAMPLES[0], "--lang", "es", "--format", "md", "--out", tmp_path / "o")
    assert result.exit_code == 0
    assert "nota: 1 texto no tiene traducción (es) y se muestra en inglés" in result.stderr
    assert "## Separation" in (tmp_path / "o" / f"{EXAMPLES[0].stem}.es.md").read_text(encoding="utf-8")


def test_malformed_catalog_is_an_error_naming_file_and_line(scratch_locales, invoke, tmp_path):
    po = scratch_locales / "fr" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    index = text.index('msgctxt "section:separation"')
    line = text[:index].count("\n") + 1
    po.write_text(text[:index] + "msgctxt section:separation\n" + text[index + len('msgctxt "section:separation"\n'):],
                  encoding="utf-8")
    result = invoke("build", EXAMPLES[0], "--lang", "fr", "--out", tmp_path / "o")
    assert result.exit_code == 2
    assert f"{po}:{line}: expected a string in double quotes" in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("msgstr, problem", [
    ("{{ 7*7 }} Séparation", "template tags"),
    ("Séparation %(x)s", "expected placeholders"),
])
def test_unsafe_translation_is_refused_not_executed(scratch_locales, invoke, tmp_path, msgstr, problem):
    po = scratch_locales / "fr" / "LC_MESSAGES" / "messages.po"
    line = replace_msgstr(po, "section:separation", msgstr)
    result = invoke("build", EXAMPLES[0], "--lang", "fr", "--format", "md", "--out", tmp_path / "o")
    assert result.exit_code == 0
    assert "traduction refusée" in result.stderr  # the interface speaks the language asked for
    assert f"{po}:{line}" in result.stderr and problem in result.stderr
    text = (tmp_path / "o" / f"{EXAMPLES[0].stem}.fr.md").read_text(encoding="utf-8")
    assert "## Separation" in text
    check = invoke("locales", "check", "fr")
    assert check.exit_code == 1 and f"{po}:{line}" in check.output


def test_template_is_up_to_date_with_the_sources():

    extracted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template() if m.id}
    assert extracted == locale_check.template_keys(), "run `draft locales extract` and `draft locales update`"


@pytest.mark.parametrize("lang, expected", [("fr", "fichier introuvable\u00a0; attendu\u00a0: un fichier de réponses"),
                                            ("es", "no existe el archivo; se esperaba un archivo de respuestas")])
def test_messages_about_files_are_whole_sentences_in_the_interface_language(invoke, tmp_path, lang, expected):
    result = invoke("build", tmp_path / "missing.yaml", "--lang", lang, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"draft: {tmp_path / 'missing.yaml'}: {expected}"
