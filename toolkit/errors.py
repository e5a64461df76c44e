"""User mistakes, each able to say which file, line and field it concerns.

Bad input never shows a traceback: the CLI catches DraftError, prints `str(error)` and exits with
`error.exit_code`. A message stays short whatever the input: at most ten problems are listed, then
how many more there are, and no line runs on.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place: what was expected and what was found."""

    message: str
    file: Path | str | None = None
    line: int | None = None
    field: str | None = None

    def where(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(str(self.file) + (f":{self.line}" if self.line else ""))
        if self.field:
            parts.append(self.field)
        return ": ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


MAX_SHOWN = 10      # problems listed in one message
MAX_LINE = 1000     # characters of one problem's line (a message that says what to do names its file a few times)


class DraftError(Exception):
    """A mistake the user can fix; carries one or more problems."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str, title: str | None = None):
        if isinstance(problems, (str, Problem)):
            problems = [problems if isinstance(problems, Problem) else Problem(problems)]
        self.problems = list(problems)
        self.title = title
        super().__init__(str(self))

    def __reduce__(self):
        """Problems and title survive the trip from a worker process (Exception keeps only the text)."""
        return _restore, (type(self), self.problems, self.title)

    def __str__(self) -> str:
        from .i18n import more
        from .text import shorten

        lines = [self.title] if self.title else []
        indent = "  " if self.title else ""
        lines += [indent + shorten(str(p), MAX_LINE) for p in self.problems[:MAX_SHOWN]]
        rest = len(self.problems) - MAX_SHOWN
        if rest > 0:
            lines.append(indent + more(rest))
        return "\n".join(lines)


def _restore(kind: type[DraftError], problems: list[Problem], title: str | None) -> DraftError:
    error = kind.__new__(kind)
    DraftError.__init__(error, problems, title)
    return error


class ReadError(DraftError):
    """A file that is missing, unreadable, too large, not UTF-8 or not valid YAML."""


class DefinitionError(DraftError):
    """The toolkit's own questionnaire definition or standards file is invalid."""


class AnswersError(DraftError):
    """An answers file that is not what the questionnaire expects."""


class LibraryError(DraftError):
    """A clause file, overlay or instruments catalogue that cannot be used."""


class LocaleError(DraftError):
    """A malformed .po file or an unknown language."""


class OptionError(DraftError):
    """Options that are unknown or conflict with each other."""


class OutputError(DraftError):
    """A target that exists, cannot be written, or failed mid-way."""


class WorkerError(DraftError):
    """Worker processes (--jobs) that could not start, or stopped before their documents were made."""


class OfficeError(DraftError):
    """LibreOffice is missing (for --format pdf) or failed while laying a document out."""
