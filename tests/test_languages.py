"""One directive in several languages: answers given per language, the toolkit's defaults in each
language's words, grammatical names, each language's typography, and no English where none belongs."""
from __future__ import annotations

import re

import pytest
import yaml
from conftest import EXAMPLES, MINIMAL, ROOT

from toolkit import answers as answers_mod, api, i18n, locale_check
from toolkit.api import BuildOptions
from toolkit.render.tree import plain
from toolkit.typography import NBSP, capitalized, contract, setter

BILINGUAL = ROOT / "examples" / "comprehensive-unit.yaml"
NAMES = ["jurisdiction", "issuing_authority", "signing_office", "directive_title", "director_title", "legal_basis",
         "child_welfare_name"]


def markdown(answers, lang, **options) -> str:
    return api.render_markdown(answers, lang, BuildOptions(langs=(lang,), **options))


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_a_trilingual_answers_file_builds_with_no_english_from_the_answers(lang):
    data = yaml.safe_load(BILINGUAL.read_text(encoding="utf-8"))
    text = markdown(api.load_answers(BILINGUAL), lang)
    for key in NAMES:
        english, own = data[key]["en"], data[key][lang]
        assert english not in text, key
        assert own in text or capitalized(own) in text or contract("de ", own, lang)[1] in text, key


def test_each_language_shows_its_own_version():
    answers = api.load_answers(BILINGUAL)
    assert "# Pregnancy, mother and baby units and separation" in markdown(answers, "en")
    assert "# Grossesse, unités mère-enfant et séparation" in markdown(answers, "fr")
    assert "# Embarazo, unidades de madres con hijos y separación" in markdown(answers, "es")


def with_answers(write, **changes):
    data = {**yaml.safe_load(MINIMAL), **changes}
    return write("answers.yaml", yaml.safe_dump(data, allow_unicode=True))


def test_a_language_without_a_version_stops_the_build_naming_the_fields(invoke, write, tmp_path):
    path = with_answers(write, jurisdiction={"en": "the Kingdom of Nordmark", "fr": "le Royaume de Nordmark"},
                        signing_office={"en": "Director General"})
    out = tmp_path / "out"
    result = invoke("build", path, "--lang", "en,fr,es", "--out", out)
    assert result.exit_code == 2
    assert "jurisdiction, signing_office: no es version" in result.stderr
    assert "signing_office: no fr version" in result.stderr and "--accept-fallback" in result.stderr
    assert not out.exists() or not list(out.iterdir())
    accepted = invoke("build", path, "--lang", "en,fr,es", "--format", "md", "--out", out, "--accept-fallback")
    assert accepted.exit_code == 0, accepted.output
    note = "note: 2 answers have no es version and are shown in another language: jurisdiction, signing_office"
    assert note in accepted.stderr
    assert "the Kingdom of Nordmark" in (out / "answers.es.md").read_text(encoding="utf-8")


def test_a_version_per_language_is_checked_like_any_answer(invoke, write, tmp_path):
    path = with_answers(write, jurisdiction={"English": "Nordmark"}, signing_office={"fr": ""})
    result = invoke("build", path, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "jurisdiction: expected language codes such as en, fr or es as keys, found 'English'" in result.stderr
    assert "signing_office: in the fr version: expected some text, found nothing" in result.stderr


def test_a_default_text_is_shown_in_the_words_of_each_language():
    answers = answers_mod.validate(api.questionnaire(), yaml.safe_load(MINIMAL))
    office = {lang: i18n.translator(lang).lookup("signing_office:default", "Director General of Prisons")
              for lang in ("en", "fr", "es")}
    assert office["fr"] != office["en"] != office["es"]
    for lang, words in office.items():
        tree = api.document(answers, lang, BuildOptions(langs=(lang,)))
        assert plain(tree.signature.office) == words and plain(tree.preamble.office).startswith(words), lang


@pytest.mark.parametrize("lang, before, value, expected", [
    ("fr", "établissement de ", "le Royaume de Nordmark", "établissement du Royaume de Nordmark"),
    ("fr", "en vertu de ", "les articles 3 et 4", "en vertu des articles 3 et 4"),
    ("fr", "conformément à ", "le règlement", "conformément au règlement"),
    ("fr", "relevant de ", "Le Havre", "relevant de Le Havre"),
    ("es", "prisiones de ", "el Reino de Nordmark", "prisiones del Reino de Nordmark"),
    ("es", "conforme a ", "el artículo 3", "conforme al artículo 3"),
    ("es", "de ", "El Salvador", "de El Salvador"),
    ("en", "of ", "the Kingdom of Nordmark", "of the Kingdom of Nordmark"),
])
def test_names_inside_sentences_take_the_contractions_of_the_language(lang, before, value, expected):
    assert "".join(contract(before, value, lang)) == expected


FORBIDDEN = {"fr": re.compile(r"\b(de les|à les|de le)\b", re.I), "es": re.compile(r"\b(de el|a el)\b", re.I)}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["fr", "es"])
def test_no_uncontracted_article_in_any_build(path, lang):
    text = markdown(api.load_answers(path), lang, notes=True, compliance_annex=True)
    assert not FORBIDDEN[lang].findall(text)


