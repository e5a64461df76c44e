"""Where the project's data lives: next to the package in a checkout, inside it in a wheel."""
from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder `clauses`, `templates` or `locales`."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the toolkit's {name}/ folder is missing from {_PACKAGE.parent}")


QUESTIONS_DIR = _PACKAGE / "questions"
