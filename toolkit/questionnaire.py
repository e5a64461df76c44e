"""The questionnaire definition: typed questions, loaded once from toolkit/questions/*.yaml.

Everything about a question lives in its definition — type, bounds, choices, default, the condition
under which it is asked — and every consumer (prompts, validation, JSON Schema, clauses) reads it here.
"""
from __future__ import annotations

import math
import re
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from . import expressions, i18n, quantity, resources, yamlfile
from .errors import DefinitionError, Problem
from .i18n import _
from .localized import LANGUAGE_CODE, CatalogText, Localized
from .text import forbidden, squash

TYPES = ("text", "int", "bool", "choice", "multi", "date")
QUANTITY_UNITS = ("months", "weeks", "days", "working_days", "years", "hours")
# How a number with a unit reads, in a clause and in a message (the catalog context is "quantity").
QUANTITIES = {
    "months": ("%(num)s month", "%(num)s months"),
    "weeks": ("%(num)s week", "%(num)s weeks"),
    "days": ("%(num)s day", "%(num)s days"),
    "years": ("%(num)s year", "%(num)s years"),
    "hours": ("%(num)s hour", "%(num)s hours"),
    "working_days": ("%(num)s working day", "%(num)s working days"),
}
# Answers that any question may allow besides its own values: a matter the jurisdiction leaves to other
# law, or a rule that does not apply to it. `draft check` reports the standards they bear on as not
# addressed, or as not applying; clauses test them like any value (`appeal_body == "not_regulated"`).
NOT_REGULATED, DOES_NOT_APPLY = "not_regulated", "does_not_apply"
MARKS = {NOT_REGULATED: "not regulated here (left to other law)", DOES_NOT_APPLY: "does not apply in this jurisdiction"}


class _Missing:
    """No value: the one marker, which stays itself when a questionnaire is kept in the cache."""

    def __reduce__(self) -> str:
        return "MISSING"

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_TEXT = 2000
FIELDS = frozenset({"key", "type", "question", "label", "help", "default", "default_from", "when", "choices", "min",
                    "max", "unit", "optional", "above", "at_most", "essential", "pattern", "example", "allow"})