def french_words(text: str) -> str:
    """A French build's prose: without front matter, attributes, link targets and footnote marks."""
    body = text.split("\n---\n", 1)[1]
    body = re.sub(r"^\{[^}\n]*\}$", "", body, flags=re.M)
    return re.sub(r"\]\(#[^)]*\)|\[\^\d+\]:?", "", body)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_french_has_a_no_break_space_before_every_high_mark(path):
    words = french_words(markdown(api.load_answers(path), "fr", notes=True))
    assert not re.findall(r"(?<!\u00a0)[;:!?](?!//)", words.replace("\\", "")), "a mark without a no-break space"
    assert not re.findall(r"« (?!\u00a0)|(?<!\u00a0) »", words)


def test_french_writes_the_first_of_the_month_as_an_ordinal():
    answers = answers_mod.validate(api.questionnaire(), {**yaml.safe_load(MINIMAL), "entry_into_force": "2027-03-01"})
    block = [plain(line) for line in api.document(answers, "fr", BuildOptions(langs=("fr",))).block]
    assert f"Entrée en vigueur{NBSP}: 1er mars 2027" in block
    assert i18n.translator("fr").date(__import__("datetime").date(2027, 3, 2)) == "2 mars 2027"


def test_typography_of_the_toolkits_own_words():
    assert setter("en")("the child's \"best interests\"") == "the child\u2019s \u201cbest interests\u201d"
    assert setter("fr")("l'enfant; voir \"ceci\": oui") == f"l\u2019enfant{NBSP}; voir «{NBSP}ceci{NBSP}»{NBSP}: oui"
    assert setter("fr")("à 10:30, https://example.org") == "à 10:30, https://example.org"
    reference = "article %(article:separation.plan)s"
    assert setter("fr")(f"{reference}: voir") == f"{reference}{NBSP}: voir"
    assert setter("es")('el "interés superior"') == "el «interés superior»"


def test_ranges_of_provisions_take_an_en_dash():
    text = markdown(api.load_answers(EXAMPLES[0]), "en")
    assert "paras 6\u20137" in text and "paras 6-7" not in text


def test_check_in_spanish_prints_no_english_label(invoke):
    result = invoke("check", EXAMPLES[0], "--lang", "es")
    for english in ("meets", "falls short", "not addressed", "Why:", "Summary", "How the answers measure"):
        assert english not in result.stdout, english
    assert "Resumen" in result.stdout


def test_locales_check_finds_a_string_the_template_lacks(tmp_path, monkeypatch):
    import shutil

    folder = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", folder)
    pot = folder / "messages.pot"
    text = pot.read_text(encoding="utf-8")
    entry = 'msgctxt "check"\nmsgid "Why: %(why)s"\nmsgstr ""\n\n'
    assert entry in text
    pot.write_text(text.replace(entry, ""), encoding="utf-8")
    problems = locale_check.check(None, folder)
    found = [p for p in problems if "missing from the template" in p.message and "'Why: %(why)s'" in p.message]
    assert found and str(found[0].file) == "toolkit/check.py" and found[0].line


def test_clauses_show_in_french_names_each_parameter_by_its_question(invoke, monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")
    result = invoke("clauses", "show", "age-limit.maximum", "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert "%(" not in result.stdout and "[" in result.stdout
    assert all(len(line) <= 72 for line in result.stdout.splitlines())
    listing = invoke("clauses", "list", "--lang", "fr")
    assert "Règles de Bangkok" in listing.stdout and all(len(line) <= 72 for line in listing.stdout.splitlines())
