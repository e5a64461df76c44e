"""The one commit protocol of every output: a batch goes into place whole or not at all, whatever
signal arrives when; the message says exactly what was written; nothing another build or program
wrote meanwhile is silently replaced; nothing is left behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT

from toolkit import output

LANGS = ("--lang", "en,fr,es", "--format", "md,docx")   # 6 files per answers file


@pytest.fixture
def folder(tmp_path):
    """An output folder holding an older version of one target, and answers that build 12 files into it."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.en.md").write_text("precious", encoding="utf-8")
    answers = [tmp_path / "r.yaml", tmp_path / "s.yaml"]
    for path in answers:
        path.write_text(MINIMAL, encoding="utf-8")
    return out, answers


def listing(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir())


def on_call(monkeypatch, name: str, n: int, action):
    """Do `action()` when output.`name` is called the n-th time, then go on as usual."""
    real, count = getattr(output, name), {"calls": 0}

    def wrapped(*args, **kwargs):
        count["calls"] += 1
        if count["calls"] == n:
            action(*args)
        return real(*args, **kwargs)

    monkeypatch.setattr(output, name, wrapped)


@pytest.mark.parametrize("signum, code, said", [(signal.SIGINT, 130, "interrupted"),
                                                (signal.SIGTERM, 143, "stopped by SIGTERM"),
                                                (signal.SIGHUP, 129, "stopped by SIGHUP")])
def test_a_signal_during_the_renames_waits_until_every_file_is_in_place(invoke, folder, monkeypatch, signum, code,
                                                                         said):
    out, answers = folder
    on_call(monkeypatch, "_place", 6, lambda *args: os.kill(os.getpid(), signum))
    result = invoke("build", *answers, *LANGS, "--out", out, "--force")
    assert result.exit_code == code, result.output
    assert f"draft: {said} after 12 files were written: {out / 'r.en.md'}, " in result.stderr
    assert result.stderr.rstrip().endswith("… and 7 more")
    assert len(listing(out)) == 12 and "precious" not in (out / "r.en.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("signum, code, said", [(signal.SIGINT, 130, "interrupted"),
                                                (signal.SIGTERM, 143, "stopped by SIGTERM")])
def test_a_signal_while_staging_leaves_the_folder_as_it_was(invoke, folder, monkeypatch, signum, code, said):
    out, answers = folder
    on_call(monkeypatch, "_stage", 7, lambda *args: os.kill(os.getpid(), signum))
    result = invoke("build", *answers, *LANGS, "--out", out, "--force")
    assert result.exit_code == code
    assert f"draft: {said}; no file was written or replaced" in result.stderr
    assert listing(out) == ["r.en.md"] and (out / "r.en.md").read_text(encoding="utf-8") == "precious"


def test_a_failure_midway_through_the_renames_puts_back_what_was_replaced(invoke, folder, monkeypatch):
    out, answers = folder

    def fail(*args):
        raise OSError(28, "No space left on device")

    on_call(monkeypatch, "_place", 8, fail)
    result = invoke("build", *answers, *LANGS, "--out", out, "--force")
    assert result.exit_code == 2
    assert "Nothing was written or replaced:" in result.stderr and "No space left on device" in result.stderr
    assert listing(out) == ["r.en.md"] and (out / "r.en.md").read_text(encoding="utf-8") == "precious"


def test_a_target_that_appears_during_the_build_is_not_replaced(invoke, tmp_path, monkeypatch):
    answers = tmp_path / "r.yaml"
    answers.write_text(MINIMAL, encoding="utf-8")
    out = tmp_path / "out"

    def another_program_writes(*args):
        (out / "r.en.docx").write_text("theirs", encoding="utf-8")

    on_call(monkeypatch, "_place", 1, another_program_writes)
    result = invoke("build", answers, "--out", out)
    assert result.exit_code == 2
    assert "r.en.docx: appeared while the build ran (another program wrote it); use --force" in result.stderr
    assert listing(out) == ["r.en.docx"] and (out / "r.en.docx").read_text(encoding="utf-8") == "theirs"


def test_two_builds_into_one_folder_without_force_never_replace_each_other(tmp_path):
    out = tmp_path / "out"
    runs = []
    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "r.yaml").write_text(MINIMAL.replace("Ruritania\n", f"Ruritania {name}\n", 1), encoding="utf-8")
        runs.append(subprocess.Popen([sys.executable, "-m", "toolkit", "build", str(folder / "r.yaml"), *LANGS,
                                      "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True))
    results = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    assert sorted(code for code, _err in results) == [0, 2], results
    winner = ["first", "second"][[code for code, _err in results].index(0)]
    loser_message = next(err for code, err in results if code == 2)
    assert "already exists; use --force" in loser_message or "appeared while the build ran" in loser_message
    assert len(listing(out)) == 6
    for path in out.glob("*.md"):
        assert f"Ruritania {winner}" in path.read_text(encoding="utf-8")


def test_the_lock_makes_a_second_build_wait_for_the_first(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    order = []

    def second():
        with output.locked(out):
            order.append("second")

    with output.locked(out):
        waiter = threading.Thread(target=second)
        waiter.start()
        time.sleep(0.3)
        order.append("first done")
    waiter.join(timeout=10)
    assert order == ["first done", "second"]


def test_what_a_killed_build_left_is_removed_by_the_next(invoke, folder):
    out, answers = folder
    for stale in (".r.en.docx.abcd1234.part", ".r.fr.md.0a1b2c3d.old"):
        (out / stale).write_bytes(b"left by a build killed outright")
    (out / ".notes.md.abcd1234.part").write_bytes(b"not ours")
    result = invoke("build", *answers, *LANGS, "--out", out, "--force")
    assert result.exit_code == 0, result.output
    assert len(listing(out)) == 13 and ".notes.md.abcd1234.part" in listing(out)


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_target_that_is_not_a_file_is_never_replaced_even_forced(invoke, folder, kind):
    out, answers = folder
    target = out / "r.en.docx"
    os.mkfifo(target) if kind == "fifo" else target.mkdir()
    result = invoke("build", answers[0], "--out", out, "--force")
    found = "a named pipe" if kind == "fifo" else "a folder"
    assert result.exit_code == 2 and f"r.en.docx: expected a file name, found {found}" in result.stderr
    assert listing(out) == ["r.en.docx", "r.en.md"]


def test_output_to_a_device_is_refused(invoke, folder):
    _out, answers = folder
    result = invoke("build", answers[0], "--out", "/dev/full")
    assert result.exit_code == 2 and "/dev/full: --out: expected a folder, found a device" in result.stderr
    result = invoke("new", "/dev/full", "--defaults", "--force", "--no-build")
    assert result.exit_code == 2 and "/dev/full: expected a file name, found a device" in result.stderr


def test_a_full_standard_output_is_a_short_error(tmp_path):
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "toolkit", "clauses", "list"], cwd=ROOT, stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == "draft: cannot write to standard output: No space left on device\n"


def test_a_full_standard_output_after_a_build_says_the_files_were_written(tmp_path):
    answers = tmp_path / "r.yaml"
    answers.write_text(MINIMAL, encoding="utf-8")
    with open("/dev/full", "w") as full:
        command = [sys.executable, "-m", "toolkit", "build", str(answers), "--out", str(tmp_path / "out")]
        result = subprocess.run(command, cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == (f"draft: cannot write to standard output: No space left on device; 2 files were written: "
                             f"{tmp_path / 'out' / 'r.en.md'}, {tmp_path / 'out' / 'r.en.docx'}\n")
