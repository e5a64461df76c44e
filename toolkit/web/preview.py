"""The directive as the answers stand, beside the questions: its body from the one document tree (the
HTML writer's), and how the answers measure against the standards (the findings of `draft check`)."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .. import api, i18n
from ..answers import Answers
from ..check import FALLS_SHORT
from ..render import compose, html


@dataclass(frozen=True)
class Findings:
    """The findings in words of the page's language, the shortfalls first."""

    summary: list[str]
    short: list[tuple[str, str, str, str]]      # (status, citation, requirement, why)
    rows: list[tuple[str, str, str, str]]
    status: dict[str, str]                      # status → its word


@dataclass(frozen=True)
class Preview:
    body: Markup
    findings: Findings


def preview(answers: Answers | None, lang: str) -> Preview | None:
    """None while a question without a proposed answer has no valid answer."""
    if answers is None:
        return None
    tree = api.document(answers, lang, api.BuildOptions(langs=(lang,)))
    body = html.body(tree, compose.labels(i18n.translator(lang)))
    report = api.compliance(answers, lang)
    rows = report.lines()
    words = {status: report.status(status) for status in {row[0] for row in rows}}
    return Preview(body, Findings(report.summary_lines(), [r for r in rows if r[0] == FALLS_SHORT], rows, words))
