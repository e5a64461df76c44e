"""Writing files safely, one protocol for every output: all targets checked before the first byte, each
file staged beside its target, then all of them put in place together — or none.

* A target is refused if it exists (unless forced) or is not a regular file (a folder, a device, a
  named pipe: never replaced, even forced); the check is made again when the files go into place, so
  a target that appeared meanwhile is refused rather than silently replaced.
* Two builds into one folder take turns: a lock on the folder is held while one stages and commits.
* While the files go into place, SIGINT, SIGTERM and SIGHUP wait (signals.deferred); a failure midway
  puts back every file already replaced, so the folder is as it was. An interruption before the
  commit removes every staged file. A build killed outright (SIGKILL) leaves hidden staged files, which
  the next build of the same targets removes.
* What has been committed is recorded, so that a message after an interruption says exactly what was
  written.
"""
from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import signals
from .errors import OutputError, Problem
from .i18n import _
from .inputs import kind

LOCK_WAIT = 60.0         # seconds to wait for another build writing to the same folder
_NO_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOSYS, getattr(errno, "ENOTSUP", -1),
             getattr(errno, "EOPNOTSUPP", -1)}
_committed: list[Path] = []   # every file this process has put in place, in order


def committed() -> list[Path]:
    """The files put in place so far by this process (since `forget`)."""
    return list(_committed)


def forget() -> None:
    _committed.clear()


def folder_ready(folder: Path) -> None:
    """Refuse an output folder that cannot be: a file on its way, or no right to write where it goes.
    Nothing is created yet (`created` does that when the files are written)."""
    for parent in [folder, *folder.parents]:
        if parent.exists() and not parent.is_dir():
            raise OutputError(Problem(_("expected a folder, found %(kind)s", kind=_kind(parent)), parent,
                                      field="--out"))
    existing = next(p for p in [folder, *folder.parents] if p.exists())
    if not writable(existing):
        raise OutputError(Problem(_("the output folder is not writable"), folder, field="--out"))


