"""Directive → Markdown (CommonMark + footnotes + YAML front matter), in one language.

One sandboxed Jinja environment with StrictUndefined renders templates/directive.md.j2. Everything
that comes from answers, clauses or translations is escaped for Markdown before it reaches the
template, so `*`, `#`, `1.` or `{{ 7*7 }}` typed by a user comes out literally.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import resources
from ..assemble import Directive
from ..i18n import Translator
from ..text import squash
from ..wording import Wording

_INLINE = re.compile(r"([\\`*_\[\]<>#|~&!])")
_BLOCK_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-+=>])")


def escape(text: str) -> str:
    """Plain text → Markdown that reads as the same plain text."""
    text = _INLINE.sub(r"\\\1", squash(text))
    return _BLOCK_START.sub(lambda m: (m.group(1) or "") + m.group(2) + "\\" + m.group(3) if m.group(2)
                            else (m.group(4) or "") + "\\" + m.group(5), text)


@cache
def environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(resources.path("templates"))), undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"], autoescape=False, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    return env


@dataclass
class Options:
    """What the rendered document carries besides the articles."""

    citations: str = "footnotes"          # footnotes | annex | none
    notes: bool = False                   # drafting notes after each article
    annexes: list[dict[str, Any]] = field(default_factory=list)  # extra annexes (already escaped)


def metadata(directive: Directive, t: Translator) -> dict[str, str]:
    values = directive.answers.values
    return {
        "title": values["directive_title"],
        "subtitle": values["jurisdiction"],
        "author": values["issuing_authority"],
        "reference": values["directive_reference"],
        "date": values["adoption_date"].isoformat(),
        "lang": t.lang,
    }


def render(directive: Directive, wording: Wording, options: Options | None = None) -> str:
    options = options or Options()
    t, values = wording.t, directive.answers.values
    lib = directive.library
    env = environment()
    env.install_gettext_callables(t.gettext, t.ngettext, newstyle=True, pgettext=t.pgettext,
                                  npgettext=t.npgettext)
    block = [  # whole lines are translated: typography around the colon differs by language
        (t.pgettext("title block", "Jurisdiction: %(value)s"), values["jurisdiction"]),
        (t.pgettext("title block", "Reference: %(value)s"), values["directive_reference"]),
        (t.pgettext("title block", "Date of adoption: %(value)s"), t.date(values["adoption_date"])),
        (t.pgettext("title block", "Entry into force: %(value)s"),
         t.date(values.get("entry_into_force") or values["adoption_date"])),
    ]
    parts, footnotes, sources = [], [], []
    for part in directive.parts:
        articles = []
        for article in part.articles:
            clause = article.clause
            paragraphs = [{"text": escape(wording.fill(clause, p.paragraph, directive.answers)),
                           "items": [escape(wording.fill(clause, item, directive.answers)) for item in p.items]}
                          for p in article.paragraphs]
            citation = wording.citations(clause, lib.instruments)
            title = wording.title(clause)
            if options.citations == "footnotes":
                footnotes.append((article.number, escape(citation)))
            sources.append(escape(t.pgettext("sources annex", "Article %(number)s (%(title)s): %(sources)s")
                                  % {"number": article.number, "title": title, "sources": citation}))
            articles.append({"number": article.number, "title": escape(title), "paragraphs": paragraphs,
                             "footnote": options.citations == "footnotes",
                             "note": escape(clause.note) if options.notes and clause.note else ""})
        parts.append({"title": escape(wording.section_title(part.section.key, part.section.title)),
                      "articles": articles})
    annexes = list(options.annexes)
    if options.citations != "none":
        cited = sorted({s.instrument for a in directive.articles() for s in a.clause.sources},
                       key=lambda k: list(lib.instruments).index(k))
        annexes.append({"title": escape(t.gettext("Annex: Sources")),
                        "intro": escape(t.gettext("The articles of this directive implement the following "
                                                  "provisions of international standards.")),
                        "lines": sources})
        annexes.append({"title": escape(t.gettext("Annex: Instruments cited")), "intro": "",
                        "lines": [escape(f"{wording.instrument_short(lib.instruments[k])}: "
                                         f"{wording.instrument_title(lib.instruments[k])} "
                                         f"({wording.instrument_adoption(lib.instruments[k])})") for k in cited]})
    front = yaml.safe_dump(metadata(directive, t), allow_unicode=True, sort_keys=False, width=1000).strip()
    return environment().get_template("directive.md.j2").render(
        front_matter=front, title=escape(values["directive_title"]), authority=escape(values["issuing_authority"]),
        signing_office=escape(values["signing_office"]),
        block=[escape(line) % {"value": escape(value)} for line, value in block],
        parts=parts, footnotes=footnotes, annexes=annexes,
    )
