"""The clause library: sections of model clauses and the instruments they cite, loaded and checked.

Clauses are data (clauses/*.yaml). A ministry's own folder (`--clauses DIR`) is merged over the model
library: a known id replaces the model clause in place, a new id is added. Every problem in every file
is collected and reported with its file and line.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from . import expressions, questionnaire as questionnaire_mod, yamlfile
from .errors import DraftError, LibraryError, Problem
from .i18n import placeholders
from .resources import data_dir
from .text import squash

_ID = re.compile(r"^[a-z0-9-]+\.[a-z0-9-]+$")
_SECTION = re.compile(r"^[a-z0-9-]+$")
_PINPOINT = re.compile(r"^(\d+)((?:\([0-9a-z]+\))*)(?:\s*-\s*(\d+)?((?:\([0-9a-z]+\))*))?$")
_BAD_PERCENT = re.compile(r"%(?!\(\w+\)s|%)")
CATALOGUE = "instruments.yaml"
COVERAGE = "coverage.yaml"


@dataclass(frozen=True)
class Instrument:
    key: str
    short: dict[str, str]
    title: dict[str, str]
    adoption: str
    year: int
    unit: str
    max: int | None = None
    headings: dict[str, str] = field(default_factory=dict, hash=False)

    def pinpoint_problem(self, pinpoint: str) -> str | None:
        if self.headings:
            if pinpoint not in self.headings:
                return f"expected a heading of {self.key} ({', '.join(self.headings)}), found {pinpoint!r}"
            return None
        m = _PINPOINT.match(pinpoint)
        if not m:
            return f"expected a pinpoint such as 52(2) or 26-28, found {pinpoint!r}"
        numbers = [int(m.group(1))] + ([int(m.group(3))] if m.group(3) else [])
        if any(not 1 <= n <= (self.max or 10**6) for n in numbers):
            return f"expected a {self.unit} from 1 to {self.max} of {self.key}, found {pinpoint!r}"
        return None


@dataclass(frozen=True)
class Source:
    instrument: str
    pinpoint: str

    def __str__(self) -> str:
        return f"{self.instrument} {self.pinpoint}"


@dataclass(frozen=True)
class Item:
    text: str
    when: str | None = None


@dataclass(frozen=True)
class Paragraph:
    text: str
    when: str | None = None
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Clause:
    id: str
    section: str
    title: str
    text: tuple[Paragraph, ...]
    sources: tuple[Source, ...]
    note: str = ""
    when: str | None = None
    params: tuple[str, ...] = ()
    topics: tuple[int, ...] = ()
    file: Path | None = None
    line: int | None = None

    def texts(self):
        """Every translatable text of the clause with its context, in order. The body's context is the
        clause id, not a paragraph's position, so that inserting or moving a paragraph leaves the
        others' translations where they are."""
        yield f"{self.id}:title", self.title
        for paragraph in self.text:
            yield self.id, paragraph.text
            for item in paragraph.items:
                yield self.id, item.text


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    title: str
    clauses: tuple[Clause, ...]
    file: Path | None = None


@dataclass(frozen=True)
class Library:
    sections: tuple[Section, ...]
    instruments: dict[str, Instrument] = field(hash=False)
    topics: dict[int, str] = field(hash=False)
    out_of_scope: dict[int, str] = field(hash=False)

    def clauses(self):
        for section in self.sections:
            yield from section.clauses

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses() if c.id == clause_id), None)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def _text(value: Any) -> str:
    return squash(value) if value is not None else ""


def load_instruments(path: Path) -> dict[str, Instrument]:
    data = yamlfile.load(path, "instruments catalogue")
    problems, result = [], {}
    for raw in (data or {}).get("instruments", []):
        try:
            inst = Instrument(key=raw["key"], short=dict(raw["short"]), title=dict(raw["title"]),
                              adoption=raw["adoption"], year=int(raw["year"]), unit=raw["unit"],
                              max=raw.get("max"), headings=dict(raw.get("headings") or {}))
        except (KeyError, TypeError, ValueError) as e:
            problems.append(Problem(f"expected key, short, title, adoption, year and unit; missing {e}", path,
                                    getattr(raw, "line", None)))
            continue
        result[inst.key] = inst
    if problems:
        raise LibraryError(problems, "The instruments catalogue is invalid:")
    return result


