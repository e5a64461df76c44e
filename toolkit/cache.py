"""What the toolkit makes of its own data files — the parsed questionnaire, clause library, standards and
catalogs, the prepared Word base document — kept between runs in the user's cache folder, so that a
single build does not parse again files that have not changed.

Every entry is keyed by a SHA-256 over the contents (and names) of the files it was made from, the
toolkit's version and its code, and Python's version: an edit to any of them makes a new key, and an
entry is never trusted across versions. The cache is only ever a shortcut: an entry that cannot be
read, is corrupt or carries another key is ignored and made again; a folder that cannot be written is
ignored too. Deleting the folder is always safe. DRAFT_CACHE_DIR names another folder; set to an empty
value, it turns the cache off.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import TypeVar

ENV = "DRAFT_CACHE_DIR"
FOLDER = "children-in-prison-toolkit"   # the toolkit's folder in the user's cache (LibreOffice's profile too)
_FORMAT = b"draft-cache 1"              # the layout of an entry file: changed, every entry is made again
_PACKAGE = Path(__file__).resolve().parent

T = TypeVar("T")


def user_folder() -> Path:
    """The toolkit's folder in the user's cache: XDG_CACHE_HOME's, or ~/.cache."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / FOLDER


def folder() -> Path | None:
    """Where entries are kept, or None when the cache is turned off (DRAFT_CACHE_DIR set empty)."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    return user_folder() / "data"


@cache
def _salt() -> bytes:
    """What every key includes: the entry format, Python's version, the toolkit's version and the state
    of its code (an edited checkout makes other objects from the same files): each module's size and
    time of change, as an installation or an edit changes them."""
    from .provenance import toolkit_version

    digest = hashlib.sha256(_FORMAT + b"\0" + sys.version.encode() + b"\0" + toolkit_version().encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        info = path.stat()
        digest.update(f"{path.relative_to(_PACKAGE).as_posix()}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.digest()


_FINGERPRINTS: dict[tuple, bytes] = {}


def fingerprint(path: Path) -> bytes:
    """inputs.fingerprint, read once per process for each version of a file (its size, inode and times
    of change): several entries, and the library's version, are keyed by the same files."""
    from .inputs import fingerprint as read

    try:
        info = os.stat(path)
    except OSError:
        return b""
    version = (str(path), info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)
    found = _FINGERPRINTS.get(version)
    if found is None:
        found = _FINGERPRINTS[version] = read(path)
    return found


def key(sources: Iterable[Path | None], *extra: str) -> str:
    """The key of an entry made from `sources` (files, or folders whose files all count) and `extra`
    strings (a language, a version of a library it uses)."""
    digest = hashlib.sha256(_salt())
    for value in extra:
        digest.update(b"x\0" + value.encode() + b"\0")
    for source in sources:
        if source is None:
            digest.update(b"-\0")
            continue
        source = Path(source)
        files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
        digest.update(b"s\0" + str(source).encode() + b"\0")
        for path in files:
            digest.update(path.relative_to(source).as_posix().encode() + b"\0" + fingerprint(path) + b"\0")
    return digest.hexdigest()


def _usable(place: Path) -> bool:
    """Whether the folder is the user's own and no one else may write into it: an entry is unpickled,
    so it must not be one another account could have put there."""
    try:
        info = place.stat()
    except OSError:
        return False
    foreign = hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022)
    return stat.S_ISDIR(info.st_mode) and not foreign


def _entry(name: str, entry_key: str) -> Path | None:
    place = folder()
    return None if place is None else place / f"{name}.{entry_key[:32]}.pickle"


def load(name: str, entry_key: str) -> object | None:
    """The value stored under `name` and `entry_key`, or None when there is none that can be trusted."""
    path = _entry(name, entry_key)
    if path is None or not _usable(path.parent):
        return None
    try:
        with open(path, "rb") as file:
            stored_key, value = pickle.load(file)
    except Exception:  # missing, unreadable, truncated, corrupt, or made by other code: made again
        return None
    return value if stored_key == entry_key else None


def store(name: str, entry_key: str, value: object) -> None:
    """Keep `value` under `name` and `entry_key`, replacing that name's older entries; written whole
    or not at all (another process may read it at the same moment), and silently not when it cannot be."""
    _write(_entry(name, entry_key), name, entry_key, value)


def _write(path: Path | None, name: str, entry_key: str, value: object) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _usable(path.parent):
            return
        data = pickle.dumps((entry_key, value), protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        for older in path.parent.glob(f"{name}.*.pickle"):
            if older != path:
                older.unlink(missing_ok=True)
    except Exception:  # a full disk, a read-only or foreign folder, a value that cannot be pickled
        return


def cached(name: str, sources: Iterable[Path | None], make: Callable[[], T], *extra: str) -> T:
    """`make()`, or what it returned when last called with the same sources, code and versions. A value
    `make` fails to produce (it raises) is never stored: the error is the user's to see, every time."""
    entry_key = key(sources, *extra)
    found = load(name, entry_key)
    if found is not None:
        return found
    value = make()
    store(name, entry_key, value)
    return value


def dependency(module: str) -> str:
    """What tells one installed version of a library from another (a hash of its package's first file),
    without importing it: for an entry made with its help."""
    spec = find_spec(module)
    origin = spec.origin if spec is not None else None
    return fingerprint(Path(origin)).hex() if origin else ""


MAX_MEMO = 50_000   # entries a memo keeps between runs; the inputs of the toolkit's data are far fewer


class Memo:
    """What a function of one input (a string) gave for each input met so far, kept between runs:
    read on first use, written back when the process ends if it learned something. Its key has no
    sources, as every input is its own key; the toolkit's code and the versions of `extra` are in it."""

    def __init__(self, name: str, *extra: Callable[[], str]):
        self.name, self.extra = name, extra
        self._table: dict | None = None
        self._where: tuple[Path | None, str] = (None, "")
        self._learned = False

    def get(self, item, make: Callable):
        if self._table is None:
            entry_key = key([], *(part() for part in self.extra))
            found = load(self.name, entry_key)
            self._table = found if isinstance(found, dict) else {}
            # where it is written back, whatever the environment says when the process ends
            self._where = (_entry(self.name, entry_key), entry_key)
        try:
            return self._table[item]
        except KeyError:
            pass
        value = make(item)
        if len(self._table) < MAX_MEMO:
            if not self._learned:
                self._learned = True
                atexit.register(self._save)
            self._table[item] = value
        return value

    def _save(self) -> None:
        path, entry_key = self._where
        _write(path, self.name, entry_key, dict(self._table or {}))
