"""The questionnaire definition: typed questions, loaded once from toolkit/questions/*.yaml.

Everything about a question lives in its definition — type, bounds, choices, default, the condition
under which it is asked — and every consumer (prompts, validation, JSON Schema, clauses) reads it here.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import expressions, quantity, resources, yamlfile
from .errors import DefinitionError, Problem
from .i18n import _
from .localized import LANGUAGE_CODE, CatalogText, Localized
from .text import squash

TYPES = ("text", "int", "bool", "choice", "multi", "date")
QUANTITY_UNITS = ("months", "weeks", "days", "working_days", "years", "hours")
# Answers that any question may allow besides its own values: a matter the jurisdiction leaves to other
# law, or a rule that does not apply to it. `draft check` reports the standards they bear on as not
# addressed, or as not applying; clauses test them like any value (`appeal_body == "not_regulated"`).
NOT_REGULATED, DOES_NOT_APPLY = "not_regulated", "does_not_apply"
MARKS = {NOT_REGULATED: "not regulated here (left to other law)", DOES_NOT_APPLY: "does not apply in this jurisdiction"}
MISSING: Any = object()
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_TEXT = 2000


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
    when: str | None = None
    choices: tuple[Choice, ...] = ()
    min: int | None = None
    max: int | None = None
    unit: str | None = None
    above: str | None = None           # the answer must exceed the answer to this question
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
        return self.default is MISSING and not self.optional

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

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

    def accept(self, value: Any, answers: dict[str, Any]) -> Any:
        """`coerce`, then the relation to earlier answers (a maximum above a minimum)."""
        value = self.coerce(value)
        other = answers.get(self.above) if self.above else None
        if not isinstance(value, (str, type(None))) and not isinstance(other, (str, type(None))) and value <= other:
            raise ValueError(_("expected more than %(other)s (the answer to %(key)s), found %(found)s",
                               other=other, key=self.above, found=value))
        return value

    def coerce(self, value: Any) -> Any:
        """The typed answer, or ValueError saying what was expected and what was found."""
        found = _describe(value)
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
            if isinstance(value, dict):
                return _by_language(value)
            return _text(value, found)
        if self.type == "int":
            if self.unit and isinstance(value, str):
                return self._quantity(value, found)
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                else:
                    raise ValueError(_("expected a whole number, found %(found)s", found=found))
            if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
                raise ValueError(_("expected a number from %(min)s to %(max)s, found %(found)s",
                                   min=self.min, max=self.max, found=value))
            return value
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
            raise ValueError(_("expected values from %(allowed)s, found %(found)s", allowed=allowed,
                               found=", ".join(_describe(v) for v in bad)))
        order = [c.value for c in self.choices]
        return sorted(set(value), key=order.index)

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


def unit_name(unit: str) -> str:
    """The name of a unit of time, in the plural, in the interface language ("a whole number of mois")."""
    return {"years": _("years"), "months": _("months"), "weeks": _("weeks"), "working_days": _("working days"),
            "days": _("days"), "hours": _("hours")}.get(unit, unit)


def _text(value: Any, found: str) -> str:
    if value is None or value == "":
        raise ValueError(_("expected some text, found nothing"))
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(_("expected text, or a version per language (en: …, fr: …), found %(found)s",
                           found=found))
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
                               found=_describe(lang)))
        try:
            versions.append((lang, _text(text, _describe(text))))
        except ValueError as e:
            raise ValueError(_("in the %(lang)s version: %(why)s", lang=lang, why=e)) from None
    return Localized(tuple(versions))


def _describe(value: Any) -> str:
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

    def in_language(self, t) -> Questionnaire:
        """The same questions with their text defaults translated, for `draft new` in that language."""
        groups = tuple(Group(g.key, g.title, tuple(_with_default(q, q.default_text(t)) for q in g.questions))
                       for g in self.groups)
        return Questionnaire(groups, {q.key: q for g in groups for q in g.questions})

    def defaults(self) -> dict[str, Any]:
        """Every default, as answers; conditional questions that do not apply take None."""
        return self.walk({}).values

    def walk(self, given: dict[str, Any], *, take_defaults: bool = True, ask: Ask | None = None,
             into: Walk | None = None) -> Walk:
        """Decide each question in order: one that does not apply takes None; a valid given answer is
        kept; a missing one takes its default when `take_defaults` (an optional one without default,
        None); the rest go to `ask`, or are returned as invalid or unanswered when there is no one to ask.

        A walk `into` an existing record fills it in place, so that one interrupted by the person
        answering keeps what was decided.
        """
        walk = into if into is not None else Walk.blank(self)
        for question in self:
            key = question.key
            if not expressions.holds(question.when, walk.values):
                walk.decide(key, None)
                continue
            error = None
            if key in given:
                try:
                    walk.decide(key, question.accept(given[key], walk.values))
                    continue
                except ValueError as e:
                    error = str(e)
            elif take_defaults and (question.default is not MISSING or question.optional):
                walk.decide(key, question.default_answer())
                continue
            if ask is not None:
                walk.decide(key, ask(question, error, walk.values))
            elif error is not None:
                walk.invalid.append((question, error))
            else:
                walk.unanswered.append(question)
        return walk


Ask = Callable[[Question, "str | None", dict], Any]


@dataclass
class Walk:
    """What a walk over the questionnaire decided, and what it could not."""

    values: dict[str, Any]                                              # every key; None until decided
    decided: dict[str, Any] = field(default_factory=dict)               # the questions reached, in order
    invalid: list[tuple[Question, str]] = field(default_factory=list)   # given answers that are not valid
    unanswered: list[Question] = field(default_factory=list)            # required, with nothing given

    @classmethod
    def blank(cls, questionnaire: Questionnaire) -> Walk:
        return cls(dict.fromkeys(questionnaire.by_key))

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
    for question in by_key.values():
        if question.when:
            try:
                unknown = expressions.names_in(question.when) - set(by_key)
            except expressions.ConditionError as e:
                problems.append(Problem(str(e), question.file, question.line, question.key))
                continue
            if unknown:
                keys = ", ".join(sorted(unknown))
                problems.append(Problem(_("the condition names unknown questions: %(keys)s", keys=keys),
                                        question.file, question.line, question.key))
    for question in by_key.values():
        if question.above is not None and question.above not in by_key:
            problems.append(Problem(_("`above` names an unknown question %(key)r", key=question.above), question.file,
                                    question.line, question.key))
    if problems:
        raise DefinitionError(problems, _("The questionnaire definition is invalid:"))
    return Questionnaire(tuple(groups), by_key)


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
    unknown = set(raw) - {"key", "type", "question", "help", "default", "when", "choices", "min", "max",
                          "unit", "optional", "above", "essential", "label", "pattern", "example", "allow"}
    if unknown:
        problems.append(Problem(_("unknown fields %(fields)s", fields=", ".join(sorted(unknown))), path, line, key))
    if raw.get("unit") is not None and raw.get("unit") not in QUANTITY_UNITS:
        problems.append(Problem(_("expected a quantity in %(allowed)s", allowed=", ".join(QUANTITY_UNITS)), path, line,
                                key))
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
        group=group, when=raw.get("when") if raw.get("when") is None else str(raw["when"]),
        choices=choices, min=raw.get("min"), max=raw.get("max"), unit=raw.get("unit"), above=raw.get("above"),
        optional=bool(raw.get("optional", False)), essential=bool(raw.get("essential", False)),
        short_label=squash(raw.get("label", "")), pattern=None if pattern is None else str(pattern),
        example=str(raw.get("example", "")), allow=tuple(str(a) for a in allow),
        file=path, line=line,
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


def _with_default(question: Question, default: Any) -> Question:
    from dataclasses import replace

    return replace(question, default=default)
