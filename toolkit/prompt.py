"""`draft new`: the questionnaire put to an official, and the answers file it writes.

The essential questions come first; then the official takes the proposed answers for the others,
reviews them group by group, or answers them one by one; every answer is shown for review before the
file is written. What to ask and accept is toolkit.interview's (shared with a web form); the terminal
side is toolkit.terminal. Nothing answered is lost: an interruption saves the answers so far in a file
that records the language and says the exact command to go on.
"""
from __future__ import annotations

import os
import shlex
import stat
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import answers as answers_mod, i18n, inputs, interview, signals, yamlfile
from .errors import DraftError, OptionError, OutputError, Problem
from .i18n import _, p_
from .inputs import kind
from .interview import State
from .output import write_atomic
from .questionnaire import Questionnaire
from .terminal import Console, TerminalInterview

DEFAULT_OUTPUT = Path("answers.yaml")
# First line of a file saved before the end. A marker for `--from`, so it is not translated.
INCOMPLETE = "# draft new: incomplete answers"
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
    ask: tuple[str, ...] = ()            # --ask: only these questions (and what they change)
    build: bool = True                   # the directive is built once the answers are written
    resume: tuple[str, ...] = ()         # the options to repeat in the command that goes on
    versions: tuple[str, ...] = ()       # further languages a free-text answer is also asked in

    @property
    def target(self) -> Path:
        """The answers file: as named, else the --from file (to resume it), else answers.yaml."""
        return self.output or self.prefill or DEFAULT_OUTPUT

    def resolved(self) -> Request:
        """`draft new FILE` on a file that an interrupted `draft new` saved goes on with it."""
        if self.prefill is None and not self.force and self.target.is_file() and is_incomplete(self.target):
            return replace(self, prefill=self.target)
        return self

    def check(self) -> Path:
        """The answers file, once sure the questions can be asked and the answers written."""
        if not self.interactive and not (self.defaults or self.prefill):
            raise DraftError(_("there is no terminal to ask the questions on. Use --defaults to take every "
                               "default, --from ANSWERS to complete an answers file, or --interactive to read "
                               "the answers from standard input."))
        if self.ask and self.prefill is None:
            raise OptionError(Problem(_("expected --from FILE: --ask changes answers of an existing file"),
                                      field="--ask"))
        if self.ask and is_incomplete(self.prefill):
            raise OptionError(Problem(_("holds incomplete answers; go on with them first: draft new --from "
                                        "%(file)s", file=shlex.quote(str(self.prefill))), self.prefill, field="--ask"))
        if self.ask and not self.interactive:
            raise OptionError(Problem(_("there is no terminal to ask the questions on; use --interactive to read "
                                        "the answers from standard input"), field="--ask"))
        return check_target(self)


def new(request: Request, questionnaire: Questionnaire, console: Console | None = None) -> Path:
    """Ask what the answers do not say yet, show them for review, write the answers file; return its path."""
    t = i18n.translator(i18n.ui_language())
    questionnaire = questionnaire.in_language(t)
    target = request.check()
    given = prefill(questionnaire, request.prefill)
    _check_asked(questionnaire, request.ask, given)
    state = State.of(questionnaire, given)
    if request.defaults or not request.interactive or request.ask:
        state = interview.take_proposals(questionnaire, state)  # with --ask: the answers as a build reads them
    base, session = state, None
    try:
        if request.interactive:
            console = console or Console(echo=not sys.stdin.isatty(), line_editing=sys.stdin.isatty())
            session = TerminalInterview(questionnaire, console, t, state, _noting(given, request.prefill),
                                        versions=request.versions)
            state = _converse(session, request, console)
    except (KeyboardInterrupt, EOFError, signals.Terminated) as e:
        if console:
            console.say()  # the cursor is still on the prompt's line
        why, code = _why_stopped(e)
        if request.ask:  # a complete file with its comments: changed whole, or not at all
            raise Stopped(_("%(why)s %(file)s is unchanged.", why=why, file=target), code) from None
        raise stop(target, questionnaire, session.state if session else state, t, request, why, code) from None
    steps = interview.pending(questionnaire, state)
    invalid = [step for step in steps if step.problem]
    if invalid:  # the file's own mistakes are to be fixed there: list them all, with what is missing
        walk = questionnaire.walk(state.answers, take_defaults=False)
        answers_mod.fail(answers_mod.invalid_answers(walk, given, request.prefill)
                         + [answers_mod.missing_answer(s.question, request.prefill) for s in steps if not s.problem],
                         request.prefill)
    if steps:
        why = _("%(n)s questions have no default and no answer: %(keys)s. Add them to the file, or answer them "
                "in a terminal.", n=len(steps), keys=", ".join(s.question.key for s in steps))
        raise stop(target, questionnaire, state, t, request, why, EXIT_END_OF_INPUT)
    if request.ask and request.prefill is not None and target.resolve() == request.prefill.resolve():
        _rewrite(target, questionnaire, base, state, request.ask, t)
    else:
        save(target, questionnaire, state, t, complete=True)
    return target


