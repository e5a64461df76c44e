"""Directive → document tree, in one language: the one place where words are chosen.

Translation, the filling of answers, the numbers of articles and annexes, the targets of references and
the citations are all decided here, once, for every writer. A clause's or a form's text is the library's
inline markup (emphasis); what fills its placeholders — answers, numbers — enters the tree as literal
text, and so does every translated label: nothing a user or a translator writes can become structure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from .. import expressions
from ..assemble import OMITTED, Directive
from ..errors import DefinitionError, LibraryError, Problem
from ..forms import CHOOSER, BlockSpec, Form
from ..i18n import Translator, _
from ..library import ANNEX_REFERENCE, REFERENCE
from ..text import SPACE
from ..wording import Wording
from .tree import (
    ANNEX,
    ANNEX_TARGET,
    Annex,
    Article,
    Block,
    Bullets,
    Citation,
    Content,
    Document,
    Emphasis,
    Field,
    Fields,
    Heading,
    Inline,
    Item,
    Meta,
    Note,
    Paragraph,
    Part,
    Preamble,
    Ref,
    Signature,
    Table,
    Text,
    plain,
    text as literal,
)

# A placeholder of a clause text: an answer (%(max_age_months)s), a reference to an article or an annex of
# this document (%(article:separation.plan)s, %(annex:application)s), or a literal percent sign (%%).
_PLACEHOLDER = re.compile(r"%\(([^()\s]+)\)s|%%")
_MARKUP = frozenset("*_\\")
SOURCES, INSTRUMENTS = "sources", "instruments"


@dataclass(frozen=True)
class Options:
    """What the document carries besides the articles."""

    citations: str = "footnotes"          # footnotes | annex | none
    notes: bool = False                   # drafting notes after each article
    annexes: tuple[Annex, ...] = ()       # annexes composed elsewhere (the compliance findings), last
    forms: tuple[Form, ...] = ()          # the forms a directive may annex; the answers choose


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


def roman(number: int) -> str:
    """1 → "I", 14 → "XIV": how annexes are numbered."""
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        out += letters * count
    return out


class _Filler:
    """Fills texts of one directive — clause paragraphs, form fields — with its answers and references."""

    def __init__(self, directive: Directive, wording: Wording, refs: dict[str, Ref]):
        self.directive = directive
        self.wording = wording
        self.values = directive.answers.values
        self.refs = refs

    def __call__(self, context: str, english: str, where: tuple[Path | None, int | None, str]) -> Content:
        """A text translated under `context`, its markup parsed and its placeholders filled."""
        translated = self.wording.t.lookup(context, english)
        slots: dict[str, Inline] = {}
        for name in {m.group(1) for m in _PLACEHOLDER.finditer(english) if m.group(1)}:
            kind, reference, target = name.partition(":")
            if reference:
                if name not in self.refs:
                    raise LibraryError(Problem(self._missing(kind, target), *where))
                slots[name] = self.refs[name]
            elif self.values.get(name) is None:
                param = "%%(%s)s" % name
                raise LibraryError(Problem(_("the text uses %(param)s, but that question does not apply to these "
                                             "answers; add a condition", param=param), *where))
            else:
                slots[name] = Text(self.wording.value(name, self.values[name]))
        return _merge(_expand_inline(_markup(translated), slots))

    def _missing(self, kind: str, target: str) -> str:
        """Why a reference has no target in this build."""
        if kind == ANNEX_REFERENCE:
            return _("the text refers to annex %(ref)s, which this directive does not annex; add a condition (for "
                     "a form, on %(key)s)", ref=target, key=CHOOSER)
        clause = self.directive.library.clause(target)
        if clause is not None and clause.section in (self.values.get(OMITTED) or ()):
            condition = "when: '\"%s\" not in %s'" % (clause.section, OMITTED)
            return _("the text refers to %(ref)s, in the section %(section)s that these answers leave to other "
                     "instruments; make the referring text conditional (%(condition)s)", ref=target,
                     section=clause.section, condition=condition)
        return _("the text refers to %(ref)s, which these answers leave out of the directive; add a condition to "
                 "the clause", ref=target)

    def holds(self, condition: str | None, where: tuple) -> bool:
        try:
            return expressions.holds(condition, self.values)
        except expressions.ConditionError as e:
            raise DefinitionError(Problem(str(e), *where)) from None

    def choices(self, key: str | None) -> list[Content]:
        """The labels of a choice or multiple-choice answer, each as a line of a form."""
        value = self.values.get(key) if key else None
        values = [] if value is None else value if isinstance(value, list) else [value]
        return [literal(_capital(self.wording.choice(key, v))) for v in values]


def compose(directive: Directive, wording: Wording, options: Options | None = None) -> Document:
    options = options or Options()
    t, values = wording.t, directive.answers.values
    forms = [form for form in options.forms if form.choice in (values.get(CHOOSER) or ())]
    annex_ids = [form.id for form in forms] + ([SOURCES, INSTRUMENTS] if options.citations != "none" else [])
    annex_ids += [annex.id for annex in options.annexes]
    numbers = {annex_id: roman(n) for n, annex_id in enumerate(annex_ids, 1)}
    refs = {f"{REFERENCE}:{a.clause.id}": Ref(a.clause.id, str(a.number)) for a in directive.articles()}
    refs |= {f"{ANNEX_REFERENCE}:{key}": Ref(ANNEX_TARGET + key, number) for key, number in numbers.items()}
    fill = _Filler(directive, wording, refs)
    parts, sources = [], []
    for part in directive.parts:
        articles = []
        for article in part.articles:
            clause = article.clause
            where = (clause.file, clause.line, clause.id)
            citation = wording.citations(clause, directive.library.instruments) if clause.sources else ""
            title = wording.title(clause)
            paragraphs = []
            for number, paragraph in enumerate(article.paragraphs, 1):
                content = fill(clause.id, paragraph.paragraph, where)
                if number == 1 and options.citations == "footnotes" and citation:
                    content += (Citation(literal(citation)),)
                items = tuple(Item(n, fill(clause.id, item, where)) for n, item in enumerate(paragraph.items, 1))
                paragraphs.append(Paragraph(number, content, items))
            note = literal(clause.note) if options.notes else ()
            articles.append(Article(clause.id, article.number, literal(title), tuple(paragraphs), note))
            if citation:
                line = t.pgettext("sources annex", "Article %(number)s (%(title)s): %(sources)s")
                sources.append(_merge(_expand(line, {"number": refs[f"{REFERENCE}:{clause.id}"], "title": Text(title),
                                                     "sources": Text(citation)})))
        parts.append(Part(part.section.key, literal(wording.section_title(part.section.key, part.section.title)),
                          tuple(articles)))
    annexes = [Annex(form.id, "", literal(t.lookup(f"{form.context}:title", form.title)), _form(form, fill))
               for form in forms]
    if options.citations != "none":
        instruments = directive.library.instruments
        cited = [key for key in instruments if any(s.instrument == key for a in directive.articles()
                                                   for s in a.clause.sources)]
        annexes.append(Annex(SOURCES, "", literal(t.gettext("Sources")), (
            Note(literal(t.gettext("The articles of this directive implement the following provisions of "
                                   "international standards."))), Bullets(tuple(sources)))))
        annexes.append(Annex(INSTRUMENTS, "", literal(t.gettext("Instruments cited")), (
            Bullets(tuple(literal(f"{wording.instrument_short(instruments[key])}: "
                                  f"{wording.instrument_title(instruments[key])} "
                                  f"({wording.instrument_adoption(instruments[key])})") for key in cited)),)))
    annexes += options.annexes
    block = [  # whole lines are translated: the typography around the colon differs by language
        (t.pgettext("title block", "Jurisdiction: %(value)s"), values["jurisdiction"]),
        (t.pgettext("title block", "Reference: %(value)s"), values["directive_reference"]),
        (t.pgettext("title block", "Date of adoption: %(value)s"), t.date(values["adoption_date"])),
        (t.pgettext("title block", "Entry into force: %(value)s"),
         t.date(values.get("entry_into_force") or values["adoption_date"])),
    ]
    reference, short = values["directive_reference"], values.get("short_title")
    return Document(
        meta=Meta(title=values["directive_title"], subtitle=values["jurisdiction"],
                  author=values["issuing_authority"], reference=reference,
                  date=values["adoption_date"].isoformat(), lang=t.lang, paper=values.get("paper_size") or "a4",
                  running=f"{short} — {reference}" if short else reference),
        title=literal(values["directive_title"]), authority=literal(values["issuing_authority"]),
        block=tuple(_merge(_expand(line, {"value": Text(value)})) for line, value in block),
        preamble=_preamble(t, values, refs.get(f"{ANNEX_REFERENCE}:{INSTRUMENTS}")),
        parts=tuple(parts),
        signature=_signature(t, values),
        annexes=tuple(_numbered(t, annex, numbers[annex.id]) for annex in annexes),
    )


def _preamble(t: Translator, values: dict, instruments: Ref | None) -> Preamble:
    """The enacting formula: the signing office, what it has regard to, the words that issue the directive."""
    recitals = []
    if values.get("legal_basis"):
        recitals.append(_merge(_expand(t.pgettext("preamble", "Having regard to %(legal_basis)s;"),
                                       {"legal_basis": Text(values["legal_basis"])})))
    if instruments is not None:
        recitals.append(_merge(_expand(t.pgettext("preamble", "Having regard to the international instruments "
                                                              "listed in Annex %(annex)s;"), {"annex": instruments})))
    else:
        recitals.append(literal(t.pgettext("preamble", "Having regard to the international standards on the "
                                                       "treatment of prisoners and on the rights of the child;")))
    office = _merge(_expand(t.pgettext("preamble", "%(office)s,"), {"office": Text(values["signing_office"])}))
    return Preamble(office, tuple(recitals), literal(t.pgettext("preamble", "Issues this directive:")))


def _signature(t: Translator, values: dict) -> Signature:
    date = Text(t.date(values["adoption_date"]))
    if values.get("signing_place"):
        done = _expand(t.pgettext("signature", "Done at %(place)s on %(date)s."),
                       {"place": Text(values["signing_place"]), "date": date})
    else:
        done = _expand(t.pgettext("signature", "Done on %(date)s."), {"date": date})
    return Signature(_merge(done), literal(values.get("signatory_name") or ""), literal(values["signing_office"]))


def _numbered(t: Translator, annex: Annex, number: str) -> Annex:
    heading = _expand(t.pgettext("annex", "Annex %(number)s – %(title)s"),
                      {"number": Text(number), "title": Text(plain(annex.title))})
    return replace(annex, number=number, title=_merge(heading))


def _form(form: Form, fill: _Filler) -> tuple[Block, ...]:
    """A form's blocks that apply to these answers, their texts translated and filled."""
    blocks = []
    for spec in form.blocks:
        where = (form.file, spec.line, form.id)
        if fill.holds(spec.when, where):
            blocks.append(_block(spec, form.context, fill, where))
    return tuple(block for block in blocks if not (isinstance(block, Fields) and not block.fields))


