"""Signals as exceptions, and the short stretches during which they wait.

Ctrl-C (SIGINT) raises KeyboardInterrupt; while the CLI runs, SIGTERM and SIGHUP raise `Terminated`, so
a build stopped by any of them cleans up as after Ctrl-C instead of dying with its files half in place.
While a batch's files go into place (or away), all three wait: the commit completes, then the signal
is taken. Worker processes ignore them: their parent stops and reaps them.
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_TERMINATING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
HELD = (signal.SIGINT, *_TERMINATING)


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived. A BaseException, as KeyboardInterrupt is, so that no `except Exception`
    on the way swallows it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def _raise(signum, frame) -> None:
    raise Terminated(signum)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def handled() -> Iterator[None]:
    """SIGTERM and SIGHUP raise Terminated while the block runs (signals are the main thread's only)."""
    if not _main_thread():
        yield
        return
    previous = {number: signal.signal(number, _raise) for number in _TERMINATING}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP wait until the block is done; one that arrived meanwhile is then
    raised where the block ends. Processes forked inside the block start with them held."""
    if not hasattr(signal, "pthread_sigmask") or not _main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ignore() -> None:
    """For a worker process: Ctrl-C at the terminal, or SIGTERM sent to the whole process group, is its
    parent's to handle (the parent stops every worker and cleans up)."""
    for number in HELD:
        signal.signal(number, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)
