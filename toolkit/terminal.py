"""The interview on a terminal: questions one at a time, back and help, the choice for the questions
after the essentials, the review of a group or of every answer.

What to ask, propose and accept comes from toolkit.interview; this module only shows and reads, in
the interface language. Ctrl-C and the end of input pass through as exceptions, for `draft new` to
save the answers so far.
"""
from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Sequence
from typing import Any

from . import interview
from .i18n import Translator, _, n_, p_
from .interview import State, Step
from .questionnaire import MISSING, Question, Questionnaire, unit_name
from .text import printable

BACK: Any = object()   # what `ask` returns when the person goes back
MAX_LINE = 100_000     # characters of one piped answer read (an answer holds at most 2,000)
HELP = "?"


def back_words() -> frozenset[str]:
    """What goes back one question: "<" in every language, and the translated word."""
    return frozenset({"<", p_("command", "back").casefold()})


class Console:
    """The terminal: text out, typed lines in; Ctrl-C and end of input pass through as exceptions."""

    def __init__(self, echo: bool = False, line_editing: bool = False):
        self.echo = echo  # piped answers are not shown by a terminal: echo them so the transcript reads
        if line_editing:
            enable_line_editing()

    def say(self, text: str = "") -> None:
        print(printable(text), flush=True)

    def ask(self, prompt: str) -> str:
        if sys.stdin.isatty():
            line = input(prompt)
        else:  # piped answers: a line is read up to MAX_LINE characters, the rest of it dropped
            sys.stdout.write(printable(prompt))
            sys.stdout.flush()
            line = sys.stdin.readline(MAX_LINE + 1)
            if not line:
                raise EOFError
            rest = line
            while len(rest) > MAX_LINE and not rest.endswith("\n"):
                rest = sys.stdin.readline(MAX_LINE + 1)
            line = line[:MAX_LINE].rstrip("\r\n")
        if self.echo:
            self.say(line)
        return line

    @property
    def width(self) -> int:
        return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))


