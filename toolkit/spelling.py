"""Whole numbers in words, as civil-law texts write them ("dix-huit mois", "tres años", "forty-five days").

A jurisdiction whose legal texts spell numbers out asks for it (`numbers_in_words`); a language with no
speller here keeps digits. Numbers from 0 to 999 999 are spelled; larger ones keep digits.
"""
from __future__ import annotations

from collections.abc import Callable

_EN = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"
)
_EN_TENS = (
    "_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"
)


def _english(n: int) -> str:
    if n < 20:
        return _EN[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _EN_TENS[tens] + (f"-{_EN[unit]}" if unit else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_EN[hundreds]} hundred" + (f" and {_english(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    return f"{_english(thousands)} thousand" + ((" and " if rest < 100 else " ") + _english(rest) if rest else "")


_FR = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
    "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"
)
_FR_TENS = (
    "_", "_", "vingt", "trente", "quarante", "cinquante", "soixante"
)


def _french(n: int) -> str:
    if n < 20:
        return _FR[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        if tens in (7, 9):                        # soixante-dix, quatre-vingt-dix: counted on from 60 and 80
            base = "soixante" if tens == 7 else "quatre-vingt"
            joint = " et " if n == 71 else "-"
            return base + joint + _FR[10 + unit]
        if tens == 8:
            return "quatre-vingts" if unit == 0 else "quatre-vingt-" + _FR[unit]
        return _FR_TENS[tens] + (" et un" if unit == 1 else f"-{_FR[unit]}" if unit else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "cent" if hundreds == 1 else f"{_FR[hundreds]} cent" + ("s" if rest == 0 else "")
        return head + (f" {_french(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    head = _french(thousands)
    head = "mille" if thousands == 1 else (head[:-1] if head.endswith(("vingts", "cents")) else head) + " mille"
    return head + (f" {_french(rest)}" if rest else "")


_ES = (
    "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce",
    "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve", "veinte", "veintiuno",
    "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho",
    "veintinueve"
)
_ES_TENS = (
    "_", "_", "_", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"
)
_ES_HUNDREDS = (
    "_", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos", "seiscientos", "setecientos",
    "ochocientos", "novecientos"
)


def _spanish(n: int) -> str:
    if n < 30:
        return _ES[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _ES_TENS[tens] + (f" y {_ES[unit]}" if unit else "")
    if n < 1000:
        if n == 100:
            return "cien"
        hundreds, rest = divmod(n, 100)
        return _ES_HUNDREDS[hundreds] + (f" {_spanish(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    head = "mil" if thousands == 1 else _apocope(_spanish(thousands)) + " mil"
    return head + (f" {_spanish(rest)}" if rest else "")


def _apocope(words: str) -> str:
    """"uno" as it reads before a masculine noun: un año, veintiún días, treinta y un meses."""
    if words.endswith("veintiuno"):
        return words[:-len("veintiuno")] + "veintiún"
    return words[:-1] if words.endswith("uno") else words


def _agreeing(words: str, lang: str, feminine: bool) -> str:
    """The final "one" as it agrees with the noun that follows: un an / une semaine; un mes / una semana."""
    if lang == "fr" and feminine and words.endswith("un"):
        return words[:-2] + "une"
    if lang == "es":
        if feminine and words.endswith("uno"):
            return words[:-3] + "una"
        return _apocope(words)
    return words


SPELLERS: dict[str, Callable[[int], str]] = {"en": _english, "fr": _french, "es": _spanish}
# The units whose noun is feminine, so that "1" agrees: une semaine, une heure; una semana, una hora.
FEMININE = {"fr": {"weeks", "hours", "working_days"}, "es": {"weeks", "hours"}}


def spell(n: int, lang: str, unit: str | None = None) -> str | None:
    """`n` in words in `lang`, agreeing with the noun of `unit`; None when the language has no speller
    or the number is out of range."""
    speller = SPELLERS.get(lang)
    if speller is None or isinstance(n, bool) or not isinstance(n, int) or not 0 <= n < 1_000_000:
        return None
    return _agreeing(speller(n), lang, unit in FEMININE.get(lang, ()))
