"""`draft new` on a real terminal (a pseudo-terminal), with the toolkit's own questionnaire and catalogs, in
English, French and Spanish: the essentials path, line editing, back, help, a relation refused at its
question, the review screen, the answers file and the directive; Ctrl-C and resuming in the language
the file was answered in. Keys are pressed only once the prompt is shown and the program waits."""
from __future__ import annotations

import os
import re
import select
import signal
import struct
import sys
import time
from pathlib import Path

import pytest
import yaml

from toolkit import api, i18n, prompt, questionnaire as questionnaire_mod

try:
    import fcntl
    import pty
    import termios
except ImportError:  # not on Windows
    pty = None
pytestmark = pytest.mark.skipif(pty is None, reason="pseudo-terminals are POSIX only")

DRAFT = [sys.executable, "-c", "from toolkit.cli import main; main()"]
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r")
QUESTIONS = questionnaire_mod.load()


class Terminal:
    """`draft ARGS` on a pseudo-terminal of 100 columns: what it shows, and keys typed at its prompts."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str] | None = None):
        self.seen: list[str] = []
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: `draft` on the terminal
            os.chdir(cwd)
            os.execve(sys.executable, [*DRAFT, *args],
                      {**os.environ, "COLUMNS": "100", "TERM": "xterm", "PYTHONUTF8": "1", **(env or {})})
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 100, 0, 0))

    @property
    def screen(self) -> str:
        """What the terminal shows, without the control sequences that move the cursor."""
        return ESCAPES.sub("", "".join(self.seen))

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:
            raise AssertionError(f"the terminal closed; it shows:\n{self.screen}")
        self.seen.append(chunk.decode("utf-8", errors="replace"))
        return True

    def expect(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen:
            if not self._read(max(0.0, deadline - time.monotonic())):
                raise AssertionError(f"timed out waiting for {text!r}; the terminal shows:\n{self.screen}")

    def at_prompt(self, timeout: float = 30) -> None:
        """Wait until the last line ends with ": " and the terminal stays quiet: the program waits for a key."""
        deadline = time.monotonic() + timeout
        while True:
            if not self._read(0.15) and self.screen.endswith(": "):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for a prompt; the terminal shows:\n{self.screen}")

    def type(self, *keys: str) -> None:
        """At the next prompt, type the keys (text and control sequences), then Enter."""
        self.at_prompt()
        os.write(self.fd, ("".join(keys) + "\r").encode("utf-8"))

    def press(self, key: bytes) -> None:
        self.at_prompt()
        os.write(self.fd, key)

    def finish(self, timeout: float = 90) -> int:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if not self._read(max(0.0, deadline - time.monotonic())):
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                    raise AssertionError(f"the questionnaire did not end; the terminal shows:\n{self.screen}")
            except AssertionError as e:
                if "closed" not in str(e):
                    raise
                break
        os.close(self.fd)
        return os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])


def words(lang: str):
    """The translator of `lang`, how a question begins in it (as far as the first line of the screen goes), and
    how a label reads."""
    t = i18n.translator(lang)
    return t, (lambda key: QUESTIONS.by_key[key].text(t)[:40]), (lambda key: QUESTIONS.by_key[key].short(t))


LEFT = "\x1b[D"
# typed with a slip, put right with the left arrow (and accented letters, as typed)
NAMES = {"en": ("Ruritana", LEFT, "i"), "fr": ("République de Ruritane", LEFT, "i"),
         "es": ("República de Ruritana", LEFT, "i")}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_essentials_then_the_proposed_answers_give_a_valid_file_and_a_directive(tmp_path, lang):
    t, text, label = words(lang)
    target, out = tmp_path / "answers.yaml", tmp_path / "out"
    term = Terminal(["new", str(target), "--lang", lang, "--format", "md", "--out", str(out)], tmp_path)
    essentials = QUESTIONS.essentials()
    term.expect("(1/30)")
    term.type(*NAMES[lang])                                            # typed with the arrow keys
    term.type("Prison Service")
    term.expect("(3/30)")
    term.type("<")                                                     # back: the authority again
    term.expect("[Prison Service]")
    term.type("Ruritania Prison Service")
    term.type("PSI 1/2026")
    term.type("2026-11-22")
    term.expect("(5/30)")
    term.type("?")                                                     # the help again
    term.type("")
    assert essentials[4].help, "the fifth essential question has a help to show again"
    asked = 5
    for question in essentials[5:]:
        key = question.key
        if key == "excluded_offences":                                 # does not apply: no offence excluded
            continue
        term.expect(text(key))
        asked += 1
        if key == "max_age_months":
            term.type("48")
        elif key == "max_age_extended_months":
            term.expect(" [60]")                                       # above the limit of 48, never 48
            term.type("48")                                            # refused here, at its question
            term.expect(t.gettext("Not valid: %(why)s. Please answer again.").split("%(why)s")[0])
            term.type("")
        else:
            term.type("")
    assert asked <= 35
    term.expect("3. ")                                                  # the choice for the other questions
    term.type("")                                                       # 1: take the proposed answers
    term.expect(t.gettext("Review your answers"))
    term.at_prompt()
    number = re.search(rf"(\d+)\. {re.escape(label('directive_reference'))}", term.screen).group(1)
    term.type(number)                                                   # change an answer from the review
    term.expect("[PSI 1/2026]")
    term.type("PSI 2/2026")
    term.at_prompt()
    term.type("")                                                       # confirm: write and build
    assert term.finish() == 0, term.screen

    screen = term.screen
    assert "^[" not in screen                                           # no escape code was echoed
    assert len(set(re.findall(r"\((\d+)/30\)", screen))) == asked
    flat = re.sub(r"\s+", " ", screen)   # the help as wrapped on the screen, read as one line
    assert flat.count(re.sub(r"\s+", " ", essentials[4].help_text(t))) == 2
    found = re.search(r"48 (months|mois|meses)", screen[screen.index(text("max_age_extended_months")):])
    assert found, "the refusal names the limit with its unit"
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["jurisdiction"] == {"en": "Ruritania", "fr": "République de Ruritanie",
                                    "es": "República de Ruritania"}[lang]
    assert data["issuing_authority"] == "Ruritania Prison Service"
    assert data["directive_reference"] == "PSI 2/2026"
    assert data["max_age_months"] == 48 and data["max_age_extended_months"] == 60
    assert data["_language"] == lang and "facilities" not in data["_defaults"] and "board_chair" in data["_defaults"]
    answers = api.load_answers(target)
    assert answers["max_age_extended_months"] == 60
    directive = (out / f"answers.{lang}.md").read_text(encoding="utf-8")
    assert data["jurisdiction"] in directive and "PSI 2/2026" in directive


def test_ctrl_c_saves_and_the_same_file_resumes_in_its_language(tmp_path):
    t, text, _label = words("es")
    target = tmp_path / "terminal.yaml"
    term = Terminal(["new", str(target), "--no-build", "--lang", "es"], tmp_path)
    term.expect(text("jurisdiction"))
    term.type("Ruritania")
    term.expect(text("issuing_authority"))
    term.press(b"\x03")  # Ctrl-C
    assert term.finish() == prompt.EXIT_INTERRUPTED
    assert f"draft new --from {target} --lang es --no-build" in term.screen
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data == {"_language": "es", "jurisdiction": "Ruritania"}

    # no --lang: the file says Spanish; the first question is not asked again; Ctrl-D saves again
    term = Terminal(["new", "--from", str(target), "--no-build"], tmp_path)
    term.expect(text("issuing_authority"))
    term.press(b"\x04")  # Ctrl-D
    assert term.finish() == prompt.EXIT_END_OF_INPUT
    screen = term.screen
    assert text("jurisdiction") not in screen
    assert t.gettext("Going on with the answers saved in %(file)s.").split("%(file)s")[0] in screen
    assert f"draft new --from {target} --lang es --no-build" in screen
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["jurisdiction"] == "Ruritania"


def test_ctrl_c_before_any_answer_saves_nothing(tmp_path):
    t, text, _label = words("fr")
    term = Terminal(["new", str(tmp_path / "fr.yaml"), "--no-build", "--lang", "fr"], tmp_path)
    term.expect("(1/30) " + text("jurisdiction"))
    term.press(b"\x03")
    assert term.finish() == prompt.EXIT_INTERRUPTED
    assert t.gettext("%(why)s Nothing was answered, so nothing was saved.") % {"why": t.gettext("Interrupted.")} \
        in term.screen.replace("\n", " ")
    assert not (tmp_path / "fr.yaml").exists()