RELATIONS = ("above", "at_most")   # how an int answer compares with the answer to an earlier question


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    key: str
    type: str
    question: str
    help: str = ""
    group: str = ""
    default: Any = MISSING
    default_from: str | None = None    # a computation over earlier answers that proposes the answer
    when: str | None = None
    choices: tuple[Choice, ...] = ()
    min: int | None = None
    max: int | None = None
    unit: str | None = None
    above: str | None = None           # the answer must exceed the answer to this question
    at_most: str | None = None         # the answer may not exceed the answer to this question
    optional: bool = False
    essential: bool = False            # among the questions that shape the directive most, asked first
    pattern: str | None = None         # text only: the whole answer must match this regular expression
    example: str = ""                  # with a pattern: answers that match it, as the message shows them
    short_label: str = ""              # a short name of the answer ("age limit"), where a list shows many
    allow: tuple[str, ...] = ()        # special answers it also takes: not_regulated, does_not_apply
    file: Path | None = None
    line: int | None = None

    @property
    def required(self) -> bool:
        return self.default is MISSING and self.default_from is None and not self.optional

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    def relations(self) -> list[tuple[str, str]]:
        """(kind, key) of each relation to an earlier answer: ("above", "max_age_months")."""
        return [(kind, getattr(self, kind)) for kind in RELATIONS if getattr(self, kind) is not None]

    @cached_property
    def depends_on(self) -> frozenset[str]:
        """The earlier answers this question reads: its condition, its relations, its computed default.
        ConditionError when the condition or the computation is not valid."""
        names = set(expressions.names_in(self.when)) if self.when else set()
        names |= {key for _kind, key in self.relations()}
        if self.default_from:
            names |= expressions.names_in(self.default_from, True)
        return frozenset(names)

    # -- the words of a question in a language; `t` is an i18n.Translator (English when untranslated)
    def text(self, t) -> str:
        return t.lookup(f"{self.key}:question", self.question)

    def short(self, t) -> str:
        """The short name of the answer, in a language; the question itself where it has none."""
        return t.lookup(f"{self.key}:label", self.short_label) if self.short_label else self.text(t)

    def help_text(self, t) -> str:
        return t.lookup(f"{self.key}:help", self.help) if self.help else ""

    def label(self, choice: Choice, t) -> str:
        return t.lookup(f"{self.key}:choice:{choice.value}", choice.label)

    def default_text(self, t) -> Any:
        """The default in a language: a text default (a title, an office) is words to translate."""
        if self.type == "text" and isinstance(self.default, str):
            source = getattr(self.default, "source", self.default)
            context = f"{self.key}:default"
            return CatalogText(t.lookup(context, source), source, context)
        return self.default

    def default_answer(self) -> Any:
        """The default as an answer; a text default is the toolkit's words, translated in each language."""
        if self.default is MISSING:
            return None
        if self.type == "text" and isinstance(self.default, str) and not isinstance(self.default, CatalogText):
            return CatalogText(self.default, self.default, f"{self.key}:default")
        return self.default

    def amount(self, value: Any) -> str:
        """A number as a message says it, with its unit, in the interface language ("48 months"); a number
        written with another unit, in that unit ("4 years")."""
        amount, unit = (value.amount, value.unit) if isinstance(value, quantity.Quantity) else (value, self.unit)
        if unit in QUANTITIES and type(amount) is int:
            singular, plural = QUANTITIES[unit]
            return i18n.interface().npgettext("quantity", singular, plural, amount) % {"num": amount}
        return str(value)

    def coerce(self, value: Any) -> Any:
        """The typed answer, or ValueError saying what was expected and what was found."""
        found = describe(value)
        if isinstance(value, str) and (bad := forbidden(value)) is not None:
            raise ValueError(bad[1])
        if self.optional and (value is None or value == ""):
            return None
        if isinstance(value, str) and value in self.allow:
            return value
        if self.type == "text":
            if self.pattern is not None:   # a code, the same in every language
                text = _text(value, found) if not isinstance(value, dict) else ""
                if not re.fullmatch(self.pattern, text):
                    raise ValueError(_("expected text such as %(example)s, found %(found)s", example=self.example,
                                       found=found))
                return text
            if isinstance(value, Localized):
                return value   # already a checked answer (a walk over decided answers)
            if isinstance(value, dict):
                return _by_language(value)
            return _text(value, found)
        if self.type == "int":
            if self.unit and isinstance(value, (str, quantity.Quantity)):   # "3 years", as typed or as decided
                return self._quantity(str(value), found)
            return self._number(value, found)
        if self.type == "bool":
            if not isinstance(value, bool):
                raise ValueError(_("expected yes or no (true or false), found %(found)s", found=found))
            return value
        if self.type == "date":
            if isinstance(value, datetime):
                value = value.date()
            if isinstance(value, str):
                with suppress(ValueError):
                    value = date.fromisoformat(value.strip())
            if not isinstance(value, date):
                raise ValueError(_("expected a date written YYYY-MM-DD, found %(found)s", found=found))
            return value
        allowed = ", ".join([c.value for c in self.choices] + list(self.allow))
        if self.type == "choice":
            if not isinstance(value, str) or self.choice(value) is None:
                raise ValueError(_("expected one of %(allowed)s, found %(found)s", allowed=allowed, found=found))
            return value
        # multi
        if value is None:
            value = []
        if not isinstance(value, list):
            raise ValueError(_("expected a list of values from %(allowed)s, found %(found)s", allowed=allowed,
                               found=found))
        bad = [v for v in value if not isinstance(v, str) or self.choice(v) is None]
        if bad:
            shown = ", ".join(describe(v) for v in bad[:5]) + (" …" if len(bad) > 5 else "")
            raise ValueError(_("expected values from %(allowed)s, found %(found)s", allowed=allowed, found=shown))
        order = [c.value for c in self.choices]
        return sorted(set(value), key=order.index)

    def _number(self, value: Any, found: str) -> int:
        """A whole number within the bounds; the message names the unit ("a whole number of months")."""
        unit = unit_name(self.unit) if self.unit else None
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            elif unit:
                raise ValueError(_("expected a whole number of %(units)s, found %(found)s", units=unit, found=found))
            else:
                raise ValueError(_("expected a whole number, found %(found)s", found=found))
        low, high = self.min, self.max
        if (low is None or value >= low) and (high is None or value <= high):
            return value
        shown = value if abs(value) < 10**12 else found   # a number of thousands of digits, cut short
        if low is not None and high is not None:
            if unit:
                raise ValueError(_("expected a number of %(units)s from %(min)s to %(max)s, found %(found)s",
                                   units=unit, min=low, max=high, found=shown))
            raise ValueError(_("expected a number from %(min)s to %(max)s, found %(found)s", min=low, max=high,
                               found=shown))
        shown = self.amount(value) if abs(value) < 10**12 else found
        if low is not None:
            raise ValueError(_("expected at least %(min)s, found %(found)s", min=self.amount(low), found=shown))
        raise ValueError(_("expected at most %(max)s, found %(found)s", max=self.amount(high), found=shown))

    def _quantity(self, text: str, found: str) -> quantity.Quantity:
        """A number written with its unit ("3 years"), within the bounds of the question's own unit."""
        value = quantity.parse(text, self.unit)
        if value is None:
            raise ValueError(_("expected a whole number of %(unit)s, or a number with its unit such as \"3 years\" "
                               "or \"45 days\", found %(found)s", unit=unit_name(self.unit), found=found))
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            raise ValueError(_("expected from %(min)s to %(max)s %(unit)s, found %(found)s", min=self.min,
                               max=self.max, unit=unit_name(self.unit), found=value))
        return value

    def mark(self, value: str, t) -> str:
        """The words of a special answer (not regulated here, does not apply) in a language."""
        return t.lookup(f"answer:{value}", MARKS[value])


