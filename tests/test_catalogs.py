"""Translators' tools on a scratch locales folder: extract, init, update (fuzzy on change), check."""
from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from conftest import template

from toolkit import api, catalog, i18n, locale_check, pofile
from toolkit.errors import LocaleError


@pytest.fixture
def root(tmp_path) -> Path:
    path = tmp_path / "locales"
    path.mkdir()
    catalog.write_template(template(), path)
    return path


def test_template_holds_every_kind_of_string(root):
    keys = {(e.msgctxt, e.msgid) for e in pofile.read(root / "messages.pot")}
    contexts = {c for c, _ in keys if c}
    assert ("word", "Page %(page)s of %(pages)s") in keys
    question = "Which jurisdiction will adopt the directive (country, state or province)?"
    assert ("jurisdiction:question", question) in keys
    assert any(c.startswith("instrument:bangkok:title") for c in contexts)
    assert ("pinpoint", "rule %(n)s") in keys
    assert any(c == "group:metadata" for c in contexts)


def test_init_update_marks_changed_english_fuzzy(root):
    po = catalog.init("pt", template, root)
    text = po.read_text(encoding="utf-8")
    # the plural rule is Babel's data (CLDR), which changes between releases: the header carries Babel's own
    plurals = get_plural("pt")
    assert 'msgctxt "jurisdiction:question"' in text
    header = next(e for e in pofile.read(po) if e.msgid == "").msgstr[0]
    assert f"Plural-Forms: nplurals={plurals.num_plurals}; plural={plurals.plural_expr};" in header
    # a translator translates one string…
    source = 'msgctxt "word"\nmsgid "Contents"\nmsgstr ""'
    assert source in text
    po.write_text(text.replace(source, 'msgctxt "word"\nmsgid "Contents"\nmsgstr "Índice"'), encoding="utf-8")
    # …then the English changes under the same context
    pot = root / "messages.pot"
    pot_text = pot.read_text(encoding="utf-8")
    old = catalog._read(po, "pt")
    changed = catalog._read(pot)
    message = changed.get("Contents", context="word")
    changed.delete("Contents", context="word")
    changed.add("Table of contents", context="word", locations=message.locations)
    merged = catalog.merge(changed, old)
    updated = merged.get("Table of contents", context="word")
    assert updated.string == "Índice" and updated.fuzzy
    assert updated.previous_id == ["Contents"]
    assert pot_text  # the template itself was not touched by the merge


def test_inserting_editing_and_moving_clause_paragraphs_keeps_translations():
    from babel.messages.catalog import Catalog

    old = Catalog(locale="fr")
    for text, translated in [("First rule.", "Première règle."),
                             ("Second rule about visits.", "Deuxième règle sur les visites."),
                             ("Third rule.", "Troisième règle."),
                             ("A rule that moves.", "Une règle qui change de place.")]:
        old.add(text, translated, context="contact.visits")
    template = Catalog()
    for text in ["First rule.", "A new rule.", "Second rule about family visits.", "Third rule."]:
        template.add(text, context="contact.visits")
    template.add("A rule that moves.", context="contact.letters")
    merged = catalog.merge(template, old)

    def entry(text, context="contact.visits"):
        return merged.get(text, context=context)

    assert entry("First rule.").string == "Première règle." and not entry("First rule.").fuzzy
    assert entry("Third rule.").string == "Troisième règle." and not entry("Third rule.").fuzzy
    edited = entry("Second rule about family visits.")
    assert edited.string == "Deuxième règle sur les visites." and edited.fuzzy
    assert edited.previous_id == ["Second rule about visits."]
    assert entry("A rule that moves.", "contact.letters").string == "Une règle qui change de place."
    assert not entry("A rule that moves.", "contact.letters").fuzzy
    assert not entry("A new rule.").string and not entry("A new rule.").fuzzy


def test_a_new_message_takes_the_translation_of_its_own_language_in_every_catalog():
    """The same English, new under another context, is rescued in each language from that language only
    (the template is merged into one catalog after another)."""
    from babel.messages.catalog import Catalog

    template = Catalog()
    template.add("Age limit", context="age-limit.maximum:title")
    template.add("Age limit", context="max_age_months:label")
    merged = {}
    for lang, translated in [("es", "Límite de edad"), ("fr", "Limite d'âge")]:
        old = Catalog(locale=lang)
        old.add("Age limit", translated, context="age-limit.maximum:title")
        merged[lang] = catalog.merge(template, old).get("Age limit", context="max_age_months:label").string
    assert merged == {"es": "Límite de edad", "fr": "Limite d'âge"}
    assert not template.get("Age limit", context="max_age_months:label").string