def _rewrite(target: Path, questionnaire: Questionnaire, base: State, state: State, asked: tuple[str, ...],
             t: i18n.Translator) -> None:
    """After --ask, change in the file only the answers asked and those that changed, keeping its comments
    and everything else, as `draft answers set` does."""
    from . import answer_edit

    before = questionnaire.walk(base.answers, take_defaults=False).decided
    after = questionnaire.walk(state.answers, take_defaults=False).decided
    changes = {key: value for key, value in after.items() if key in asked or key not in before or before[key] != value}
    answer_edit.set_answers(questionnaire, target, changes, t.lookup)


def _converse(session: TerminalInterview, request: Request, console: Console) -> State:
    """The questions, in the order the request calls for, then the review."""
    commands = {"back": p_("command", "back"), "help": "?"}
    console.say(_("Answer each question and press Enter. Enter alone takes the proposed answer, shown in "
                  "[brackets]. Type < or %(back)s to go back one question, %(help)s to see the help again. Ctrl-C "
                  "stops and keeps your answers.", **commands))
    if request.prefill is not None and not request.ask:
        if request.prefill.resolve() == request.target.resolve():
            console.say(_("Going on with the answers saved in %(file)s.", file=request.prefill))
        else:
            console.say(_("Starting from the answers in %(file)s.", file=request.prefill))
    if request.ask:
        questionnaire = session.questionnaire
        asked = [questionnaire.by_key[key] for key in request.ask]
        first = interview.revisit(questionnaire, session.state, asked[0].key)
        changed = session.walk(asked, step=first, furthest=asked[-1].key)
        changed |= session.resolve()
        session.review_all(changed | set(request.ask), building=request.build)
    elif request.defaults:
        session.resolve()
    else:
        session.essentials_then_choice()
        session.resolve()
        session.review_all(building=request.build)
    return session.state


def _noting(given: dict, path: Path | None):
    """How the problem of a step reads: an answer of the --from file names the file and its line."""
    def note(step: interview.Step) -> str | None:
        key = step.question.key
        if step.problem and path is not None and key in given:
            return str(Problem(step.problem, path, yamlfile.line_of(given, key), key))
        return step.problem
    return note


def _check_asked(questionnaire: Questionnaire, keys: tuple[str, ...], given: dict) -> None:
    """--ask names questions of the questionnaire that apply to these answers."""
    problems = []
    walk = questionnaire.walk({k: v for k, v in given.items() if not str(k).startswith("_")})
    for key in keys:
        question = questionnaire.by_key.get(key)
        if question is None:
            problems.append(Problem(answers_mod.unknown_key(questionnaire, key), field=f"--ask {key}"))
        elif key in walk.skipped:
            problems.append(Problem(_("does not apply to these answers: it is asked only when %(condition)s",
                                      condition=question.when), field=f"--ask {key}"))
    if problems:
        raise OptionError(problems, _("The options are not valid:"))


def _why_stopped(error: BaseException) -> tuple[str, int]:
    if isinstance(error, KeyboardInterrupt):
        return _("Interrupted."), EXIT_INTERRUPTED
    if isinstance(error, signals.Terminated):
        return _("Stopped by %(signal)s.", signal=error.name), error.exit_code
    return _("The input ended before the last question."), EXIT_END_OF_INPUT