def _comparable(value: Any) -> bool:
    """A number (or a number written with its unit) that a relation compares."""
    return isinstance(value, quantity.Quantity) or (isinstance(value, int) and not isinstance(value, bool))


def _whole(value: Any) -> int | None:
    """A number in its question's unit, for a computation: "4 years" answering in months is 48."""
    if isinstance(value, quantity.Quantity):
        return math.floor(value.value + 1e-9)
    return value if _comparable(value) else None


def unit_name(unit: str) -> str:
    """The name of a unit of time, in the plural, in the interface language ("a whole number of mois")."""
    return {"years": _("years"), "months": _("months"), "weeks": _("weeks"), "working_days": _("working days"),
            "days": _("days"), "hours": _("hours")}.get(unit, unit.replace("_", " "))


def _text(value: Any, found: str) -> str:
    if value is None or value == "":
        raise ValueError(_("expected some text, found nothing"))
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(_("expected text, or a version per language (en: …, fr: …), found %(found)s",
                           found=found))
    if isinstance(value, str) and (bad := forbidden(value)) is not None:
        raise ValueError(bad[1])
    text = squash(value)
    if len(text) > MAX_TEXT:
        raise ValueError(_("expected at most %(max)s characters, found %(n)s", max=MAX_TEXT, n=len(text)))
    return text


def _by_language(value: dict) -> Localized:
    """A free-text answer given per language: `{en: the Kingdom of Nordmark, fr: le Royaume de Nordmark}`."""
    if not value:
        raise ValueError(_("expected a version of the text for at least one language, found an empty mapping"))
    versions = []
    for lang, text in value.items():
        if not isinstance(lang, str) or not LANGUAGE_CODE.match(lang):
            raise ValueError(_("expected language codes such as en, fr or es as keys, found %(found)s",
                               found=describe(lang)))
        try:
            versions.append((lang, _text(text, describe(text))))
        except ValueError as e:
            raise ValueError(_("in the %(lang)s version: %(why)s", lang=lang, why=e)) from None
    return Localized(tuple(versions))


def describe(value: Any) -> str:
    """A value as a message shows what was found: short, and saying what kind of thing it is."""
    if value is None:
        return _("nothing")
    if isinstance(value, (dict, list)):
        return _("a mapping") if isinstance(value, dict) else _("a list")
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    questions: tuple[Question, ...]

    def heading(self, t) -> str:
        return t.lookup(f"group:{self.key}", self.title)


