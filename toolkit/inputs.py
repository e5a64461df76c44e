"""Reading an input file — answers, clause overlays, catalogs, `--from`, a letterhead — one bounded way.

A size field can lie and a path can lead anywhere: a named pipe blocks forever, /dev/zero never ends,
a link may point at either. So a file is read only when it is a regular file (a link to one is fine),
and never more than its limit, whatever its size says.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import DraftError, Problem, ReadError
from .i18n import _

_CHUNK = 1 << 20
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def kind(mode: int) -> str:
    """What a path that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a named pipe")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("something other than a file")


def read_bytes(path: Path, what: str, limit: int, error: type[DraftError] = ReadError) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them, or `error` naming the file, what
    was expected (`what`, with its article: "an answers file") and what was found."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise error(Problem(_("no such file; expected %(what)s", what=what), path)) from None
    except OSError as e:
        raise error(Problem(_("cannot read the file (%(why)s); expected %(what)s", why=e.strerror, what=what),
                            path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise error(Problem(_("expected %(what)s, found %(kind)s", what=what, kind=kind(info.st_mode)), path))
    if info.st_size > limit:
        raise _too_large(path, what, limit, info.st_size, error)
    try:
        fd = os.open(path, _FLAGS)
    except OSError as e:
        raise error(Problem(_("cannot read the file (%(why)s); expected %(what)s", why=e.strerror, what=what),
                            path)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):  # replaced by something else since it was looked at
            raise error(Problem(_("expected %(what)s, found %(kind)s", what=what, kind=kind(mode)), path))
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise error(Problem(_("cannot read the file (%(why)s); expected %(what)s", why=e.strerror, what=what),
                            path)) from None
    finally:
        os.close(fd)
    if size > limit:
        raise _too_large(path, what, limit, size, error)
    return b"".join(chunks)


def _too_large(path: Path, what: str, limit: int, size: int, error: type[DraftError]) -> DraftError:
    return error(Problem(_("expected %(what)s of at most %(max)s MB, found %(size)s MB", what=what,
                           max=limit // 1024 // 1024, size=round(size / 1e6, 1)), path))


def fingerprint(path: Path, limit: int = 64 * 1024 * 1024) -> bytes:
    """A SHA-256 of a file's first `limit` bytes and its size, read in chunks: a version stamp over files
    that may be large, in bounded memory and time (b"" for one that cannot be read as a regular file)."""
    import hashlib

    digest = hashlib.sha256()
    try:
        fd = os.open(path, _FLAGS)
    except OSError:
        return b""
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return b""
        left = limit
        while left > 0:
            chunk = os.read(fd, min(_CHUNK, left))
            if not chunk:
                break
            digest.update(chunk)
            left -= len(chunk)
    except OSError:
        return b""
    finally:
        os.close(fd)
    digest.update(str(info.st_size).encode())
    return digest.digest()