def test_clause_texts_are_translated_in_the_context_of_their_clause():
    clause = max(api.library().clauses(), key=lambda c: len(c.text))
    contexts = [context for context, _ in clause.texts()]
    assert contexts[0] == f"{clause.id}:title" and set(contexts[1:]) == {clause.id}


def test_init_refuses_unknown_language_and_existing_file(root):
    with pytest.raises(LocaleError, match="expected a language code"):
        catalog.init("xx-nonsense-1", template, root)
    catalog.init("pt", template, root)
    with pytest.raises(LocaleError, match="already exists"):
        catalog.init("pt", template, root)


BROKEN = {
    "syntax": ('msgid "Contents"\nmsgstr "Índice\n', "expected a string in double quotes"),
    "placeholder": ('msgctxt "word"\nmsgid "Page %(page)s of %(pages)s"\nmsgstr "Página %(pagina)s de %(pages)s"\n',
                    "expected placeholders"),
    "jinja": ('msgctxt "word"\nmsgid "Contents"\nmsgstr "{{ 7*7 }} Índice"\n', "template tags"),
    "plural": ('msgctxt "quantity"\nmsgid "%(num)s month"\nmsgid_plural "%(num)s months"\nmsgstr[0] "%(num)s mês"\n',
               "expected 2 plural forms"),
    "charset": (None, "charset=UTF-8"),
}
HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')


@pytest.mark.parametrize("case", BROKEN)
def test_check_names_file_and_line_of_each_problem(tmp_path, case):
    body, expected = BROKEN[case]
    path = tmp_path / "locales" / "pt" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    if body is None:
        latin = 'msgid "a"\nmsgstr "\xe1"\n'.encode("latin-1")
        path.write_bytes(HEADER.replace("UTF-8", "ISO-8859-1").encode() + latin)
    else:
        path.write_text(HEADER + body, encoding="utf-8")
    problems = locale_check.check("pt", tmp_path / "locales")
    assert any(expected in p.message for p in problems), [str(p) for p in problems]
    assert all(p.file == path for p in problems)
    assert any(p.line for p in problems)


def test_unsafe_translations_are_refused_by_the_build_not_executed(tmp_path):
    path = tmp_path / "locales" / "pt" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + BROKEN["jinja"][0] + "\n" + BROKEN["placeholder"][0], encoding="utf-8")
    t = i18n.translator("pt", tmp_path / "locales")
    assert t.pgettext("word", "Contents") == "Contents"
    assert t.pgettext("word", "Page %(page)s of %(pages)s") == "Page %(page)s of %(pages)s"
    assert len(t.refused) == 2 and all(p.line for p in t.refused)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_msgfmt_findings_are_reported(tmp_path):
    path = tmp_path / "bad.po"
    path.write_text(HEADER + '#, python-format\nmsgid "%(a)s and %(b)s"\nmsgstr "%(a)s"\n', encoding="utf-8")
    assert locale_check.msgfmt(path)


def test_update_gives_each_language_its_own_translation_of_a_changed_english(root):
    """An edited English takes, in each language, that language's former translation (fuzzy)."""
    for lang, former in (("fr", "Index"), ("es", "Índice")):
        po = catalog.init(lang, template, root)
        text = po.read_text(encoding="utf-8")
        po.write_text(text.replace('msgctxt "word"\nmsgid "Contents"\nmsgstr ""',
                                   f'msgctxt "word"\nmsgid "Contents"\nmsgstr "{former}"'), encoding="utf-8")
    changed = copy.deepcopy(template())   # the shared template stays as extracted
    message = changed.get("Contents", context="word")
    changed.delete("Contents", context="word")
    changed.add("Table of contents", context="word", locations=message.locations)
    catalog.update(changed, root)
    for lang, former in (("fr", "Index"), ("es", "Índice")):
        entry = next(e for e in pofile.read(root / lang / "LC_MESSAGES" / "messages.po")
                     if e.msgctxt == "word" and e.msgid == "Table of contents")
        assert entry.msgstr == {0: former} and entry.fuzzy, lang
