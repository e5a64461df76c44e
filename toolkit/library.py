"""The clause library: sections of model clauses and the instruments they cite, loaded and checked.

Clauses are data (clauses/*.yaml). A ministry's own folder (`--clauses DIR`) is merged over the model
library: a known id replaces the model clause in place, a new id is added. A clause may be a variant of
another (`variant_of`): a wording of its own, with its own heading, sources and note, that takes the other's
place when its condition holds — so that a wording that departs from a standard (`departs_from`) never
claims to implement it. Every problem in every file is collected and reported with its file and line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from . import expressions, resources, yamlfile
from .errors import DraftError, LibraryError, Problem
from .i18n import _, placeholders
from .questionnaire import Questionnaire, describe
from .text import shorten, squash

_ID = re.compile(r"^[a-z0-9-]+\.[a-z0-9-]+$")
_SECTION = re.compile(r"^[a-z0-9-]+$")
_PINPOINT = re.compile(r"^(\d{1,6})((?:\([0-9a-z]+\))*)(?:\s*-\s*(\d{1,6})?((?:\([0-9a-z]+\))*))?$")
_BAD_PERCENT = re.compile(r"%(?!\([\w.:-]+\)s)")   # once every %% (a literal percent sign) is taken out
REFERENCE = "article"   # %(article:ID)s in a clause text: the number of the article of clause ID
ANNEX_REFERENCE = "annex"   # %(annex:ID)s: the number of the annex ID ("I", "II" …)
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
                return _("expected a heading of %(key)s (%(allowed)s), found %(found)r", key=self.key,
                         allowed=", ".join(self.headings), found=shorten(pinpoint, 40))
            return None
        m = _PINPOINT.match(pinpoint)
        if not m:
            return _("expected a pinpoint such as 52(2) or 26-28, found %(found)r", found=shorten(pinpoint, 40))
        numbers = [int(m.group(1))] + ([int(m.group(3))] if m.group(3) else [])
        if any(not 1 <= n <= (self.max or 10**6) for n in numbers):
            return _("expected a number from 1 to %(max)s (a %(kind)s of %(key)s), found %(found)r", max=self.max,
                     kind=self.unit, key=self.key, found=shorten(pinpoint, 40))
        return None


@dataclass(frozen=True)
class Source:
    instrument: str
    pinpoint: str

    def __str__(self) -> str:
        return f"{self.instrument} {self.pinpoint}"

    def overlaps(self, other: Source) -> bool:
        """Whether the two citations share a provision: the same one, one within the other (rule 52 and
        rule 52(1)), or ranges that meet (rules 26-28 and rule 27)."""
        if self.instrument != other.instrument:
            return False
        mine, theirs = _atoms(self.pinpoint), _atoms(other.pinpoint)
        return any(a[:len(b)] == b or b[:len(a)] == a for a in mine for b in theirs)


def _atoms(pinpoint: str) -> tuple[tuple[str, ...], ...]:
    """The provisions a pinpoint names, each as a path ("52", "1"): "52(1)-(2)" is 52(1) and 52(2);
    "26-28" is 26, 27 and 28. A heading (the QUNO guidelines) is a path of its own."""
    m = _PINPOINT.match(pinpoint)
    if not m:
        return ((pinpoint,),)
    start, subs, end, end_subs = int(m.group(1)), re.findall(r"\(([0-9a-z]+)\)", m.group(2) or ""), m.group(3), \
        re.findall(r"\(([0-9a-z]+)\)", m.group(4) or "")
    if end:
        return tuple((str(n),) for n in range(start, int(end) + 1))
    if end_subs and subs:
        first, last = subs[-1], end_subs[-1]
        if first.isdigit() and last.isdigit():
            steps = [str(n) for n in range(int(first), int(last) + 1)]
        else:
            steps = [chr(c) for c in range(ord(first), ord(last) + 1)]
        return tuple((str(start), *subs[:-1], step) for step in steps)
    return ((str(start), *subs),)


@dataclass(frozen=True)
class Item:
    text: str
    when: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Paragraph:
    text: str
    when: str | None = None
    items: tuple[Item, ...] = ()
    line: int | None = None


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
    variant_of: str | None = None          # the clause whose place this wording takes when its condition holds
    departs_from: tuple[Source, ...] = ()  # the provisions this wording falls short of (never among its sources)
    excludes: tuple[str, ...] = ()         # clauses it contradicts: never selected together with it
    overrides: tuple[str, ...] = ()        # clauses it makes an exception to, which its text names ("notwithstanding")
    sources_line: int | None = None        # where its sources are listed, for messages about them

    @property
    def place(self) -> str:
        """The id the article is known by — in references, in the document and in comparisons: a variant
        answers to the clause whose place it takes."""
        return self.variant_of or self.id

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
    formal: bool = False     # formalities (final provisions): a clause may implement no standard and cite none


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

    def variants(self, clause_id: str) -> tuple[Clause, ...]:
        """The variants of a clause, in library order: the first whose condition holds takes its place."""
        return self._variants.get(clause_id, ())

    @cached_property
    def _variants(self) -> dict[str, tuple[Clause, ...]]:
        found: dict[str, list[Clause]] = {}
        for clause in self.clauses():
            if clause.variant_of:
                found.setdefault(clause.variant_of, []).append(clause)
        return {key: tuple(value) for key, value in found.items()}

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def _text(value: Any) -> str:
    return squash(value) if value is not None else ""


def _list(raw: dict, name: str, where: tuple, problems: list[Problem], kind: type | tuple = str) -> list:
    """The field `name` of a clause as a list of `kind` values (nothing when absent); a number where a list
    belongs, or a list of the wrong values, is a problem naming the field."""
    value = raw.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(Problem(_("expected %(field)s to be a list, found %(found)s", field=name,
                                  found=describe(value)), *where))
        return []
    right = [v for v in value if isinstance(v, kind) and not isinstance(v, bool)]
    if len(right) < len(value):
        wrong = next(v for v in value if not isinstance(v, kind) or isinstance(v, bool))
        expected = _("whole numbers") if kind is int else _("texts")
        problems.append(Problem(_("expected %(field)s to list %(kind)s, found %(found)s", field=name, kind=expected,
                                  found=describe(wrong)), *where))
    return right


def _scalar(raw: dict, name: str, where: tuple, problems: list[Problem]) -> str | None:
    """A text field of a clause (a title, a note, a condition): text, or a number or yes/no written plainly."""
    value = raw.get(name)
    if value is None or isinstance(value, (str, int, float)):
        return value if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    problems.append(Problem(_("expected %(field)s to be text, found %(found)s", field=name, found=describe(value)),
                            *where))
    return None


def load_instruments(path: Path) -> dict[str, Instrument]:
    data = yamlfile.load(path, _("an instruments catalogue"))
    problems, result = [], {}
    for raw in (data or {}).get("instruments", []):
        try:
            inst = Instrument(key=raw["key"], short=dict(raw["short"]), title=dict(raw["title"]),
                              adoption=raw["adoption"], year=int(raw["year"]), unit=raw["unit"],
                              max=raw.get("max"), headings=dict(raw.get("headings") or {}))
        except (KeyError, TypeError, ValueError) as e:
            problems.append(Problem(_("expected `key`, `short`, `title`, `adoption`, `year` and `unit`; missing "
                                      "%(field)s", field=e), path, getattr(raw, "line", None)))
            continue
        result[inst.key] = inst
    if problems:
        raise LibraryError(problems, _("The instruments catalogue is invalid:"))
    return result


def _paragraph(raw: Any, where: tuple[Path, int | None], problems: list[Problem], cid: str) -> Paragraph | None:
    line = getattr(raw, "line", None) or where[1]
    if isinstance(raw, str):
        return Paragraph(_text(raw), line=line)
    if isinstance(raw, dict) and isinstance(raw.get("text"), str):
        at = (where[0], line, cid)
        unknown = set(raw) - {"text", "when", "items"}
        if unknown:
            problems.append(Problem(_("unknown paragraph fields %(fields)s", fields=", ".join(sorted(unknown))), *at))
        kept = _list(raw, "items", at, problems, (str, dict))
        listed = raw.get("items") if isinstance(raw.get("items"), list) else []
        items = []
        for index, item in enumerate(listed):
            if not any(item is k for k in kept):
                continue
            item_line = getattr(item, "line", None) or yamlfile.item_line(listed, index) or line
            if isinstance(item, str):
                items.append(Item(_text(item), line=item_line))
            elif isinstance(item.get("text"), str):
                items.append(Item(_text(item["text"]), _scalar(item, "when", (where[0], item_line, cid), problems),
                                  item_line))
            else:
                problems.append(Problem(_("expected an item: text, or a mapping with text and when"), where[0],
                                        item_line, cid))
        return Paragraph(_text(raw["text"]), _scalar(raw, "when", at, problems), tuple(items), line)
    problems.append(Problem(_("expected a paragraph: text, or a mapping with text, when and items"), where[0],
                            line, cid))
    return None


_CLAUSE_FIELDS = {"id", "title", "text", "sources", "note", "when", "params", "topics", "variant_of", "departs_from",
                  "excludes", "overrides"}


def _sources(raw: Any, key: str, where: tuple, problems: list[Problem]) -> tuple[Source, ...]:
    """`sources` or `departs_from`: "<instrument key> <pinpoint>" each."""
    found = []
    for src in _list(raw, key, where, problems):
        parts = src.split(None, 1)
        if len(parts) != 2:
            problems.append(Problem(_("expected a source such as 'bangkok 52(2)', found %(found)r", found=src),
                                    where[0], yamlfile.line_of(raw, key), where[2]))
            continue
        found.append(Source(parts[0], parts[1].strip()))
    return tuple(found)


def _ids(raw: Any, key: str, path: Path, problems: list[Problem], cid: str) -> tuple[str, ...]:
    """`excludes` or `overrides`: a list of clause ids."""
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and _ID.match(v) for v in value):
        problems.append(Problem(_("%(field)s: expected a list of clause ids such as [separation.plan], found %(found)r",
                                  field=key, found=value), path, yamlfile.line_of(raw, key), cid))
        return ()
    return tuple(value)


def _clause(raw: Any, section: str, path: Path, problems: list[Problem], formal: bool = False) -> Clause | None:
    line = getattr(raw, "line", None)
    if not isinstance(raw, dict):
        problems.append(Problem(_("expected a clause (a mapping with id, title, text, sources)"), path, line))
        return None
    cid = raw.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        problems.append(Problem(_("expected an id such as admission.application, found %(found)r", found=cid),
                                path, line))
        return None
    where = (path, line, cid)
    for missing in ("title", "text") if formal else ("title", "text", "sources"):
        if not raw.get(missing):
            problems.append(Problem(_("expected the field %(field)s", field=missing), *where))
    unknown = set(raw) - _CLAUSE_FIELDS
    if unknown:
        problems.append(Problem(_("unknown fields %(fields)s", fields=", ".join(sorted(unknown))), *where))
    text = raw.get("text") or []
    text_line = yamlfile.line_of(raw, "text") or line
    listed = text if isinstance(text, list) else [text]
    paragraphs = [_paragraph(p, (path, yamlfile.item_line(listed, i) or text_line), problems, cid)
                  for i, p in enumerate(listed)]
    variant_of = raw.get("variant_of")
    if variant_of is not None and (not isinstance(variant_of, str) or not _ID.match(variant_of)):
        problems.append(Problem(_("variant_of: expected the id of the clause whose place this one takes, found "
                                  "%(found)r", found=variant_of), path, yamlfile.line_of(raw, "variant_of"), cid))
        variant_of = None
    return Clause(
        id=cid, section=section, title=_text(_scalar(raw, "title", where, problems)),
        text=tuple(p for p in paragraphs if p), sources=_sources(raw, "sources", where, problems),
        note=_text(_scalar(raw, "note", where, problems)), when=_scalar(raw, "when", where, problems),
        params=tuple(_list(raw, "params", where, problems)), topics=tuple(_list(raw, "topics", where, problems, int)),
        file=path, line=line,
        variant_of=variant_of, departs_from=_sources(raw, "departs_from", where, problems),
        excludes=_ids(raw, "excludes", path, problems, cid), overrides=_ids(raw, "overrides", path, problems, cid),
        sources_line=yamlfile.line_of(raw, "sources") or line,
    )


MAX_FILES = 1000   # clause files in one folder: the model library has about twenty


def _read_sections(directory: Path, problems: list[Problem]) -> list[Section]:
    sections = []
    paths = sorted(directory.glob("*.yaml"))
    if len(paths) > MAX_FILES:
        raise LibraryError(Problem(_("expected at most %(max)s clause files in the folder, found %(n)s",
                                     max=MAX_FILES, n=len(paths)), directory, field="--clauses"))
    for path in paths:
        if path.name in (CATALOGUE, COVERAGE):
            continue
        try:
            data = yamlfile.load(path, _("a clause file"))
        except DraftError as e:
            problems.extend(e.problems)
            continue
        if not isinstance(data, dict) or not isinstance(data.get("clauses"), list):
            problems.append(Problem(_("expected a mapping with section, order, title and clauses"), path))
            continue
        key = data.get("section", "")
        if not isinstance(key, str) or not _SECTION.match(key):
            problems.append(Problem(_("expected a section key such as admission, found %(found)r", found=key), path,
                                    yamlfile.line_of(data, "section")))
            continue
        formal = data.get("formal", False) is True
        clauses = [c for c in (_clause(raw, key, path, problems, formal) for raw in data["clauses"]) if c]
        order = data.get("order")
        title = _scalar(data, "title", (path, yamlfile.line_of(data, "title")), problems)
        sections.append(Section(key, order if isinstance(order, int) and not isinstance(order, bool) else -1,
                                _text(title), tuple(clauses), path, formal))
    return sections


def _duplicates(sections: list[Section], problems: list[Problem]) -> None:
    """Within one folder an id must be unique (an overlay may reuse a model id on purpose)."""
    seen: dict[str, Clause] = {}
    for clause in (c for s in sections for c in s.clauses):
        if clause.id in seen:
            other = seen[clause.id]
            where = "%s:%s" % (other.file, other.line)
            problems.append(Problem(_("duplicate clause id (also at %(where)s)", where=where), clause.file,
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
                clauses = tuple(clause if c.id == clause.id else c for c in home.clauses)
                by_key[home.key] = replace(home, clauses=clauses)
            elif extra.key in by_key:
                home = by_key[extra.key]
                by_key[home.key] = replace(home, clauses=(*home.clauses, clause))
                position[clause.id] = home.key
            else:
                if extra.order < 0 or not extra.title:
                    problems.append(Problem(_("a new section %(key)r needs an order and a title", key=extra.key),
                                            extra.file))
                by_key[extra.key] = replace(extra, clauses=(clause,))
                position[clause.id] = extra.key
    return list(by_key.values())


def _check_variant(clause: Clause, by_id: dict[str, Clause], where: tuple, problems: list[Problem]) -> None:
    """A variant takes the place of a clause that is not itself a variant, and only under a condition."""
    base = by_id.get(clause.variant_of or "")
    if base is None:
        problems.append(Problem(_("variant_of names an unknown clause %(id)r", id=clause.variant_of), *where))
    elif base.variant_of:
        problems.append(Problem(_("variant_of names %(id)r, which is itself a variant of %(base)r; name %(base)r",
                                  id=base.id, base=base.variant_of), *where))
    elif base.id == clause.id:
        problems.append(Problem(_("a clause cannot be a variant of itself"), *where))
    if not clause.when:
        problems.append(Problem(_("a variant needs a condition (when) under which it takes the place of %(id)r",
                                  id=clause.variant_of), *where))


def _check_relations(clause: Clause, by_id: dict[str, Clause], where: tuple, problems: list[Problem]) -> None:
    """What a clause says of other clauses: the provisions it departs from, those it excludes or overrides."""
    for departed in clause.departs_from:
        for source in clause.sources:
            if source.overlaps(departed):
                problems.append(Problem(_("cites %(source)s, but departs from %(departed)s: a wording that falls short "
                                          "of a provision never cites it", source=str(source), departed=str(departed)),
                                        *where))
    for key, targets in (("excludes", clause.excludes), ("overrides", clause.overrides)):
        for target in targets:
            if target not in by_id:
                problems.append(Problem(_("%(field)s names an unknown clause %(id)r", field=key, id=target), *where))
            elif target in (clause.id, clause.place):
                problems.append(Problem(_("%(field)s names the clause itself", field=key), *where))
    for target in clause.overrides:
        if not any(target == name.partition(":")[2] for _ctxt, text in clause.texts() for name in placeholders(text)):
            reference = "%%(article:%s)s" % target
            problems.append(Problem(_("overrides %(id)s but never refers to it: say so in the text (\"notwithstanding "
                                      "article %(reference)s\")", id=target, reference=reference), *where))


def _check(library: Library, questions: Questionnaire, problems: list[Problem],
           annexes: frozenset[str] | None) -> None:
    by_id = {clause.id: clause for clause in library.clauses()}
    ids = set(by_id)
    for clause in library.clauses():
        where = (clause.file, clause.line, clause.id)
        for src in clause.sources + clause.departs_from:
            inst = library.instruments.get(src.instrument)
            if inst is None:
                problems.append(Problem(_("unknown instrument %(key)r; expected one of %(allowed)s", key=src.instrument,
                                          allowed=", ".join(library.instruments)), *where))
            elif (why := inst.pinpoint_problem(src.pinpoint)):
                problems.append(Problem(why, *where))
        if clause.variant_of is not None:
            _check_variant(clause, by_id, where, problems)
        _check_relations(clause, by_id, where, problems)
        used: set[str] = set()
        for ctxt, text in clause.texts():
            if _BAD_PERCENT.search(text.replace("%%", "")):
                problems.append(Problem(_("a parameter must be written %%(key)s and a percent sign %%%%, in "
                                          "%(context)s",
                                          context=ctxt), *where))
            for name in placeholders(text):
                kind, reference, target = name.partition(":")
                if not reference:
                    used.add(name)
                elif kind == ANNEX_REFERENCE:
                    if annexes is not None and target not in annexes:
                        problems.append(Problem(_("the text refers to an unknown annex %(id)r; expected one of "
                                                  "%(allowed)s", id=target, allowed=", ".join(sorted(annexes))),
                                                *where))
                elif kind != REFERENCE:
                    problems.append(Problem(_("expected a reference such as %%(article:separation.plan)s or "
                                              "%%(annex:application)s, found %(found)s", found="%%(%s)s" % name),
                                            *where))
                elif target not in ids:
                    problems.append(Problem(_("the text refers to an unknown clause %(id)r", id=target), *where))
                elif by_id[target].variant_of:
                    problems.append(Problem(_("the text refers to %(id)r, a variant; refer to the clause whose place "
                                              "it takes, %(base)r", id=target, base=by_id[target].variant_of),
                                            *where))
        for name in sorted(used - set(clause.params)):
            param = "%%(%s)s" % name
            problems.append(Problem(_("the text uses %(param)s but params does not list it", param=param), *where))
        for name in sorted(set(clause.params) - set(questions.by_key)):
            problems.append(Problem(_("unknown parameter %(name)r: not a question of the questionnaire", name=name),
                                    *where))
        for name in sorted(set(clause.params) - used):
            problems.append(Problem(_("params lists %(name)r but the text does not use it", name=name), *where))
        conditions = [clause.when] + [p.when for p in clause.text] + [i.when for p in clause.text for i in p.items]
        for condition in filter(None, conditions):
            try:
                unknown = expressions.names_in(condition) - set(questions.by_key)
            except expressions.ConditionError as e:
                problems.append(Problem(str(e), *where))
                continue
            if unknown:
                problems.append(Problem(_("the condition %(condition)r names unknown questions: %(keys)s",
                                          condition=condition, keys=", ".join(sorted(unknown))), *where))
        for topic in clause.topics:
            if topic not in library.topics:
                problems.append(Problem(_("unknown topic %(topic)s; expected 1 to %(max)s", topic=topic,
                                          max=len(library.topics)), *where))


def load(questionnaire: Questionnaire, overlay: Path | None = None, root: Path | None = None,
         annexes: frozenset[str] | None = None) -> Library:
    """The model library (from `root`, by default the package's clauses), merged with an overlay folder
    and checked against the questionnaire whose answers fill its parameters and conditions, and against
    the ids of the annexes a directive can have (references to annexes are not checked without them)."""
    root = root or resources.path("clauses")
    problems: list[Problem] = []
    instruments = load_instruments(root / CATALOGUE)
    coverage = yamlfile.load(root / COVERAGE, _("a coverage file")) or {}
    sections = _read_sections(root, problems)
    _duplicates(sections, problems)
    if overlay is not None:
        if not overlay.is_dir():
            raise LibraryError(Problem(_("expected a folder of clause files"), overlay, field="--clauses"))
        extra = _read_sections(overlay, problems)
        _duplicates(extra, problems)
        sections = _merge(sections, extra, problems)
    sections.sort(key=lambda s: (s.order, s.key))
    library = Library(tuple(sections), instruments,
                      {int(k): str(v) for k, v in (coverage.get("topics") or {}).items()},
                      {int(k): str(v) for k, v in (coverage.get("out_of_scope") or {}).items()})
    _check(library, questionnaire, problems, annexes)
    if problems:
        raise LibraryError(problems, _("The clause library is invalid:"))
    return library
