"""Answers + library → Directive: the clauses that apply, in order, with their articles numbered.

The Directive is language-neutral: it holds clauses and the answers; words are chosen when it is
rendered. Numbering is computed here, once, so every output form agrees. A clause's variant whose
condition holds takes the clause's place, its number and the references to it.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import expressions
from .answers import Answers
from .errors import LibraryError, Problem
from .library import Clause, Library, Section


@dataclass(frozen=True)
class Numbered:
    """A paragraph that applies, with the items of it that apply (English; translated when rendered)."""

    paragraph: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    number: int
    clause: Clause                     # the clause, or the variant of it, whose wording these answers select
    paragraphs: tuple[Numbered, ...]   # only those that apply, with their applicable items

    @property
    def id(self) -> str:
        """The id the article answers to: the clause whose place it holds, whichever wording was selected."""
        return self.clause.place


@dataclass(frozen=True)
class Part:
    section: Section
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Directive:
    answers: Answers
    library: Library
    parts: tuple[Part, ...]

    def articles(self):
        for part in self.parts:
            yield from part.articles


def _applies(condition: str | None, answers: Answers, clause: Clause) -> bool:
    try:
        return expressions.holds(condition, answers.values)
    except expressions.ConditionError as e:
        raise LibraryError(Problem(str(e), clause.file, clause.line, clause.id)) from None


def selected(library: Library, clause: Clause, answers: Answers) -> Clause | None:
    """The wording of a clause these answers select: its first variant whose condition holds, else the
    clause itself if its condition holds, else none."""
    for variant in library.variants(clause.id):
        if _applies(variant.when, answers, variant):
            return variant
    return clause if _applies(clause.when, answers, clause) else None


OMITTED = "sections_elsewhere"   # the answer that lists the sections left to other instruments


def assemble(library: Library, answers: Answers) -> Directive:
    """The clauses that apply, numbered in order; the sections the answers leave to other instruments are
    left out, and the articles that follow are numbered as if they had never been there."""
    parts, number = [], 0
    omitted = set(answers.values.get(OMITTED) or ())
    for section in library.sections:
        if section.key in omitted:
            continue
        articles = []
        for base in section.clauses:
            clause = None if base.variant_of else selected(library, base, answers)
            if clause is None:
                continue
            kept = []
            for paragraph in clause.text:
                if _applies(paragraph.when, answers, clause):
                    items = tuple(item.text for item in paragraph.items if _applies(item.when, answers, clause))
                    kept.append(Numbered(paragraph.text, items))
            if kept:
                number += 1
                articles.append(Article(number, clause, tuple(kept)))
        if articles:
            parts.append(Part(section, tuple(articles)))
    return Directive(answers, library, tuple(parts))