def _paragraph(raw: Any, where: tuple[Path, int | None], problems: list[Problem], cid: str) -> Paragraph | None:
    if isinstance(raw, str):
        return Paragraph(_text(raw))
    if isinstance(raw, dict) and "text" in raw:
        unknown = set(raw) - {"text", "when", "items"}
        if unknown:
            problems.append(Problem(f"unknown paragraph fields {', '.join(sorted(unknown))}", where[0],
                                    getattr(raw, "line", where[1]), cid))
        items = []
        for item in raw.get("items") or []:
            if isinstance(item, str):
                items.append(Item(_text(item)))
            elif isinstance(item, dict) and "text" in item:
                items.append(Item(_text(item["text"]), None if item.get("when") is None else str(item["when"])))
            else:
                problems.append(Problem("expected an item: text, or a mapping with text and when", where[0],
                                        getattr(raw, "line", where[1]), cid))
        return Paragraph(_text(raw["text"]), None if raw.get("when") is None else str(raw["when"]), tuple(items))
    problems.append(Problem("expected a paragraph: text, or a mapping with text, when and items", where[0],
                            getattr(raw, "line", where[1]), cid))
    return None


_CLAUSE_FIELDS = {"id", "title", "text", "sources", "note", "when", "params", "topics"}


def _clause(raw: Any, section: str, path: Path, problems: list[Problem]) -> Clause | None:
    line = getattr(raw, "line", None)
    if not isinstance(raw, dict):
        problems.append(Problem("expected a clause (a mapping with id, title, text, sources)", path, line))
        return None
    cid = raw.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        problems.append(Problem(f"expected an id such as admission.application, found {cid!r}", path, line))
        return None
    for missing in ("title", "text", "sources"):
        if not raw.get(missing):
            problems.append(Problem(f"expected a {missing}", path, line, cid))
    unknown = set(raw) - _CLAUSE_FIELDS
    if unknown:
        problems.append(Problem(f"unknown fields {', '.join(sorted(unknown))}", path, line, cid))
    text = raw.get("text") or []
    paragraphs = [_paragraph(p, (path, line), problems, cid) for p in (text if isinstance(text, list) else [text])]
    sources = []
    for src in raw.get("sources") or []:
        parts = str(src).split(None, 1)
        if len(parts) != 2:
            problems.append(Problem(f"expected a source such as 'bangkok 52(2)', found {src!r}", path,
                                    yamlfile.line_of(raw, "sources"), cid))
            continue
        sources.append(Source(parts[0], parts[1].strip()))
    return Clause(
        id=cid, section=section, title=_text(raw.get("title")), text=tuple(p for p in paragraphs if p),
        sources=tuple(sources), note=_text(raw.get("note")),
        when=None if raw.get("when") is None else str(raw["when"]),
        params=tuple(str(p) for p in raw.get("params") or []),
        topics=tuple(int(t) for t in raw.get("topics") or [] if str(t).isdigit()), file=path, line=line,
    )


def _read_sections(directory: Path, problems: list[Problem]) -> list[Section]:
    sections = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name in (CATALOGUE, COVERAGE):
            continue
        try:
            data = yamlfile.load(path, "clause file")
        except DraftError as e:
            problems.extend(e.problems)
            continue
        if not isinstance(data, dict) or not isinstance(data.get("clauses"), list):
            problems.append(Problem("expected a mapping with section, order, title and clauses", path))
            continue
        key = str(data.get("section", ""))
        if not _SECTION.match(key):
            problems.append(Problem(f"expected a section key such as admission, found {key!r}", path,
                                    yamlfile.line_of(data, "section")))
            continue
        clauses = [c for c in (_clause(raw, key, path, problems) for raw in data["clauses"]) if c]
        order = data.get("order")
        sections.append(Section(key, order if isinstance(order, int) else -1, _text(data.get("title")),
                                tuple(clauses), path))
    return sections


def _duplicates(sections: list[Section], problems: list[Problem]) -> None:
    """Within one folder an id must be unique (an overlay may reuse a model id on purpose)."""
    seen: dict[str, Clause] = {}
    for clause in (c for s in sections for c in s.clauses):
        if clause.id in seen:
            other = seen[clause.id]
            problems.append(Problem(f"duplicate clause id (also at {other.file}:{other.line})", clause.file,
                                    clause.line, clause.id))
        seen[clause.id] = clause


