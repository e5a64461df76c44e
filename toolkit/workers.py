"""Documents made in worker processes for a large batch (`--jobs`): never more workers than there are
tasks or CPUs, and every one of them stopped and reaped whatever ends the build — an error, Ctrl-C,
SIGTERM, a worker that could not start or that died.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from . import signals
from .errors import OptionError, Problem, WorkerError
from .i18n import _

MAX_JOBS = 256   # more is a mistake: the batch is capped at the CPUs anyway


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def check(jobs: int) -> None:
    if not 1 <= jobs <= MAX_JOBS:
        found = str(jobs) if abs(jobs) < 10**12 else _("a number of %(n)s digits", n=len(str(abs(jobs))))
        raise OptionError(Problem(_("expected a number of jobs from 1 to %(max)s, found %(found)s", max=MAX_JOBS,
                                    found=found), field="--jobs"))


def count(jobs: int, tasks: int) -> int:
    """How many workers a batch gets: what was asked, at most one per task and per CPU."""
    return max(1, min(jobs, tasks, cpus()))


def run(make: Callable[[Any], Any], tasks: Sequence, jobs: int, start: Callable[..., None],
        args: tuple = ()) -> Iterator[Any]:
    """`make(task)` for every task, in order; in `count(jobs, len(tasks))` worker processes, each first
    running `start(*args)`. A single worker is this process itself."""
    workers = count(jobs, len(tasks))
    if workers == 1:
        yield from map(make, tasks)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start, initargs=(start, args))
    size = max(1, len(tasks) // (workers * 4))
    finished = False
    try:
        try:
            with signals.deferred():  # forked with signals held: each ignores them before it can take one
                # chunks submitted one by one, not through map(), whose clean-up cancels futures that the
                # pool's own thread may then fail to mark broken (Python 3.11)
                futures = [pool.submit(_chunk, make, tasks[i:i + size]) for i in range(0, len(tasks), size)]
        except OSError as e:
            raise WorkerError(Problem(_("cannot start %(n)s worker processes (%(why)s); use a smaller --jobs",
                                        n=workers, why=e.strerror or e), field="--jobs")) from None
        try:
            for future in futures:
                yield from future.result()
        except BrokenProcessPool:
            raise WorkerError(Problem(_("a worker process stopped before its documents were made (out of "
                                        "memory, or killed); nothing was written"), field="--jobs")) from None
        finished = True
    finally:
        if not finished:
            _stop(pool)
    try:
        pool.shutdown(wait=True)
    except BaseException:  # a signal while the workers wind down: stop them now
        _stop(pool)
        raise


def _chunk(make: Callable[[Any], Any], tasks: Sequence) -> list:
    return [make(task) for task in tasks]


def _start(start: Callable[..., None], args: tuple) -> None:
    signals.ignore()
    start(*args)


def _stop(pool) -> None:
    """Stop every worker now — those busy too — and reap them, so that none outlives the build. The pool
    keeps no public handle on its processes before Python 3.14, hence its private fields: after the kill,
    this process's own end of the results pipe is closed too, so that a result a worker was half-way
    through sending reads as the end of the pipe instead of blocking the pool's thread (and the exit of
    this process) forever; and the pool's thread is waited for, so that it has finished before this process
    exits."""
    with signals.deferred():
        processes = list((getattr(pool, "_processes", None) or {}).values())
        results = getattr(pool, "_result_queue", None)
        manager = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=False)
        for process in processes:
            process.kill()
        for process in processes:
            process.join()
        writer = getattr(results, "_writer", None)
        if writer is not None:
            writer.close()
        if manager is not None:  # done before this process exits, which would otherwise race with it
            manager.join(timeout=10)
