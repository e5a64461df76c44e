"""`--jobs`: never more worker processes than tasks or CPUs, an absurd number refused, a fork that fails
or a worker that dies a clear error, and every worker stopped and reaped when the build is stopped."""
from __future__ import annotations

import errno
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES, MINIMAL, ROOT

from toolkit import api, workers


def test_workers_are_capped_at_the_tasks_and_the_cpus(monkeypatch):
    monkeypatch.setattr(workers, "cpus", lambda: 2)
    assert workers.count(1000, 2) == 2
    assert workers.count(1000, 90) == 2
    assert workers.count(2, 1) == 1
    monkeypatch.setattr(workers, "cpus", lambda: 64)
    assert workers.count(1000, 5) == 5


def test_a_batch_never_starts_more_workers_than_it_has_tasks(tmp_path, monkeypatch):
    from concurrent.futures import ProcessPoolExecutor

    asked = []
    real = ProcessPoolExecutor.__init__

    def spy(self, max_workers=None, **kwargs):
        asked.append(max_workers)
        real(self, max_workers=max_workers, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "__init__", spy)
    monkeypatch.setattr(workers, "cpus", lambda: 8)
    answers = [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    for path in answers:
        path.write_text(MINIMAL, encoding="utf-8")
    api.build(answers, tmp_path / "out", api.BuildOptions(formats=("md",)), jobs=256)
    assert asked == [2]
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("jobs, found", [("0", "found 0"), ("-3", "found -3"), ("257", "found 257"),
                                         (str(10**30), "found a number of 31 digits")])
def test_an_absurd_number_of_jobs_is_refused(invoke, write, tmp_path, jobs, found):
    result = invoke("build", write("r.yaml", MINIMAL), "--out", tmp_path / "out", "--jobs", jobs)
    assert result.exit_code == 2
    assert result.stderr == f"draft: --jobs: expected a number of jobs from 1 to 256, {found}\n"
    assert not (tmp_path / "out").exists()


def test_a_fork_that_fails_is_a_clear_error_and_the_started_workers_are_reaped(invoke, tmp_path, monkeypatch):
    real, calls = os.fork, {"n": 0}

    def fork():
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
        return real()

    monkeypatch.setattr(workers, "cpus", lambda: 4)
    monkeypatch.setattr(os, "fork", fork)
    started = time.monotonic()
    result = invoke("build", *EXAMPLES, "--format", "md", "--out", tmp_path / "out", "--jobs", "3")
    monkeypatch.setattr(os, "fork", real)
    assert result.exit_code == 2, result.output
    assert result.stderr == ("draft: --jobs: cannot start 3 worker processes (Resource temporarily unavailable); "
                             "use a smaller --jobs\n")
    assert time.monotonic() - started < 20
    assert not multiprocessing.active_children() and not (tmp_path / "out").exists()


PARENT = os.getpid()


def dies_in_a_worker(task):
    """A task that kills the worker process making it, as the out-of-memory killer would."""
    if os.getpid() != PARENT:
        os._exit(9)
    return api.document(task)


def test_a_worker_that_dies_is_a_clear_error(invoke, tmp_path, monkeypatch):
    monkeypatch.setattr(api, "_make", dies_in_a_worker)
    monkeypatch.setattr(workers, "cpus", lambda: 2)
    result = invoke("build", *EXAMPLES, "--format", "md", "--out", tmp_path / "out", "--jobs", "2")
    assert result.exit_code == 2
    assert "a worker process stopped before its documents were made" in result.stderr
    assert not multiprocessing.active_children() and not (tmp_path / "out").exists()


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_while_the_workers_build_reaps_them_and_leaves_nothing(tmp_path, signum, code):
    out = tmp_path / "out"
    out.mkdir()
    (out / "small-service.en.md").write_text("precious", encoding="utf-8")
    batch = [str(p) for p in EXAMPLES] * 1
    run = subprocess.Popen([sys.executable, "-m", "toolkit", "build", *batch, "--lang", "en,fr,es", "--out",
                            str(out), "--jobs", "2", "--force"], cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 30
    while len(_children(run.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    children = _children(run.pid)
    assert len(children) >= 2, "the workers did not start"
    time.sleep(0.3)
    # Ctrl-C reaches the whole process group, as a terminal sends it; SIGTERM the parent alone
    os.killpg(run.pid, signum) if signum == signal.SIGINT else os.kill(run.pid, signum)
    _out, err = run.communicate(timeout=30)
    assert run.returncode == code, err
    assert "no file was written or replaced" in err and "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["small-service.en.md"]
    assert (out / "small-service.en.md").read_text(encoding="utf-8") == "precious"
    for child in children:
        assert not Path(f"/proc/{child}").exists() or "zombie" in Path(f"/proc/{child}/status").read_text().lower()
