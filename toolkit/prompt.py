"""`draft new`: the questionnaire asked one question at a time, and the answers file it writes.

Everything shown comes from the questionnaire definition — the question, its help citing the
standard, its choices, its default (the answer that best meets the standards) and its condition —
in the interface language. Every answer goes through `Question.coerce`, the check an answers file
gets, so whatever the prompt accepts `draft build` accepts. Nothing answered is lost: an
interruption saves the answers so far in a file that `draft new --from FILE` resumes.
"""
from __future__ import annotations

import re
import shlex
import shutil
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import answers as answers_mod, i18n, yamlfile
from .errors import DraftError, OutputError, Problem
from .i18n import _
from .output import write_atomic
from .questionnaire import MISSING, Question, Questionnaire, Walk

DEFAULT_OUTPUT = Path("answers.yaml")
# First line of a file saved before the end. A marker for `--from`, so it is not translated.
INCOMPLETE = "# draft new: incomplete answers"
YES = frozenset({"y", "yes", "o", "oui", "s", "si", "sí", "true"})
NO = frozenset({"n", "no", "non", "false"})
EXIT_INTERRUPTED = 130
EXIT_END_OF_INPUT = 2

class Stopped(DraftError):
    """The questionnaire ended before its last question; the message says where the answers are."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Request:
    """What `draft new` was asked to do."""

    output: Path | None = None
    prefill: Path | None = None          # --from
    defaults: bool = False               # take every default without asking
    force: bool = False
    interactive: bool = True             # someone is there to answer

    @property
    def target(self) -> Path:
        """The answers file: as named, else the --from file (to resume it), else answers.yaml."""
        return self.output or self.prefill or DEFAULT_OUTPUT

    def check(self) -> Path:
        """The answers file, once sure the questions can be asked and the answers written."""
        if not self.interactive and not (self.defaults or self.prefill):
            raise DraftError(_("there is no terminal to ask the questions on. Use --defaults to take every "
                               "default, --from ANSWERS to complete an answers file, or --interactive to read "
                               "the answers from standard input."))
        return check_target(self)


class Console:
    """The terminal: text out, typed lines in; Ctrl-C and end of input pass through as exceptions."""

    def __init__(self, echo: bool = False):
        self.echo = echo  # piped answers are not shown by a terminal: echo them so the transcript reads

    def say(self, text: str = "") -> None:
        print(text, flush=True)

    def ask(self, prompt: str) -> str:
        line = input(prompt)
        if self.echo:
            self.say(line)
        return line

    @property
    def width(self) -> int:
        return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))


def new(request: Request, questionnaire: Questionnaire, console: Console | None = None) -> Path:
    """Ask what the answers do not say yet, write the answers file, and return its path."""
    t = i18n.translator(i18n.ui_language())
    questionnaire = questionnaire.in_language(t)
    target = request.check()
    given = prefill(questionnaire, request.prefill)
    progress = Walk.blank(questionnaire)
    ask = None
    if request.interactive:
        console = console or Console(echo=not sys.stdin.isatty())
        console.say(_("Answer each question and press Enter. Enter alone takes the proposed answer, shown in "
                      "[brackets]. Ctrl-C stops and keeps your answers."))
        interviewer = Interviewer(questionnaire, console, t)

        def ask(question: Question, error: str | None, values: dict) -> Any:
            line = yamlfile.line_of(given, question.key)
            return interviewer(question, error and Problem(error, request.prefill, line, question.key), values)
    try:
        questionnaire.walk(given, take_defaults=request.defaults or not request.interactive, ask=ask, into=progress)
    except (KeyboardInterrupt, EOFError) as e:
        if console:
            console.say()  # the cursor is still on the prompt's line
        raise stop(target, questionnaire, given, progress, t, *_why_stopped(e)) from None
    unanswered = progress.unanswered
    if progress.invalid:  # the file's own mistakes are to be fixed there: list them all, with what is missing
        answers_mod.fail(answers_mod.invalid_answers(progress, given, request.prefill)
                         + [answers_mod.missing_answer(q, request.prefill) for q in unanswered], request.prefill)
    if unanswered:
        why = _("%(n)s questions have no default and no answer: %(keys)s. Add them to the file, or answer them "
                "in a terminal.", n=len(unanswered), keys=", ".join(q.key for q in unanswered))
        raise stop(target, questionnaire, given, progress, t, why, EXIT_END_OF_INPUT)
    save(target, questionnaire, progress.decided, t, complete=True)
    return target


def _why_stopped(error: BaseException) -> tuple[str, int]:
    if isinstance(error, KeyboardInterrupt):
        return _("Interrupted."), EXIT_INTERRUPTED
    return _("The input ended before the last question."), EXIT_END_OF_INPUT


def check_target(request: Request) -> Path:
    """Refuse, before the first question, an answers file that cannot or may not be written."""
    target = request.target
    if target.is_dir():
        raise OutputError(Problem(_("expected a file name, found a folder"), target))
    resuming = request.prefill is not None and target.resolve() == request.prefill.resolve()
    if target.exists() and not request.force and not (resuming and is_incomplete(target)):
        if resuming:
            raise OutputError(Problem(_("already exists; name a new answers file (draft new NEW.yaml --from "
                                        "%(file)s), or use --force to update this one", file=target), target))
        raise OutputError(Problem(_("already exists; use --force to replace it, or name another answers file"),
                                  target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(Problem(_("cannot create the folder: %(why)s", why=e.strerror), target.parent)) from None
    return target


def is_incomplete(path: Path) -> bool:
    """Whether `draft new` saved this file before the end (so resuming may update it in place)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return handle.readline().rstrip("\n") == INCOMPLETE
    except OSError:
        return False


