"""`draft new`: the real prompts driven through their input — CliRunner for most cases, a
pseudo-terminal for Ctrl-C and end of input — in English and French, on a small questionnaire."""
from __future__ import annotations

import os
import select
import signal
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL

from toolkit import api, i18n, prompt, questionnaire as questionnaire_mod
from toolkit.errors import DraftError

QUESTIONS = {
    "10-basics.yaml": """\
group: basics
title: The basics
questions:
  - key: name
    type: text
    question: What is the name of the jurisdiction?
    help: As it appears in official texts (QUNO guidelines III(a)).
  - key: nickname
    type: text
    question: Is there a short name?
    optional: true
  - key: adopted
    type: date
    question: On what date is the directive adopted?
  - key: max_age
    type: int
    unit: months
    min: 0
    max: 96
    question: Up to what age may a child stay (in months)?
    help: QUNO guidelines IV, age limit.
    default: 24
""",
    "20-more.yaml": """\
group: more
title: Extension and decisions
questions:
  - key: extension
    type: bool
    question: May the stay be extended?
    default: false
  - key: extension_months
    type: int
    min: 1
    max: 12
    question: By how many months at most?
    default: 6
    when: extension
  - key: decision
    type: choice
    question: Who decides on admission?
    choices:
      - {value: board, label: a multidisciplinary board}
      - {value: director, label: the Director}
      - {value: court, label: a court}
    default: board
  - key: members
    type: multi
    question: Who sits on the board?
    choices:
      - {value: health, label: a health professional}
      - {value: social, label: a social worker}
      - {value: legal, label: a lawyer}
    default: [health, social]
""",
}
KEYS = ["name", "nickname", "adopted", "max_age", "extension", "extension_months", "decision", "members"]

FRENCH = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgctxt "group:basics"
msgid "The basics"
msgstr "L'essentiel"

msgctxt "name:question"
msgid "What is the name of the jurisdiction?"
msgstr "Quel est le nom de la juridiction ?"

msgctxt "decision:choice:court"
msgid "a court"
msgstr "un tribunal"

msgid "Yes or no"
msgstr "Oui ou non"

msgid "yes"
msgstr "oui"

msgid "no"
msgstr "non"

msgid "Not valid: %(why)s. Please answer again."
msgstr "Réponse non valable : %(why)s. Veuillez répondre de nouveau."

msgid "Interrupted."
msgstr "Interrompu."
"""


@pytest.fixture
def small(tmp_path, monkeypatch):
    """The small questionnaire above, in place of the toolkit's own for the whole command."""
    folder = tmp_path / "questions"
    folder.mkdir()
    for name, text in QUESTIONS.items():
        (folder / name).write_text(text, encoding="utf-8")
    loaded = questionnaire_mod.load(folder)
    monkeypatch.setattr(api, "questionnaire", lambda: loaded)
    return loaded


@pytest.fixture
def french(tmp_path, monkeypatch):
    """A scratch locales folder with a French catalog of a few strings, chosen through DRAFT_LOCALES."""
    po = tmp_path / "locales" / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(FRENCH, encoding="utf-8")
    monkeypatch.setenv(i18n.LOCALES_ENV, str(tmp_path / "locales"))
    yield tmp_path / "locales"
    i18n.set_ui_language("en")


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_ui_language("en")


@pytest.fixture
def new(invoke, tmp_path, small):
    """`draft new --no-build` on the small questionnaire, writing `output` (tmp_path/a.yaml; None: none given)."""

    def run(*args: str, input: str | None = None, output: str | None = "a.yaml"):
        named = [str(tmp_path / output)] if output else []
        return invoke("new", "--no-build", *named, *args, input=input)

    return run


def lines(*answers: str) -> str:
    return "".join(f"{a}\n" for a in answers)


