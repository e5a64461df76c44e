"""The `draft` program (and `python -m toolkit`): a signal that arrives while it is still starting ends it
quietly with the signal's exit code — nothing has been read or written yet. Once a command runs, the
CLI's own handler takes over (toolkit/cli.py, toolkit/signals.py)."""
from __future__ import annotations

import signal
import sys

_STARTING = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def _quietly(signum, frame) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    for number in _STARTING:
        signal.signal(number, _quietly)
    from .cli import main as run

    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C is KeyboardInterrupt again, which the CLI handles
    run()


if __name__ == "__main__":
    sys.exit(main())
