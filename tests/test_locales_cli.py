"""The translators' tools as translators run them: `draft locales extract|update|init` on a catalogs
folder of their own (DRAFT_LOCALES), never the toolkit's."""
from __future__ import annotations

import pytest
from conftest import ROOT

from toolkit import pofile


@pytest.fixture
def locales(scratch_locales):
    return scratch_locales


def test_extract_writes_the_template_and_counts_its_messages(invoke, locales):
    (locales / "messages.pot").unlink()
    result = invoke("locales", "extract")
    assert result.exit_code == 0, result.output
    entries = [e for e in pofile.read(locales / "messages.pot") if e.msgid]
    assert result.stdout.strip() == f"wrote {locales / 'messages.pot'} ({len(entries)} messages)"
    assert (locales / "messages.pot").read_bytes() == (ROOT / "locales" / "messages.pot").read_bytes()
    assert result.stderr == ""  # no extractor warnings


def test_update_keeps_translations_and_reports_each_language(invoke, locales):
    po = locales / "fr" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    missing = 'msgctxt "word"\nmsgid "Contents"\nmsgstr "Table des matières"\n'
    assert missing in text
    po.write_text(text.replace(missing, ""), encoding="utf-8")  # a message the catalog lacks
    result = invoke("locales", "update")
    assert result.exit_code == 0, result.output
    assert f"updated {po}: 0 fuzzy, 1 untranslated" in result.stdout
    assert f"updated {locales / 'es' / 'LC_MESSAGES' / 'messages.po'}: 0 fuzzy, 0 untranslated" in result.stdout
    merged = {(e.msgctxt, e.msgid): e for e in pofile.read(po)}
    assert merged[("word", "Contents")].msgstr == {0: ""}
    assert merged[("word", "Page %(page)s of %(pages)s")].translated


def test_init_starts_a_new_language_that_check_then_lists_as_untranslated(invoke, locales):
    result = invoke("locales", "init", "pt")
    target = locales / "pt" / "LC_MESSAGES" / "messages.po"
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote {target}"
    entries = [e for e in pofile.read(target) if e.msgid]
    assert entries and not any(e.translated for e in entries)
    again = invoke("locales", "init", "pt")
    assert again.exit_code == 2 and "already exists; use --force" in again.stderr
    assert invoke("locales", "init", "pt", "--force").exit_code == 0
    check = invoke("locales", "check", "pt")
    assert check.exit_code == 1 and f"{target}:" in check.stdout and "untranslated" in check.stdout


def test_init_refuses_a_code_that_is_not_a_language(invoke, locales):
    result = invoke("locales", "init", "xx-nonsense-1")
    assert result.exit_code == 2 and "LANG: expected a language code such as pt or pt_BR" in result.stderr
    assert not (locales / "xx-nonsense-1").exists()
