"""LibreOffice, when it is installed: one soffice per build lays each Word file out once, to read the page
of every heading for the table of contents, and writes the PDF.

LibreOffice's Python bridge (`uno`) imports only in the Python it was built for — Debian's /usr/bin/python3
with python3-uno, or the `python` shipped next to soffice — so the toolkit starts soffice and a small
helper (office_helper.py) under that Python, and talks to the helper one JSON line per document.
soffice starts as soon as a build knows it will need it, while the documents are being composed.
`DRAFT_SOFFICE` names another soffice, or, empty, builds without LibreOffice; `DRAFT_UNO_PYTHON` names
the Python that has `uno`.
"""
from __future__ import annotations

import atexit
import hashlib
import json
import os
import queue
import re
import secrets
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import OfficeError, Problem
from ..i18n import _
from . import ooxml

PACKAGES = "libreoffice-writer-nogui python3-uno"
SOFFICE_ENV, PYTHON_ENV = "DRAFT_SOFFICE", "DRAFT_UNO_PYTHON"
_DEBIAN_PYTHON, _DEBIAN_UNO = Path("/usr/bin/python3"), Path("/usr/lib/python3/dist-packages/uno.py")
_HELPER = Path(__file__).with_name("office_helper.py")
START_TIMEOUT = 60.0        # seconds for soffice to start and accept the helper
DOCUMENT_TIMEOUT = 300.0    # seconds for one document's layout and PDF


@dataclass(frozen=True)
class Installation:
    soffice: str
    python: str


def find() -> Installation | str:
    """The soffice and the Python with `uno` to use, or why LibreOffice cannot be used (a sentence)."""
    chosen = os.environ.get(SOFFICE_ENV)
    if chosen is not None and not chosen.strip():
        return _("%(env)s is empty", env=SOFFICE_ENV)
    soffice = shutil.which(chosen or "soffice")
    if soffice is None:
        return _("LibreOffice (soffice) was not found") if not chosen else \
            _("%(env)s names no program: %(found)s", env=SOFFICE_ENV, found=chosen)
    python = os.environ.get(PYTHON_ENV)
    if not python:
        bundled = Path(soffice).resolve().parent / "python"
        if bundled.is_file():
            python = str(bundled)
        elif _DEBIAN_PYTHON.is_file() and _DEBIAN_UNO.is_file():
            python = str(_DEBIAN_PYTHON)
        else:
            return _("LibreOffice's Python bridge (python3-uno) is not installed")
    return Installation(soffice, python)


def missing(why: str) -> OfficeError:
    return OfficeError(Problem(_("a PDF is made by LibreOffice, but %(why)s; install it with: apt-get install "
                                 "%(packages)s", why=why, packages=PACKAGES), field="--format"))


