"""Writing files safely: all targets checked before the first byte, each file replaced atomically.

A failed or interrupted build leaves no partial file at a target path and loses no existing file.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError, Problem
from .i18n import _


def prepare(folder: Path, targets: list[Path], force: bool) -> None:
    """Create the folder and refuse targets that exist (unless forced) or cannot be written."""
    for parent in [folder, *folder.parents]:
        if parent.exists() and not parent.is_dir():
            raise OutputError(Problem(_("expected a folder, found a file"), parent, field="--out"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(Problem(_("cannot create the output folder: %(why)s", why=e.strerror), folder,
                                  field="--out")) from None
    if not writable(folder):
        raise OutputError(Problem(_("the output folder is not writable"), folder, field="--out"))
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise OutputError([Problem(_("already exists; use --force to replace it"), t) for t in existing],
                          _("Nothing was written:"))
    for target in existing:
        if target.is_dir():
            raise OutputError(Problem(_("expected a file name, found a folder"), target))


def writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)


def _stage(target: Path, data: bytes) -> Path:
    """Write `data` to a temporary file beside `target`; return its path."""
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
    except BaseException as e:
        Path(temp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise OutputError(Problem(_("cannot write the file: %(why)s", why=e.strerror or str(e)), target)) from None
        raise
    return Path(temp)


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename it over the target."""
    with Batch() as batch:
        batch.add(target, data)


class Batch:
    """Files that appear together or not at all: each is staged beside its target, and all are renamed
    into place only when the batch completes; an error or an interruption removes every staged file."""

    def __init__(self) -> None:
        self.staged: list[tuple[Path, Path]] = []

    def add(self, target: Path, data: bytes) -> None:
        self.staged.append((_stage(target, data), target))

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            try:
                for temp, target in self.staged:
                    os.replace(temp, target)
            except OSError as e:
                self._discard()
                raise OutputError(Problem(_("cannot write the file: %(why)s", why=e.strerror or str(e)),
                                          target)) from None
        else:
            self._discard()

    def _discard(self) -> None:
        for temp, _target in self.staged:
            temp.unlink(missing_ok=True)
