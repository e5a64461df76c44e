"""Languages, translations read straight from the .po files, and locale-aware formatting.

A translation that would break the output (a placeholder that differs from the English, even in its
conversion as %(value)d for %(value)s; a lone % where the English is a format; template tags) is
refused: the English string is used instead and the refusal is reported, never executed. A catalog
the renderer cannot use at all (a folder that is no language Babel knows, a plural rule that divides
by zero) is refused whole, before anything is written.
"""
from __future__ import annotations

import os
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import resources
from .errors import LocaleError, Problem
from .text import shorten

if TYPE_CHECKING:
    from . import pofile

SOURCE_LANGUAGE = "en"
DOMAIN = "messages"
_PLACEHOLDER = re.compile(r"%\(([\w.:-]+)\)[sdifr]|%[sdifr]")
_FORMAT = re.compile(r"%%|%\([\w.:-]+\)[sdifr]|%[sdifr]")   # what may follow a % in a format string
_TEMPLATE_TAG = re.compile(r"\{[{%#]|[}%#]\}")
# The locale that formats dates and lists for each language; others use the language itself.
_FORMAT_LOCALES = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES"}


def placeholders(text: str) -> list[str]:
    """Named and positional python-format placeholders, in order (a literal %% is not one)."""
    return sorted(m.group(1) or m.group(0) for m in _PLACEHOLDER.finditer(text.replace("%%", "")))


def tokens(text: str) -> list[str]:
    """The placeholders of a format string as written, conversion included ("%(value)s"), in order."""
    return sorted(m.group() for m in _PLACEHOLDER.finditer(text.replace("%%", "")))


def lone_percent(text: str) -> bool:
    """Whether a format string holds a % that starts neither %% nor a placeholder ("100%", "%(value)z")."""
    return "%" in _FORMAT.sub("", text)


def template_tags(text: str) -> bool:
    return bool(_TEMPLATE_TAG.search(text))


LOCALES_ENV = "DRAFT_LOCALES"


def locales_dir() -> Path:
    """The catalogs folder: $DRAFT_LOCALES when set (to try a translation in progress, or in tests),
    else the toolkit's own locales/."""
    override = os.environ.get(LOCALES_ENV)
    return Path(override) if override else resources.path("locales")


def po_path(lang: str, root: Path | None = None) -> Path:
    return (root or locales_dir()) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages(root: Path | None = None) -> list[str]:
    """English and every language with a catalog under locales/."""
    root = root or locales_dir()
    found = sorted(p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [SOURCE_LANGUAGE] + [lang for lang in found if lang != SOURCE_LANGUAGE]


def unknown_language(lang: str, root: Path | None = None) -> Problem | None:
    """What is wrong with `lang` as a language of the output or of the interface, if anything."""
    known = languages(root)
    if lang in known:
        return None
    return Problem(_("expected a language from %(allowed)s, found %(found)r", allowed=", ".join(known), found=lang),
                   field="--lang")


def check_language(lang: str, root: Path | None = None) -> str:
    problem = unknown_language(lang, root)
    if problem is not None:
        raise LocaleError(problem)
    return lang


def _plural_rule(expression: str):
    """The function of a Plural-Forms C expression (gettext's parser, imported only for a catalog)."""
    from gettext import c2py

    return c2py(expression)


def _english_plural(n: int) -> int:  # English's plural rule: one, and every other number
    return int(n != 1)


@dataclass
class Translator:
    """gettext for one language, with a record of what fell back to English."""

    lang: str
    table: dict[tuple[str | None, str], dict[int, str]] = field(default_factory=dict)
    plural: object = _english_plural
    refused: list[Problem] = field(default_factory=list)
    fell_back: set[tuple[str | None, str]] = field(default_factory=set)
    _joined: dict[tuple[str, ...], str] = field(default_factory=dict, repr=False, compare=False)

    def _lookup(self, ctxt: str | None, msgid: str) -> dict[int, str] | None:
        found = self.table.get((ctxt, msgid))
        if found is None and self.lang != SOURCE_LANGUAGE:
            self.fell_back.add((ctxt, msgid))
        return found

    def pgettext(self, ctxt: str | None, message: str) -> str:
        found = self._lookup(ctxt, message)
        return found[0] if found else message

    def gettext(self, message: str) -> str:
        return self.pgettext(None, message)

    def lookup(self, context: str, message: str) -> str:
        """A string of the data (a question, a clause, an instrument) under its computed context. Not a
        gettext keyword: the catalog takes these strings from the data files, not from the code."""
        return self.pgettext(context, message)

    def npgettext(self, ctxt: str | None, singular: str, plural: str, n: int) -> str:
        found = self._lookup(ctxt, singular)
        if found:
            return found.get(self.plural(n), found[0])
        return singular if n == 1 else plural

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.npgettext(None, singular, plural, n)

    # -- locale formatting (Babel is imported only when a document is built)
    @property
    def locale(self) -> str:
        return _FORMAT_LOCALES.get(self.lang, self.lang)

    @cached_property
    def _babel_locale(self):
        """Babel's Locale, parsed once: given a name, Babel parses it again on every date, number and list."""
        from babel import Locale

        return Locale.parse(self.locale)

    def date(self, value: date) -> str:
        """A date as the language writes it in a text: "1 March 2026", « 1er mars 2026 », "1 de marzo de 2026"."""
        from babel.dates import format_date

        text = format_date(value, "long", locale=self._babel_locale)
        if value.day == 1 and self.locale.startswith("fr") and text.startswith("1 "):
            text = "1er" + text[1:]   # the first of the month is an ordinal in French
        return text

    def number(self, value: int) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self._babel_locale)

    def join(self, items: list[str]) -> str:
        """"a, b and c" in the language; each list joined once (a batch cites the same provisions in
        every document, and Babel's formatting costs more than the lookup)."""
        if not items:
            return ""
        key = tuple(items)
        joined = self._joined.get(key)
        if joined is None:
            from babel.lists import format_list

            joined = self._joined[key] = format_list(items, locale=self._babel_locale)
        return joined