def saved(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# -- one question at a time, in order, with help, menus and defaults

def test_questions_are_asked_in_order_and_the_file_keeps_that_order(new, tmp_path):
    result = new("--interactive", input=lines("Ruritania", "", "2026-11-22", "", "", "", ""))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "== The basics ==" in out and "== Extension and decisions ==" in out
    assert "(1/8) What is the name of the jurisdiction?" in out
    assert "As it appears in official texts (QUNO guidelines III(a))." in out
    assert "A number from 0 to 96, or with its unit (such as 3 years, 45 days) [24]: " in out
    assert "   3. a court" in out and "The number of your choice [1]: " in out
    assert "separated by commas (0 for none) [1,2]: " in out
    text = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    assert [line.split(":")[0] for line in text.splitlines() if line and not line.startswith(("#", "-"))] == \
        ["name", "adopted", "max_age", "extension", "decision", "members"]
    assert "# What is the name of the jurisdiction?\nname: Ruritania\n" in text
    assert saved(tmp_path / "a.yaml") == {"name": "Ruritania", "adopted": date(2026, 11, 22), "max_age": 24,
                                          "extension": False, "decision": "board", "members": ["health", "social"]}
    assert "wrote " in result.stdout


def test_a_question_that_does_not_apply_is_skipped(new, tmp_path):
    skipped = new("--interactive", input=lines("R", "", "2026-01-01", "", "n", "", ""))
    assert "By how many months at most?" not in skipped.output
    assert "extension_months" not in saved(tmp_path / "a.yaml")
    asked = new("--interactive", "--force", input=lines("R", "", "2026-01-01", "", "yes", "3", "", ""))
    assert "(6/8) By how many months at most?" in asked.output
    assert saved(tmp_path / "a.yaml")["extension_months"] == 3


def test_a_bad_answer_is_explained_and_asked_again(new, tmp_path):
    result = new("--interactive", input=lines("", "R", "", "2026-02-30", "2026-02-28", "200", "twelve", "36",
                                              "maybe", "y", "13", "12", "4", "court", "1,9", "3,1"))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Not valid: this question needs an answer. Please answer again." in out
    assert "Not valid: expected a date written YYYY-MM-DD, found '2026-02-30'" in out
    assert "Not valid: expected a number from 0 to 96, found 200" in out
    assert ("Not valid: expected a whole number of months, or a number with its unit such as \"3 years\" or \"45 "
            "days\", found 'twelve'") in out
    assert "Not valid: expected yes or no, found 'maybe'" in out
    assert "Not valid: expected a number from 1 to 12, found 13" in out
    assert "Not valid: expected a number from 1 to 3, found '4'" in out
    assert "Not valid: expected a number from 1 to 3, found '9'" in out
    assert saved(tmp_path / "a.yaml") == {"name": "R", "adopted": date(2026, 2, 28), "max_age": 36, "extension": True,
                                          "extension_months": 12, "decision": "court", "members": ["health", "legal"]}


@pytest.mark.parametrize("kind, typed, expected", [
    ("max_age", " 36 ", 36), ("max_age", "", 24), ("extension", "OUI", True), ("extension", "non", False),
    ("extension", "sí", True), ("extension", "", False), ("decision", "2", "director"), ("decision", "court", "court"),
    ("members", "3, 1", ["health", "legal"]), ("members", "0", []), ("members", "", ["health", "social"]),
    ("adopted", "2026-01-31", date(2026, 1, 31)), ("nickname", "", None), ("nickname", "  Rur  ", "Rur"),
])
def test_typed_text_becomes_the_answer(small, kind, typed, expected):
    assert prompt.answer(small.by_key[kind], typed) == expected


# -- --defaults, --from, and no terminal

def test_defaults_asks_only_what_has_no_default(new, tmp_path):
    result = new("--interactive", "--defaults", input=lines("Ruritania", "2026-01-01"))
    assert result.exit_code == 0, result.output
    assert "Up to what age" not in result.output and "short name" not in result.output
    assert saved(tmp_path / "a.yaml")["members"] == ["health", "social"]


def test_from_asks_only_what_is_missing_or_invalid(new, write, tmp_path):
    source = write("given.yaml", "name: Ruritania\nmax_age: 200\ndecision: court\n")
    result = new("--from", str(source), "--interactive", "--defaults", output="b.yaml",
                 input=lines("2026-01-01", "18"))
    assert result.exit_code == 0, result.output
    assert "What is the name" not in result.output and "Who decides" not in result.output
    assert f"{source}:2: max_age: expected a number from 0 to 96, found 200" in result.output
    assert saved(tmp_path / "b.yaml") == {"name": "Ruritania", "adopted": date(2026, 1, 1), "max_age": 18,
                                          "extension": False, "decision": "court", "members": ["health", "social"]}


def test_from_with_an_unknown_key_stops_before_any_question(new, write):
    source = write("given.yaml", "nmae: Ruritania\nmax_age: 200\n")
    result = new("--from", str(source), "--interactive", input=lines("x"))
    assert result.exit_code == 2
    assert "given.yaml:1: nmae: unknown question key (did you mean 'name'?)" in result.stderr
    assert "given.yaml:2: max_age: expected a number from 0 to 96, found 200" in result.stderr
    assert "(1/8)" not in result.output and "Traceback" not in result.output


def test_with_no_terminal_the_message_points_to_defaults_and_from(new, tmp_path):
    result = new(input=lines("Ruritania"))
    assert result.exit_code == 2
    assert "no terminal" in result.stderr and "--defaults" in result.stderr and "--from" in result.stderr
    assert not (tmp_path / "a.yaml").exists()


def test_with_no_terminal_a_complete_file_is_written_and_its_mistakes_all_listed(new, write, tmp_path):
    good = write("good.yaml", "name: R\nadopted: 2026-01-01\n")
    result = new("--from", str(good), output="out.yaml")
    assert result.exit_code == 0, result.output
    assert saved(tmp_path / "out.yaml")["max_age"] == 24
    bad = write("bad.yaml", "max_age: 100\nextension: perhaps\n")
    result = new("--from", str(bad), output="out2.yaml")
    assert result.exit_code == 2
    for expected in ["bad.yaml:1: max_age: expected a number from 0 to 96, found 100",
                     "bad.yaml:2: extension: expected yes or no (true or false), found 'perhaps'",
                     "bad.yaml: name: expected an answer to", "bad.yaml: adopted: expected an answer to"]:
        assert expected in result.stderr
    assert not (tmp_path / "out2.yaml").exists()


def test_with_no_terminal_defaults_saves_what_it_can_and_names_what_is_missing(new, tmp_path):
    result = new("--defaults")
    assert result.exit_code == 2
    assert "2 questions have no default and no answer: name, adopted." in result.stderr
    assert f"To go on, run: draft new --from {tmp_path / 'a.yaml'}" in result.stderr
    text = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    assert text.startswith(prompt.INCOMPLETE + "\n")
    assert saved(tmp_path / "a.yaml")["max_age"] == 24


def test_an_existing_file_is_kept_unless_forced(new, write, tmp_path):
    (tmp_path / "a.yaml").write_text("name: mine\n", encoding="utf-8")
    result = new("--interactive", input=lines("R"))
    assert result.exit_code == 2 and "already exists; use --force" in result.stderr
    assert "(1/8)" not in result.output
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8") == "name: mine\n"
    complete = write("done.yaml", "name: R\nadopted: 2026-01-01\n")
    result = new("--from", str(complete), "--interactive", output=None, input=lines("R"))
    assert result.exit_code == 2 and "name a new answers file" in result.stderr


def test_new_builds_the_directive_in_the_languages_and_formats_asked(invoke, write, tmp_path):
    source = write("given.yaml", MINIMAL)
    target, out = tmp_path / "ruritania.yaml", tmp_path / "out"
    result = invoke("new", target, "--from", source, "--defaults", "--format", "md", "--out", out)
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.stdout and f"wrote {out / 'ruritania.en.md'}" in result.stdout
    assert "Ruritania" in (out / "ruritania.en.md").read_text(encoding="utf-8")
    assert not (out / "ruritania.en.docx").exists()
    # the documents exist: refused before the first question, and the answers file is not written
    target.unlink()
    again = invoke("new", target, "--interactive", "--format", "md", "--out", out, input="Ruritania\n")
    assert again.exit_code == 2 and "already exists; use --force" in again.stderr
    assert "(1/" not in again.output and not target.exists()


# -- nothing answered is lost: end of input, Ctrl-C, and resuming with --from

def test_end_of_input_saves_the_answers_and_from_resumes(new, tmp_path):
    target = tmp_path / "a.yaml"
    result = new("--interactive", input=lines("Ruritania", "Rur"))
    assert result.exit_code == 2
    assert "The input ended before the last question." in result.stderr
    assert f"saved in {target}. To go on, run: draft new --from {target}" in result.stderr
    assert target.read_text(encoding="utf-8").startswith(prompt.INCOMPLETE)
    assert saved(target) == {"name": "Ruritania", "nickname": "Rur"}
    resumed = new("--from", str(target), "--interactive", "--defaults", output=None, input=lines("2026-03-01"))
    assert resumed.exit_code == 0, resumed.output
    assert "What is the name" not in resumed.output and "(3/8) On what date" in resumed.output
    assert not target.read_text(encoding="utf-8").startswith(prompt.INCOMPLETE)
    assert saved(target)["adopted"] == date(2026, 3, 1) and saved(target)["name"] == "Ruritania"


def test_end_of_input_before_any_answer_writes_nothing(new, tmp_path):
    result = new("--interactive", input="")
    assert result.exit_code == 2 and "nothing was saved" in result.stderr
    assert not (tmp_path / "a.yaml").exists()


class Scripted(prompt.Console):
    """Typed lines from a list; an exception in the list is raised as the user would cause it."""

    def __init__(self, typed: list):
        super().__init__()
        self.typed, self.shown = list(typed), []

    def say(self, text: str = "") -> None:
        self.shown.append(text)

    def ask(self, text: str) -> str:
        self.shown.append(text)
        item = self.typed.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item


def test_ctrl_c_keeps_the_answers_and_the_prefilled_ones_not_reached(small, write, tmp_path):
    source = write("given.yaml", "name: Ruritania\ndecision: court\nmax_age: 500\n")
    target = tmp_path / "partial.yaml"
    with pytest.raises(prompt.Stopped) as stop:
        prompt.new(prompt.Request(target, source), small, Scripted(["", "2026-05-01", KeyboardInterrupt()]))
    assert stop.value.exit_code == prompt.EXIT_INTERRUPTED
    assert str(stop.value).startswith("Interrupted. The answers so far are saved in")
    # what was answered, and what the file gave for later questions (even the invalid answer, to be asked again)
    assert saved(target) == {"name": "Ruritania", "adopted": date(2026, 5, 1), "max_age": 500, "decision": "court"}


# -- French

def test_french_prompts_and_answers(new, french, tmp_path):
    result = new("--interactive", "--lang", "fr",
                 input=lines("Ruritanie", "", "2026-01-01", "", "peut-être", "oui", "", "3", ""))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "== L'essentiel ==" in out
    assert "(1/8) Quel est le nom de la juridiction ?" in out
    assert "Oui ou non [non]: " in out
    assert "Réponse non valable : expected oui or non, found 'peut-être'. Veuillez répondre de nouveau." in out
    assert "   3. un tribunal" in out
    text = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    assert "# Quel est le nom de la juridiction ?\nname: Ruritanie" in text
    assert saved(tmp_path / "a.yaml")["extension"] is True and saved(tmp_path / "a.yaml")["decision"] == "court"


def test_an_unknown_language_is_refused_before_any_question(new):
    result = new("--interactive", "--lang", "xx", input=lines("R"))
    assert result.exit_code == 2 and "--lang" in result.stderr and "(1/8)" not in result.output


# -- a real terminal: the toolkit's own questionnaire through a pseudo-terminal

try:
    import pty
except ImportError:  # not on Windows
    pty = None
DRAFT = [sys.executable, "-c", "from toolkit.cli import main; main()"]


def spawn(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[int, int]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: `draft` on the terminal
        os.chdir(cwd)
        os.execve(sys.executable, [*DRAFT, *args], {**os.environ, "COLUMNS": "100", "PYTHONUTF8": "1", **(env or {})})
    return pid, fd


def expect(fd: int, text: str, seen: list[str], timeout: float = 30) -> None:
    """Read the terminal until `text` shows (or fail with what did show)."""
    deadline = time.monotonic() + timeout
    while text not in "".join(seen):
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise AssertionError(f"timed out waiting for {text!r}; the terminal shows:\n{''.join(seen)}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:
            raise AssertionError(f"{text!r} never showed; the terminal shows:\n{''.join(seen)}")
        seen.append(chunk.decode("utf-8", errors="replace"))


def at_prompt(fd: int, seen: list[str], timeout: float = 30) -> None:
    """Wait until the terminal shows a prompt (its last line ends with ": ") and then stays quiet: the
    program is waiting for a key. A key sent while it still prints could arrive before it reads."""
    deadline = time.monotonic() + timeout
    while True:
        ready, _, _ = select.select([fd], [], [], 0.3)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                raise AssertionError(f"the terminal closed; it shows:\n{''.join(seen)}")
            seen.append(chunk.decode("utf-8", errors="replace"))
        elif "".join(seen).endswith(": "):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for a prompt; the terminal shows:\n{''.join(seen)}")


def finish(pid: int, fd: int, seen: list[str], timeout: float = 60) -> int:
    """Read what is left, then the exit code; a child still waiting for input at the deadline is killed
    and the test fails with what the terminal showed."""
    deadline = time.monotonic() + timeout
    while True:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(fd)
            raise AssertionError(f"the questionnaire did not end; the terminal shows:\n{''.join(seen)}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen.append(chunk.decode("utf-8", errors="replace"))
    os.close(fd)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def typed_for(question) -> str:
    return {"text": "Ruritania", "int": str(question.min or 0), "bool": "y", "date": "2026-01-01",
            "choice": "1", "multi": "1"}[question.type]


@pytest.mark.skipif(pty is None, reason="pseudo-terminals are POSIX only")
def test_on_a_terminal_ctrl_c_saves_and_from_resumes_after_end_of_input(tmp_path, french):
    first = next(iter(questionnaire_mod.load()))
    target = tmp_path / "terminal.yaml"
    pid, fd = spawn(["new", str(target), "--no-build"], tmp_path)
    seen: list[str] = []
    expect(fd, "(1/", seen)
    os.write(fd, (typed_for(first) + "\r").encode())
    expect(fd, "(2/", seen)
    at_prompt(fd, seen)
    os.write(fd, b"\x03")  # Ctrl-C
    assert finish(pid, fd, seen) == prompt.EXIT_INTERRUPTED
    screen = "".join(seen)
    assert f"Interrupted. The answers so far are saved in {target}" in screen
    assert saved(target) == {first.key: prompt.answer(first, typed_for(first))}

    # resume in French: the first question is not asked again; Ctrl-D (end of input) saves again
    pid, fd = spawn(["new", "--from", str(target), "--no-build", "--lang", "fr"], tmp_path,
                    {i18n.LOCALES_ENV: str(french)})
    seen = []
    expect(fd, "(2/", seen)
    at_prompt(fd, seen)
    os.write(fd, b"\x04")  # Ctrl-D
    assert finish(pid, fd, seen) == prompt.EXIT_END_OF_INPUT
    screen = "".join(seen)
    assert "(1/" not in screen
    assert f"draft new --from {target}" in screen
    assert saved(target) == {first.key: prompt.answer(first, typed_for(first))}


@pytest.mark.skipif(pty is None, reason="pseudo-terminals are POSIX only")
def test_on_a_terminal_the_questions_are_in_french(tmp_path, french):
    first = next(iter(questionnaire_mod.load()))
    with (french / "fr" / "LC_MESSAGES" / "messages.po").open("a", encoding="utf-8") as po:
        po.write(f'\nmsgctxt "{first.key}:question"\nmsgid {po_string(first.question)}\n'
                 f'msgstr "Première question, en français ?"\n')
    pid, fd = spawn(["new", str(tmp_path / "fr.yaml"), "--no-build", "--lang", "fr"], tmp_path,
                    {i18n.LOCALES_ENV: str(french)})
    seen: list[str] = []
    expect(fd, "(1/", seen)
    at_prompt(fd, seen)
    os.write(fd, b"\x03")
    assert finish(pid, fd, seen) == prompt.EXIT_INTERRUPTED
    screen = "".join(seen)
    assert "(1/" + str(len(questionnaire_mod.load().keys())) + ") Première question, en français ?" in screen
    assert "Interrompu. Nothing was answered, so nothing was saved." in screen
    assert not (tmp_path / "fr.yaml").exists()


def po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def test_a_draft_error_names_no_traceback(new, tmp_path):
    (tmp_path / "folder.yaml").mkdir()
    result = new("--interactive", output="folder.yaml", input=lines("R"))
    assert result.exit_code == 2 and "expected a file name, found a folder" in result.stderr
    assert "Traceback" not in result.output
    with pytest.raises(DraftError):
        prompt.Request(tmp_path / "x.yaml", interactive=False).check()
