"""The path through the questionnaire in the browser: the essentials first, then the other questions
group by group, then the review of every answer, numbered, by group.

Which questions are essential, the order they come in, how an answer reads in the review and which
answers are the proposed ones are toolkit.interview's, as in `draft new`; this module makes pages of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import interview
from ..questionnaire import Group, Question, Questionnaire
from ..wording import Wording

ESSENTIALS = "essentials"
REVIEW = "review"


@dataclass(frozen=True)
class Page:
    """One page of questions: the essentials, or what a group has besides them."""

    id: str                         # "essentials" or "group:KEY"
    groups: tuple[Group, ...]       # each with only the questions this page asks

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for g in self.groups for q in g.questions)


def essentials(questionnaire: Questionnaire) -> tuple[Question, ...]:
    """The questions asked first: those the definition marks essential (the interview's first questions),
    and any with no proposed answer (the directive cannot be written without them)."""
    return tuple(q for q in interview.plan(questionnaire) if q.essential or q.required)


def pages(questionnaire: Questionnaire) -> tuple[Page, ...]:
    """The essentials, then each group with the questions that are not among them."""
    first = {q.key for q in essentials(questionnaire)}
    split = [(g, tuple(q for q in g.questions if q.key in first), tuple(q for q in g.questions if q.key not in first))
             for g in questionnaire.groups]
    result = [Page(ESSENTIALS, tuple(Group(g.key, g.title, asked) for g, asked, _rest in split if asked))]
    result += [Page(f"group:{g.key}", (Group(g.key, g.title, rest),)) for g, _asked, rest in split if rest]
    return tuple(result)


@dataclass(frozen=True)
class Entry:
    """One line of the review: a numbered answer, as the directive will word it."""

    number: int
    question: Question
    shown: str | None               # the answer in words; None while it has no valid answer
    proposed: bool                  # the proposed answer (the default), taken as it is
    error: str | None = None


def review(questionnaire: Questionnaire, values: dict[str, Any], applies: dict[str, bool],
           errors: dict[str, str], wording: Wording) -> list[tuple[Group, list[Entry]]]:
    """Every question that applies, numbered in order, by group, with its answer or what is wrong; an
    answer is marked proposed when it holds the proposed answer (the default, or the one computed from
    the earlier answers)."""
    listing, number = [], 0
    taken = interview.proposed(questionnaire, values)
    for group in questionnaire.groups:
        entries = []
        for question in group.questions:
            if not applies[question.key]:
                continue
            number += 1
            value = values.get(question.key)
            error = errors.get(question.key)
            shown = None if error else _shown(question, value, wording)
            proposed = error is None and question.key in taken
            entries.append(Entry(number, question, shown, proposed, error))
        if entries:
            listing.append((group, entries))
    return listing


def _shown(question: Question, value: Any, wording: Wording) -> str:
    if value is None or value == []:
        return "—"
    return interview.words(wording, question, value)