def _merge(model: list[Section], overlay: list[Section], problems: list[Problem]) -> list[Section]:
    by_key = {s.key: s for s in model}
    position = {c.id: s.key for s in model for c in s.clauses}
    for extra in overlay:
        for clause in extra.clauses:
            if clause.id in position:
                home = by_key[position[clause.id]]
                clause = replace(clause, section=home.key)
                by_key[home.key] = replace(home, clauses=tuple(clause if c.id == clause.id else c for c in home.clauses))
            elif extra.key in by_key:
                home = by_key[extra.key]
                by_key[home.key] = replace(home, clauses=home.clauses + (clause,))
                position[clause.id] = home.key
            else:
                if extra.order < 0 or not extra.title:
                    problems.append(Problem(f"a new section {extra.key!r} needs an order and a title", extra.file))
                by_key[extra.key] = replace(extra, clauses=(clause,))
                position[clause.id] = extra.key
    return list(by_key.values())


def _check(library: Library, questions: questionnaire_mod.Questionnaire, problems: list[Problem]) -> None:
    for clause in library.clauses():
        where = (clause.file, clause.line, clause.id)
        for src in clause.sources:
            inst = library.instruments.get(src.instrument)
            if inst is None:
                problems.append(Problem(f"unknown instrument {src.instrument!r}; expected one of "
                                        f"{', '.join(library.instruments)}", *where))
            elif (why := inst.pinpoint_problem(src.pinpoint)):
                problems.append(Problem(why, *where))
        used: set[str] = set()
        for ctxt, text in clause.texts():
            if _BAD_PERCENT.search(text):
                problems.append(Problem(f"a parameter must be written %(key)s and a percent sign %%, in {ctxt}", *where))
            used.update(p for p in placeholders(text) if not p.startswith("%"))
        for name in sorted(used - set(clause.params)):
            problems.append(Problem(f"the text uses %({name})s but params does not list it", *where))
        for name in sorted(set(clause.params) - set(questions.by_key)):
            problems.append(Problem(f"unknown parameter {name!r}: not a question of the questionnaire", *where))
        for name in sorted(set(clause.params) - used):
            problems.append(Problem(f"params lists {name!r} but the text does not use it", *where))
        conditions = [clause.when] + [p.when for p in clause.text] + [i.when for p in clause.text for i in p.items]
        for condition in filter(None, conditions):
            try:
                unknown = expressions.names_in(condition) - set(questions.by_key)
            except expressions.ConditionError as e:
                problems.append(Problem(str(e), *where))
                continue
            if unknown:
                problems.append(Problem(f"the condition {condition!r} names unknown questions: "
                                        f"{', '.join(sorted(unknown))}", *where))
        for topic in clause.topics:
            if topic not in library.topics:
                problems.append(Problem(f"unknown topic {topic}; expected 1 to {len(library.topics)}", *where))


@cache
def load(overlay: Path | None = None, root: Path | None = None) -> Library:
    """The model library (from `root`, by default clauses/), merged with an overlay folder."""
    root = root or data_dir("clauses")
    problems: list[Problem] = []
    instruments = load_instruments(root / CATALOGUE)
    coverage = yamlfile.load(root / COVERAGE, "coverage file") or {}
    sections = _read_sections(root, problems)
    _duplicates(sections, problems)
    if overlay is not None:
        if not overlay.is_dir():
            raise LibraryError(Problem("expected a folder of clause files", overlay, field="--clauses"))
        extra = _read_sections(overlay, problems)
        _duplicates(extra, problems)
        sections = _merge(sections, extra, problems)
    sections.sort(key=lambda s: (s.order, s.key))
    library = Library(tuple(sections), instruments,
                      {int(k): str(v) for k, v in (coverage.get("topics") or {}).items()},
                      {int(k): str(v) for k, v in (coverage.get("out_of_scope") or {}).items()})
    _check(library, questionnaire_mod.load(), problems)
    if problems:
        raise LibraryError(problems, "The clause library is invalid:")
    return library


def main() -> int:
    """`python -m toolkit.library [OVERLAY]`: check the library and say what it holds."""
    try:
        library = load(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    except DraftError as e:
        print(e, file=sys.stderr)
        return 2
    clauses = list(library.clauses())
    print(f"{len(clauses)} clauses in {len(library.sections)} sections; {len(library.instruments)} instruments")
    return 0


if __name__ == "__main__":
    sys.exit(main())