def enable_line_editing() -> None:
    """Readline for `input()`: the arrow keys move in the line and recall earlier answers instead of
    printing escape codes; accented letters are taken as typed, not as meta keys; Tab is a character,
    not a file-name completion."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: input() has the console's own line editing
        return
    if "libedit" in (readline.__doc__ or ""):
        readline.parse_and_bind("bind ^I ed-insert")
        return
    for setting in ("set input-meta on", "set output-meta on", "set convert-meta off", "tab: tab-insert"):
        readline.parse_and_bind(setting)


class TerminalInterview:
    """One `draft new` session on the console: it holds the interview's state while it goes."""

    def __init__(self, questionnaire: Questionnaire, console: Console, t: Translator, state: State,
                 note=None, versions: tuple[str, ...] = ()):
        self.questionnaire, self.console, self.t, self.state = questionnaire, console, t, state
        self.note = note or (lambda step: step.problem)   # how a problem reads (a file's answer names its line)
        self.versions = tuple(lang for lang in versions if lang != t.lang)   # a free text's other languages
        self.group = None

    # -- the path
    def essentials_then_choice(self) -> None:
        """The essentials one by one, then the choice for the others (and whatever it leads to)."""
        essentials = self.questionnaire.essentials()
        self.walk(essentials, unseen=True)
        while True:
            left = interview.remaining(self.questionnaire, self.state)
            if not left:
                return
            chosen = self.offer(left)
            if chosen is BACK:
                last = interview.previous(self.questionnaire, self.state, "", essentials)
                if last is None:
                    continue
                self.walk(essentials, step=interview.revisit(self.questionnaire, self.state, last.key),
                          furthest=last.key, unseen=True)
                continue
            if chosen == 1:
                self.state = interview.take_proposals(self.questionnaire, self.state, self.questionnaire.others())
            elif chosen == 2 and self.by_group(left) is BACK:
                continue
            elif chosen == 3:
                plan = interview.plan(self.questionnaire)
                first = next((s for s in interview.pending(self.questionnaire, self.state, plan, unseen=True)
                              if not s.question.essential), None)
                self.walk(plan, step=first, unseen=True)
            return

    def resolve(self, among: Sequence[Question] | None = None) -> set[str]:
        """Ask whatever is still open — no answer and nothing to propose, or an answer made invalid —
        each at its own question; returns the keys answered."""
        return self.walk(among or interview.plan(self.questionnaire))

    def walk(self, among: Sequence[Question], *, step: Step | None = None, furthest: str | None = None,
             unseen: bool = False) -> set[str]:
        """Ask the open questions of `among` in order, one at a time. Back goes to the question before
        (asking it again, its answer proposed); going on from there asks again each question up to the
        furthest one reached. Returns the keys answered."""
        q = self.questionnaire
        if step is None:
            step = next(iter(interview.pending(q, self.state, among, unseen=unseen)), None)
        answered: set[str] = set()
        keys = [question.key for question in among]
        while step is not None:
            key = step.question.key
            value = self.ask(step, f"({keys.index(key) + 1}/{len(keys)}) " if key in keys else "")
            if value is BACK:
                before = interview.previous(q, self.state, key, among)
                if before is None:
                    self.console.say("  " + _("This is the first question."))
                else:
                    step = interview.revisit(q, self.state, before.key)
                continue
            self.state = interview.answer(q, self.state, key, value)
            answered.add(key)
            if furthest is None or keys.index(key) > keys.index(furthest):
                furthest = key
            step = interview.following(q, self.state, key, among, furthest=furthest, unseen=unseen)
        return answered

    # -- one question
    def ask(self, step: Step, position: str = "") -> Any:
        """Show the question and read an answer until it is valid; BACK if the person goes back."""
        question = self.show(step.question, position, step.proposal)
        problem = self.note(step)
        if problem:
            self.console.say("  " + _("The answer held is not valid: %(problem)s", problem=problem))
        while True:
            typed = self.console.ask(asking(prompt_line(question, step.proposal)))
            word = typed.strip()
            if word.casefold() in back_words():
                return BACK
            if word == HELP:
                self.show(question, position, step.proposal, again=True)
                continue
            try:
                value = self.value(step, typed)
            except ValueError as e:
                self.console.say("  " + _("Not valid: %(why)s. Please answer again.", why=e))
                continue
            return self.in_each_language(step, value)

    def in_each_language(self, step: Step, value: Any) -> Any:
        """A free-text answer in the other languages of the directive too, when asked for: Enter alone
        keeps the same text in that language."""
        question = step.question
        if not self.versions or question.type != "text" or question.pattern or not isinstance(value, str):
            return value
        versions = {self.t.lang: str(value)}
        for lang in self.versions:
            typed = self.console.ask(asking(_("In %(language)s (Enter: the same text)", language=language_name(lang))))
            if typed.strip():
                versions[lang] = typed.strip()
        return value if len(versions) == 1 else interview.check(self.questionnaire, self.state, question.key, versions)

    def value(self, step: Step, typed: str) -> Any:
        """The typed text as a checked answer; Enter alone takes the proposed answer."""
        question = step.question
        value = interview.parse(question, typed)
        if value is None:
            if step.proposal is not MISSING:
                value = step.proposal
            elif not question.optional:
                raise ValueError(_("this question needs an answer"))
        return interview.check(self.questionnaire, self.state, question.key, value)

    def show(self, question: Question, position: str, proposal: Any = MISSING, again: bool = False) -> Question:
        say, t, width = self.console.say, self.t, self.console.width
        group = self.questionnaire.group_of[question.key]
        if group is not self.group or again:
            self.group = group
            say()
            say(f"== {group.heading(t)} ==")
        say()
        say(textwrap.fill(question.text(t), width, initial_indent=position, subsequent_indent="  "))
        if question.help:
            say(textwrap.fill(question.help_text(t), width, initial_indent="  ", subsequent_indent="  "))
        for n, choice in enumerate(question.choices, 1):
            say(textwrap.fill(question.label(choice, t), width, initial_indent=f"  {n:>2}. ",
                              subsequent_indent="      "))
        for mark in question.allow:  # typed as an answers file writes it
            say(textwrap.fill(question.mark(mark, t), width, initial_indent=f"  {mark}: ", subsequent_indent="      "))
        if again and proposal is not MISSING:
            say(textwrap.fill(_("Proposed answer: %(answer)s", answer=shown(question, proposal, t)), width,
                              initial_indent="  ", subsequent_indent="    "))
        return question

    # -- after the essentials
    def offer(self, left: list[Question]) -> Any:
        """How to go on with the other questions: 1 take the proposed answers, 2 by group, 3 one by one."""
        say, width = self.console.say, self.console.width
        say()
        say(textwrap.fill(n_("The essential questions are answered. %(n)s other question remains; its proposed "
                             "answer meets the standards.",
                             "The essential questions are answered. %(n)s other questions remain; their proposed "
                             "answers meet the standards.", len(left)), width))
        options = [_("Take the proposed answers (you will see every answer before anything is written)"),
                   _("Review them group by group"), _("Answer them one by one")]
        for n, text in enumerate(options, 1):
            say(textwrap.fill(text, width, initial_indent=f"  {n:>2}. ", subsequent_indent="      "))
        while True:
            typed = self.console.ask(asking(_("The number of your choice") + " [1]")).strip()
            if typed.casefold() in back_words():
                return BACK
            if typed in ("", "1", "2", "3"):
                return int(typed or 1)
            self.console.say("  " + _("Not valid: %(why)s. Please answer again.",
                                      why=_("expected a number from 1 to %(n)s, found %(found)r", n=3, found=typed)))

    def by_group(self, left: list[Question]) -> Any:
        """Each group's remaining answers on one screen: Enter accepts them, a number changes one, back
        returns to the group before (from the first, to the choice: BACK)."""
        q = self.questionnaire
        groups = [g for g in q.groups if any(question in left for question in g.questions)]
        index = 0
        while index < len(groups):
            group = groups[index]
            others = [question for question in group.questions if not question.essential]
            keys = {question.key for question in group.questions if question in left}

            def settle(others=others, keys=keys) -> set[str]:
                """After a change: proposals for the questions it makes apply, then whatever is still open."""
                before = set(self.state.answers)
                self.state = interview.take_proposals(q, self.state, others)
                keys |= set(self.state.answers) - before
                return self.resolve(others)

            settle()
            outcome = self.screen(keys, _("Press Enter to accept these answers, or type the number of one to "
                                          "change it"), settle, position=f"({index + 1}/{len(groups)}) ")
            if outcome is BACK:
                if index == 0:
                    return BACK
                index -= 1
                continue
            self.state = interview.mark_seen(self.state, keys)
            index += 1
        return None

    def review_all(self, keys: set[str] | None = None, building: bool = True) -> None:
        """Every answer (or those of `keys`), numbered by group; a number changes one; Enter confirms."""
        if building:
            invitation = _("Type the number of an answer to change it, or press Enter to write the answers file "
                           "and build the directive")
        else:
            invitation = _("Type the number of an answer to change it, or press Enter to write the answers file")
        self.console.say()
        self.console.say("== " + _("Review your answers") + " ==")
        while self.screen(keys, invitation, self.resolve) is BACK:
            self.console.say("  " + invitation + ".")

    def screen(self, keys: set[str] | None, invitation: str, settle, position: str = "") -> Any:
        """Show answers numbered by group and change those the person picks, until Enter (None) or back
        (BACK). After a change, `settle()` deals at once with what it leaves open — a later answer it
        breaks, a question it makes apply — and returns the keys it answered."""
        q = self.questionnaire
        shown = False
        while True:
            sections = interview.review(q, self.state, self.t, keys)
            if not shown:
                self.show_review(sections, position)
                shown = True
            last = sum(len(section.items) for section in sections)
            typed = self.console.ask(asking(invitation)).strip()
            if not typed:
                return None
            if typed.casefold() in back_words():
                return BACK
            picked = interview.item(sections, int(typed)) if typed.isdigit() else None
            if picked is None:
                self.console.say("  " + _("Not valid: %(why)s. Please answer again.",
                                          why=_("expected a number from 1 to %(n)s, found %(found)r", n=last,
                                                found=typed)))
                continue
            self.group, shown = None, False
            value = self.ask(interview.revisit(q, self.state, picked.key))
            if value is BACK:
                continue
            self.state = interview.answer(q, self.state, picked.key, value)
            changed = settle() | {picked.key}
            if keys is not None:
                keys |= changed
            self.group = None

    def show_review(self, sections: list[interview.Section], position: str = "") -> None:
        for line in review_lines(sections, self.console.width, position):
            self.console.say(line)