def _block(spec: BlockSpec, context: str, fill: _Filler, where: tuple) -> Block:
    def text(english: str) -> Content:
        return fill(context, english, where)

    if spec.kind == "heading":
        return Heading(text(spec.text))
    if spec.kind == "note":
        return Note(text(spec.text))
    if spec.kind == "fields":
        return Fields(tuple(Field(text(field.label), field.lines,
                                  tuple(text(o.text) for o in field.options if fill.holds(o.when, where))
                                  + tuple(fill.choices(field.options_from)))
                            for field in spec.fields if fill.holds(field.when, where)))
    columns = tuple(text(column) for column in spec.columns)
    blank = ((),) * (len(columns) - 1)
    labels = [text(label.text) for label in spec.labels if fill.holds(label.when, where)]
    labels += fill.choices(spec.labels_from)
    count = spec.rows if isinstance(spec.rows, int) else fill.values.get(spec.rows) or 0
    return Table(columns, tuple((label, *blank) for label in labels) + (((), *blank),) * count)


def alone(document: Document, annex_id: str, t: Translator) -> Document:
    """One annex of a directive as a document of its own — a form for daily use — that names the
    directive it belongs to and keeps its number in it."""
    annex = next(annex for annex in document.annexes if annex.id == annex_id)
    meta = document.meta
    running = plain(_expand(t.pgettext("annex", "%(reference)s, Annex %(number)s"),
                             {"reference": Text(meta.reference), "number": Text(annex.number)}))
    line = _merge(_expand(t.pgettext("annex", "Annex %(number)s to %(reference)s, %(title)s"),
                          {"number": Text(annex.number), "reference": Text(meta.reference), "title": Text(meta.title)}))
    return Document(meta=replace(meta, kind=ANNEX, running=running), title=(), authority=document.authority,
                    block=(line,), annexes=(annex,))


def sentence(template: str, **values: str) -> Content:
    """A translated line with its placeholders filled with literal text."""
    return _merge(_expand(template, {name: Text(value) for name, value in values.items()}))


def _capital(text: str) -> str:
    """A choice's label as the first words of a line ("the parent's …" → "The parent's …")."""
    return text[:1].upper() + text[1:]


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
