"""Drafting notes in every language: extracted into the catalogs, counted by the translators' tools,
and shown in the language asked for — in the Markdown quotes and Word comments of `--notes`, and by
`draft clauses show`."""
from __future__ import annotations

import io
import json

import docx
import pytest
from conftest import EXAMPLES, replace_msgstr, template

from toolkit import api, i18n, locale_check, typography
from toolkit.api import BuildOptions
from toolkit.assemble import assemble
from toolkit.render.tree import plain

LANGS = ["fr", "es"]


def translated_note(lang: str, clause) -> str:
    return i18n.translator(lang).lookup(f"{clause.id}:note", clause.note)


def test_every_note_is_extracted_under_its_clause_with_a_comment_for_translators():
    notes = {m.context: m for m in template() if m.context and m.context.endswith(":note")}
    clauses = [c for c in api.library().clauses() if c.note]
    assert clauses and set(notes) == {f"{c.id}:note" for c in clauses}
    for clause in clauses:
        message = notes[f"{clause.id}:note"]
        assert message.id == clause.note
        assert any(clause.id in comment and "drafting note" in comment.lower() for comment in message.auto_comments)


@pytest.mark.parametrize("lang", LANGS)
def test_every_note_has_a_translation_of_its_own(lang):
    for clause in api.library().clauses():
        if clause.note:
            words = translated_note(lang, clause)
            assert words and words != clause.note, clause.id


def test_stats_and_check_count_a_note_left_untranslated(scratch_locales, invoke):
    clause = api.library().clause("separation.grounds")
    replace_msgstr(scratch_locales / "es" / "LC_MESSAGES" / "messages.po", f"{clause.id}:note", "")

    stats = json.loads(invoke("locales", "stats", "--json").stdout)
    assert stats["es"]["separation"]["translated"] == stats["es"]["separation"]["total"] - 1
    assert stats["fr"]["separation"]["translated"] == stats["fr"]["separation"]["total"]
    assert invoke("locales", "stats").stdout.startswith("es: 99.9% translated")
    check = invoke("locales", "check", "es")
    assert check.exit_code == 1 and f"untranslated: {clause.id}:note" in check.stdout


@pytest.mark.parametrize("lang", LANGS)
def test_a_build_with_notes_gives_them_in_its_language_in_markdown_and_word(lang):
    answers = api.load_answers(EXAMPLES[0])
    options = BuildOptions(langs=(lang,), notes=True)
    tree = api.document(answers, lang, options)
    articles = [a for a in tree.articles() if a.note]
    typeset = typography.setter(lang)
    selected = {a.id: a.clause for a in assemble(api.library(), answers).articles()}   # a variant, maybe
    assert articles
    for article in articles:
        clause = selected[article.id]
        assert plain(article.note) == typeset(translated_note(lang, clause))
        assert plain(article.note) != clause.note
    markdown = api.render_markdown(answers, lang, options)
    label = i18n.translator(lang).gettext("Drafting note")
    assert f"> **{label}.** {plain(articles[0].note)}" in markdown.replace("\\", "")
    document = docx.Document(io.BytesIO(api.render(answers, lang, "docx", options, tree)))
    assert [c.text for c in document.comments] == [plain(a.note) for a in articles]


@pytest.mark.parametrize("lang, label", [("fr", "Note de rédaction"), ("es", "Nota de redacción")])
def test_clauses_show_prints_the_note_in_the_language_asked_for(invoke, monkeypatch, lang, label):
    monkeypatch.setenv("COLUMNS", "200")
    clause = api.library().clause("separation.grounds")
    result = invoke("clauses", "show", clause.id, "--lang", lang)
    assert result.exit_code == 0, result.output
    shown = " ".join(result.stdout.split())
    assert f"{label} : " in shown.replace("\u00a0", " ") or f"{label}: " in shown
    assert " ".join(translated_note(lang, clause).split()) in shown
    assert clause.note[:60] not in shown


def test_stats_count_the_notes_of_every_section():
    keys = locale_check.template_keys()
    notes = [context for context, _ in keys if context and context.endswith(":note")]
    sections = {locale_check.section_of(context) for context in notes}
    assert sections == {clause.section for clause in api.library().clauses() if clause.note}