def translator(lang: str, root: Path | None = None) -> Translator:
    """The translator for `lang`, loaded once per process and catalogs folder."""
    return _translator(lang, root or locales_dir())


@cache
def _translator(lang: str, root: Path) -> Translator:
    if lang == SOURCE_LANGUAGE:
        return Translator(lang)
    from . import cache as cache_mod

    path = po_path(check_language(lang, root), root)
    _reading.add(lang)
    try:
        problem = locale_problem(lang)
        if problem is not None:
            raise LocaleError(Problem(problem, path))
        # The refusals are messages in the interface's language: a catalog is kept per interface language.
        table, refused, rule = cache_mod.cached(f"catalog-{lang}", [path], lambda: _catalog(path), ui_language())
    finally:
        _reading.discard(lang)
    return Translator(lang, table, _plural_rule(rule) if rule else _english_plural, refused)


def _catalog(path: Path) -> tuple[dict, list[Problem], str | None]:
    """A catalog's translations, the translations refused as unsafe, and its plural rule (its C
    expression, checked): what a translator is made of, which a cache can keep."""
    from . import pofile  # which needs this module's messages

    entries = pofile.read(path)
    plural_function(entries, path)
    table, refused = {}, []
    for entry in entries:
        if entry.msgid == "" or entry.fuzzy or not entry.translated:
            continue
        problem = refusal(entry)
        if problem:
            refused.append(Problem(problem, path, entry.line))
            continue
        table[(entry.msgctxt, entry.msgid)] = entry.msgstr
    return table, refused, plural_rule(entries)


