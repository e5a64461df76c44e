"""Each language's typography and contractions, applied once to every text of a directive.

Answers are asked in the form they take in a sentence, with their article ("the Kingdom of
Nordmark", « le Royaume de Nordmark », "el Reino de Nordmark"); where a clause puts one after a
preposition, the language's contraction follows (« de le Royaume » → « du Royaume », "de el Reino" →
"del Reino"). Then the marks: French no-break spaces before ; : ! ? and inside « », typographic
apostrophes and quotation marks in every language.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

NBSP = "\u00a0"
_REMEMBERED = 1 << 14   # texts each language's setter keeps: the library's, many times over
APOSTROPHE = "\u2019"

# The article of a name contracts with the preposition before it; capitalised articles are part of a
# name and do not (« de Le Havre », "de El Salvador").
_CONTRACTIONS = {
    "fr": {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"},
    "es": {("de", "el"): "del", ("a", "el"): "al"},
}
_LAST_WORD = re.compile(r"(?:^|(?<=[\s(«\u00a0]))(\w+) $")
_SLOT = re.compile(r"%\([^()\s]*\)s|%%")
_APOSTROPHE = re.compile(r"(?<=\w)'|'(?=\w)")
_DOUBLE_QUOTES = re.compile(r'"([^"\n]+)"')
_QUOTES = {"en": ("\u201c", "\u201d"), "fr": ("«" + NBSP, NBSP + "»"), "es": ("«", "»")}
# French spacing: a no-break space before the high marks and inside guillemets, whatever was typed
# (a colon between digits or in an address stays as it is: 10:30, https://).
_FRENCH = [
    (re.compile(r"[ \u202f]+([;:!?»])"), NBSP + r"\1"),
    (re.compile(r"(?<=[^\s\u00a0])([;!?»])"), NBSP + r"\1"),
    (re.compile(r"(?<=[^\s\u00a0\d/:]):(?!//|\d)"), NBSP + ":"),
    (re.compile(r"«[ \u202f]*(?=[^\u00a0])"), "«" + NBSP),
]


@cache
def setter(lang: str) -> Callable[[str], str]:
    """The function that gives the toolkit's own words (clause texts, labels, translations) their
    language's typography. What a user typed is never retouched: it is data. One per language, which
    remembers what it set: a batch typesets the same clause texts for every answers file."""
    base = lang.split("_")[0]
    opening, closing = _QUOTES.get(base, _QUOTES["en"])

    @lru_cache(maxsize=_REMEMBERED)
    def typeset(text: str) -> str:
        if not text:
            return text
        slots = _SLOT.findall(text)   # placeholders stand aside, as a letter would
        text = _SLOT.sub("\ue000", text)
        text = _APOSTROPHE.sub(APOSTROPHE, text)
        text = _DOUBLE_QUOTES.sub(lambda m: f"{opening}{m.group(1).strip()}{closing}", text)
        if base == "fr":
            for pattern, replacement in _FRENCH:
                text = pattern.sub(replacement, text)
        pieces = iter(slots)
        return re.sub("\ue000", lambda _m: next(pieces), text)

    return typeset


_RANGE = re.compile(r"(?<=[\d)])-(?=[\d(])")


def ranges(text: str) -> str:
    """An en dash in a range of provisions: "paras 6–7", "rule 52(1)–(2)"."""
    return _RANGE.sub("\u2013", text)


def contract(before: str, value: str, lang: str) -> tuple[str, str]:
    """A preposition at the end of `before` and the article at the start of `value` as the language
    writes them together: ("en vertu de ", "les articles") → ("en vertu ", "des articles")."""
    table = _CONTRACTIONS.get(lang.split("_")[0])
    preposition = _LAST_WORD.search(before) if table else None
    article, space, rest = value.partition(" ")
    if preposition is None or not space:
        return before, value
    word = preposition.group(1)
    joined = table.get((word.lower(), article))
    if joined is None:
        return before, value
    if word[0].isupper():
        joined = joined.capitalize()
    return before[:preposition.start(1)], f"{joined} {rest}"


def capitalized(text: str) -> str:
    """A name at the head of a line: its first letter a capital ("the Kingdom of …" → "The Kingdom of …")."""
    return text[:1].upper() + text[1:] if text[:1].islower() else text
