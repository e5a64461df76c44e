"""What the library holds, for people and for programs: clause listings, one clause in full, the
instruments, and the concordance of provisions and topics to clauses.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from .errors import DraftError, Problem
from .i18n import _
from .library import Clause, Library


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


def format_detail(detail: dict[str, Any]) -> str:
    lines = [f"{detail['id']} — {detail['title']}", f"  {_('section')}: {detail['section']}"]
    if detail["when"]:
        lines.append(f"  {_('included when')}: {detail['when']}")
    if detail["params"]:
        lines.append(f"  {_('parameters')}: {', '.join(detail['params'])}")
    lines.append(f"  {_('sources')}: {'; '.join(detail['sources'])}")
    lines.append("")
    for n, p in enumerate(detail["text"], 1):
        cond = f"   [{_('when')} {p['when']}]" if p["when"] else ""
        lines.append(f"  {n}. {p['text']}{cond}")
        for letter, item in zip("abcdefghijklmnopqrstuvwxyz", p["items"], strict=False):
            cond = f"   [{_('when')} {item['when']}]" if item["when"] else ""
            lines.append(f"     ({letter}) {item['text']}{cond}")
    if detail["note"]:
        lines += ["", f"  {_('Drafting note')}: {detail['note']}"]
    lines.append(f"  ({detail['file']}:{detail['line']})")
    return "\n".join(lines)


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
