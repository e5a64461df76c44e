"""What a directive was built with: the toolkit's version and the library's — a content hash of the
clause files, templates and catalogs — recorded in every output, so that comparing an older directive
with a new build can tell whether the model library changed in between."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import __version__, cache, i18n, resources

_LIBRARY_FILES = {"clauses": (".yaml",), "templates": (".j2",), "locales": (".po",)}


@dataclass(frozen=True)
class Versions:
    toolkit: str
    library: str


def toolkit_version() -> str:
    """The toolkit's version, as its package declares it (pyproject.toml reads it there too)."""
    return __version__


def library_version(clauses: Path | None = None, locales: Path | None = None) -> str:
    """The first 16 hex digits of a SHA-256 over every file of the model library (and of a ministry's
    folder of clauses, when given), its templates and catalogs: names and contents, in a fixed order,
    so that it changes exactly when one of them does, whatever the machine or the checkout."""
    digest = hashlib.sha256()
    roots = [("clauses", resources.path("clauses")), ("templates", resources.path("templates")),
             ("locales", locales or i18n.locales_dir())]
    if clauses is not None:
        roots.insert(1, ("clauses", clauses))
    for kind, root in roots:
        files = sorted(p for p in Path(root).rglob("*") if p.is_file() and p.suffix in _LIBRARY_FILES[kind])
        for path in files:
            digest.update(f"{kind}/{path.relative_to(root).as_posix()}".encode() + b"\0")
            digest.update(cache.fingerprint(path) + b"\0")
    return digest.hexdigest()[:16]