def review_lines(sections: list[interview.Section], width: int, position: str = "") -> list[str]:
    """Answers numbered by group, as the review shows them; "*" marks those taken by default."""
    lines: list[str] = []
    for section in sections:
        lines += ["", f"{position}== {section.heading} =="]
        for entry in section.items:
            mark = " *" if entry.defaulted else ""
            lines.append(textwrap.fill(_("%(label)s: %(answer)s", label=entry.label, answer=entry.value) + mark, width,
                                       initial_indent=f"  {entry.number:>3}. ", subsequent_indent="       "))
    if any(entry.defaulted for section in sections for entry in section.items):
        lines += ["", "  * " + _("proposed answer, taken without review")]
    return [*lines, ""]


def asking(text: str) -> str:
    """A prompt as the terminal shows it, the cursor after it: "A number of months from 1 to 96 [36]: "."""
    return _("%(prompt)s: ", prompt=text)


def prompt_line(question: Question, proposal: Any = MISSING) -> str:
    """What to type, and the proposed answer in brackets (in full, however long)."""
    hint = _hint(question)
    if proposal is not MISSING and proposal is not None:
        return f"{hint} [{shown(question, proposal)}]"
    if question.optional:
        return hint + " " + _("(optional: Enter leaves it empty)")
    return hint