def _profile(folder: Path):
    """The LibreOffice profile to start with, and the lock that keeps it to this build: the profile kept
    between builds in the user's cache folder (soffice starts faster with a profile it made before), or a
    fresh one in `folder` while another build holds it, or where files cannot be locked."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system
        return folder / "profile", None
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "children-in-prison-toolkit"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        lock = (cache / "libreoffice.lock").open("w")
    except OSError:
        return folder / "profile", None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        return folder / "profile", None
    return cache / "libreoffice-profile", lock


class Session:
    """One soffice and its helper, for every document of a build; ended by `close` (or `with`)."""

    def __init__(self, installation: Installation):
        self.folder = Path(tempfile.mkdtemp(prefix="draft-office-"))
        pipe = f"draft-{os.getpid()}-{secrets.token_hex(6)}"
        profile, self._lock = _profile(self.folder)
        self.soffice = subprocess.Popen(
            [installation.soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
             "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}", f"--accept=pipe,name={pipe};urp;"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, "TZ": "UTC"})   # the PDF's date in one form everywhere, replaced by stable()
        self._log = (self.folder / "helper.log").open("w", encoding="utf-8")
        self.helper = subprocess.Popen(
            [installation.python, str(_HELPER), pipe, str(START_TIMEOUT)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._log, text=True, encoding="utf-8", start_new_session=True)
        self._answers: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self._ready = False
        self._count = 0

    def _read(self) -> None:
        for line in self.helper.stdout:
            self._answers.put(line)
        self._answers.put(None)

    def _answer(self, timeout: float) -> dict:
        try:
            line = self._answers.get(timeout=timeout)
        except queue.Empty:
            raise self._failed(_("LibreOffice did not answer within %(n)s seconds", n=int(timeout))) from None
        if line is None:
            raise self._failed(_("LibreOffice stopped"))
        answer = json.loads(line)
        if "error" in answer:
            raise self._failed(answer["error"])
        return answer

    def _failed(self, why: str) -> OfficeError:
        self._log.flush()
        detail = (self.folder / "helper.log").read_text(encoding="utf-8", errors="replace").strip().splitlines()
        why = f"{why} ({detail[-1]})" if detail and detail[-1] not in why else why
        return OfficeError(Problem(_("LibreOffice could not lay the document out: %(why)s", why=why)))

    def start(self) -> None:
        """Wait until LibreOffice is ready (the first layout waits otherwise)."""
        if not self._ready:
            self._answer(START_TIMEOUT)
            self._ready = True

    def lay_out(self, word: bytes, pdf: bool = False, prefix: str = "_Toc",
                date: str = "1980-01-01") -> tuple[dict[str, int], bytes | None]:
        """The page of each bookmarked heading of a .docx and, when asked, its PDF, from one load; the PDF
        dated `date` (YYYY-MM-DD, the adoption date), so that the same document gives the same bytes."""
        self.start()
        self._count += 1
        source, target = self.folder / f"{self._count}.docx", self.folder / f"{self._count}.pdf"
        source.write_bytes(ooxml.without_comments(word))
        request = {"docx": str(source), "pdf": str(target) if pdf else None, "prefix": prefix}
        try:
            self.helper.stdin.write(json.dumps(request) + "\n")
            self.helper.stdin.flush()
        except OSError:
            raise self._failed(_("LibreOffice stopped")) from None
        pages = self._answer(DOCUMENT_TIMEOUT)["pages"]
        data = stable(target.read_bytes(), date) if pdf else None
        source.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        return pages, data

    def close(self) -> None:
        """End the helper (which ends soffice), then soffice itself if it lingers; remove the temporary folder
        and free the profile."""
        try:
            if self.helper.stdin:
                self.helper.stdin.close()
        except OSError:
            pass
        for process, grace in ((self.helper, 10), (self.soffice, 5)):
            try:
                process.wait(timeout=grace if self._ready else 1)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._lock is not None:
            self._lock.close()   # the kept profile is free for the next build

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Kept:
    """One soffice kept for a long-running process (`draft serve`): started at its first layout, lending
    itself to one request at a time, started again after a failure, ended when the process exits (its
    helper also ends it when the process goes, as its input closes)."""

    def __init__(self, installation: Installation):
        self.installation = installation
        self._session: Session | None = None
        self._lock = threading.Lock()
        atexit.register(self.close)

    def start(self) -> None:
        """Start soffice before the first layout needs it (a server, as it starts); a failure is left to
        that layout to report."""
        with self._lock:
            try:
                self._session = self._session or Session(self.installation)
                self._session.start()
            except OfficeError:
                self._discard()

    def lay_out(self, word: bytes, pdf: bool = False, prefix: str = "_Toc",
                date: str = "1980-01-01") -> tuple[dict[str, int], bytes | None]:
        with self._lock:
            self._session = self._session or Session(self.installation)
            try:
                return self._session.lay_out(word, pdf, prefix, date)
            except OfficeError:
                self._discard()
                raise

    def _discard(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def close(self) -> None:
        with self._lock:
            self._discard()


_KEPT: dict[Installation, Kept] = {}
_KEPT_LOCK = threading.Lock()


def kept(installation: Installation) -> Kept:
    """The soffice this process keeps for `installation`."""
    with _KEPT_LOCK:
        if installation not in _KEPT:
            _KEPT[installation] = Kept(installation)
        return _KEPT[installation]


_CREATED = re.compile(rb"(/CreationDate\s*\(D:)(\d{14})")
_IDENTITY = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]{32})(>\s*<)([0-9A-Fa-f]{32})(>)"
                       rb"|(/DocChecksum\s*/)([0-9A-Fa-f]{32})")


def stable(pdf: bytes, date: str) -> bytes:
    """A PDF of LibreOffice with its creation date set to `date` and its identifier and checksum
    derived from its content, not from the clock: every replacement keeps the length, so the cross
    reference table stays true."""
    dated = _CREATED.sub(lambda m: m.group(1) + date.replace("-", "").encode("ascii") + b"000000", pdf)
    digest = hashlib.md5(_IDENTITY.sub(lambda m: b"", dated), usedforsecurity=False).hexdigest().upper().encode()

    def identity(match: re.Match) -> bytes:
        if match.group(6):
            return match.group(6) + digest
        return match.group(1) + digest + match.group(3) + digest + match.group(5)

    return _IDENTITY.sub(identity, dated)
