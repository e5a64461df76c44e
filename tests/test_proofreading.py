"""French and Spanish builds read as French and Spanish: every example, with its drafting notes and its
compliance annex, in Markdown and in Word, has no English word that comes from the toolkit (answers the
drafter typed, file names and the official titles of instruments apart), and hunspell finds no word
outside its dictionaries but the reviewed names, abbreviations and acronyms of locales/spelling.yaml."""
from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache

import pytest
import yaml
from conftest import EXAMPLES, PROOF_LANGS, ROOT, reader_prose, word_text

CASES = [(example, lang) for example in EXAMPLES for lang in PROOF_LANGS]
IDS = [f"{example.stem}-{lang}" for example, lang in CASES]
DICTIONARIES = {"fr": "fr_FR", "es": "es_ES"}
ACCEPTED = yaml.safe_load((ROOT / "locales" / "spelling.yaml").read_text(encoding="utf-8"))

# Frequent English words that are not also French or Spanish words ("on" and "or" are French).
ENGLISH = re.compile(r"\b(?:the|of|and|shall|which|with|for|to|is|are|be|this|that|these|by|from|not|may|must|any|"
                     r"its|their|where|when|has|have|been|will|should|such)\b", re.I)


@cache
def prose(out, example, lang) -> list[str]:
    """The French or Spanish words of a build of `example` that come from the toolkit, in Markdown and Word
    (read once for every test that looks at them)."""
    markdown = (out / f"{example.stem}.{lang}.md").read_text(encoding="utf-8")
    return [reader_prose(markdown, example, lang),
            reader_prose(word_text(out / f"{example.stem}.{lang}.docx"), example, lang)]


@pytest.mark.parametrize("example, lang", CASES, ids=IDS)
def test_no_english_word_comes_from_the_toolkit(proof_builds, example, lang):
    for text in prose(proof_builds, example, lang):
        found = sorted({m.group().lower() for m in ENGLISH.finditer(text)})
        lines = [line for line in text.splitlines() if ENGLISH.search(line)]
        assert found == [], lines[:5]


# A pinpoint's sub-division ("29(1)(b)", "(a) et (b)"), a heading number of the QUNO guidelines
# ("IV(a)", "III, « Suivi »") and the number of an annex ("anexo VII") are numbering, not words.
_NUMBERING = re.compile(r"\((?:[a-z]|[ivx]+|\d+)\)|\b[IVX]+(?=[(,])|(?<=nexo )\[?[IVX]+\b|(?<=nnexe )\[?[IVX]+\b")


@cache
def hunspell_ready(lang: str) -> str | None:
    """Why the spelling of `lang` cannot be checked here, or None."""
    if shutil.which("hunspell") is None:
        return "hunspell is not installed (apt-get install hunspell hunspell-fr hunspell-es)"
    listed = subprocess.run(["hunspell", "-D"], input="", capture_output=True, text=True).stderr
    if not re.search(rf"/{DICTIONARIES[lang]}$", listed, re.M):
        return f"the hunspell dictionary {DICTIONARIES[lang]} is not installed (apt-get install hunspell-{lang})"
    return None


@cache
def unknown_anywhere(out, lang) -> frozenset[str]:
    """The words hunspell does not know in any build of `lang`: asked once, over the lines of every build
    taken once each (most of them are the same clauses)."""
    lines = dict.fromkeys(line for example in EXAMPLES for text in prose(out, example, lang)
                          for line in text.splitlines())
    return frozenset(unknown_words("\n".join(lines), lang))


def unknown_in(out, example, lang) -> set[str]:
    """The words of one build that hunspell does not know."""
    texts = prose(out, example, lang)
    return {word for word in unknown_anywhere(out, lang)
            if any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) for text in texts)}


def unknown_words(text: str, lang: str) -> set[str]:
    run = subprocess.run(["hunspell", "-d", DICTIONARIES[lang], "-i", "utf-8", "-l"], input=_NUMBERING.sub(" ", text),
                         capture_output=True, text=True, check=True)
    return set(run.stdout.split())


def accepted(lang: str) -> set[str]:
    return {word for group in ACCEPTED[lang].values() for word in group}


@pytest.mark.parametrize("example, lang", CASES, ids=IDS)
def test_hunspell_finds_no_misspelling(proof_builds, example, lang):
    if (why := hunspell_ready(lang)):
        pytest.skip(why)
    assert sorted(unknown_in(proof_builds, example, lang) - accepted(lang)) == []


@pytest.mark.parametrize("lang", PROOF_LANGS)
def test_every_accepted_word_is_one_the_builds_need(proof_builds, lang):
    """The list stays small and reviewed: each word in it occurs in a build and is unknown to the
    dictionary, so a word that a rephrasing or a new dictionary made unnecessary is taken out."""
    if (why := hunspell_ready(lang)):
        pytest.skip(why)
    unknown = set().union(*(unknown_in(proof_builds, example, lang) for example in EXAMPLES))
    assert sorted(accepted(lang) - unknown) == []
    assert set(ACCEPTED[lang]) <= {"names", "abbreviations", "instruments", "words"}


def test_without_hunspell_the_spelling_checks_say_what_to_install(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    hunspell_ready.cache_clear()
    try:
        assert hunspell_ready("es") == "hunspell is not installed (apt-get install hunspell hunspell-fr hunspell-es)"
    finally:
        hunspell_ready.cache_clear()