def _hint(question: Question) -> str:
    kind, low, high = question.type, question.min, question.max
    if kind == "int":
        if question.unit:
            unit = unit_name(question.unit)
            if low is not None and high is not None:
                return _("A number of %(units)s from %(min)s to %(max)s, or with its unit (such as 3 years, 45 days)",
                         units=unit, min=low, max=high)
            return _("A whole number of %(units)s, or with its unit (such as 3 years, 45 days)", units=unit)
        if low is not None and high is not None:
            return _("A number from %(min)s to %(max)s", min=low, max=high)
        if low is not None:
            return _("A number of at least %(min)s", min=low)
        return _("A number up to %(max)s", max=high) if high is not None else _("A whole number")
    return {"bool": _("Yes or no"), "date": _("A date, YYYY-MM-DD"), "choice": _("The number of your choice"),
            "multi": _("The numbers of your choices, separated by commas (0 for none)")}.get(kind, _("Answer"))


def shown(question: Question, value: Any, t: Translator | None = None) -> str:
    """An answer as it would be typed at the prompt; with `t`, a choice also with its label."""
    if question.type == "bool":
        return _("yes") if value else _("no")
    if question.type in ("choice", "multi"):
        values = value if question.type == "multi" else [value]
        picked = [(n, c) for n, c in enumerate(question.choices, 1) if c.value in values]
        if t is not None:
            return "; ".join(f"{n}. {question.label(c, t)}" for n, c in picked) or "0"
        return ",".join(str(n) for n, _c in picked) or "0"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def language_name(lang: str) -> str:
    """A language named in the interface language ("espagnol" in French)."""
    from babel import Locale

    from .i18n import ui_language

    try:
        return Locale.parse(lang).get_display_name(ui_language()) or lang
    except (ValueError, LookupError):
        return lang
