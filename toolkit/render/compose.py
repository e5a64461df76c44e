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

from .. import typography
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
    map_texts,
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
    departures: bool = False              # a last paragraph in each article that departs from a standard, naming it
    annexes: tuple[Annex, ...] = ()       # annexes composed elsewhere (the compliance findings), first
    toolkit: str = ""                     # what built it: the toolkit's version …
    library: str = ""                     # … and the library's (provenance.library_version)


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
    skip: str = "Skip to the text"        # a link past the title block and contents, for keyboard users


def labels(t: Translator) -> Labels:
    page = _expand(t.pgettext("word", "Page %(page)s of %(pages)s"), {"page": Text(PAGE), "pages": Text(PAGES)}, t.lang)
    return Labels(contents=t.pgettext("word", "Contents"), page=tuple(node.text for node in page),
                  drafting_note=t.gettext("Drafting note"), notes=t.pgettext("html", "Notes"),
                  back=t.pgettext("html", "Back to the text"), skip=t.pgettext("html", "Skip to the text"))


def compose(directive: Directive, wording: Wording, options: Options | None = None) -> Document:
    return _Composer(directive, wording).document(options or Options())


class _Composer:
    """The words of one directive in one language. The toolkit's own words — clause texts, titles,
    labels, their translations — take the language's typography; answers fill their placeholders as
    they were typed, but for the contraction of an article with the preposition before it."""

    def __init__(self, directive: Directive, wording: Wording):
        self.directive, self.wording, self.t = directive, wording, wording.t
        self.typeset = typography.setter(wording.t.lang)
        self.targets = {article.id: str(article.number) for article in directive.articles()}

    def words(self, text: str) -> Content:
        """The toolkit's words, typeset."""
        return literal(self.typeset(text))

    def fill(self, template: str, slots: dict[str, Inline]) -> Content:
        """A translated template, typeset, with its placeholders filled."""
        return _merge(_expand(self.typeset(template), slots, self.t.lang))

    def document(self, options: Options) -> Document:
        t, wording, directive = self.t, self.wording, self.directive
        values = directive.answers.values
        parts, sources = [], []
        for part in directive.parts:
            articles = []
            for article in part.articles:
                clause = article.clause
                citation = self.typeset(wording.citations(clause, directive.library.instruments))
                title = self.typeset(wording.title(clause))
                paragraphs = []
                for number, paragraph in enumerate(article.paragraphs, 1):
                    content = self.clause_text(clause, paragraph.paragraph)
                    if number == 1 and options.citations == "footnotes":
                        content += (Citation(literal(citation)),)
                    items = tuple(Item(n, self.clause_text(clause, item)) for n, item in enumerate(paragraph.items, 1))
                    paragraphs.append(Paragraph(number, content, items))
                if options.departures and clause.departs_from:
                    departed = wording.provisions(clause.departs_from, directive.library.instruments)
                    paragraphs.append(Paragraph(len(paragraphs) + 1, self.fill(
                        t.gettext("This article departs from %(provisions)s."), {"provisions": Text(departed)})))
                note = self.words(wording.note(clause)) if options.notes else ()
                articles.append(Article(article.id, article.number, literal(title), tuple(paragraphs), note))
                sources.append(self.fill(t.pgettext("sources annex", "Article %(number)s (%(title)s): %(sources)s"),
                                         {"number": Ref(article.id, str(article.number)), "title": Text(title),
                                          "sources": Text(citation)}))
            parts.append(Part(part.section.key, self.words(wording.section_title(part.section.key, part.section.title)),
                              tuple(articles)))
        annexes = [map_texts(annex, self.typeset) for annex in options.annexes]
        if options.citations != "none":
            instruments = directive.library.instruments
            cited = [key for key in instruments if any(s.instrument == key for a in directive.articles()
                                                       for s in a.clause.sources)]
            annexes.append(Annex("sources", self.words(t.gettext("Annex: Sources")),
                                 self.words(t.gettext("The articles of this directive implement the following "
                                                      "provisions of international standards.")), tuple(sources)))
            annexes.append(Annex("instruments", self.words(t.gettext("Annex: Instruments cited")), (),
                                 tuple(self.words(f"{wording.instrument_short(instruments[key])}: "
                                                  f"{wording.instrument_title(instruments[key])} "
                                                  f"({wording.instrument_adoption(instruments[key])})")
                                       for key in cited)))
        words = {key: wording.text(values[key]) for key in ("jurisdiction", "issuing_authority", "directive_title",
                                                             "directive_reference", "signing_office")}
        block = [  # whole lines are translated: the typography around the colon differs by language
            (t.pgettext("title block", "Jurisdiction: %(value)s"), words["jurisdiction"]),
            (t.pgettext("title block", "Reference: %(value)s"), words["directive_reference"]),
            (t.pgettext("title block", "Date of adoption: %(value)s"), t.date(values["adoption_date"])),
            (t.pgettext("title block", "Entry into force: %(value)s"),
             t.date(values.get("entry_into_force") or values["adoption_date"])),
        ]
        # a name asked with its article ("the Kingdom of …") begins a line with a capital
        head = {key: typography.capitalized(words[key]) for key in ("jurisdiction", "issuing_authority")}
        return Document(
            meta=Meta(title=words["directive_title"], subtitle=head["jurisdiction"], author=head["issuing_authority"],
                      reference=words["directive_reference"], date=values["adoption_date"].isoformat(), lang=t.lang,
                      country=values.get("country_code") or "", toolkit_version=options.toolkit,
                      library_version=options.library),
            title=literal(words["directive_title"]), authority=literal(head["issuing_authority"]),
            block=tuple(self.fill(line, {"value": Text(value)}) for line, value in block),
            parts=tuple(parts),
            signature=self.fill(t.gettext("Signed: %(office)s, %(authority)s"),
                                {"office": Text(words["signing_office"]),
                                 "authority": Text(words["issuing_authority"])}),
            annexes=tuple(annexes),
        )

    def clause_text(self, clause: Clause, english: str) -> Content:
        """A paragraph or item of a clause, translated and typeset, its markup parsed and its
        placeholders filled."""
        answers = self.directive.answers.values
        slots: dict[str, Inline] = {}
        for name in {m.group(1) for m in _PLACEHOLDER.finditer(english) if m.group(1)}:
            kind, _sep, target = name.partition(":")
            if kind == REFERENCE:
                if target not in self.targets:
                    raise LibraryError(Problem(_("the text refers to %(ref)s, which these answers leave out of the "
                                                 "directive; add a condition to the clause", ref=target),
                                               clause.file, clause.line, clause.id))
                slots[name] = Ref(target, self.targets[target])
            elif answers.get(name) is None or answers[name] in self.wording.questionnaire.by_key[name].allow:
                param = "%%(%s)s" % name
                raise LibraryError(Problem(_("the text uses %(param)s, but that question does not apply to these "
                                             "answers; add a condition to the clause", param=param),
                                           clause.file, clause.line, clause.id))
            else:
                slots[name] = Text(self.wording.value(name, answers[name]))
        translated = self.typeset(self.t.lookup(clause.id, english))
        return _merge(_expand_inline(_markup(translated), slots, self.t.lang))


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


def _expand_inline(content: Content, slots: dict[str, Inline], lang: str) -> Content:
    out: list[Inline] = []
    for node in content:
        if isinstance(node, Text):
            out += _expand(node.text, slots, lang)
        elif isinstance(node, Emphasis):
            out.append(Emphasis(_merge(_expand_inline(node.children, slots, lang)), node.strong))
        else:
            out.append(node)
    return tuple(out)


def _expand(template: str, slots: dict[str, Inline], lang: str) -> list[Inline]:
    """A translated string with its placeholders replaced by their nodes; the rest is literal text. An
    answer's article contracts with the preposition before it (« de » + « le Royaume » → « du Royaume »)."""
    out: list[Inline] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > position:
            out.append(Text(template[position:match.start()]))
        name = match.group(1)
        node = Text("%") if name is None else slots.get(name, Text(match.group()))
        if isinstance(node, Text) and name is not None and out and isinstance(out[-1], Text):
            before, value = typography.contract(out[-1].text, node.text, lang)
            out[-1], node = Text(before), Text(value)
        out.append(node)
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
