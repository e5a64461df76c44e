"""A number with the unit the law uses: "3 years", "45 days", "6 weeks".

A question with a unit takes a plain number in that unit (`max_age_months: 36`), or a number with
another unit (`max_age_months: 3 years`), so that the directive says "3 years" where the law says so.
The answer keeps its own unit for the words, and compares with numbers and other quantities in the
question's unit, so that bounds, `above` and the conditions of clauses hold whatever unit was written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

# The length of each unit in days: months and years exactly in step (12 months make a year), weeks and
# days exactly, the two families close enough for bounds and comparisons.
DAYS = {"years": 365.25, "months": 365.25 / 12, "weeks": 7.0, "working_days": 7 / 5, "days": 1.0,
        "hours": 1 / 24}
SINGULAR = {"years": "year", "months": "month", "weeks": "week", "working_days": "working day", "days": "day",
            "hours": "hour"}
# Unit words as a drafter may write them, in English, French or Spanish, singular or plural.
_WORDS = {
    "years": ["year", "years", "yr", "yrs", "an", "ans", "année", "années", "año", "años", "ano", "anos"],
    "months": ["month", "months", "mois", "mes", "meses"],
    "weeks": ["week", "weeks", "semaine", "semaines", "semana", "semanas"],
    "working_days": ["working day", "working days", "business day", "business days", "jour ouvrable",
                     "jours ouvrables", "jour ouvré", "jours ouvrés", "día hábil", "días hábiles", "dia habil",
                     "dias habiles"],
    "days": ["day", "days", "jour", "jours", "día", "días", "dia", "dias"],
    "hours": ["hour", "hours", "heure", "heures", "hora", "horas"],
}
UNIT_OF = {word: unit for unit, words in _WORDS.items() for word in words}
_QUANTITY = re.compile(r"^\s*(\d+)\s+([^\d]+?)\s*$")


@total_ordering
@dataclass(frozen=True)
class Quantity:
    """`amount` `unit` (as written), answering a question whose unit is `base`."""

    amount: int
    unit: str
    base: str

    @property
    def value(self) -> float:
        """The quantity in the question's unit."""
        return self.amount * DAYS[self.unit] / DAYS[self.base]

    def _other(self, other: object) -> float | None:
        if isinstance(other, Quantity):
            return other.amount * DAYS[other.unit] / DAYS[self.base]
        if isinstance(other, (int, float)) and not isinstance(other, bool):
            return float(other)
        return None

    def __eq__(self, other: object) -> bool:
        value = self._other(other)
        return value is not None and abs(self.value - value) < 1e-9

    def __lt__(self, other: object) -> bool:
        value = self._other(other)
        if value is None:
            return NotImplemented
        return self.value < value - 1e-9

    def __hash__(self) -> int:
        return hash(round(self.value, 6))

    def __bool__(self) -> bool:
        return self.amount != 0

    def __str__(self) -> str:
        """As written in an answers file: "3 years", "1 day"."""
        return f"{self.amount} {SINGULAR[self.unit] if self.amount == 1 else self.unit.replace('_', ' ')}"


def parse(text: str, base: str) -> Quantity | None:
    """"3 years" as a Quantity answering a question in `base`; None when the text is not a quantity."""
    match = _QUANTITY.match(text)
    if not match:
        return None
    unit = UNIT_OF.get(re.sub(r"\s+", " ", match.group(2).casefold()))
    if unit is None:
        return None
    return Quantity(int(match.group(1)), unit, base)


def plain(value: object) -> object:
    """An answer as YAML or JSON data: a quantity in its question's unit as a number, else as written."""
    if isinstance(value, Quantity):
        return value.amount if value.unit == value.base else str(value)
    return value