@dataclass(frozen=True)
class Questionnaire:
    groups: tuple[Group, ...]
    by_key: dict[str, Question] = field(hash=False, compare=False)

    def __iter__(self):
        for group in self.groups:
            yield from group.questions

    def keys(self) -> list[str]:
        return list(self.by_key)

    @cached_property
    def position(self) -> dict[str, int]:
        """Each key's place in the questionnaire (0-based)."""
        return {key: n for n, key in enumerate(self.by_key)}

    @cached_property
    def group_of(self) -> dict[str, Group]:
        return {q.key: group for group in self.groups for q in group.questions}

    def essentials(self) -> tuple[Question, ...]:
        """The questions that shape the directive most, in questionnaire order: `draft new` asks them first."""
        return tuple(q for q in self if q.essential)

    def others(self) -> tuple[Question, ...]:
        return tuple(q for q in self if not q.essential)

    def in_language(self, t) -> Questionnaire:
        """The same questions with their text defaults translated, for `draft new` in that language."""
        groups = tuple(Group(g.key, g.title, tuple(_with_default(q, q.default_text(t)) for q in g.questions))
                       for g in self.groups)
        return Questionnaire(groups, {q.key: q for g in groups for q in g.questions})

    # -- one answer against the earlier ones: the same rules for a prompt, a web form and an answers file
    def accept(self, question: Question, value: Any, values: dict[str, Any]) -> Any:
        """`coerce`, then the relations to earlier answers (a maximum above a minimum)."""
        value = question.coerce(value)
        problem = self.relation_problem(question, value, values)
        if problem:
            raise ValueError(problem)
        return value

    def relation_problem(self, question: Question, value: Any, values: dict[str, Any]) -> str | None:
        """What is wrong with `value` against the earlier answers it must relate to, if anything."""
        if not _comparable(value):   # no answer, or a special one (not regulated here, does not apply)
            return None
        for kind, key in question.relations():
            other = values.get(key)
            if not _comparable(other):
                continue
            name, shown, found = self.by_key[key].short(i18n.interface()), question.amount(other), \
                question.amount(value)
            if kind == "above" and not value > other:
                return _("expected more than %(other)s (the answer to “%(name)s”, %(key)s), found %(found)s",
                         other=shown, name=name, key=key, found=found)
            if kind == "at_most" and not value <= other:
                return _("expected at most %(other)s (the answer to “%(name)s”, %(key)s), found %(found)s",
                         other=shown, name=name, key=key, found=found)
        return None

    def proposal(self, question: Question, values: dict[str, Any]) -> Any:
        """The answer proposed to whoever answers, given the earlier answers; MISSING when there is none.

        A computed default (`default_from`) comes first; a number is then kept within the question's
        bounds and its relations to earlier answers, so that Enter never takes an answer that would be
        refused (with an age limit of 48 months, the extended age proposed is above 48)."""
        proposed = MISSING if question.default is MISSING else question.default_answer()
        if question.default_from:
            numbers = {key: _whole(value) for key, value in values.items()}
            computed = expressions.compute(question.default_from, numbers)
            if computed is not None:
                proposed = computed
        if question.type != "int" or proposed is MISSING:
            return proposed
        low, high = question.min, question.max
        for kind, key in question.relations():
            other = _whole(values.get(key))
            if other is None:
                continue
            if kind == "above":
                low = other + 1 if low is None else max(low, other + 1)
            else:
                high = other if high is None else min(high, other)
        if low is not None and high is not None and low > high:
            return MISSING
        return min(max(proposed, low if low is not None else proposed), high if high is not None else proposed)

    def defaults(self) -> dict[str, Any]:
        """Every default, as answers; conditional questions that do not apply take None."""
        return self.walk({}).values

    def walk(self, given: dict[str, Any], *, take_defaults: bool = True) -> Walk:
        """Decide each question in order: one that does not apply takes None; a valid given answer is
        kept; a missing one takes its proposed answer when `take_defaults` (an optional one without
        any, None); the rest are returned as invalid or unanswered, in order. A question that reads an
        answer not decided yet (missing or invalid) waits: whether and how it is asked depends on it.

        Validation, defaults, `draft new` and a web form all decide through this walk, so that what one
        accepts the others accept.
        """
        walk = Walk(dict.fromkeys(self.by_key))
        open_keys: set[str] = set()
        for question in self:
            key = question.key
            if question.depends_on & open_keys:
                walk.waiting.add(key)
                open_keys.add(key)
                continue
            if not expressions.holds(question.when, walk.values):
                walk.skipped.add(key)
                continue
            if key in given:
                try:
                    walk.decide(key, self.accept(question, given[key], walk.values))
                    continue
                except ValueError as e:
                    walk.invalid.append((question, str(e)))
                    open_keys.add(key)
                    continue
            if take_defaults:
                proposed = self.proposal(question, walk.values)
                if proposed is not MISSING or question.optional:
                    walk.decide(key, None if proposed is MISSING else proposed)
                    walk.defaulted.append(key)
                    continue
            walk.unanswered.append(question)
            open_keys.add(key)
        return walk


