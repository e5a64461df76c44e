"""Free text in the language of each directive: an answer given in several languages, and a default
that the catalogs translate.

A bilingual jurisdiction adopts the same directive in two languages and names itself in each; a
French service writes its own names in French. An answer is plain text (the same in every language)
or a mapping by language; a default the drafter did not change is the toolkit's own words, translated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import SOURCE_LANGUAGE

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")


@dataclass(frozen=True, eq=False)
class Localized:
    """A free-text answer with one version per language, in the order the drafter gave them (two
    answers are the same when their versions are, in whatever order)."""

    versions: tuple[tuple[str, str], ...]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Localized) and dict(self.versions) == dict(other.versions)

    def __hash__(self) -> int:
        return hash(frozenset(self.versions))

    def get(self, lang: str) -> str | None:
        return dict(self.versions).get(lang)

    def fallback(self) -> str:
        """The version shown where the language has none: the English one, else the first given."""
        return self.get(SOURCE_LANGUAGE) or self.versions[0][1]

    def as_data(self) -> dict[str, str]:
        return dict(self.versions)

    def __str__(self) -> str:
        return self.fallback()


class CatalogText(str):
    """A text default taken as it is: the toolkit's own words (`source`, English, under `context` in the
    catalogs), which each directive shows in its language. The text itself is the words as proposed
    to the person answering, in the questionnaire's language."""

    source: str
    context: str

    def __new__(cls, text: str, source: str, context: str) -> CatalogText:
        value = super().__new__(cls, text)
        value.source, value.context = source, context
        return value

    def __reduce__(self):
        return CatalogText, (str(self), self.source, self.context)


def missing_versions(values: dict, lang: str) -> list[str]:
    """The keys of the answers given by language that have no version in `lang`."""
    return [key for key, value in values.items() if isinstance(value, Localized) and value.get(lang) is None]
