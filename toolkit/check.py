"""How the answers measure against the standards: each provision meets, falls short, or is not addressed.

The rules are data (toolkit/standards.yaml, next to the questionnaire): a reader sees in one place what
each standard requires and which answers fall short of it.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import expressions, resources, yamlfile
from .answers import Answers
from .errors import DefinitionError, Problem
from .i18n import _
from .library import Instrument, Source
from .quantity import plain
from .questionnaire import DOES_NOT_APPLY, NOT_REGULATED, Questionnaire
from .render.tree import REPORT, Annex, Document, Meta, Note, Table, text
from .text import squash
from .wording import Wording

MEETS, FALLS_SHORT, NOT_ADDRESSED, NOT_APPLICABLE = "meets", "falls_short", "not_addressed", "does_not_apply"
STATUSES = (FALLS_SHORT, MEETS, NOT_ADDRESSED, NOT_APPLICABLE)


@dataclass(frozen=True)
class Rule:
    id: str
    provisions: tuple[Source, ...]
    requires: str
    questions: tuple[str, ...]
    falls_short: str
    because: str


@dataclass(frozen=True)
class Finding:
    rule: Rule
    status: str
    answers: tuple[tuple[str, Any, int | None], ...]   # (key, value, line) of the answers the rule read


def load(questionnaire: Questionnaire, instruments: dict[str, Instrument],
         path: Path | None = None) -> tuple[Rule, ...]:
    """The rules (by default the package's standards.yaml), checked against the questionnaire and the
    instruments catalogue."""
    path = path or resources.path("standards.yaml")
    data = yamlfile.load(path, _("a standards file"))
    problems, result = [], []
    for raw in data.get("rules", []):
        where = (path, getattr(raw, "line", None), raw.get("id"))
        provisions = tuple(Source(*str(p).split(None, 1)) for p in raw.get("provisions", []))
        for source in provisions:
            inst = instruments.get(source.instrument)
            why = (_("unknown instrument %(key)r", key=source.instrument) if inst is None
                   else inst.pinpoint_problem(source.pinpoint))
            if why:
                problems.append(Problem(why, *where))
        names = set(raw.get("questions", [])) | set(expressions.names_in(str(raw.get("falls_short", "false"))))
        for name in sorted(names - set(questionnaire.by_key)):
            problems.append(Problem(_("unknown question %(key)r", key=name), *where))
        result.append(Rule(str(raw["id"]), provisions, squash(raw["requires"]),
                           tuple(raw.get("questions", [])), str(raw["falls_short"]), squash(raw["because"])))
    if problems:
        raise DefinitionError(problems, _("The standards file is invalid:"))
    return tuple(result)


def evaluate(rules: tuple[Rule, ...], answers: Answers) -> list[Finding]:
    findings = []
    for rule in rules:
        read = tuple((k, answers.values.get(k), answers.lines.get(k)) for k in rule.questions)
        silent = [value for _, value, _ in read if value in (None, NOT_REGULATED, DOES_NOT_APPLY)]
        if len(silent) == len(read):   # every answer the rule reads is absent, left to other law or inapplicable
            status = NOT_APPLICABLE if DOES_NOT_APPLY in silent else NOT_ADDRESSED
        elif expressions.holds(rule.falls_short, answers.values):
            status = FALLS_SHORT
        elif DOES_NOT_APPLY in silent:   # the answers that address the rule do not settle it on their own
            status = NOT_APPLICABLE
        elif NOT_REGULATED in silent:
            status = NOT_ADDRESSED
        else:
            status = MEETS
        findings.append(Finding(rule, status, read))
    return findings


def _pinpoint_order(source: Source, instruments: dict) -> tuple:
    """Catalogue order of instruments; numeric order of provisions, or the order of headings."""
    inst = instruments[source.instrument]
    number = re.match(r"\d+", source.pinpoint)
    position = list(inst.headings).index(source.pinpoint) if inst.headings else int(number.group()) if number else 0
    return (list(instruments).index(source.instrument), position, source.pinpoint)


def by_provision(findings: list[Finding],
                 instruments: dict[str, Instrument]) -> list[tuple[Source, str, list[Finding]]]:
    """Each provision with its worst status and the findings that bear on it, in catalogue order."""
    grouped: dict[Source, list[Finding]] = {}
    for finding in findings:
        for source in finding.rule.provisions:
            grouped.setdefault(source, []).append(finding)
    result = []
    for source in sorted(grouped, key=lambda s: _pinpoint_order(s, instruments)):
        items = grouped[source]
        status = min(items, key=_weight).status
        result.append((source, status, items))
    return result


def _weight(finding: Finding) -> int:
    """How much a finding decides its provision's status: a shortfall first, then a matter left to other
    law (the provision is not addressed, even where other rules on it are met), then the rest."""
    if finding.status == NOT_ADDRESSED and _marked(finding):
        return 1
    return {FALLS_SHORT: 0, MEETS: 2, NOT_ADDRESSED: 3, NOT_APPLICABLE: 4}[finding.status]


def summary(rows: list[tuple[Source, str, list[Finding]]]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for source, status, _findings in rows:
        counts = table.setdefault(source.instrument, dict.fromkeys(STATUSES, 0))
        counts[status] += 1
    return table


class ComplianceReport:
    """The findings for one answers file, in words of one language."""

    def __init__(self, answers: Answers, wording: Wording, rules: tuple[Rule, ...], instruments: dict[str, Instrument]):
        self.answers = answers
        self.wording = wording
        self.findings = evaluate(rules, answers)
        self.rows = by_provision(self.findings, instruments)
        self.instruments = instruments

    @property
    def falls_short(self) -> bool:
        return any(f.status == FALLS_SHORT for f in self.findings)

    def status(self, status: str) -> str:
        t = self.wording.t
        return {MEETS: t.pgettext("check", "meets"), FALLS_SHORT: t.pgettext("check", "falls short"),
                NOT_ADDRESSED: t.pgettext("check", "not addressed"),
                NOT_APPLICABLE: t.pgettext("check", "does not apply")}[status]

    def requires(self, rule: Rule) -> str:
        return self.wording.t.lookup(f"standard:{rule.id}:requires", rule.requires)

    def because(self, rule: Rule) -> str:
        return self.wording.t.lookup(f"standard:{rule.id}:because", rule.because)

    def cause(self, finding: Finding, marked: bool = False, lines: bool = True) -> str:
        """The answers behind a shortfall (or, `marked`, those left to other law or not applying), as
        `key: value (file:line)`; without the line for a document that leaves the drafter's files behind
        (an annex, the ministry's report)."""
        parts = []
        for key, value, line in finding.answers:
            if value is None or (marked and value not in (NOT_REGULATED, DOES_NOT_APPLY)):
                continue
            shown = self.wording.value(key, value) if value != [] else "—"
            where = f" ({self.answers.path.name}:{line})" if lines and self.answers.path and line else ""
            parts.append(f"{key}: {shown}{where}")
        return "; ".join(parts)

    def cite(self, source: Source) -> str:
        return self.wording.cite(self.instruments[source.instrument], source.pinpoint)

    def as_json(self) -> dict[str, Any]:
        return {
            "answers": str(self.answers.path) if self.answers.path else None,
            "falls_short": self.falls_short,
            "provisions": [
                {"provision": str(source), "citation": self.cite(source), "status": status,
                 "rules": [{"id": f.rule.id, "status": f.status, "requires": self.requires(f.rule),
                            **({"because": self.because(f.rule)} if f.status == FALLS_SHORT else {}),
                            **({"answers": {k: _json_value(v) for k, v, _line in f.answers},
                                "lines": {k: line for k, _, line in f.answers if line}}
                               if f.status == FALLS_SHORT or _marked(f) else {})}
                           for f in findings]}
                for source, status, findings in self.rows],
            "summary": summary(self.rows),
        }

    def lines(self, answer_lines: bool = True) -> list[tuple[str, str, str, str]]:
        """(status, citation, requirement, why) for each provision: why it falls short, or which answers
        leave it to other law or say it does not apply."""
        out = []
        for source, status, findings in self.rows:
            if status == FALLS_SHORT:
                short = [f for f in findings if f.status == FALLS_SHORT]
                why = " ".join(f"{self.because(f.rule)} [{self.cause(f, lines=answer_lines)}]" for f in short)
            else:
                why = " ".join(dict.fromkeys(f"[{self.cause(f, marked=True, lines=answer_lines)}]" for f in findings
                                             if f.status in (NOT_ADDRESSED, NOT_APPLICABLE) and _marked(f)))
            requirement = " ".join(dict.fromkeys(self.requires(f.rule) for f in findings))
            out.append((status, self.cite(source), requirement, why))
        return out

    def summary_lines(self) -> list[str]:
        t = self.wording.t
        lines = []
        for key, counts in summary(self.rows).items():
            line = (t.pgettext("check", "%(instrument)s: %(meets)s meet, %(short)s fall short, %(none)s not addressed, "
                                        "%(na)s do not apply") if counts[NOT_APPLICABLE] else
                    t.pgettext("check", "%(instrument)s: %(meets)s meet, %(short)s fall short, %(none)s not addressed"))
            lines.append(line % {"instrument": self.wording.instrument_short(self.instruments[key]),
                                 "meets": counts[MEETS], "short": counts[FALLS_SHORT], "none": counts[NOT_ADDRESSED],
                                 "na": counts[NOT_APPLICABLE]})
        return lines

    def text(self, markdown: bool = False, width: int = 100) -> str:
        """The report for people: Markdown, or text wrapped to `width` (a terminal's)."""
        t = self.wording.t
        from .render.md import escape

        esc = escape if markdown else (lambda s: s)
        title = t.pgettext("check", "How the answers measure against the international standards")
        summary_label = t.pgettext("check", "Summary")
        out = [f"# {esc(title)}" if markdown else title, ""]
        if self.answers.path:
            out += [str(self.answers.path), ""]
        for status, citation, requirement, why in self.lines():
            if markdown:
                out.append(f"- **{esc(self.status(status))}** — {esc(citation)}: {esc(requirement)}"
                           + (f" *{esc(why)}*" if why else ""))
                continue
            pad = " " * 16
            out.append(textwrap.fill(f"{self.status(status).upper():<15} {citation}", width, subsequent_indent=pad))
            out.append(textwrap.fill(requirement, width, initial_indent=pad, subsequent_indent=pad))
            if why:
                because = t.pgettext("check", "Why: %(why)s") % {"why": why}
                out.append(textwrap.fill(because, width, initial_indent=pad, subsequent_indent=pad))
        out += ["", f"## {esc(summary_label)}" if markdown else summary_label]
        out += [(f"- {esc(line)}" if markdown else textwrap.fill(line, width, initial_indent="  ",
                                                                 subsequent_indent="    "))
                for line in self.summary_lines()]
        return "\n".join(out) + "\n"


def _json_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else plain(value)


def _marked(finding: Finding) -> bool:
    """Whether an answer the finding read leaves the matter to other law or says it does not apply."""
    return any(value in (NOT_REGULATED, DOES_NOT_APPLY) for _key, value, _line in finding.answers)


def findings_table(report: ComplianceReport) -> Table:
    """The findings, one row per provision: what it requires, whether the answers meet it, and why not."""
    t = report.wording.t
    columns = (t.pgettext("check", "Provision"), t.pgettext("check", "Requirement"), t.pgettext("check", "Finding"),
               t.pgettext("check", "Reasons"))
    return Table(tuple(text(c) for c in columns),
                 tuple((text(citation), text(requirement), text(report.status(status)), text(why))
                       for status, citation, requirement, why in report.lines(answer_lines=False)))


def summary_table(report: ComplianceReport) -> Table:
    """For each instrument, how many of its provisions the answers meet, fall short of, leave unaddressed
    (and, where any, do not apply to)."""
    rows = summary(report.rows)
    statuses = [MEETS, FALLS_SHORT, NOT_ADDRESSED] + ([NOT_APPLICABLE] if any(c[NOT_APPLICABLE] for c in
                                                                             rows.values()) else [])
    return Table((text(report.wording.t.pgettext("check", "Instrument")), *(text(report.status(s)) for s in statuses)),
                 tuple((text(report.wording.instrument_short(report.instruments[key])),
                        *(text(report.wording.t.number(counts[status])) for status in statuses))
                       for key, counts in rows.items()))


def annex(report: ComplianceReport) -> Annex:
    """The compliance findings as an annex of the directive (numbered when the directive is composed)."""
    t = report.wording.t
    return Annex("compliance", "", text(t.pgettext("check", "Compliance with international standards")),
                 (Note(text(t.pgettext("check", "For each provision, whether this directive meets it, falls short "
                                                "of it (and why), or does not address it."))),
                  findings_table(report)))


def document(report: ComplianceReport) -> Document:
    """The report as a document of its own for the ministry, in its language: what the directive is,
    then the findings and the summary as tables (no answers-file lines: the reader has no such file)."""
    from .render.compose import sentence

    t, values = report.wording.t, report.answers.values

    def answer(key: str) -> str:
        return report.wording.text(values[key]) if values.get(key) is not None else ""

    title = t.pgettext("check", "How the answers measure against the international standards")
    reference = answer("directive_reference")
    block = [sentence(t, t.pgettext("check", "Directive: %(value)s"), value=answer("directive_title")),
             sentence(t, t.pgettext("title block", "Jurisdiction: %(value)s"), value=answer("jurisdiction")),
             sentence(t, t.pgettext("title block", "Reference: %(value)s"), value=reference)]
    intro = t.pgettext("check", "For each provision, whether this directive meets it, falls short of it (and why), "
                                "or does not address it.")
    date = values.get("adoption_date")
    return Document(
        meta=Meta(title=title, subtitle=answer("jurisdiction"), author=answer("issuing_authority"),
                  reference=reference, date=date.isoformat() if date else "1980-01-01", lang=t.lang, kind=REPORT,
                  paper=values.get("paper_size") or "a4",
                  running=" — ".join(filter(None, [reference, t.pgettext("check", "Compliance report")]))),
        title=text(title), authority=text(answer("issuing_authority")), block=tuple(block),
        annexes=(Annex("findings", "", text(t.pgettext("check", "Findings")), (Note(text(intro)),
                                                                              findings_table(report))),
                 Annex("summary", "", text(t.pgettext("check", "Summary")), (summary_table(report),))))