@contextmanager
def created(folder: Path) -> Iterator[None]:
    """The output folder, created for the block; if the block fails, the folders it created are removed
    again (when still empty), so that a failed build leaves no trace."""
    made = [p for p in [folder, *folder.parents] if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(Problem(_("cannot create the output folder: %(why)s", why=e.strerror), folder,
                                  field="--out")) from None
    try:
        yield
    except BaseException:
        for path in made:  # the deepest first
            try:
                path.rmdir()
            except OSError:
                break
        raise


def check(targets: list[Path], force: bool) -> None:
    """Refuse targets that exist (unless forced) and any that is not a regular file."""
    odd = [t for t in targets if _special(t)]
    if odd:
        raise OutputError([Problem(_("expected a file name, found %(kind)s", kind=_kind(t)), t) for t in odd],
                          _("Nothing was written:"))
    existing = [t for t in targets if os.path.lexists(t)]
    if existing and not force:
        raise OutputError([Problem(_("already exists; use --force to replace it"), t) for t in existing],
                          _("Nothing was written:"))


def prepare(folder: Path, targets: list[Path], force: bool) -> None:
    """Refuse, before anything is made, a folder that cannot be and targets that exist (unless forced) or
    cannot be written."""
    folder_ready(folder)
    check(targets, force)


def _special(path: Path) -> bool:
    """A path that exists and is neither a regular file nor a link (a link is replaced, never followed)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISLNK(mode))


def _kind(path: Path) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return _("a broken link")
    return _("a file") if stat.S_ISREG(mode) else kind(mode)


def writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder's lock: another build waits (up to LOCK_WAIT seconds) until this one has staged
    and committed. On a file system without locks, the commit's own check still refuses a target that
    appeared."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError(Problem(_("another build has been writing to this folder for %(n)s seconds; "
                                                "wait until it has finished, or choose another --out",
                                                n=int(LOCK_WAIT)), folder, field="--out")) from None
                time.sleep(0.05)
            except OSError:  # a file system that cannot lock
                break
        yield
    finally:
        os.close(fd)


def remove_leftovers(targets: list[Path]) -> None:
    """Remove what a build of these targets that was killed outright left behind: its hidden staged
    files and backups. Call with the folder locked, so that no other build's files are taken."""
    for folder in {t.parent for t in targets}:
        names = "|".join(re.escape(t.name) for t in targets if t.parent == folder)
        pattern = re.compile(rf"\.(?:{names})\.[a-z0-9_]{{8}}\.(?:part|old)")
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if pattern.fullmatch(entry.name):
                Path(entry.path).unlink(missing_ok=True)


def commit(folder: Path, documents: list[tuple[Path, bytes]], force: bool) -> None:
    """Put a build's documents in place, all or none: the folder created if need be and locked, the
    leftovers of a killed build removed, the targets checked again (another build may have written them
    since `prepare`), then one Batch."""
    targets = [target for target, _data in documents]
    with created(folder), locked(folder):
        remove_leftovers(targets)
        check(targets, force)
        with Batch(replace=force) as batch:
            for target, data in documents:
                batch.add(target, data)


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
        with signals.deferred():
            Path(temp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise OutputError(Problem(_("cannot write the file: %(why)s", why=e.strerror or str(e)), target)) from None
        raise
    return Path(temp)


def write_atomic(target: Path, data: bytes, replace: bool = True) -> None:
    """Write to a temporary file beside the target, then rename it over the target."""
    with created(target.parent), Batch(replace=replace) as batch:
        batch.add(target, data)


class _Appeared(OSError):
    """A target that exists although it did not when the build checked (another program wrote it)."""


class Batch:
    """Files that appear together or not at all: each is staged beside its target, and all are put into
    place only when the batch completes; an error or an interruption removes every staged file. With
    `replace` false, a target that exists by then is refused, and nothing is put in place."""

    def __init__(self, replace: bool = True) -> None:
        self.replace = replace
        self.staged: list[tuple[Path, Path]] = []

    def add(self, target: Path, data: bytes) -> None:
        self.staged.append((_stage(target, data), target))

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind, error, trace) -> None:
        with signals.deferred():  # a signal now waits until every file is in place, or none is
            if kind is None:
                self._commit()
            else:
                self._discard()

    def _commit(self) -> None:
        done: list[tuple[Path, bool, Path | None]] = []   # (target, whether it replaced a file, a backup of it)
        try:
            for temp, target in self.staged:
                existed = self.replace and os.path.lexists(target)
                backup = _backup(target) if existed else None
                _place(temp, target, self.replace)
                done.append((target, existed, backup))
        except OSError as e:
            failed = target
            lost = _roll_back(done)
            self._discard()
            if isinstance(e, _Appeared):
                problem = Problem(_("appeared while the build ran (another program wrote it); use --force to "
                                    "replace it"), failed)
            else:
                problem = Problem(_("cannot write the file: %(why)s", why=e.strerror or str(e)), failed)
            if lost:
                raise OutputError([problem] + [Problem(_("replaced, and the former file could not be put back"), t)
                                               for t in lost]) from None
            raise OutputError(problem, _("Nothing was written or replaced:")) from None
        for _target, _existed, backup in done:
            if backup is not None:
                backup.unlink(missing_ok=True)
        _sync({target.parent for _temp, target in self.staged})
        _committed.extend(target for target, _existed, _backup in done)

    def _discard(self) -> None:
        for temp, _target in self.staged:
            temp.unlink(missing_ok=True)


def _place(temp: Path, target: Path, replace: bool) -> None:
    """Put a staged file in place. Without `replace`, by a hard link, which fails if the target exists:
    nothing another program wrote meanwhile is replaced."""
    if replace:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target, follow_symlinks=False)
    except FileExistsError:
        raise _Appeared(errno.EEXIST, "exists") from None
    except OSError as e:
        if e.errno not in _NO_LINKS:
            raise
        if os.path.lexists(target):  # a file system without hard links: check, then rename
            raise _Appeared(errno.EEXIST, "exists") from None
        os.replace(temp, target)
        return
    temp.unlink()


def _backup(target: Path) -> Path | None:
    """A hard link to the file a target is about to replace, so that a failure can put it back; None when
    the file system has no hard links."""
    for _attempt in range(3):
        backup = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old")
        try:
            os.link(target, backup, follow_symlinks=False)
            return backup
        except FileExistsError:
            continue
        except OSError:
            return None
    return None


def _roll_back(done: list[tuple[Path, bool, Path | None]]) -> list[Path]:
    """Undo the placed files, newest first; return the targets whose former file could not be put back."""
    lost = []
    for target, existed, backup in reversed(done):
        try:
            if backup is not None:
                os.replace(backup, target)
            elif existed:
                lost.append(target)
            else:
                target.unlink(missing_ok=True)
        except OSError:
            lost.append(target)
    return lost


def _sync(folders: set[Path]) -> None:
    """Make the renames durable: a crash right after the build keeps the new files."""
    for folder in folders:
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