def check_target(request: Request) -> Path:
    """Refuse, before the first question, an answers file that cannot or may not be written."""
    target = request.target
    try:
        mode = os.lstat(target).st_mode
    except OSError:
        mode = stat.S_IFREG   # nothing there yet
    if stat.S_ISLNK(mode) and target.is_dir():
        mode = stat.S_IFDIR
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):  # a folder, a device, a pipe: never replaced
        raise OutputError(Problem(_("expected a file name, found %(kind)s", kind=kind(mode)), target))
    resuming = request.prefill is not None and target.resolve() == request.prefill.resolve()
    if target.exists() and not request.force and not (resuming and (is_incomplete(target) or request.ask)):
        file = shlex.quote(str(target))
        if resuming:
            raise OutputError(Problem(_("already holds complete answers. To change some of them: draft new --from "
                                        "%(file)s --ask KEY, or draft answers set %(file)s KEY=VALUE; to go through "
                                        "them all again and rewrite this file, add --force; to keep it, name a new "
                                        "file: draft new NEW.yaml --from %(file)s", file=file), target))
        raise OutputError(Problem(_("already exists. To build the directive from it: draft build %(file)s; to "
                                    "change answers in it: draft new --from %(file)s --ask KEY, or draft answers "
                                    "set %(file)s KEY=VALUE; to replace it, add --force, or name another answers "
                                    "file", file=file), target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(Problem(_("cannot create the folder: %(why)s", why=e.strerror), target.parent)) from None
    return target


def is_incomplete(path: Path) -> bool:
    """Whether `draft new` saved this file before the end (so resuming may update it in place)."""
    try:
        head = inputs.read_bytes(path, _("an answers file"), yamlfile.MAX_BYTES)
    except DraftError:
        return False
    return head.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace") == INCOMPLETE


def prefill(questionnaire: Questionnaire, path: Path | None) -> dict[str, Any]:
    """The answers of the --from file; a key that names no question stops everything (a typo would be lost)."""
    if path is None:
        return {}
    data = answers_mod.check_mapping(yamlfile.load(path, _("an answers file")), path)
    if answers_mod.unknown_keys(questionnaire, data, path) or answers_mod.metadata_problems(questionnaire, data, path):
        answers_mod.validate(questionnaire, data, path)  # raises, listing every problem of the file at once
    return data


def recorded_language(path: Path | None) -> str | None:
    """The language an answers file was answered in, if it says and the toolkit has it: `--from` goes on
    in that language unless --lang says otherwise."""
    if path is None or not path.is_file():
        return None
    try:
        data = yamlfile.load(path, _("an answers file"))
    except DraftError:
        return None  # the file's problems are reported when it is read for its answers
    language = data.get(answers_mod.LANGUAGE) if isinstance(data, dict) else None
    return language if isinstance(language, str) and i18n.unknown_language(language) is None else None


def save(target: Path, questionnaire: Questionnaire, state: State, t: i18n.Translator, complete: bool,
         resume: tuple[str, ...] = ()) -> None:
    """Write the answers file atomically, with its language and the answers taken by default; an
    incomplete one starts with the marker and the command that goes on."""
    values, defaulted = interview.recorded(questionnaire, state)
    text = answers_mod.dump(questionnaire, values, t.lookup, language=t.lang, defaulted=defaulted)
    if not complete:
        text = "\n".join([INCOMPLETE, "# " + _("Not every question is answered yet. To go on, run: %(command)s",
                                               command=resume_command(target, resume)), text])
    write_atomic(target, text.encode("utf-8"))


def stop(target: Path, questionnaire: Questionnaire, state: State, t: i18n.Translator, request: Request,
         why: str, exit_code: int) -> Stopped:
    """Save what is known — the answers given so far and the pre-filled ones not reached — and say how to go on."""
    values, _defaulted = interview.recorded(questionnaire, state)
    if not values:
        return Stopped(_("%(why)s Nothing was answered, so nothing was saved.", why=why), exit_code)
    save(target, questionnaire, state, t, complete=False, resume=request.resume)
    return Stopped(_("%(why)s The answers so far are saved in %(file)s. To go on, run: %(command)s",
                     why=why, file=target, command=resume_command(target, request.resume)), exit_code)


def resume_command(target: Path, options: tuple[str, ...] = ()) -> str:
    """The command that goes on with a saved file, with the options to repeat (its languages first)."""
    return shlex.join(["draft", "new", "--from", str(target), *options])
