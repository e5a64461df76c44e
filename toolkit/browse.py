"""What the library holds, for people and for programs: clause listings, one clause in full, the
instruments, and the concordance of provisions and topics to clauses.
"""
from __future__ import annotations

import re
import textwrap
from collections import defaultdict
from typing import Any

from .errors import DraftError, Problem
from .i18n import _
from .library import Clause, Library
from .wording import Wording


def _pinpoint_key(pinpoint: str) -> tuple:
    m = re.match(r"(\d+)", pinpoint)
    return (0, int(m.group(1)), pinpoint) if m else (1, 0, pinpoint)


def clause_rows(library: Library, section: str | None = None, instrument: str | None = None) -> list[dict[str, Any]]:
    if section is not None and library.section(section) is None:
        raise DraftError(Problem(_("expected a section from %(allowed)s, found %(found)r",
                                   allowed=", ".join(s.key for s in library.sections), found=section),
                                 field="--section"))
    if instrument is not None and instrument not in library.instruments:
        raise DraftError(Problem(_("expected an instrument from %(allowed)s, found %(found)r",
                                   allowed=", ".join(library.instruments), found=instrument), field="--instrument"))
    rows = []
    for clause in library.clauses():
        if section and clause.section != section:
            continue
        if instrument and all(s.instrument != instrument for s in clause.sources):
            continue
        rows.append({"id": clause.id, "section": clause.section, "title": clause.title,
                     "sources": [str(s) for s in clause.sources], "when": clause.when, "params": list(clause.params),
                     "topics": list(clause.topics)})
    return rows


def clause_detail(library: Library, clause_id: str) -> dict[str, Any]:
    clause = library.clause(clause_id)
    if clause is None:
        import difflib

        close = difflib.get_close_matches(clause_id, [c.id for c in library.clauses()], n=3)
        hint = _(" Did you mean: %(ids)s?", ids=", ".join(close)) if close else ""
        raise DraftError(Problem(_("no clause with this id.%(hint)s", hint=hint), field=clause_id))
    return _detail(clause)


def _detail(clause: Clause) -> dict[str, Any]:
    return {
        "id": clause.id, "section": clause.section, "title": clause.title, "when": clause.when,
        "params": list(clause.params), "topics": list(clause.topics),
        "text": [{"text": p.text, "when": p.when, "items": [{"text": i.text, "when": i.when} for i in p.items]}
                 for p in clause.text],
        "sources": [str(s) for s in clause.sources], "note": clause.note,
        "file": str(clause.file) if clause.file else None, "line": clause.line,
    }


def listing(library: Library, rows: list[dict[str, Any]], wording: Wording, width: int) -> str:
    """The clauses for people: id, title and the provisions each implements, in the language of `wording`,
    wrapped to the terminal's width."""
    lines = []
    for row in rows:
        clause = library.clause(row["id"])
        lines.append(_wrap(f"{row['id']}  {wording.title(clause)}", width, "    "))
        lines.append(_wrap(wording.citations(clause, library.instruments), width, "    ", "    "))
    return "\n".join(lines)


def shown(library: Library, clause_id: str, wording: Wording, width: int) -> str:
    """One clause in full, in the language of `wording`: each parameter shown by the question it
    answers, each condition as written, then the provisions and the drafting note."""
    detail = clause_detail(library, clause_id)
    clause = library.clause(clause_id)
    t = wording.t
    lines = [_wrap(f"{clause.id} — {wording.title(clause)}", width, "    "),
             _wrap(_("section: %(section)s", section=wording.section_title(clause.section, library.section(
                 clause.section).title)), width, "    ", "  ")]
    if clause.when:
        lines.append(_wrap(_("included when: %(condition)s", condition=clause.when), width, "    ", "  "))
    lines.append(_wrap(_("sources: %(sources)s", sources=wording.citations(clause, library.instruments)), width,
                       "    ", "  "))
    lines.append("")
    for n, paragraph in enumerate(clause.text, 1):
        lines.append(_wrap(f"{n}. {_questions(t.lookup(clause.id, paragraph.text), wording)}"
                           + (" " + _("[when %(condition)s]", condition=paragraph.when) if paragraph.when else ""),
                           width, "     ", "  "))
        for letter, item in zip("abcdefghijklmnopqrstuvwxyz", paragraph.items, strict=False):
            lines.append(_wrap(f"({letter}) {_questions(t.lookup(clause.id, item.text), wording)}"
                               + (" " + _("[when %(condition)s]", condition=item.when) if item.when else ""),
                               width, "         ", "     "))
    if clause.note:
        lines += ["", _wrap(_("Drafting note: %(note)s", note=wording.note(clause)), width, "    ", "  ")]
    lines.append(f"  ({detail['file']}:{detail['line']})")
    return "\n".join(lines)


_PARAMETER = re.compile(r"%\(([\w.:-]+)\)s")


def _questions(text: str, wording: Wording) -> str:
    """A clause text with each parameter shown as the question whose answer fills it, in brackets."""
    def named(match: re.Match) -> str:
        question = wording.questionnaire.by_key.get(match.group(1))
        if question is None:  # a reference to another article
            return _("[article %(id)s]", id=match.group(1).partition(":")[2])
        return "[" + question.short(wording.t).rstrip("?") + "]"
    return _PARAMETER.sub(named, text).replace("%%", "%")


def _wrap(text: str, width: int, indent: str, first: str = "") -> str:
    return textwrap.fill(text, width, initial_indent=first, subsequent_indent=indent, break_on_hyphens=False)


def instruments(library: Library) -> list[dict[str, Any]]:
    return [{"key": i.key, "short": i.short, "title": i.title, "adoption": i.adoption, "year": i.year,
             "unit": i.unit, "max": i.max, "headings": i.headings or None} for i in library.instruments.values()]


def coverage(library: Library) -> dict[str, Any]:
    """For every provision cited, the clauses implementing it; for every topic, its clauses or why it is
    out of scope."""
    provisions: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    topics: dict[int, list[str]] = defaultdict(list)
    for clause in library.clauses():
        for source in clause.sources:
            provisions[source.instrument][source.pinpoint].append(clause.id)
        for topic in clause.topics:
            topics[topic].append(clause.id)
    return {
        "provisions": {key: dict(sorted(pins.items(), key=lambda kv: _pinpoint_key(kv[0])))
                       for key, pins in sorted(provisions.items(),
                                               key=lambda kv: list(library.instruments).index(kv[0]))},
        "topics": [{"number": n, "topic": title, "clauses": topics.get(n, []),
                    "out_of_scope": library.out_of_scope.get(n)} for n, title in sorted(library.topics.items())],
    }


def format_coverage(data: dict[str, Any], library: Library) -> str:
    lines = [_("Provisions cited, and the clauses that implement them:")]
    for key, pins in data["provisions"].items():
        lines.append(f"  {library.instruments[key].short['en']}")
        for pin, ids in pins.items():
            lines.append(f"    {pin:<22} {', '.join(ids)}")
    lines += ["", _("Topics a complete directive covers:")]
    for topic in data["topics"]:
        if topic["clauses"]:
            status = ", ".join(topic["clauses"])
        elif topic["out_of_scope"]:
            status = _("out of scope: %(why)s", why=topic["out_of_scope"])
        else:
            status = _("NOT COVERED")
        lines.append(f"  {topic['number']:>2} {topic['topic']}\n       {status}")
    return "\n".join(lines)
