"""The questionnaire described for readers: the listing of `draft questions`, and the JSON Schema of an
answers file that `draft questions --json-schema` writes so editors can check and complete answers files.

Both are derived from the questionnaire definition and worded in the interface language; the schema
accepts what `draft build` accepts, so an editor never flags a valid file.
"""
from __future__ import annotations

import json
import re
import textwrap
from datetime import date
from typing import Any

from . import i18n
from .answers import DEFAULTS, LANGUAGE
from .i18n import _
from .localized import LANGUAGE_CODE
from .quantity import UNIT_OF, plain
from .questionnaire import MAX_TEXT, MISSING, Question, Questionnaire

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(questionnaire: Questionnaire, t: i18n.Translator) -> dict[str, Any]:
    """A draft 2020-12 schema: one property per question, in questionnaire order; unknown keys refused.

    Required are the questions with no default that are not optional and always asked (a question
    with a condition cannot be required of every file).
    """
    return {
        "$schema": DIALECT,
        "title": _("Answers to the questionnaire of the directive toolkit"),
        "description": _("Write one answer per question key; `draft questions` lists them. Keys left out "
                         "take their default."),
        "type": "object",
        "properties": {**_metadata(questionnaire),
                       **{question.key: _property(question, t) for question in questionnaire}},
        "required": [q.key for q in questionnaire if q.required and q.when is None],
        "additionalProperties": False,
    }


def _metadata(questionnaire: Questionnaire) -> dict[str, Any]:
    """The keys about the file that `draft new` writes: the language, the answers taken by default."""
    return {
        LANGUAGE: {"title": _("The language the questions were answered in"), "type": "string",
                   "pattern": LANGUAGE_CODE.pattern},
        DEFAULTS: {"title": _("The answers taken as proposed without being reviewed"), "type": "array",
                   "items": {"enum": questionnaire.keys()}},
    }


def _property(question: Question, t: i18n.Translator) -> dict[str, Any]:
    prop: dict[str, Any] = {"title": question.text(t), "description": _description(question, t)}
    prop.update(_TYPES[question.type](question))
    if question.allow:
        prop = _allowing(prop, list(question.allow))
    if question.optional:
        if "enum" in prop:
            prop["enum"] = [*prop["enum"], None]
        elif "anyOf" in prop:
            prop["anyOf"] = [*prop["anyOf"], {"type": "null"}]
        elif "null" not in _listed(prop["type"]):
            prop["type"] = [*_listed(prop["type"]), "null"]
    if question.default is not MISSING:
        prop["default"] = as_json(question.default)
    return prop


def _allowing(prop: dict[str, Any], marks: list[str]) -> dict[str, Any]:
    """The property, also accepting the special answers (not_regulated, does_not_apply)."""
    if "enum" in prop:
        return {**prop, "enum": [*prop["enum"], *marks]}
    shape = {k: prop.pop(k) for k in list(prop) if k not in ("title", "description")}
    return {**prop, "anyOf": [*(shape["anyOf"] if list(shape) == ["anyOf"] else [shape]), {"enum": marks}]}


def _listed(kind: str | list[str]) -> list[str]:
    return list(kind) if isinstance(kind, list) else [kind]


def _description(question: Question, t: i18n.Translator) -> str:
    parts = [question.help_text(t)]
    if question.choices:
        parts.append("\n".join(f"{c.value}: {question.label(c, t)}" for c in question.choices))
    parts += [_relation(kind, key) + "." for kind, key in question.relations()]
    if question.when:
        parts.append(_("Asked only when %(condition)s.", condition=question.when))
    return "\n\n".join(part for part in parts if part)


def _relation(kind: str, key: str) -> str:
    return _("more than %(key)s", key=key) if kind == "above" else _("at most %(key)s", key=key)


def _text(question: Question) -> dict[str, Any]:
    # a number is accepted as text (a reference such as 2026), as the answers file check does; so is a
    # version per language (en: …, fr: …)
    text = {"type": ["string", "number"], "minLength": 0 if question.optional else 1, "maxLength": MAX_TEXT}
    by_language = {"type": "object", "minProperties": 1, "additionalProperties": False,
                   "patternProperties": {LANGUAGE_CODE.pattern: {"type": ["string", "number"], "minLength": 1,
                                                                  "maxLength": MAX_TEXT}}}
    if question.pattern is not None:  # a code, the same in every language: anchored as the check anchors it
        return {"type": "string", "pattern": f"^(?:{question.pattern})$" + ("|^$" if question.optional else "")}
    return {"anyOf": [text, by_language]}


def _int(question: Question) -> dict[str, Any]:
    bounds = {"minimum": question.min, "maximum": question.max}
    number = {"type": "integer", **{name: value for name, value in bounds.items() if value is not None}}
    if not question.unit:
        return number
    # or a number with its unit, as the law says it ("3 years", "45 days"); its bounds are checked on build
    words = "|".join(_any_case(w) for w in sorted(UNIT_OF, key=len, reverse=True))
    return {"anyOf": [number, {"type": "string", "pattern": f"^\\s*\\d+\\s+(?:{words})\\s*$"}]}


def _any_case(word: str) -> str:
    """A unit word as a pattern in either case ("Years", "MOIS"), without flags that editors may not know."""
    return "".join("\\s+" if c == " " else f"[{c.lower()}{c.upper()}]" if c.lower() != c.upper() else re.escape(c)
                   for c in word)


def _enum(question: Question) -> list[str]:
    return [choice.value for choice in question.choices]


_TYPES = {
    "text": _text,
    "int": _int,
    "bool": lambda question: {"type": "boolean"},
    "date": lambda question: {"type": "string", "format": "date"},
    "choice": lambda question: {"enum": _enum(question)},
    "multi": lambda question: {"type": ["array", "null"], "items": {"enum": _enum(question)}},
}


def as_json(value: Any) -> Any:
    """An answer as JSON (and as one writes it in YAML): dates as YYYY-MM-DD."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return plain(value)


def listing(questionnaire: Questionnaire, t: i18n.Translator, width: int = 100) -> str:
    """Every question by group: its key, what it takes, its default or condition, and its text."""
    lines: list[str] = []
    for group in questionnaire.groups:
        lines += ["", f"== {group.heading(t)} =="]
        for question in group.questions:
            lines.append(f"{question.key}  ({'; '.join(_facts(question))})")
            lines.append(textwrap.fill(question.text(t), width, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines).strip() + "\n"


def _facts(question: Question) -> list[str]:
    kind = question.type
    if question.choices:
        kind += ": " + ", ".join(_enum(question))
    elif question.min is not None or question.max is not None:
        kind += f" {'' if question.min is None else question.min}..{'' if question.max is None else question.max}"
    if question.unit:
        kind += f" {question.unit}"
    facts = [kind]
    if question.default is not MISSING:
        facts.append(_("default: %(value)s", value=json.dumps(as_json(question.default), ensure_ascii=False)))
    else:
        facts.append(_("optional") if question.optional else _("required"))
    if question.default_from:
        facts.append(_("proposed: %(computation)s", computation=question.default_from))
    facts += [_relation(kind, key) for kind, key in question.relations()]
    if question.essential:
        facts.append(_("essential"))
    if question.when:
        facts.append(_("asked when %(condition)s", condition=question.when))
    if question.allow:
        facts.append(_("also takes %(answers)s", answers=", ".join(question.allow)))
    return facts