def locale_problem(lang: str) -> str | None:
    """Why the catalog folder `lang` cannot format dates, numbers and lists, or None."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(_FORMAT_LOCALES.get(lang, lang))
    except (ValueError, TypeError, UnknownLocaleError):
        return _("the catalog's folder is named %(lang)r, which is no language code Babel knows; expected a code "
                 "such as pt or pt_BR", lang=lang)
    return None


def refusal(entry: pofile.Entry) -> str | None:
    """Why a translation cannot be used safely, or None: exactly the placeholders of the English, and no
    lone % where the English is a format string (the renderer would choke on either)."""
    expected = tokens(entry.msgid)
    formatted = "%" in entry.msgid or "%" in (entry.msgid_plural or "")
    for index, text in entry.msgstr.items():
        source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
        if template_tags(text) and not template_tags(source):
            return _("expected plain text, found template tags in msgstr: %(found)r", found=shorten(text, 60))
        if formatted and lone_percent(text):
            return _("expected %%%% for a percent sign, found a lone %% in msgstr: %(found)r", found=shorten(text, 60))
        found = tokens(text)
        wanted = tokens(source)
        if entry.msgid_plural is not None:
            # a plural form may leave the number out ("un mois" for %(num)s month)
            if not set(found) <= set(wanted) | set(expected):
                return _("expected placeholders %(wanted)s, found %(found)s", wanted=wanted, found=found)
        elif found != wanted:
            return _("expected placeholders %(wanted)s, found %(found)s", wanted=wanted, found=found)
    return None


_PLURAL = r"plural\s*=\s*([^;\\\n]+)"
# The numbers a plural rule is tried on before it is trusted: every form a rule distinguishes shows
# below 1,000, and the large ones catch a rule that overflows.
_PLURAL_PROBES = (*range(1001), 10**4, 10**5, 10**6, 10**9)


def plural_rule(entries: list[pofile.Entry]) -> str | None:
    """The C expression of the catalog's plural rule, None without one (English's rule applies)."""
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None), None)
    m = re.search(_PLURAL, header.msgstr.get(0, "")) if header else None
    return m.group(1).strip() if m else None


def plural_function(entries: list[pofile.Entry], path: Path):
    """The catalog's plural rule, once it has given a valid form for every number tried; LocaleError
    otherwise (a rule such as `plural=(n/0)` would divide by zero in the middle of a build)."""
    from . import pofile

    expression = plural_rule(entries)
    if expression is None:
        return _english_plural
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    text = header.msgstr.get(0, "")
    found = shorten(expression, 80)
    try:
        rule = _plural_rule(expression)
    except (ValueError, SyntaxError, RecursionError, MemoryError):
        raise LocaleError(Problem(_("expected a valid Plural-Forms expression, found %(found)r", found=found),
                                  path, header.line)) from None
    count = pofile.plural_count(entries)
    if count is None and "nplurals" in text:
        raise LocaleError(Problem(_("expected nplurals=N in the Plural-Forms header, N a number of at most four "
                                    "digits"), path, header.line))
    for n in _PLURAL_PROBES:
        try:
            index = rule(n)
        except Exception as e:  # ZeroDivisionError, OverflowError: whatever the rule's arithmetic raises
            raise LocaleError(Problem(_("expected a Plural-Forms expression that gives a form for every number, "
                                        "found %(found)r, which fails for n = %(n)s (%(why)s)", found=found, n=n,
                                        why=shorten(str(e), 60)), path, header.line)) from None
        if count is not None and not 0 <= index < count:
            raise LocaleError(Problem(_("expected a Plural-Forms expression that gives a form from 0 to %(last)s "
                                        "(nplurals=%(count)s), found %(found)r, which gives %(index)s for n = %(n)s",
                                        last=count - 1, count=count, found=found, index=index, n=n), path,
                                      header.line))
    return rule


# A context variable, not a global: each request of `draft serve` has its own language, and the
# server answers requests in several threads at once.
_ui_language: ContextVar[str] = ContextVar("ui_language", default=SOURCE_LANGUAGE)
_reading: set[str] = set()   # languages whose catalog is being read
_ENGLISH = Translator(SOURCE_LANGUAGE)


def set_ui_language(lang: str) -> None:
    """The language of prompts and messages (the CLI sets it from --lang; the server for each request)."""
    _ui_language.set(lang if lang in languages() else SOURCE_LANGUAGE)


def ui_language() -> str:
    return _ui_language.get()


def _interface() -> Translator:
    """The translator of the interface language, or English while its catalog is being read (the
    reader's own messages are translated too) or when the catalog cannot be read at all."""
    lang = _ui_language.get()
    if lang == SOURCE_LANGUAGE or lang in _reading:
        return _ENGLISH
    try:
        return translator(lang)
    except LocaleError:
        return _ENGLISH


def interface() -> Translator:
    """The translator of the interface language (for data strings of the questionnaire shown in prompts)."""
    return _interface()


def _(message: str, **values: object) -> str:
    """Translate a message to the interface language; `%(name)s` slots are filled from `values`."""
    text = _interface().gettext(message)
    if not values:
        return text
    try:
        return text % values
    except (TypeError, ValueError, KeyError):  # a catalog edited since it was checked: never fail a message
        return message % values


def n_(singular: str, plural: str, n: int, **values: object) -> str:
    translated = _interface().ngettext(singular, plural, n)
    try:
        return translated % dict(values, n=n)
    except (TypeError, ValueError, KeyError):  # a catalog edited since it was checked
        return (singular if n == 1 else plural) % dict(values, n=n)


def p_(context: str, message: str, **values: object) -> str:
    """`_` for a short word that needs its context to be translated right (a command typed at a prompt)."""
    text = _interface().pgettext(context, message)
    return text % values if values else text


def more(n: int) -> str:
    """The end of a list cut short: "… and 99,990 more"."""
    return n_("… and %(count)s more", "… and %(count)s more", n, count=number(n))


def number(n: int) -> str:
    """A number as the interface language writes it (99,990 / 99 990)."""
    return _interface().number(n)