@dataclass
class Walk:
    """What a walk over the questionnaire decided, and what it could not."""

    values: dict[str, Any]                                              # every key; None until decided
    decided: dict[str, Any] = field(default_factory=dict)               # the questions that apply, decided
    invalid: list[tuple[Question, str]] = field(default_factory=list)   # given answers that are not valid
    unanswered: list[Question] = field(default_factory=list)            # nothing given, nothing to propose
    defaulted: list[str] = field(default_factory=list)                  # decided by taking the proposed answer
    skipped: set[str] = field(default_factory=set)                      # their condition is false
    waiting: set[str] = field(default_factory=set)                      # they read an answer still open

    def applies(self, key: str) -> bool:
        """Whether the question is asked with these answers (as far as they go)."""
        return key not in self.skipped and key not in self.waiting

    def decide(self, key: str, value: Any) -> None:
        self.values[key] = value
        self.decided[key] = value


def load(directory: Path | None = None) -> Questionnaire:
    """Read and check every question group (by default the package's questions); all problems are
    reported at once."""
    directory = directory or resources.path("questions")
    problems: list[Problem] = []
    groups: list[Group] = []
    by_key: dict[str, Question] = {}
    for path in sorted(directory.glob("*.yaml")):
        data = yamlfile.load(path, _("a question file"))
        if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
            problems.append(Problem(_("expected a mapping with group, title and questions"), path))
            continue
        questions = []
        for raw in data["questions"]:
            question = _question(raw, str(data.get("group", path.stem)), path, problems, by_key)
            if question:
                questions.append(question)
                by_key[question.key] = question
        groups.append(Group(str(data.get("group", path.stem)), str(data.get("title", "")), tuple(questions)))
    earlier: set[str] = set()
    for question in by_key.values():
        _check_dependencies(question, by_key, earlier, problems)
        earlier.add(question.key)
    if problems:
        raise DefinitionError(problems, _("The questionnaire definition is invalid:"))
    questionnaire = Questionnaire(tuple(groups), by_key)
    _check_computed_defaults(questionnaire, problems)
    if problems:
        raise DefinitionError(problems, _("The questionnaire definition is invalid:"))
    return questionnaire


def _check_dependencies(question: Question, by_key: dict[str, Question], earlier: set[str],
                        problems: list[Problem]) -> None:
    """A question reads only earlier answers, of the right kind; an essential one only essential answers,
    since the essentials are asked before the others."""
    where = (question.file, question.line, question.key)
    try:
        names = question.depends_on
    except expressions.ConditionError as e:
        problems.append(Problem(str(e), *where))
        return
    unknown = sorted(names - set(by_key))
    if unknown:
        problems.append(Problem(_("names unknown questions: %(keys)s", keys=", ".join(unknown)), *where))
    later = sorted(names & set(by_key) - earlier)
    if later:
        problems.append(Problem(_("reads the answers to later questions: %(keys)s (a question may only depend on "
                                  "the questions before it)", keys=", ".join(later)), *where))
    if question.essential:
        others = sorted(key for key in names & earlier if not by_key[key].essential)
        if others:
            problems.append(Problem(_("is essential but depends on questions that are not: %(keys)s (mark them "
                                      "essential too)", keys=", ".join(others)), *where))
    for _kind, key in question.relations():
        other = by_key.get(key)
        if other is not None and (question.type != "int" or other.type != "int" or other.unit != question.unit):
            problems.append(Problem(_("relates to %(key)s, but both must be numbers in the same unit", key=key),
                                    *where))
    if question.default_from:
        words = [key for key in sorted(expressions.names_in(question.default_from, True))
                 if key in by_key and by_key[key].type != "int"]
        if question.type != "int" or words:
            problems.append(Problem(_("default_from computes a number from numbers; %(keys)s is not a number",
                                      keys=", ".join(words or [question.key])), *where))


