"""The words of a directive in one language: translated clause texts with their answers filled in,
citations, and the titles of sections and instruments.

Answers are data: they are formatted for the locale and inserted with `%`, never evaluated.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import spelling, typography
from .i18n import SOURCE_LANGUAGE, Translator
from .library import Clause, Instrument
from .localized import CatalogText, Localized
from .quantity import Quantity
from .questionnaire import QUANTITIES, Questionnaire

# How a pinpoint reads, singular and plural (a range), for each unit of the catalogue.
PINPOINT_UNITS = {
    "rule": ("rule %(n)s", "rules %(n)s"),
    "article": ("art. %(n)s", "arts %(n)s"),
    "principle": ("principle %(n)s", "principles %(n)s"),
    "paragraph": ("para. %(n)s", "paras %(n)s"),
}
@dataclass
class Wording:
    t: Translator
    questionnaire: Questionnaire
    words: bool = False        # numbers in words ("dix-huit mois"), as the jurisdiction's legal texts write them

    # -- answers
    def value(self, key: str, value: Any) -> str:
        question = self.questionnaire.by_key[key]
        t = self.t
        if isinstance(value, str) and value in question.allow:
            return question.mark(value, t)
        if question.type == "int":
            if isinstance(value, Quantity):
                return self.quantity(value.amount, value.unit)
            if question.unit:
                return self.quantity(value, question.unit)
            return self.number(value)
        if question.type == "date":
            return t.date(value)
        if question.type == "choice":
            return self.choice(question.key, value)
        if question.type == "multi":
            return t.join([self.choice(question.key, v) for v in value])
        if question.type == "bool":
            return t.pgettext("answer", "yes") if value else t.pgettext("answer", "no")
        return self.text(value)

    def text(self, value: Any) -> str:
        """A free-text answer in this language: its version for the language (else its fallback, which
        a build accepts only when told to), or a default in the words of the language's catalog."""
        if isinstance(value, Localized):
            return value.get(self.t.lang) or value.fallback()
        if isinstance(value, CatalogText):
            return self.t.lookup(value.context, value.source)
        return str(value)

    def number(self, n: int, unit: str | None = None) -> str:
        spelled = spelling.spell(n, self.t.lang, unit) if self.words else None
        return spelled or self.t.number(n)

    def quantity(self, n: int, unit: str) -> str:
        """"18 months", "3 años", "dix-huit mois": a number with its unit, in words where asked."""
        singular, plural = QUANTITIES[unit]
        return self.t.npgettext("quantity", singular, plural, n) % {"num": self.number(n, unit)}

    def choice(self, key: str, value: str) -> str:
        choice = self.questionnaire.by_key[key].choice(value)
        return self.t.lookup(f"{key}:choice:{value}", choice.label if choice else value)

    # -- titles
    def title(self, clause: Clause) -> str:
        return self.t.lookup(f"{clause.id}:title", clause.title)

    def note(self, clause: Clause) -> str:
        """The clause's drafting note in this language (empty when it has none)."""
        return self.t.lookup(f"{clause.id}:note", clause.note) if clause.note else ""

    def section_title(self, key: str, title: str) -> str:
        return self.t.lookup(f"section:{key}", title)

    def instrument_short(self, inst: Instrument) -> str:
        english = inst.short[SOURCE_LANGUAGE]  # a variable, so the extractor takes no literal from here
        return self.t.lookup(f"instrument:{inst.key}:short", english)

    def instrument_title(self, inst: Instrument) -> str:
        english = inst.title[SOURCE_LANGUAGE]
        return self.t.lookup(f"instrument:{inst.key}:title", english)

    def instrument_adoption(self, inst: Instrument) -> str:
        return self.t.lookup(f"instrument:{inst.key}:adoption", inst.adoption)

    # -- citations
    def pinpoint(self, inst: Instrument, *pinpoints: str) -> str:
        """"rule 52(2)", "rules 49 and 52(1)", or the headings of an instrument cited by heading."""
        if inst.headings:
            return self.t.join([self.t.lookup(f"instrument:{inst.key}:{p}", inst.headings[p]) for p in pinpoints])
        singular, plural = PINPOINT_UNITS[inst.unit]
        many = 2 if len(pinpoints) > 1 or "-" in pinpoints[0] else 1
        listed = typography.ranges(self.t.join(list(pinpoints)))
        return self.t.npgettext("pinpoint", singular, plural, many) % {"n": listed}

    def cite(self, inst: Instrument, *pinpoints: str) -> str:
        """"Bangkok Rules, rules 49 and 52(1)": one instrument with one or more of its provisions."""
        return self.t.pgettext("citation", "%(instrument)s, %(pinpoint)s") % {
            "instrument": self.instrument_short(inst), "pinpoint": self.pinpoint(inst, *pinpoints)}

    def citations(self, clause: Clause, instruments: dict[str, Instrument]) -> str:
        """The clause's sources, one citation per instrument, in the order the clause gives them."""
        return self.provisions(clause.sources, instruments) + "."

    def provisions(self, sources, instruments: dict[str, Instrument]) -> str:
        """Provisions as a reader cites them: "Bangkok Rules, rule 24; Nelson Mandela Rules, rule 48(2)"."""
        grouped: dict[str, list[str]] = {}
        for source in sources:
            grouped.setdefault(source.instrument, []).append(source.pinpoint)
        return "; ".join(self.cite(instruments[key], *pins) for key, pins in grouped.items())
