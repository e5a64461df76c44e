"""Hostile and broken catalogs (tests/corpus/catalogs/): what would break the renderer is caught by
`draft locales check` and by the build alike — a translation refused (English used, and said), or the
whole catalog refused with exit 2 before anything is written. Translator text is data wherever it
lands: it never adds a heading, a list item or a title."""
from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from conftest import MINIMAL, ROOT, reads_back
from markdown_it import MarkdownIt

from toolkit import i18n

CORPUS = ROOT / "tests" / "corpus" / "catalogs"
REFUSED, TRANSLATION_REFUSED, REPORTED = "catalog refused", "translation refused", "reported by locales check"
# catalog → (what the build does, the fragment its message and `locales check` both give)
EXPECTED = {
    "printf-conversion.po": (TRANSLATION_REFUSED, ":9: expected placeholders ['%(path)s'], found ['%(path)d']"),
    "lone-percent.po": (TRANSLATION_REFUSED, ":8: expected %% for a percent sign, found a lone % in msgstr"),
    "second-msgstr.po": (REFUSED, ":10: expected one msgstr for this msgid, found a second (the first is at line 9)"),
    "duplicate-entry.po": (REFUSED, ":11: expected one entry for this msgid, found a second (the first is at line 7)"),
    "plural-divides-by-zero.po": (REFUSED, ":1: expected a Plural-Forms expression that gives a form for every "
                                           "number, found '(n/0)', which fails for n = 0"),
    "plural-out-of-range.po": (REFUSED, ":1: expected a Plural-Forms expression that gives a form from 0 to 1 "
                                        "(nplurals=2), found '(n+5)', which gives 5 for n = 0"),
    "plural-count-absurd.po": (REFUSED, ":1: expected nplurals=N in the Plural-Forms header, N a number of at most "
                                        "four digits"),
    "escaped-control.po": (REFUSED, ":7: expected text, found the control character U+0007"),
    "terminal-sequence.po": (REFUSED, ":7: expected text, found the control character U+001B"),
    "plural-form-index.po": (REPORTED, ":8: expected 2 plural forms (Plural-Forms header), found msgstr[0], "
                                       "msgstr[9999]"),
    "injection.po": ("built", ""),
    "minimal.po": ("built", ""),
}


def test_corpus_is_complete():
    assert {p.name for p in CORPUS.iterdir()} == set(EXPECTED)


def install(tmp_path: Path, monkeypatch, name: str, lang: str = "fr") -> Path:
    """A locales folder holding the corpus catalog as the catalog of `lang`, chosen through DRAFT_LOCALES."""
    po = tmp_path / "locales" / lang / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    shutil.copy(CORPUS / name, po)
    monkeypatch.setenv(i18n.LOCALES_ENV, str(tmp_path / "locales"))
    return po


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_build_and_check_agree_on_each_catalog(invoke, write, tmp_path, monkeypatch, name):
    po = install(tmp_path, monkeypatch, name)
    kind, fragment = EXPECTED[name]
    answers = write("r.yaml", MINIMAL)
    out = tmp_path / "out"
    result = invoke("build", answers, "--lang", "fr", "--format", "md,docx,html", "--notes", "--out", out)
    assert "Traceback" not in result.output and "\x1b" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    check = invoke("locales", "check", "fr")
    if kind == REFUSED:
        assert result.exit_code == 2, result.output
        assert f"{po}{fragment}" in result.stderr
        assert not out.exists()
    else:
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in out.iterdir()) == ["r.fr.docx", "r.fr.html", "r.fr.md"]
    if kind == TRANSLATION_REFUSED:
        assert f"note: translation refused, English used instead: {po}{fragment}" in result.stderr
    if fragment:
        assert check.exit_code == 1 and f"{po}{fragment}" in check.stdout, check.output
    else:
        assert not [line for line in check.stdout.splitlines() if "untranslated" not in line and "missing" not in line
                    and line != "no problems"]


def test_a_refused_message_translation_never_fails_after_the_files_are_written(invoke, write, tmp_path, monkeypatch):
    """`wrote %(path)s` translated as `%(path)d écrit` used to crash once the files were in place."""
    install(tmp_path, monkeypatch, "printf-conversion.po")
    result = invoke("build", write("r.yaml", MINIMAL), "--lang", "fr", "--format", "md", "--out", tmp_path / "out")
    assert result.exit_code == 0 and f"wrote {tmp_path / 'out' / 'r.fr.md'}" in result.stdout


def test_a_catalog_folder_that_is_no_language_is_refused(invoke, write, tmp_path, monkeypatch):
    po = install(tmp_path, monkeypatch, "minimal.po", lang="xx")
    result = invoke("build", write("r.yaml", MINIMAL), "--lang", "xx", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{po}: the catalog's folder is named 'xx', which is no language code Babel knows" in result.stderr
    assert not (tmp_path / "out").exists()
    check = invoke("locales", "check", "xx")
    assert check.exit_code == 1 and "which is no language code Babel knows" in check.stdout


def test_translator_text_never_becomes_structure(invoke, write, tmp_path, monkeypatch):
    """A signature line with "## Injected part" and "1. forged", a "Drafting note" label "# Forged title" and
    a table of contents heading "* Sommaire <b>" stay literal text in Markdown, Word and HTML."""
    install(tmp_path, monkeypatch, "injection.po")
    out = tmp_path / "out"
    result = invoke("build", write("r.yaml", MINIMAL), "--lang", "fr", "--format", "md,docx,html", "--notes",
                    "--out", out)
    assert result.exit_code == 0, result.output
    markdown = (out / "r.fr.md").read_text(encoding="utf-8")
    english = invoke("build", write("e.yaml", MINIMAL), "--lang", "en", "--format", "md", "--notes",
                     "--out", tmp_path / "en")
    assert english.exit_code == 0
    tokens = MarkdownIt("commonmark").parse(markdown)
    same = MarkdownIt("commonmark").parse((tmp_path / "en" / "e.en.md").read_text(encoding="utf-8"))
    # the same blocks as the English directive: no heading, list item or title more
    assert [(t.type, t.tag) for t in tokens] == [(t.type, t.tag) for t in same]
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not any("Injected" in h or "Forged" in h for h in headings)
    texts = "".join(c.content for t in tokens if t.type == "inline" for c in t.children or []
                    if c.type == "text").replace("\xa0", " ")  # French typography puts no-break spaces in
    assert "Fait le 22 novembre 2026 ## Injected part 1. forged" in texts
    assert "# Forged title." in texts
    assert reads_back(markdown)
    document = docx.Document(str(out / "r.fr.docx"))
    styles = [p.style.name for p in document.paragraphs]
    assert styles.count("Title") == 1 and not any("Injected" in p.text for p in document.paragraphs
                                                   if p.style.name.startswith("Heading"))
    assert any(p.text.endswith("## Injected part 1. forged") and p.style.name == "Normal" for p in document.paragraphs)
    assert any(p.text == "* Sommaire <b>" for p in document.paragraphs)
    page = (out / "r.fr.html").read_text(encoding="utf-8")
    assert "## Injected part 1. forged" in page and "<b>" not in page.replace("&lt;b&gt;", "")
    assert "* Sommaire &lt;b&gt;" in page or "Sommaire" not in page