def _check_computed_defaults(questionnaire: Questionnaire, problems: list[Problem]) -> None:
    """A computed default, over the other defaults, gives the question's own default: the listing, the JSON
    Schema and a file that leaves both answers out all say the same."""
    values = questionnaire.defaults()
    for question in questionnaire:
        if question.default_from and question.default is not MISSING and values[question.key] is not None \
                and values[question.key] != question.default:
            problems.append(Problem(_("the default %(default)s differs from %(computation)s = %(value)s over the "
                                      "other defaults", default=question.default, computation=question.default_from,
                                      value=values[question.key]), question.file, question.line, question.key))


def _question(raw: Any, group: str, path: Path, problems: list[Problem], seen: dict) -> Question | None:
    line = getattr(raw, "line", None)
    if not isinstance(raw, dict):
        problems.append(Problem(_("expected a question (a mapping)"), path, line))
        return None
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        problems.append(Problem(_("expected a snake_case key, found %(found)r", found=key), path, line))
        return None
    if key in seen:
        problems.append(Problem(_("duplicate question key %(key)r (also in %(file)s)", key=key,
                                  file=seen[key].file.name),
                                path, line))
        return None
    kind = raw.get("type")
    if kind not in TYPES:
        problems.append(Problem(_("expected a type from %(allowed)s, found %(found)r", allowed=", ".join(TYPES),
                                  found=kind), path, line, key))
        return None
    unknown = set(raw) - FIELDS
    if unknown:
        problems.append(Problem(_("unknown fields %(fields)s", fields=", ".join(sorted(unknown))), path, line, key))
    if raw.get("unit") is not None and raw.get("unit") not in QUANTITY_UNITS:
        problems.append(Problem(_("expected a quantity in %(allowed)s", allowed=", ".join(QUANTITY_UNITS)), path, line,
                                key))
    for name in ("label", "default_from", "above", "at_most"):
        if raw.get(name) is not None and not (isinstance(raw[name], str) and raw[name].strip()):
            problems.append(Problem(_("%(field)s: expected some text, found %(found)r", field=name, found=raw[name]),
                                    path, line, key))
    pattern = raw.get("pattern")
    if pattern is not None:
        try:
            re.compile(str(pattern))
        except re.error as e:
            problems.append(Problem(_("expected a regular expression, found %(found)r (%(why)s)", found=pattern,
                                      why=e), path, line, key))
            pattern = None
    allow = raw.get("allow") or []
    if not isinstance(allow, list) or set(map(str, allow)) - set(MARKS):
        problems.append(Problem(_("expected `allow` to list some of %(allowed)s", allowed=", ".join(MARKS)), path,
                                line, key))
        allow = []
    choices = tuple(Choice(str(c.get("value")), str(c.get("label", c.get("value"))))
                    for c in raw.get("choices") or [] if isinstance(c, dict))
    if kind in ("choice", "multi") and not choices:
        problems.append(Problem(_("expected choices with value and label"), path, line, key))
    question = Question(
        key=key, type=kind, question=str(raw.get("question", "")).strip(), help=squash(raw.get("help", "")),
        group=group, short_label=squash(raw.get("label") or ""), when=_text_or_none(raw.get("when")),
        default_from=_text_or_none(raw.get("default_from")), choices=choices, min=raw.get("min"), max=raw.get("max"),
        unit=raw.get("unit"), above=_text_or_none(raw.get("above")), at_most=_text_or_none(raw.get("at_most")),
        optional=bool(raw.get("optional", False)), essential=bool(raw.get("essential", False)),
        pattern=None if pattern is None else str(pattern), example=str(raw.get("example", "")),
        allow=tuple(str(a) for a in allow), file=path, line=line,
    )
    if not question.question:
        problems.append(Problem(_("expected a question text"), path, line, key))
    if "default" in raw and raw["default"] is not None:
        try:
            question = _with_default(question, question.coerce(raw["default"]))
        except ValueError as e:
            problems.append(Problem(_("the default is invalid: %(why)s", why=e), path, line, key))
    elif "default" in raw and kind == "multi":
        question = _with_default(question, [])
    return question


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _with_default(question: Question, default: Any) -> Question:
    return replace(question, default=default)
