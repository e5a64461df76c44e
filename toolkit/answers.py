"""Answers files: load and validate against the questionnaire, and save them annotated.

Validation collects every problem (with its line) before failing once, so a drafter fixes a file
in one pass.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import i18n, yamlfile
from .errors import AnswersError, Problem
from .i18n import _
from .localized import Localized
from .quantity import Quantity, plain
from .questionnaire import Question, Questionnaire, Walk


@dataclass(frozen=True)
class Answers:
    """Validated answers: every question key, None where a question does not apply."""

    values: dict[str, Any]
    path: Path | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # where each given answer stands

    @property
    def name(self) -> str:
        return self.path.stem if self.path else "directive"

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def missing_answer(question: Question, path: Path | None = None) -> Problem:
    asked = question.text(i18n.translator(i18n.ui_language()))
    return Problem(_("expected an answer to %(question)r, found none", question=asked), path, None, question.key)


def check_mapping(data: Any, path: Path | None = None) -> dict:
    """The answers as a mapping, or AnswersError saying what the file holds instead."""
    where = path or "answers"
    if data is None:
        raise AnswersError(Problem(_("expected a mapping of question keys to answers, found an empty file"), where))
    if not isinstance(data, dict):
        found = _("a list") if isinstance(data, list) else repr(data)[:40]
        raise AnswersError(Problem(_("expected a mapping of question keys to answers, found %(found)s", found=found),
                                   where))
    return data


def unknown_keys(questionnaire: Questionnaire, data: dict, path: Path | None = None) -> list[Problem]:
    """A problem for each key that names no question, with the closest key as a suggestion."""
    problems = []
    known = questionnaire.keys()
    for key in data:
        if key not in questionnaire.by_key:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = _(" (did you mean %(key)r?)", key=close[0]) if close else ""
            problems.append(Problem(_("unknown question key%(hint)s", hint=hint), path,
                                    yamlfile.line_of(data, str(key)), str(key)))
    return problems


def fail(problems: list[Problem], path: Path | None = None) -> None:
    """Raise every problem at once, in the order of the file's lines."""
    problems = sorted(problems, key=lambda p: (p.line or 10**9))
    raise AnswersError(problems, _("%(file)s is not a valid answers file:", file=path or "answers"))


def validate(questionnaire: Questionnaire, data: Any, path: Path | None = None) -> Answers:
    data = check_mapping(data, path)
    walk = questionnaire.walk(data)
    problems = (unknown_keys(questionnaire, data, path) + invalid_answers(walk, data, path)
                + [missing_answer(question, path) for question in walk.unanswered])
    if problems:
        fail(problems, path)
    return Answers(walk.values, path, dict(getattr(data, "lines", {})))


def invalid_answers(walk: Walk, data: dict, path: Path | None) -> list[Problem]:
    """A problem for each given answer that is not valid, at its line."""
    return [Problem(error, path, yamlfile.line_of(data, question.key), question.key)
            for question, error in walk.invalid]


def load(questionnaire: Questionnaire, path: Path) -> Answers:
    return validate(questionnaire, yamlfile.load(path, _("an answers file")), path)


def dump(questionnaire: Questionnaire, values: dict[str, Any], translate=None) -> str:
    """YAML in questionnaire order, each key under a comment with its question."""
    translate = translate or (lambda ctxt, text: text)
    lines = ["# " + _("Answers to the questionnaire of the directive toolkit."),
             "# " + _("Edit the values, then run: draft build THIS_FILE"), ""]
    for group in questionnaire.groups:
        shown = [q for q in group.questions if values.get(q.key) is not None]
        if not shown:
            continue
        lines.append(f"# == {translate(f'group:{group.key}', group.title)} ==")
        for question in shown:
            for text_line in translate(f"{question.key}:question", question.question).splitlines():
                lines.append(f"# {text_line}")
            lines.append(yaml.safe_dump({question.key: as_data(values[question.key])}, allow_unicode=True,
                                        default_flow_style=False, sort_keys=False, width=100).rstrip())
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def as_data(value: Any) -> Any:
    """An answer as plain YAML data, as a person writes it in an answers file."""
    if isinstance(value, Localized):
        return value.as_data()
    if isinstance(value, Quantity):
        return plain(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {str(key): as_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_data(item) for item in value]
    return value
