"""The toolkit's data, read from inside the package through importlib.resources, one way for all of it.

The questionnaire and the standards live in the package; the clause library, the templates and the
catalogs are edited at the top of a checkout (clauses/, templates/, locales/) and the package links to
them, so a checkout, an editable install and a wheel read the same files the same way.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def path(name: str) -> Path:
    """A file or folder of the package's data: questions, standards.yaml, clauses, templates, locales.
    Resolved, so that messages name the file a person edits."""
    from importlib.resources import files  # not at import: `draft --help` reads no data

    resource = Path(str(files(__package__) / name)).resolve()
    if not resource.exists():
        raise FileNotFoundError(f"the toolkit's data {name!r} is missing from {resource.parent}")
    return resource