def prefill(questionnaire: Questionnaire, path: Path | None) -> dict[str, Any]:
    """The answers of the --from file; a key that names no question stops everything (a typo would be lost)."""
    if path is None:
        return {}
    data = answers_mod.check_mapping(yamlfile.load(path, _("an answers file")), path)
    if answers_mod.unknown_keys(questionnaire, data, path):
        answers_mod.validate(questionnaire, data, path)  # raises, listing every problem of the file at once
    return data


class Interviewer:
    """Asks one question on the console, in the interface language, until the answer is valid."""

    def __init__(self, questionnaire: Questionnaire, console: Console, t: i18n.Translator):
        self.console, self.t = console, t
        self.position = {key: n for n, key in enumerate(questionnaire.keys(), 1)}
        self.group_of = {q.key: group for group in questionnaire.groups for q in group.questions}
        self.group = None

    def __call__(self, question: Question, note: Problem | None = None, answers: dict | None = None) -> Any:
        self.show(question)
        if note is not None:
            self.console.say("  " + _("The answers file has an answer that is not valid: %(problem)s", problem=note))
        while True:
            typed = self.console.ask(prompt_line(question) + ": ")
            try:
                return answer(question, typed, answers or {})
            except ValueError as e:
                self.console.say("  " + _("Not valid: %(why)s. Please answer again.", why=e))

    def show(self, question: Question) -> None:
        say, t, width = self.console.say, self.t, self.console.width
        group = self.group_of[question.key]
        if group is not self.group:
            self.group = group
            say()
            say(f"== {group.heading(t)} ==")
        say()
        number = f"({self.position[question.key]}/{len(self.position)}) "
        say(textwrap.fill(question.text(t), width, initial_indent=number, subsequent_indent="  "))
        if question.help:
            say(textwrap.fill(question.help_text(t), width, initial_indent="  ", subsequent_indent="  "))
        for n, choice in enumerate(question.choices, 1):
            say(textwrap.fill(question.label(choice, t), width, initial_indent=f"  {n:>2}. ",
                              subsequent_indent="      "))
        for mark in question.allow:  # typed as written in an answers file
            say(textwrap.fill(question.mark(mark, t), width, initial_indent=f"  {mark}: ", subsequent_indent="      "))


def prompt_line(question: Question) -> str:
    """What to type, and the proposed answer in brackets."""
    hint = _hint(question)
    if question.default is not MISSING:
        return f"{hint} [{shown(question, question.default)}]"
    if question.optional:
        return hint + " " + _("(optional: Enter leaves it empty)")
    return hint


def _hint(question: Question) -> str:
    kind, low, high = question.type, question.min, question.max
    if kind == "int" and question.unit:
        return _("A number from %(min)s to %(max)s, or with its unit (such as 3 years, 45 days)", min=low, max=high)
    if kind == "int":
        if low is not None and high is not None:
            return _("A number from %(min)s to %(max)s", min=low, max=high)
        if low is not None:
            return _("A number of at least %(min)s", min=low)
        return _("A number up to %(max)s", max=high) if high is not None else _("A whole number")
    return {"bool": _("Yes or no"), "date": _("A date, YYYY-MM-DD"), "choice": _("The number of your choice"),
            "multi": _("The numbers of your choices, separated by commas (0 for none)")}.get(kind, _("Answer"))


def shown(question: Question, value: Any) -> str:
    """An answer as it would be typed at the prompt."""
    if question.type == "bool":
        return _("yes") if value else _("no")
    if question.type in ("choice", "multi"):
        values = value if question.type == "multi" else [value]
        numbers = [str(n) for n, c in enumerate(question.choices, 1) if c.value in values]
        return ",".join(numbers) or "0"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def answer(question: Question, typed: str, answers: dict | None = None) -> Any:
    """The typed text as a valid answer; ValueError says what was expected and what was found."""
    typed = typed.strip()
    if not typed:
        if question.default is not MISSING:
            return question.default
        if question.optional:
            return None
        raise ValueError(_("this question needs an answer"))
    if typed in question.allow:
        return typed
    return question.accept(_PARSE.get(question.type, lambda q, s: s)(question, typed), answers or {})


def _number(question: Question, typed: str) -> Any:
    return int(typed) if re.fullmatch(r"[+-]?\d+", typed) else typed


def _yes_no(question: Question, typed: str) -> Any:
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


def save(target: Path, questionnaire: Questionnaire, values: dict[str, Any], t: i18n.Translator,
         complete: bool) -> None:
    """Write the answers file atomically; an incomplete one starts with the marker and how to resume."""
    text = answers_mod.dump(questionnaire, values, t.lookup)
    if not complete:
        text = "\n".join([INCOMPLETE, "# " + _("Not every question is answered yet. To go on, run: %(command)s",
                                               command=resume_command(target)), text])
    write_atomic(target, text.encode("utf-8"))


def stop(target: Path, questionnaire: Questionnaire, given: dict[str, Any], progress: Walk,
         t: i18n.Translator, why: str, exit_code: int) -> Stopped:
    """Save what is known — the answers given so far and the pre-filled ones not reached — and say how to go on."""
    values = {**answers_mod.as_data(given), **progress.decided}
    if all(value is None for value in values.values()):
        return Stopped(_("%(why)s Nothing was answered, so nothing was saved.", why=why), exit_code)
    save(target, questionnaire, values, t, complete=False)
    return Stopped(_("%(why)s The answers so far are saved in %(file)s. To go on, run: %(command)s",
                     why=why, file=target, command=resume_command(target)), exit_code)


def resume_command(target: Path) -> str:
    return f"draft new --from {shlex.quote(str(target))}"
