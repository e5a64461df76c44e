"""The questionnaire as an interview, whatever asks it: a terminal (`draft new`) or a web page (`draft serve`).

Nothing here reads or prints. An interview is a `State` — the answers decided so far and which of them
were taken as proposed without being seen — and pure functions that say what to ask next, what to
propose, whether an answer is valid against the earlier ones, and how the answers read in a review.
A web server keeps no session: it rebuilds the state from the form on every request and asks these
functions the same questions the terminal does.

The path: the essential questions first (`Questionnaire.essentials`), then a choice for the others —
take their proposed answers, review them group by group, or answer them one by one — then a review of
every answer, numbered by group, before anything is written.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .answers import DEFAULTS, LANGUAGE, proposed_answer, still_proposed
from .i18n import _
from .localized import Localized
from .questionnaire import MISSING, Question, Questionnaire
from .wording import Wording

# Words for yes and no in every language of the toolkit, besides the interface language's own.
YES = frozenset({"y", "yes", "o", "oui", "s", "si", "sí", "true"})
NO = frozenset({"n", "no", "non", "false"})


@dataclass
class State:
    """Where an interview stands. Plain data: a web page can carry it in a form or a signed token."""

    answers: dict[str, Any] = field(default_factory=dict)   # decided answers by key; None: an optional one left blank
    defaulted: set[str] = field(default_factory=set)        # keys whose answer was taken as proposed, unseen

    @classmethod
    def of(cls, questionnaire: Questionnaire, data: dict[str, Any]) -> State:
        """The state an answers file describes: its answers (valid or not: each is checked at its question)
        and those it lists as taken by default that still hold the proposed answer."""
        answers = {key: value for key, value in data.items() if not str(key).startswith("_")}
        walk = questionnaire.walk(answers, take_defaults=False)
        return cls(answers, still_proposed(questionnaire, data.get(DEFAULTS), walk, data.get(LANGUAGE)))

    def copy(self) -> State:
        return State(dict(self.answers), set(self.defaulted))


@dataclass(frozen=True)
class Step:
    """One question to put to the person answering."""

    question: Question
    proposal: Any = MISSING      # what an empty answer takes (MISSING: none; the question needs an answer)
    problem: str | None = None   # why the answer held is not valid (a file's answer, or one a change broke)
    revisit: bool = False        # asked again (going back, or a change from the review): proposes the answer held


def plan(questionnaire: Questionnaire) -> tuple[Question, ...]:
    """Every question in the order the interview asks them: the essentials, then the others."""
    return questionnaire.essentials() + questionnaire.others()


def values(questionnaire: Questionnaire, state: State) -> dict[str, Any]:
    """Every key with its valid answer, None where there is none (yet) or the question does not apply."""
    return questionnaire.walk(state.answers, take_defaults=False).values


def pending(questionnaire: Questionnaire, state: State, among: Sequence[Question] | None = None, *,
            unseen: bool = False) -> list[Step]:
    """The questions of `among` (by default all) that apply and still need an answer, in the order of
    `among`: no answer, or one that is not valid against the earlier ones; with `unseen`, also those
    whose answer was taken as proposed. Each comes with its proposed answer and what is wrong."""
    walk = questionnaire.walk(state.answers, take_defaults=False)
    problems = {question.key: why for question, why in walk.invalid}
    open_keys = problems.keys() | {q.key for q in walk.unanswered}
    if unseen:
        open_keys |= state.defaulted & walk.decided.keys()
    steps = []
    for question in among if among is not None else plan(questionnaire):
        if question.key in open_keys:
            seen = question.key in walk.decided
            steps.append(Step(question, walk.values[question.key] if seen else
                              questionnaire.proposal(question, walk.values), problems.get(question.key)))
    return steps


def revisit(questionnaire: Questionnaire, state: State, key: str) -> Step:
    """A question asked again, proposing the answer it holds (or, if it holds none that is valid, the
    proposed one)."""
    question = questionnaire.by_key[key]
    walk = questionnaire.walk(state.answers, take_defaults=False)
    if key in walk.decided:
        return Step(question, walk.decided[key], None, True)
    problem = next((why for q, why in walk.invalid if q.key == key), None)
    return Step(question, questionnaire.proposal(question, walk.values), problem, True)


def applies(questionnaire: Questionnaire, state: State, key: str) -> bool:
    """Whether the question is asked with these answers (its condition holds, as far as they go)."""
    return questionnaire.walk(state.answers, take_defaults=False).applies(key)


def previous(questionnaire: Questionnaire, state: State, key: str, among: Sequence[Question]) -> Question | None:
    """The question before `key` in `among` that applies: where "back" goes. None at the first one."""
    keys = [q.key for q in among]
    walk = questionnaire.walk(state.answers, take_defaults=False)
    for question in reversed(among[:keys.index(key)] if key in keys else among):
        if walk.applies(question.key):
            return question
    return None


def following(questionnaire: Questionnaire, state: State, key: str, among: Sequence[Question], *,
              furthest: str | None = None, unseen: bool = False) -> Step | None:
    """The question after `key` in `among`: the next one that applies and is open (see `pending`), or —
    up to `furthest`, the question furthest reached before going back — the next one that applies,
    asked again. None when nothing is left."""
    keys = [q.key for q in among]
    here = keys.index(key) if key in keys else -1
    limit = keys.index(furthest) if furthest in keys else here
    walk = questionnaire.walk(state.answers, take_defaults=False)
    open_steps = {step.question.key: step for step in pending(questionnaire, state, among, unseen=unseen)}
    for index in range(here + 1, len(among)):
        question = among[index]
        if question.key in open_steps:
            return open_steps[question.key]
        if index <= limit and walk.applies(question.key):
            return revisit(questionnaire, state, question.key)
    return next(iter(open_steps.values()), None)


def check(questionnaire: Questionnaire, state: State, key: str, value: Any) -> Any:
    """The answer to `key` as it will be kept, or ValueError saying what was expected and what was
    found — its type and bounds, and its relations to the earlier answers."""
    return questionnaire.accept(questionnaire.by_key[key], value, values(questionnaire, state))


def answer(questionnaire: Questionnaire, state: State, key: str, value: Any) -> State:
    """The state with `key` answered (checked as `check` does): no longer taken by default. Later answers
    are kept even if the change breaks them; `pending` then reports each at its own question."""
    new = state.copy()
    new.answers[key] = check(questionnaire, state, key, value)
    new.defaulted.discard(key)
    return new


def take_proposals(questionnaire: Questionnaire, state: State, among: Sequence[Question] | None = None) -> State:
    """The state with every open question of `among` that has a proposed answer answered with it, and
    marked as taken by default. Questions with nothing to propose, and invalid answers, stay open."""
    keys = {q.key for q in (among if among is not None else questionnaire)}
    walk = questionnaire.walk(state.answers, take_defaults=True)
    new = state.copy()
    for key in walk.defaulted:
        if key in keys and key not in new.answers:
            new.answers[key] = walk.decided[key]
            new.defaulted.add(key)
    return new


def proposed(questionnaire: Questionnaire, values: dict[str, Any]) -> set[str]:
    """The keys whose answer in `values` is valid and the one proposed — the default, or what it computes
    from the earlier answers (an optional one with nothing proposed: left blank). Where nobody can say
    whether an answer was seen (a web form carries every answer), these are the ones marked as taken by
    default."""
    walk = questionnaire.walk(values, take_defaults=False)
    return {key for key, value in walk.decided.items()
            if value == proposed_answer(questionnaire, questionnaire.by_key[key], walk.values)}


def mark_seen(state: State, keys: Iterable[str]) -> State:
    """The state with these answers counted as reviewed (seen and accepted, on a group's page)."""
    new = state.copy()
    new.defaulted -= set(keys)
    return new


def remaining(questionnaire: Questionnaire, state: State) -> list[Question]:
    """The questions other than the essentials that nobody has answered yet: no answer, or one taken by
    default. Counted as they will apply once the proposed answers are taken."""
    walk = questionnaire.walk(state.answers, take_defaults=True)
    open_keys = set(walk.defaulted) | (state.defaulted & walk.decided.keys()) | {q.key for q in walk.unanswered}
    return [q for q in questionnaire.others() if q.key in open_keys]


def complete(questionnaire: Questionnaire, state: State) -> bool:
    return not pending(questionnaire, state)


def recorded(questionnaire: Questionnaire, state: State) -> tuple[dict[str, Any], set[str]]:
    """What an answers file records: the answers of the questions that apply (or may, once an earlier
    answer is put right), in questionnaire order — valid ones as checked, others as given, to be asked
    again — and which were taken by default."""
    walk = questionnaire.walk(state.answers, take_defaults=False)
    kept = {q.key: walk.decided.get(q.key, state.answers[q.key]) for q in questionnaire
            if q.key in state.answers and q.key not in walk.skipped}
    return kept, state.defaulted & kept.keys()


# -- the review: every answer, by group, with its short label and a number

@dataclass(frozen=True)
class Item:
    number: int          # what the person types to change it
    key: str
    label: str           # the question's short label, in the interface language
    value: str           # the answer in words of the interface language ("36 months", a choice's label)
    defaulted: bool      # taken as proposed, without being seen


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    items: tuple[Item, ...]


def review(questionnaire: Questionnaire, state: State, t, keys: Iterable[str] | None = None) -> list[Section]:
    """The valid answers of the questions that apply (or of those of `keys`), numbered from 1 in
    questionnaire order, by group, worded in the language of `t` (an i18n.Translator)."""
    wanted = set(keys) if keys is not None else None
    walk = questionnaire.walk(state.answers, take_defaults=False)
    wording = Wording(t, questionnaire)
    sections, number = [], 0
    for group in questionnaire.groups:
        items = []
        for question in group.questions:
            key = question.key
            if key not in state.answers or key not in walk.decided or (wanted is not None and key not in wanted):
                continue
            number += 1
            items.append(Item(number, key, question.short(t), words(wording, question, walk.decided[key]),
                              key in state.defaulted))
        if items:
            sections.append(Section(group.key, group.heading(t), tuple(items)))
    return sections


def item(sections: Sequence[Section], number: int) -> Item | None:
    return next((i for section in sections for i in section.items if i.number == number), None)


def words(wording: Wording, question: Question, value: Any) -> str:
    """An answer as the review shows it: in words, with its unit; a blank one said to be blank."""
    if value is None:
        return _("(left blank)")
    if isinstance(value, str) and value in question.allow:
        return question.mark(value, wording.t)
    if question.type == "multi":  # choices are long phrases, often with commas: "a; b; c" rather than "a, b and c"
        # TRANSLATORS: between the choices of one answer in the review of draft new (French: a no-break space before ;)
        separator = wording.t.pgettext("separator", "; ")
        return separator.join(wording.choice(question.key, v) for v in value) or _("none of these")
    if question.type == "date":
        return value.isoformat()
    if isinstance(value, Localized):  # every version, the one of this language first
        own = value.get(wording.t.lang)
        others = [f"{lang}: {text}" for lang, text in value.versions if lang != wording.t.lang]
        return f"{own} ({'; '.join(others)})" if own else "; ".join(others)
    return wording.value(question.key, value)


# -- typed text: what a person types at a prompt or in a form field, as an answer

def parse(question: Question, typed: str) -> Any:
    """The typed text as an answer to check: a number (or a number with its unit, "3 years"), yes or no
    (in any of the toolkit's languages), a choice by its number in the menu or its value, choices
    separated by commas (0 for none), a date, a special answer the question allows (not_regulated), or
    text as typed. Empty text is None. ValueError when the text cannot be read as that kind of
    answer; `check` then says whether the answer is allowed."""
    typed = typed.strip()
    if not typed:
        return None
    if typed in question.allow:   # a special answer, as an answers file writes it: not_regulated, does_not_apply
        return typed
    return _PARSE.get(question.type, lambda q, s: s)(question, typed)


def _number(question: Question, typed: str) -> Any:
    return int(typed) if re.fullmatch(r"[+-]?\d{1,40}", typed) else typed


def _yes_no(question: Question, typed: str) -> bool:
    word = typed.casefold()
    if word in YES | {_("yes").casefold()}:
        return True
    if word in NO | {_("no").casefold()}:
        return False
    raise ValueError(_("expected %(yes)s or %(no)s, found %(found)r", yes=_("yes"), no=_("no"), found=typed))


def _pick(question: Question, token: str) -> str:
    """A choice by its number in the menu (or by its value, as in an answers file)."""
    if token.isdigit() and 1 <= int(token) <= len(question.choices):
        return question.choices[int(token) - 1].value
    if question.choice(token) is not None:
        return token
    raise ValueError(_("expected a number from 1 to %(n)s, found %(found)r", n=len(question.choices), found=token))


def _picks(question: Question, typed: str) -> list[str]:
    tokens = [token for token in re.split(r"[,;\s]+", typed) if token]
    return [] if tokens == ["0"] else [_pick(question, token) for token in tokens]


_PARSE = {"int": _number, "bool": _yes_no, "choice": _pick, "multi": _picks}
