"""Ordinary mistakes and hostile input: a clear message, exit code 2, no traceback, nothing written,
nothing lost. The corpus of broken answers files lives in tests/corpus/answers/."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL, ROOT, reads_back

from toolkit import api, output, terminal
from toolkit.api import BuildOptions

CORPUS = ROOT / "tests" / "corpus" / "answers"
# corpus file → fragments its message must contain (each names the file; line numbers where there is one)
EXPECTED = {
    "not-yaml.yaml": [":2: expected valid YAML"],
    "tabs.yaml": [":3: expected valid YAML", "tabs cannot indent YAML"],
    "empty.yaml": ["expected a mapping of question keys to answers, found an empty file"],
    "list.yaml": ["expected a mapping of question keys to answers, found a list"],
    "wrong-types.yaml": [":4: adoption_date: expected a date written YYYY-MM-DD, found '2026-13-45'",
                         ":5: max_age_months: expected a whole number of months, or a number with its unit such as "
                         "\"3 years\" or \"45 days\", found 'eighteen'",
                         ":6: age_extension: expected yes or no (true or false), found 'maybe'",
                         ":7: facilities: expected a list of values from nursery",
                         ":8: signing_office: expected language codes such as en, fr or es as keys, found 'name'"],
    "out-of-range.yaml": [":5: max_age_months: expected a number of months from 1 to 96, found -5",
                          ":6: separation_planning_weeks: expected a number of weeks from 2 to 52, found 100000"],
    "unknown-keys.yaml": [":5: max_age_month: unknown question key (did you mean 'max_age_months'?)",
                          ":6: favourite_colour: unknown question key"],
    "missing-required.yaml": ["issuing_authority: expected an answer to", "adoption_date: expected an answer to"],
    "duplicate-keys.yaml": [":3: expected valid YAML, found duplicate key 'jurisdiction' (first at line 1)"],
    "alias-bomb.yaml": [":2: expected valid YAML, found aliases (*name) are not allowed"],
    "latin-1.yaml": [":2: expected UTF-8 text, found the byte 0xe9"],
    "utf-16.yaml": ["expected UTF-8 text, found UTF-16"],
    "binary.yaml": ["expected UTF-8 text, found binary data"],
    "control-character.yaml": [":1: expected text, found the control character U+0007"],
    # the one rule for every text holds however a character is written: a YAML escape brings in nothing more
    "escaped-control.yaml": [":1: expected text, found the control character U+0001"],
    "escaped-terminal-sequence.yaml": [":2: expected text, found the control character U+001B"],
    "escaped-noncharacter.yaml": [":3: expected text, found U+FFFE, which is not a character"],
    "escaped-key.yaml": [":5: expected text, found the control character U+001B"],
    "one-and-true-keys.yaml": [":3: expected valid YAML, found duplicate key: True is the same key as 1 at line 2"],
    "huge-integer.yaml": [":2: expected a number of at most 40 digits, found 5000 characters"],
    "nested-400-deep.yaml": [":2: expected data nested at most 40 levels deep, found more"],
    "bad-tagged-number.yaml": [":2: expected a valid !!int value, found 'eighteen'"],
}


def test_corpus_is_complete():
    assert {p.name for p in CORPUS.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_answers_files(invoke, tmp_path, name):
    out = tmp_path / "out"
    result = invoke("build", CORPUS / name, "--out", out)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    for fragment in EXPECTED[name]:
        assert fragment in result.stderr, (fragment, result.stderr)
    assert str(CORPUS / name) in result.stderr
    assert len(result.stderr.splitlines()) <= 12
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr  # nothing the terminal would obey
    assert not out.exists()


def test_relation_between_answers_is_checked(invoke, tmp_path):
    result = invoke("build", CORPUS / "out-of-range.yaml", "--out", tmp_path / "out")
    assert "max_age_extended_months: expected more than" not in result.stderr  # max_age_months itself is invalid
    good = tmp_path / "rel.yaml"
    good.write_text(MINIMAL + "max_age_months: 24\nage_extension: true\nmax_age_extended_months: 12\n",
                    encoding="utf-8")
    result = invoke("build", good, "--out", tmp_path / "out")
    assert result.exit_code == 2
    expected = (":7: max_age_extended_months: expected more than 24 months (the answer to “Age limit”, "
                "max_age_months), found 12 months")
    assert expected in result.stderr


def test_huge_file_is_refused_without_reading_it(invoke, tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = invoke("build", big, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "at most 2 MB, found 52.4 MB" in result.stderr


def test_very_long_text_is_refused(invoke, write, tmp_path):
    path = write("long.yaml", MINIMAL.replace("Ruritania\n", "R" * 5000 + "\n", 1))
    result = invoke("build", path, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "jurisdiction: expected at most 2000 characters, found 5000" in result.stderr


HOSTILE = ["*bold* _under_ `code`", "# not a heading", "1. not a list", "- not a bullet", "<w:p>x</w:p> <b>",
           "{{ 7*7 }}", "{% raw %}x{% endraw %}", "A & B &amp; C", "%(jurisdiction)s 100%", "\\ back\\slash",
           "مصلحة السجون", "שירות בתי הסוהר", "Prison Service 👶🏽🍼", "[link](http://x) ![img](y)", "> quote"]


@pytest.mark.parametrize("value", HOSTILE)
def test_user_text_appears_literally(tmp_path, value):
    data = yaml.safe_load(MINIMAL)
    data["issuing_authority"] = value
    data["jurisdiction"] = value
    path = tmp_path / "h.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    api.build([path], tmp_path, BuildOptions(formats=("md", "docx")))
    import docx
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": False}).parse((tmp_path / "h.en.md").read_text(encoding="utf-8"))
    texts = [c.content for t in tokens if t.type == "inline" for c in t.children if c.type == "text"]
    assert any(value in "".join(texts[i:i + 3]) for i in range(len(texts))), value
    assert not any(t.type in ("html_inline", "html_block") for t in tokens)
    assert reads_back((tmp_path / "h.en.md").read_text(encoding="utf-8"))
    document = docx.Document(str(tmp_path / "h.en.docx"))
    assert any(value in p.text for p in document.paragraphs)
    assert value in document.core_properties.author


def _existing(tmp_path) -> tuple[Path, Path]:
    answers = tmp_path / "r.yaml"
    answers.write_text(MINIMAL, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.en.md").write_text("precious", encoding="utf-8")
    return answers, out


def _no_leftovers(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == ["r.en.md"]
    assert (out / "r.en.md").read_text(encoding="utf-8") == "precious"


def test_write_error_midway_loses_nothing(invoke, tmp_path, monkeypatch):
    answers, out = _existing(tmp_path)
    monkeypatch.setattr(output, "_stage", _raising_on(3, output._stage))
    result = invoke("build", answers, "--out", out, "--force", "--lang", "en,fr", "--format", "md,docx")
    assert result.exit_code == 2, result.output
    assert "cannot write the file: No space left on device" in result.stderr
    _no_leftovers(out)


def _raising_on(n, real):
    count = {"calls": 0}

    def stage(target, data):
        count["calls"] += 1
        if count["calls"] == n:
            raise output.OutputError(output.Problem("cannot write the file: No space left on device", target))
        return real(target, data)

    return stage


def test_interruption_midway_loses_nothing(invoke, tmp_path, monkeypatch):
    answers, out = _existing(tmp_path)
    real, count = api.render, {"n": 0}

    def interrupted(*args):
        count["n"] += 1
        if count["n"] == 2:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(api, "render", interrupted)
    result = invoke("build", answers, "--out", out, "--force")
    assert result.exit_code == 130 and "interrupted; no file was written or replaced" in result.stderr
    _no_leftovers(out)


def test_unwritable_output_folder(invoke, tmp_path, monkeypatch):
    answers = tmp_path / "r.yaml"
    answers.write_text(MINIMAL, encoding="utf-8")
    monkeypatch.setattr(output, "writable", lambda folder: False)  # permissions do not bind root
    result = invoke("build", answers, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "the output folder is not writable" in result.stderr


def test_same_answers_name_twice_is_a_conflict(invoke, write, tmp_path):
    first = write("a/r.yaml", MINIMAL)
    second = write("b/r.yaml", MINIMAL)
    result = invoke("build", first, second, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "two answers files have the same name" in result.stderr


# -- messages stay short, whatever the input
def test_a_hundred_thousand_unknown_keys_give_a_short_message_at_once(invoke, tmp_path):
    import time

    path = tmp_path / "many.yaml"
    path.write_text(MINIMAL + "".join(f"unknown_{n}: 1\n" for n in range(100_000)), encoding="utf-8")
    started = time.monotonic()
    result = invoke("build", path, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert time.monotonic() - started < 8
    lines = result.stderr.splitlines()
    assert len(lines) == 12, lines  # the title, ten problems, and how many more
    assert lines[1].endswith(":5: unknown_0: unknown question key")
    assert lines[-1] == "  … and 99,990 more"


def test_a_long_key_or_value_is_cut_short_in_the_message(invoke, write, tmp_path):
    path = write("long.yaml", MINIMAL + "? " + "k" * 100_000 + "\n: 1\nmax_age_months: " + "9" * 30 + "\n")
    result = invoke("build", path, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert all(len(line) < 500 for line in result.stderr.splitlines())
    assert "max_age_months: expected a number of months from 1 to 96, found 999999" in result.stderr


def test_a_file_name_with_an_escape_sequence_is_shown_not_obeyed(invoke, tmp_path):
    result = invoke("build", tmp_path / "\x1b]0;owned\x07.yaml", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;owned\\x07.yaml: no such file; expected an answers file" in result.stderr


def test_an_option_with_an_escape_sequence_is_shown_not_obeyed(invoke, write, tmp_path):
    answers = write("r.yaml", MINIMAL)
    for args in (["--lang", "\x1b[31mfr"], ["--jobs", "\x1b[2J"], ["--\x1b[31mred"]):
        result = invoke("build", answers, "--out", tmp_path / "out", *args)
        assert result.exit_code == 2, args
        assert "\x1b" not in result.output and "\\x1b" in result.output, (args, result.output)


# -- what validation accepts, every writer accepts
def test_the_longest_valid_answers_build_in_every_format(tmp_path):
    import docx

    data = yaml.safe_load(MINIMAL)
    data.update(jurisdiction="J" * 256, directive_title="Directive " + "on children " * 160,
                issuing_authority="A" * 2000, directive_reference="R" * 300)
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    api.build([path], tmp_path, BuildOptions(formats=("md", "docx", "html")))
    properties = docx.Document(str(tmp_path / "long.en.docx")).core_properties
    for value in (properties.title, properties.subject, properties.author, properties.identifier):
        assert len(value) <= 255 and value.endswith("…")
    assert properties.title.startswith("Directive on children on children")
    assert "J" * 256 in (tmp_path / "long.en.md").read_text(encoding="utf-8")


def test_a_control_character_typed_at_the_prompt_is_asked_again(invoke, tmp_path):
    from toolkit import interview

    questionnaire = api.questionnaire()
    state = interview.State({}, set())

    def typed(key: str, text: str):
        return interview.check(questionnaire, state, key, interview.parse(questionnaire.by_key[key], text))

    with pytest.raises(ValueError, match="expected text, found the control character U\\+001B"):
        typed("jurisdiction", "Ruritania\x1b[A")
    with pytest.raises(ValueError, match="expected a whole number"):
        typed("max_age_months", "1" * 5000)


def test_a_piped_answer_is_read_no_further_than_its_limit(invoke, tmp_path):

    typed = "R" * (3 * terminal.MAX_LINE) + "\nRuritania\n"
    result = invoke("new", tmp_path / "a.yaml", "--defaults", "--interactive", "--no-build", input=typed + "\n" * 40)
    assert f"Not valid: expected at most 2000 characters, found {terminal.MAX_LINE}" in result.stdout
    assert yaml.safe_load((tmp_path / "a.yaml").read_text(encoding="utf-8"))["jurisdiction"] == "Ruritania"


def test_sigterm_while_draft_new_asks_keeps_the_answers(tmp_path):
    from toolkit import prompt, signals

    class Typing(prompt.Console):
        def __init__(self):
            super().__init__()
            self.typed = ["Ruritania", signals.Terminated(15)]

        def say(self, text: str = "") -> None:
            pass

        def ask(self, text: str) -> str:
            item = self.typed.pop(0)
            if isinstance(item, BaseException):
                raise item
            return item

    target = tmp_path / "a.yaml"
    with pytest.raises(prompt.Stopped) as stop:
        prompt.new(prompt.Request(target), api.questionnaire(), Typing())
    assert stop.value.exit_code == 143 and str(stop.value).startswith("Stopped by SIGTERM. The answers so far are")
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["jurisdiction"] == "Ruritania"


def test_a_draft_error_keeps_its_problems_across_processes():
    import pickle

    from toolkit.errors import LibraryError, Problem

    error = LibraryError([Problem("first", "a.yaml", 3), Problem("second", "b.yaml")], "The clause library is invalid:")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is LibraryError and copy.problems == error.problems and str(copy) == str(error)


# -- a file that is not a regular file is refused at once, whatever reads it
def _draft(*args, env=None):
    """`draft` in a process of its own, so that a read that would block fails the test instead of hanging it."""
    return subprocess.run([sys.executable, "-m", "toolkit", *map(str, args)], capture_output=True, text=True,
                          timeout=30, cwd=ROOT, env={**os.environ, **(env or {})})


COMMANDS = {"build": lambda path, tmp: ["build", path, "--out", tmp / "out"],
            "new --from": lambda path, tmp: ["new", tmp / "new.yaml", "--from", path, "--no-build"],
            "check": lambda path, tmp: ["check", path]}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_answers_from_a_named_pipe_are_refused_at_once(tmp_path, command):
    path = tmp_path / "answers.yaml"
    os.mkfifo(path)
    result = _draft(*COMMANDS[command](path, tmp_path))
    assert result.returncode == 2 and "answers.yaml: expected an answers file, found a named pipe" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "new.yaml").exists()


@pytest.mark.parametrize("kind", ["dev-zero", "link-to-dev-zero", "folder"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_answers_from_a_device_or_a_folder_are_refused_at_once(invoke, tmp_path, kind, command):
    path = tmp_path / "answers.yaml"
    if kind == "dev-zero":
        path = Path("/dev/zero")
    elif kind == "link-to-dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    result = invoke(*COMMANDS[command](path, tmp_path))
    found = "a folder" if kind == "folder" else "a device"
    assert result.exit_code == 2 and f"expected an answers file, found {found}" in result.stderr, result.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "new.yaml").exists()


def test_a_pipe_among_the_clause_files_or_as_a_catalog_is_refused_at_once(tmp_path):
    overlay = tmp_path / "clauses"
    overlay.mkdir()
    os.mkfifo(overlay / "extra.yaml")
    example = ROOT / "examples" / "small-service.yaml"
    result = _draft("build", example, "--clauses", overlay, "--out", tmp_path / "out")
    assert result.returncode == 2 and "extra.yaml: expected a clause file, found a named pipe" in result.stderr
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales, ignore=shutil.ignore_patterns("*.po"))
    os.mkfifo(locales / "fr" / "LC_MESSAGES" / "messages.po")
    result = _draft("build", example, "--lang", "fr", "--out", tmp_path / "out", env={"DRAFT_LOCALES": str(locales)})
    assert result.returncode == 2
    assert "messages.po: expected a translation file (.po), found a named pipe" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_file_larger_than_its_size_says_is_read_no_further(tmp_path, monkeypatch):
    """The size a file reports is not trusted: reading stops one byte past the limit."""
    from toolkit import inputs
    from toolkit.errors import ReadError

    path = tmp_path / "answers.yaml"
    path.write_bytes(b"x" * 100)
    real, reads = os.stat, []

    class Understated:
        def __init__(self, info):
            self.st_mode, self.st_size = info.st_mode, 10

    monkeypatch.setattr(inputs.os, "stat", lambda p, *a, **k: Understated(real(p)) if Path(p) == path else real(p))
    real_read = os.read
    monkeypatch.setattr(inputs.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(ReadError, match="expected an answers file of at most"):
        inputs.read_bytes(path, "an answers file", 50)
    assert sum(reads) <= 51
