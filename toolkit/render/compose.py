"""Directive → document tree, in one language: the one place where words are chosen.

Translation, the filling of answers, the numbers of articles, the targets of references and the
citations are all decided here, once, for every writer. A clause's text is the library's inline markup
(emphasis); what fills its placeholders — answers, numbers — enters the tree as literal text, and so
does every translated label: nothing a user or a translator writes can become structure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..assemble import Directive
from ..errors import LibraryError, Problem
from ..i18n import Translator, _
from ..library import REFERENCE, Clause
from ..text import SPACE
from ..wording import Wording
from .tree import (
    Annex,
    Article,
    Citation,
    Content,
    Document,
    Emphasis,
    Inline,
    Item,
    Meta,
    Paragraph,
    Part,
    Ref,
    Text,
    text as literal,
)

# A placeholder of a clause text: an answer (%(max_age_months)s), a reference to an article of this
# document (%(article:separation.plan)s), or a literal percent sign (%%).
_PLACEHOLDER = re.compile(r"%\(([^()\s]+)\)s|%%")
_MARKUP = frozenset("*_\\")


@dataclass(frozen=True)
class Options:
    """What the document carries besides the articles."""

    citations: str = "footnotes"          # footnotes | annex | none
    notes: bool = False                   # drafting notes after each article
    annexes: tuple[Annex, ...] = ()       # annexes composed elsewhere (the compliance findings), first


PAGE, PAGES = "\x00PAGE", "\x00NUMPAGES"   # where a page label's fields go (no text holds a NUL)


@dataclass(frozen=True)
class Labels:
    """The words of the document's furniture, for writers that show them (a Word table of contents, a
    page footer, a comment's author)."""

    contents: str
    page: tuple[str, ...]                 # "Page ", PAGE, " of ", PAGES: text, and where the fields go
    drafting_note: str
    notes: str = "Notes"                  # the heading of footnotes gathered at the end of a page
    back: str = "Back to the text"        # the name of a link from a footnote back to its mark


def labels(t: Translator) -> Labels:
    page = _expand(t.pgettext("word", "Page %(page)s of %(pages)s"), {"page": Text(PAGE), "pages": Text(PAGES)})
    return Labels(contents=t.pgettext("word", "Contents"), page=tuple(node.text for node in page),
                  drafting_note=t.gettext("Drafting note"), notes=t.pgettext("html", "Notes"),
                  back=t.pgettext("html", "Back to the text"))


def compose(directive: Directive, wording: Wording, options: Options | None = None) -> Document:
    options = options or Options()
    t, values = wording.t, directive.answers.values
    targets = {article.clause.id: str(article.number) for article in directive.articles()}
    parts, sources = [], []
    for part in directive.parts:
        articles = []
        for article in part.articles:
            clause = article.clause
            citation = wording.citations(clause, directive.library.instruments)
            title = wording.title(clause)
            paragraphs = []
            for number, paragraph in enumerate(article.paragraphs, 1):
                content = _fill(clause, paragraph.paragraph, wording, directive, targets)
                if number == 1 and options.citations == "footnotes":
                    content += (Citation(literal(citation)),)
                items = tuple(Item(n, _fill(clause, item, wording, directive, targets))
                              for n, item in enumerate(paragraph.items, 1))
                paragraphs.append(Paragraph(number, content, items))
            note = literal(clause.note) if options.notes else ()
            articles.append(Article(clause.id, article.number, literal(title), tuple(paragraphs), note))
            line = t.pgettext("sources annex", "Article %(number)s (%(title)s): %(sources)s")
            sources.append(_merge(_expand(line, {"number": Ref(clause.id, str(article.number)),
                                                 "title": Text(title), "sources": Text(citation)})))
        parts.append(Part(part.section.key, literal(wording.section_title(part.section.key, part.section.title)),
                          tuple(articles)))
    annexes = list(options.annexes)
    if options.citations != "none":
        instruments = directive.library.instruments
        cited = [key for key in instruments if any(s.instrument == key for a in directive.articles()
                                                   for s in a.clause.sources)]
        annexes.append(Annex("sources", literal(t.gettext("Annex: Sources")),
                             literal(t.gettext("The articles of this directive implement the following "
                                               "provisions of international standards.")), tuple(sources)))
        annexes.append(Annex("instruments", literal(t.gettext("Annex: Instruments cited")), (),
                             tuple(literal(f"{wording.instrument_short(instruments[key])}: "
                                           f"{wording.instrument_title(instruments[key])} "
                                           f"({wording.instrument_adoption(instruments[key])})") for key in cited)))
    block = [  # whole lines are translated: the typography around the colon differs by language
        (t.pgettext("title block", "Jurisdiction: %(value)s"), values["jurisdiction"]),
        (t.pgettext("title block", "Reference: %(value)s"), values["directive_reference"]),
        (t.pgettext("title block", "Date of adoption: %(value)s"), t.date(values["adoption_date"])),
        (t.pgettext("title block", "Entry into force: %(value)s"),
         t.date(values.get("entry_into_force") or values["adoption_date"])),
    ]
    signature = t.gettext("Signed: %(office)s, %(authority)s")
    return Document(
        meta=Meta(title=values["directive_title"], subtitle=values["jurisdiction"],
                  author=values["issuing_authority"], reference=values["directive_reference"],
                  date=values["adoption_date"].isoformat(), lang=t.lang),
        title=literal(values["directive_title"]), authority=literal(values["issuing_authority"]),
        block=tuple(_merge(_expand(line, {"value": Text(value)})) for line, value in block),
        parts=tuple(parts),
        signature=_merge(_expand(signature, {"office": Text(values["signing_office"]),
                                             "authority": Text(values["issuing_authority"])})),
        annexes=tuple(annexes),
    )


