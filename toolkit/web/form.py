"""The answers as the browser holds them: form fields, one per question key, read back into answers.

The page is the whole state: every answer travels in the form (a field for each question of the page
shown, a hidden field for every other one), so the server keeps nothing between requests. What an
official typed is kept as typed, valid or not, so that nothing is lost on the way to its correction;
every answer is decided by `Questionnaire.walk`, the same check an answers file gets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import i18n
from ..answers import Answers
from ..i18n import _
from ..localized import Localized
from ..questionnaire import MISSING, Question, Questionnaire, Walk

Raw = str | list[str] | dict[str, str]   # a free text given per language is a mapping by language
_WHOLE = re.compile(r"[+-]?\d+")


def version_field(key: str, lang: str) -> str:
    """The name of the field that holds a free-text answer's version in another language."""
    return f"{key}.{lang}"


def read(fields, questionnaire: Questionnaire, lang: str) -> dict[str, Raw]:
    """The answers a submitted form holds, as typed; `fields` is a MultiDict and `lang` the language of
    the page that sent it. A check-box question always sends an empty marker, so that a question with
    every box cleared still says so. A free text with versions in other languages is a mapping."""
    raw: dict[str, Raw] = {}
    for question in questionnaire:
        if question.key not in fields:
            continue
        if question.type == "multi":
            raw[question.key] = [v for v in fields.getlist(question.key) if v]
            continue
        raw[question.key] = fields.get(question.key, "")
        if question.type == "text":
            others = {other: fields.get(version_field(question.key, other), "") for other in i18n.languages()
                      if other != lang and version_field(question.key, other) in fields}
            if any(text.strip() for text in others.values()):
                raw[question.key] = {lang: raw[question.key], **others}
    return raw


def encode(question: Question, value: Any) -> Raw:
    """An answer as a form field holds it."""
    if value is None or value is MISSING:
        return [] if question.type == "multi" else ""
    if question.type == "multi":
        return [str(v) for v in value] if isinstance(value, list) else []
    if question.type == "bool":
        return "true" if value is True else "false" if value is False else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Localized):
        return value.as_data()
    if question.type == "text" and isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return {str(lang): text for lang, text in value.items()}   # as a file gave it; the walk judges it
    if isinstance(value, (dict, list)):
        return ""  # not an answer to this question; the file's message says so
    return str(value)


def typed(question: Question, text: Raw) -> Any:
    """The field's text as the value an answers file would hold; `coerce` judges it. Versions left
    blank are no versions; a single version is the text of every language."""
    if isinstance(text, dict):
        given = {lang: version for lang, version in text.items() if version.strip()}
        return next(iter(given.values())) if len(given) == 1 else given
    if question.type == "int" and isinstance(text, str) and _WHOLE.fullmatch(text.strip()):
        return int(text.strip())
    if question.type == "bool" and text in ("true", "false"):
        return text == "true"
    return text


@dataclass
class State:
    """What the answers in a form decide: each value, which questions apply, and what is wrong."""

    questionnaire: Questionnaire         # in the page's language: its text defaults are translated
    raw: dict[str, Raw]
    walk: Walk
    applies: dict[str, bool]
    invalid: dict[str, str]              # key → why the answer given is not valid
    missing: dict[str, str]              # key → an answer is needed and none is given

    @property
    def values(self) -> dict[str, Any]:
        return self.walk.values

    @property
    def errors(self) -> dict[str, str]:
        return {**self.missing, **self.invalid}

    @property
    def complete(self) -> bool:
        return not self.invalid and not self.missing

    def answers(self) -> Answers:
        """The validated answers; only when `complete`."""
        assert self.complete
        return Answers(dict(self.values))

    def field(self, question: Question) -> Raw:
        """What the field of a question shows: as typed, else its answer, else its proposed answer."""
        if question.key in self.raw:
            return self.raw[question.key]
        value = self.values.get(question.key)
        return encode(question, question.default if value is None else value)

    def checked(self, question: Question, value: str) -> bool:
        shown = self.field(question)
        return value in shown if isinstance(shown, list) else value == shown

    def preview_answers(self) -> Answers | None:
        """Answers to preview the directive with while some are not valid yet: those take their proposed
        answer; None while a question without one has no valid answer."""
        if self.complete:
            return self.answers()
        given = {k: v for k, v in _given(self.questionnaire, self.raw).items() if k not in self.errors}
        walk = self.questionnaire.walk(given)
        if walk.invalid or walk.unanswered:
            return None
        return Answers(walk.values)


def _blank(text: Raw) -> bool:
    if isinstance(text, dict):
        return not any(version.strip() for version in text.values())
    return isinstance(text, str) and not text.strip()


def _given(questionnaire: Questionnaire, raw: dict[str, Raw]) -> dict[str, Any]:
    return {key: typed(questionnaire.by_key[key], text) for key, text in raw.items() if not _blank(text)}


def decide(questionnaire: Questionnaire, raw: dict[str, Raw]) -> State:
    """Walk the questionnaire over the answers of a form. A field left blank is no answer: the
    question then needs one, unless it is optional."""
    walk = questionnaire.walk(_given(questionnaire, raw))
    # as the walk decided: a question that reads an answer still to correct waits for it
    applies = {question.key: walk.applies(question.key) for question in questionnaire}
    invalid = {q.key: why for q, why in walk.invalid}
    missing = {q.key: _("this question needs an answer") for q in walk.unanswered}
    for key, text in raw.items():
        question = questionnaire.by_key[key]
        if _blank(text) and applies[key] and not question.optional and key not in invalid:
            missing[key] = _("this question needs an answer")
    return State(questionnaire, raw, walk, applies, invalid, missing)


def without_default_texts(raw: dict[str, Raw], questionnaire: Questionnaire, t) -> dict[str, Raw]:
    """The answers with each proposed text left as proposed in language `t` taken out: after a change
    of language, the question proposes its text in the new one. `questionnaire` has the English defaults."""
    return {key: text for key, text in raw.items()
            if not (questionnaire.by_key[key].type == "text" and isinstance(questionnaire.by_key[key].default, str)
                    and isinstance(text, str) and text == questionnaire.by_key[key].default_text(t))}
