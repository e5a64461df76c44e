"""Answers files: load and validate against the questionnaire, and save them annotated.

Validation collects every problem (with its line) before failing once, so a drafter fixes a file
in one pass. Besides the answers, a file may say in which language its questionnaire was answered
(`_language`) and which answers were taken as proposed without being reviewed (`_defaults`): keys that
start with an underscore are about the file, never answers, since no question key can start so.
"""
from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import i18n, yamlfile
from .errors import MAX_SHOWN, AnswersError, Problem
from .i18n import _
from .localized import LANGUAGE_CODE, Localized
from .quantity import Quantity, plain
from .questionnaire import MISSING, Question, Questionnaire, Walk
from .text import shorten

LANGUAGE, DEFAULTS = "_language", "_defaults"
METADATA = (LANGUAGE, DEFAULTS)


@dataclass(frozen=True)
class Answers:
    """Validated answers: every question key, None where a question does not apply."""

    values: dict[str, Any]
    path: Path | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # where each given answer stands
    language: str | None = None               # the language the questionnaire was answered in, if recorded
    defaulted: frozenset[str] = frozenset()   # answers that took the proposed answer without being reviewed

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
        found = _("a list") if isinstance(data, list) else shorten(repr(data), 40)
        raise AnswersError(Problem(_("expected a mapping of question keys to answers, found %(found)s", found=found),
                                   where))
    return data


def unknown_keys(questionnaire: Questionnaire, data: dict, path: Path | None = None) -> list[Problem]:
    """A problem for each key that names no question, with the closest key as a suggestion (for the
    keys a message shows: a file of 100,000 unknown keys is refused at once, not after a search for
    each)."""
    problems = []
    for key in data:
        name = str(key)
        if name.startswith("_"):
            if key not in METADATA:
                problems.append(Problem(_("unknown key; the keys about the file are %(keys)s",
                                          keys=", ".join(METADATA)), path, yamlfile.line_of(data, name),
                                        shorten(name, 80)))
        elif key not in questionnaire.by_key:
            # suggestions only for the keys a message shows: 100,000 unknown keys are refused at once
            suggest = len(problems) < MAX_SHOWN and len(name) <= 100
            problems.append(Problem(unknown_key(questionnaire, name, suggest), path,
                                    yamlfile.line_of(data, name), shorten(name, 80)))
    return problems


def unknown_key(questionnaire: Questionnaire, key: str, suggest: bool = True) -> str:
    """"unknown question key", with the closest key as a suggestion (when `suggest`)."""
    close = difflib.get_close_matches(key, questionnaire.keys(), n=1, cutoff=0.6) if suggest else []
    hint = _(" (did you mean %(key)r?)", key=close[0]) if close else ""
    return _("unknown question key%(hint)s", hint=hint)


def fail(problems: list[Problem], path: Path | None = None) -> None:
    """Raise every problem at once, in the order of the file's lines."""
    problems = sorted(problems, key=lambda p: (p.line or 10**9))
    raise AnswersError(problems, _("%(file)s is not a valid answers file:", file=path or "answers"))


def metadata_problems(questionnaire: Questionnaire, data: dict, path: Path | None = None) -> list[Problem]:
    """What is wrong with `_language` and `_defaults`, if anything."""
    problems = []
    language = data.get(LANGUAGE)
    if LANGUAGE in data and not (isinstance(language, str) and LANGUAGE_CODE.match(language)):
        problems.append(Problem(_("expected a language code such as fr, found %(found)r", found=language), path,
                                yamlfile.line_of(data, LANGUAGE), LANGUAGE))
    listed = data.get(DEFAULTS)
    if DEFAULTS in data and not (isinstance(listed, list) and all(isinstance(key, str) for key in listed)):
        problems.append(Problem(_("expected a list of question keys, found %(found)r", found=listed), path,
                                yamlfile.line_of(data, DEFAULTS), DEFAULTS))
    elif listed:
        unknown = [key for key in listed if key not in questionnaire.by_key]
        if unknown:
            problems.append(Problem(_("expected question keys, found %(found)s", found=", ".join(unknown)), path,
                                    yamlfile.line_of(data, DEFAULTS), DEFAULTS))
    return problems