def _fill(clause: Clause, english: str, wording: Wording, directive: Directive, targets: dict[str, str]) -> Content:
    """A paragraph or item of a clause, translated, its markup parsed and its placeholders filled."""
    translated = wording.t.lookup(clause.id, english)
    answers = directive.answers.values
    slots: dict[str, Inline] = {}
    for name in {m.group(1) for m in _PLACEHOLDER.finditer(english) if m.group(1)}:
        kind, _sep, target = name.partition(":")
        if kind == REFERENCE:
            if target not in targets:
                raise LibraryError(Problem(_("the text refers to %(ref)s, which these answers leave out of the "
                                             "directive; add a condition to the clause", ref=target),
                                           clause.file, clause.line, clause.id))
            slots[name] = Ref(target, targets[target])
        elif answers.get(name) is None or answers[name] in wording.questionnaire.by_key[name].allow:
            param = "%%(%s)s" % name
            raise LibraryError(Problem(_("the text uses %(param)s, but that question does not apply to these "
                                         "answers; add a condition to the clause", param=param),
                                       clause.file, clause.line, clause.id))
        else:
            slots[name] = Text(wording.value(name, answers[name]))
    return _merge(_expand_inline(_markup(translated), slots))


def _markup(source: str) -> Content:
    """Inline markup of a clause text (emphasis, backslash escapes) as content, placeholders still in it."""
    if not _MARKUP.intersection(source):
        return (Text(source),)
    stack: list[tuple[str, list[Inline]]] = [("", [])]
    for token in _inline_parser().parseInline(source)[0].children or []:
        kind = token.type
        if kind in ("text", "text_special"):
            stack[-1][1].append(Text(token.content))
        elif kind == "softbreak":
            stack[-1][1].append(Text(" "))
        elif kind.endswith("_open"):
            stack.append((kind, []))
        elif kind.endswith("_close") and len(stack) > 1:
            opened, children = stack.pop()
            stack[-1][1].append(Emphasis(tuple(children), strong=opened == "strong_open"))
    return tuple(stack[0][1])


@cache
def _inline_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("zero").enable(["emphasis", "escape"])


def _expand_inline(content: Content, slots: dict[str, Inline]) -> Content:
    out: list[Inline] = []
    for node in content:
        if isinstance(node, Text):
            out += _expand(node.text, slots)
        elif isinstance(node, Emphasis):
            out.append(Emphasis(_merge(_expand_inline(node.children, slots)), node.strong))
        else:
            out.append(node)
    return tuple(out)


def _expand(template: str, slots: dict[str, Inline]) -> list[Inline]:
    """A translated string with its placeholders replaced by their nodes; the rest is literal text."""
    out: list[Inline] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > position:
            out.append(Text(template[position:match.start()]))
        name = match.group(1)
        out.append(Text("%") if name is None else slots.get(name, Text(match.group())))
        position = match.end()
    if position < len(template):
        out.append(Text(template[position:]))
    return out


def _merge(content: list[Inline] | Content) -> Content:
    """Adjacent literal texts as one, each run of white space (a translator's line break too) as one
    space, none at either end: the same text in every writer, in the fewest nodes (and Word runs)."""
    out: list[Inline] = []
    for node in content:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    out = [Text(SPACE.sub(" ", node.text)) if isinstance(node, Text) else node for node in out]
    if out and isinstance(out[0], Text):
        out[0] = Text(out[0].text.lstrip(" "))
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip(" "))
    return tuple(node for node in out if not (isinstance(node, Text) and not node.text))