def still_proposed(questionnaire: Questionnaire, listed: Any, walk: Walk, language: Any = None) -> set[str]:
    """The keys listed under `_defaults` whose answer is still the proposed one — in English or in the
    file's language, where a text default was proposed in its words: an answer edited since it was taken
    by default has been reviewed."""
    if not isinstance(listed, list):
        return set()
    versions = [questionnaire]
    if isinstance(language, str) and i18n.unknown_language(language) is None:
        versions.append(questionnaire.in_language(i18n.translator(language)))
    return {key for key in listed if isinstance(key, str) and key in walk.decided
            and any(walk.decided[key] == proposed_answer(q, q.by_key[key], walk.values) for q in versions)}


def proposed_answer(questionnaire: Questionnaire, question: Question, values: dict[str, Any]) -> Any:
    """The answer taking the proposal gives: the proposal, or None (left blank) for an optional question
    with nothing to propose; MISSING for any other question with nothing to propose."""
    proposal = questionnaire.proposal(question, values)
    return None if proposal is MISSING and question.optional else proposal


def validate(questionnaire: Questionnaire, data: Any, path: Path | None = None) -> Answers:
    data = check_mapping(data, path)
    walk = questionnaire.walk(data)
    problems = (unknown_keys(questionnaire, data, path) + metadata_problems(questionnaire, data, path)
                + invalid_answers(walk, data, path) + [missing_answer(question, path) for question in walk.unanswered])
    if problems:
        fail(problems, path)
    taken = frozenset(walk.defaulted) | still_proposed(questionnaire, data.get(DEFAULTS), walk, data.get(LANGUAGE))
    return Answers(walk.values, path, dict(getattr(data, "lines", {})), data.get(LANGUAGE), taken)


def invalid_answers(walk: Walk, data: dict, path: Path | None) -> list[Problem]:
    """A problem for each given answer that is not valid, at its line."""
    return [Problem(error, path, yamlfile.line_of(data, question.key), question.key)
            for question, error in walk.invalid]


def load(questionnaire: Questionnaire, path: Path) -> Answers:
    return validate(questionnaire, yamlfile.load(path, _("an answers file")), path)


def dump(questionnaire: Questionnaire, values: dict[str, Any], translate=None, *, language: str | None = None,
         defaulted: set[str] | frozenset[str] = frozenset()) -> str:
    """YAML in questionnaire order, each key under a comment with its question; first, the language of
    the questionnaire and the answers taken by default, when known. `values` holds the answers to write:
    a key of a question that does not apply is left out, and None is written as an optional answer left
    blank (for any other question, None is no answer yet, and is left out)."""
    translate = translate or (lambda ctxt, text: text)
    walk = questionnaire.walk(values, take_defaults=False)
    written = [q for q in questionnaire if q.key in values and q.key not in walk.skipped
               and (values[q.key] is not None or q.optional)]   # no answer is not an answer left blank
    lines = ["# " + _("Answers to the questionnaire of the directive toolkit."),
             "# " + _("Edit the values, then run: draft build THIS_FILE"), ""]
    listed = [q.key for q in written if q.key in defaulted]
    if language or listed:
        lines += textwrap.wrap(_("The language the questions were answered in, and the answers taken as proposed "
                                 "without being reviewed (draft new --from THIS_FILE offers to review them)."), 98,
                               initial_indent="# ", subsequent_indent="# ")
        if language:
            lines.append(_yaml({LANGUAGE: language}))
        if listed:
            lines.append(_yaml({DEFAULTS: listed}, flow=True))
        lines.append("")
    for group in questionnaire.groups:
        shown = [q for q in group.questions if q in written]
        if not shown:
            continue
        lines.append(f"# == {translate(f'group:{group.key}', group.title)} ==")
        for question in shown:
            for text_line in translate(f"{question.key}:question", question.question).splitlines():
                lines.append(f"# {text_line}")
            lines.append(_yaml({question.key: as_data(values[question.key])}))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _yaml(mapping: dict, flow: bool = False) -> str:
    return yaml.safe_dump(mapping, allow_unicode=True, default_flow_style=None if flow else False, sort_keys=False,
                          width=100).rstrip()


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
