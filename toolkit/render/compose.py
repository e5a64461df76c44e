"""Directive → document tree, in one language: the one place where words are chosen.

Translation, the filling of answers, the numbers of articles and annexes, the targets of references and
the citations are all decided here, once, for every writer. A clause's or a form's text is the library's
inline markup (emphasis); what fills its placeholders — answers, numbers — enters the tree as literal
text, and so does every translated label: nothing a user or a translator writes can become structure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

from .. import cache as cache_mod, expressions, typography
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
    map_texts,
    plain,
    text as literal,
)

# A placeholder of a clause text: an answer (%(max_age_months)s), a reference to an article or an annex of
# this document (%(article:separation.plan)s, %(annex:application)s), or a literal percent sign (%%).
_PLACEHOLDER = re.compile(r"%\(([^()\s]+)\)s|%%")
_MARKUP = frozenset("*_\\")
SOURCES, INSTRUMENTS = "sources", "instruments"

Where = tuple[Path | None, int | None, str]   # the file, line and id a text comes from, for its errors


@dataclass(frozen=True)
class Options:
    """What the document carries besides the articles."""

    citations: str = "footnotes"          # footnotes | annex | none
    notes: bool = False                   # drafting notes after each article
    departures: bool = False              # a last paragraph in each article that departs from a standard, naming it
    annexes: tuple[Annex, ...] = ()       # annexes composed elsewhere (the compliance findings), last
    forms: tuple[Form, ...] = ()          # the forms a directive may annex; the answers choose
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


def roman(number: int) -> str:
    """1 → "I", 14 → "XIV": how annexes are numbered."""
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        out += letters * count
    return out


def compose(directive: Directive, wording: Wording, options: Options | None = None) -> Document:
    return _Composer(directive, wording).document(options or Options())


class _Composer:
    """The words of one directive in one language. The toolkit's own words — clause and form texts,
    titles, labels, their translations — take the language's typography; answers fill their placeholders
    as they were typed, but for the contraction of an article with the preposition before it."""

    def __init__(self, directive: Directive, wording: Wording):
        self.directive, self.wording, self.t = directive, wording, wording.t
        self.values = directive.answers.values
        self.typeset = typography.setter(wording.t.lang)
        self.refs: dict[str, Ref] = {}

    def words(self, text: str) -> Content:
        """The toolkit's words, typeset."""
        return literal(self.typeset(text))

    def fill(self, template: str, slots: dict[str, Inline]) -> Content:
        """A translated template, typeset, with its placeholders filled."""
        return _merge(_expand(self.typeset(template), slots, self.t.lang))

    def answer(self, key: str) -> str:
        """A free-text answer in the language of the document ("" when it has none)."""
        value = self.values.get(key)
        return self.wording.text(value) if value is not None else ""

    def document(self, options: Options) -> Document:
        t, wording, directive, values = self.t, self.wording, self.directive, self.values
        forms = [form for form in options.forms if form.choice in (values.get(CHOOSER) or ())]
        annex_ids = [form.id for form in forms] + ([SOURCES, INSTRUMENTS] if options.citations != "none" else [])
        numbers = {key: roman(n) for n, key in enumerate([*annex_ids, *(a.id for a in options.annexes)], 1)}
        self.refs = {f"{REFERENCE}:{a.id}": Ref(a.id, str(a.number)) for a in directive.articles()}
        self.refs |= {f"{ANNEX_REFERENCE}:{key}": Ref(ANNEX_TARGET + key, number) for key, number in numbers.items()}
        parts, sources = [], []
        for part in directive.parts:
            articles = []
            for article in part.articles:
                clause = article.clause
                where = (clause.file, clause.line, clause.id)
                citation = self.typeset(wording.citations(clause, directive.library.instruments)) \
                    if clause.sources else ""
                title = self.typeset(wording.title(clause))
                paragraphs = []
                for number, paragraph in enumerate(article.paragraphs, 1):
                    content = self.text(clause.id, paragraph.paragraph, where)
                    if number == 1 and options.citations == "footnotes" and citation:
                        content += (Citation(literal(citation)),)
                    items = tuple(Item(n, self.text(clause.id, item, where))
                                  for n, item in enumerate(paragraph.items, 1))
                    paragraphs.append(Paragraph(number, content, items))
                if options.departures and clause.departs_from:
                    departed = wording.provisions(clause.departs_from, directive.library.instruments)
                    paragraphs.append(Paragraph(len(paragraphs) + 1, self.fill(
                        t.gettext("This article departs from %(provisions)s."), {"provisions": Text(departed)})))
                note = self.words(wording.note(clause)) if options.notes else ()
                articles.append(Article(article.id, article.number, literal(title), tuple(paragraphs), note))
                if citation:
                    sources.append(self.fill(t.pgettext("sources annex", "Article %(number)s (%(title)s): %(sources)s"),
                                             {"number": self.refs[f"{REFERENCE}:{article.id}"], "title": Text(title),
                                              "sources": Text(citation)}))
            parts.append(Part(part.section.key, self.words(wording.section_title(part.section.key, part.section.title)),
                              tuple(articles)))
        annexes = [Annex(form.id, "", self.words(t.lookup(f"{form.context}:title", form.title)), self.form(form))
                   for form in forms]
        if options.citations != "none":
            instruments = directive.library.instruments
            cited = [key for key in instruments if any(s.instrument == key for a in directive.articles()
                                                       for s in a.clause.sources)]
            annexes.append(Annex(SOURCES, "", self.words(t.gettext("Sources")), (
                Note(self.words(t.gettext("The articles of this directive implement the following provisions of "
                                          "international standards."))), Bullets(tuple(sources)))))
            annexes.append(Annex(INSTRUMENTS, "", self.words(t.gettext("Instruments cited")), (
                Bullets(tuple(self.words(f"{wording.instrument_short(instruments[key])}: "
                                         f"{wording.instrument_title(instruments[key])} "
                                         f"({wording.instrument_adoption(instruments[key])})") for key in cited)),)))
        annexes += [map_texts(annex, self.typeset) for annex in options.annexes]
        words = {key: self.answer(key) for key in ("jurisdiction", "issuing_authority", "directive_title",
                                                   "directive_reference", "signing_office")}
        block = [  # whole lines are translated: the typography around the colon differs by language
            (t.pgettext("title block", "Jurisdiction: %(value)s"), words["jurisdiction"]),
            (t.pgettext("title block", "Reference: %(value)s"), words["directive_reference"]),
            (t.pgettext("title block", "Date of adoption: %(value)s"), t.date(values["adoption_date"])),
            (t.pgettext("title block", "Entry into force: %(value)s"),
             t.date(values.get("entry_into_force") or values["adoption_date"])),
        ]
        # a name asked with its article ("the Kingdom of …") begins a line with a capital
        head = {key: typography.capitalized(words[key]) for key in ("jurisdiction", "issuing_authority",
                                                                    "signing_office")}
        # the office heads the enacting formula (a capital); it is written as given under the signature line
        reference, short = words["directive_reference"], self.answer("short_title")
        return Document(
            meta=Meta(title=words["directive_title"], subtitle=head["jurisdiction"], author=head["issuing_authority"],
                      reference=reference, date=values["adoption_date"].isoformat(), lang=t.lang,
                      paper=values.get("paper_size") or "a4", running=f"{short} — {reference}" if short else reference,
                      country=values.get("country_code") or "", toolkit_version=options.toolkit,
                      library_version=options.library),
            title=literal(words["directive_title"]), authority=literal(head["issuing_authority"]),
            block=tuple(self.fill(line, {"value": Text(value)}) for line, value in block),
            preamble=self.preamble(head["signing_office"], self.refs.get(f"{ANNEX_REFERENCE}:{INSTRUMENTS}")),
            parts=tuple(parts),
            signature=self.signature(words["signing_office"]),
            annexes=tuple(self.numbered(annex, numbers[annex.id]) for annex in annexes),
        )

    def text(self, context: str, english: str, where: Where) -> Content:
        """A text of a clause or a form, translated under `context` and typeset, its markup parsed and its
        placeholders filled with answers and references."""
        slots: dict[str, Inline] = {}
        questions = self.wording.questionnaire.by_key
        for name in {m.group(1) for m in _PLACEHOLDER.finditer(english) if m.group(1)}:
            kind, reference, target = name.partition(":")
            if reference:
                if name not in self.refs:
                    raise LibraryError(Problem(self.missing(kind, target), *where))
                slots[name] = self.refs[name]
            elif self.values.get(name) is None or self.values[name] in questions[name].allow:
                param = "%%(%s)s" % name
                raise LibraryError(Problem(_("the text uses %(param)s, but that question does not apply to these "
                                             "answers; add a condition", param=param), *where))
            else:
                slots[name] = Text(self.wording.value(name, self.values[name]))
        translated = self.typeset(self.t.lookup(context, english))
        return _merge(_expand_inline(_markup(translated), slots, self.t.lang))

    def missing(self, kind: str, target: str) -> str:
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

    def preamble(self, office: str, instruments: Ref | None) -> Preamble:
        """The enacting formula: the signing office, what it has regard to, the words that issue the directive."""
        t, recitals = self.t, []
        if self.answer("legal_basis"):
            recitals.append(self.fill(t.pgettext("preamble", "Having regard to %(legal_basis)s;"),
                                      {"legal_basis": Text(self.answer("legal_basis"))}))
        if instruments is not None:
            recitals.append(self.fill(t.pgettext("preamble", "Having regard to the international instruments "
                                                             "listed in Annex %(annex)s;"), {"annex": instruments}))
        else:
            recitals.append(self.words(t.pgettext(
                "preamble", "Having regard to the international standards on the treatment of prisoners and on the "
                            "rights of the child;")))
        return Preamble(self.fill(t.pgettext("preamble", "%(office)s,"), {"office": Text(office)}), tuple(recitals),
                        self.words(t.pgettext("preamble", "Issues this directive:")))

    def signature(self, office: str) -> Signature:
        t, date = self.t, Text(self.t.date(self.values["adoption_date"]))
        if self.answer("signing_place"):
            done = self.fill(t.pgettext("signature", "Done at %(place)s on %(date)s."),
                             {"place": Text(self.answer("signing_place")), "date": date})
        else:
            done = self.fill(t.pgettext("signature", "Done on %(date)s."), {"date": date})
        return Signature(done, literal(self.answer("signatory_name")), literal(office))

    def numbered(self, annex: Annex, number: str) -> Annex:
        heading = self.fill(self.t.pgettext("annex", "Annex %(number)s – %(title)s"),
                            {"number": Text(number), "title": Text(plain(annex.title))})
        return replace(annex, number=number, title=heading)

    def holds(self, condition: str | None, where: Where) -> bool:
        try:
            return expressions.holds(condition, self.values)
        except expressions.ConditionError as e:
            raise DefinitionError(Problem(str(e), *where)) from None

    def choices(self, key: str | None) -> list[Content]:
        """The labels of a choice or multiple-choice answer, each as a line of a form."""
        value = self.values.get(key) if key else None
        chosen = [] if value is None else value if isinstance(value, list) else [value]
        allowed = self.wording.questionnaire.by_key[key].allow if key else ()
        return [self.words(typography.capitalized(self.wording.choice(key, v))) for v in chosen if v not in allowed]

    def form(self, form: Form) -> tuple[Block, ...]:
        """A form's blocks that apply to these answers, their texts translated and filled."""
        blocks = []
        for spec in form.blocks:
            where = (form.file, spec.line, form.id)
            if self.holds(spec.when, where):
                blocks.append(self.block(spec, form.context, where))
        return tuple(block for block in blocks if not (isinstance(block, Fields) and not block.fields))

    def block(self, spec: BlockSpec, context: str, where: Where) -> Block:
        def text(english: str) -> Content:
            return self.text(context, english, where)

        if spec.kind == "heading":
            return Heading(text(spec.text))
        if spec.kind == "note":
            return Note(text(spec.text))
        if spec.kind == "fields":
            return Fields(tuple(Field(text(field.label), field.lines,
                                      tuple(text(o.text) for o in field.options if self.holds(o.when, where))
                                      + tuple(self.choices(field.options_from)))
                                for field in spec.fields if self.holds(field.when, where)))
        columns = tuple(text(column) for column in spec.columns)
        blank = ((),) * (len(columns) - 1)
        labels = [text(label.text) for label in spec.labels if self.holds(label.when, where)]
        labels += self.choices(spec.labels_from)
        count = spec.rows if isinstance(spec.rows, int) else self.values.get(spec.rows)
        count = count if isinstance(count, int) else getattr(count, "amount", 0) or 0
        return Table(columns, tuple((label, *blank) for label in labels) + (((), *blank),) * count)


def alone(document: Document, annex_id: str, t: Translator) -> Document:
    """One annex of a directive as a document of its own — a form for daily use — that names the
    directive it belongs to and keeps its number in it."""
    annex = next(annex for annex in document.annexes if annex.id == annex_id)
    meta = document.meta
    typeset = typography.setter(t.lang)
    running = plain(_expand(typeset(t.pgettext("annex", "%(reference)s, Annex %(number)s")),
                            {"reference": Text(meta.reference), "number": Text(annex.number)}, t.lang))
    line = _merge(_expand(typeset(t.pgettext("annex", "Annex %(number)s to %(reference)s, %(title)s")),
                          {"number": Text(annex.number), "reference": Text(meta.reference), "title": Text(meta.title)},
                          t.lang))
    return Document(meta=replace(meta, kind=ANNEX, running=running), title=(), authority=document.authority,
                    block=(line,), annexes=(annex,))


def sentence(t: Translator, template: str, **values: str) -> Content:
    """A translated line, typeset, with its placeholders filled with literal text."""
    return _merge(_expand(typography.setter(t.lang)(template), {name: Text(value) for name, value in values.items()},
                          t.lang))


@lru_cache(maxsize=1 << 14)   # the same texts in every document of a batch
def _markup(source: str) -> Content:
    """Inline markup of a clause text (emphasis, backslash escapes) as content, placeholders still in it;
    each text parsed once, the parse kept in the cache (a single build need not import markdown-it)."""
    if not _MARKUP.intersection(source):
        return (Text(source),)
    return _MARKED.get(source, _parsed)


def _parsed(source: str) -> Content:
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


_MARKED = cache_mod.Memo("markup", lambda: cache_mod.dependency("markdown_it"))


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


@lru_cache(maxsize=1 << 14)   # the same texts in every document of a batch
def _squashed(text: str) -> str:
    return SPACE.sub(" ", text)


def _merge(content: list[Inline] | Content) -> Content:
    """Adjacent literal texts as one, each run of white space (a translator's line break too) as one
    space, none at either end: the same text in every writer, in the fewest nodes (and Word runs)."""
    out: list[Inline] = []
    for node in content:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    out = [Text(_squashed(node.text)) if isinstance(node, Text) else node for node in out]
    if out and isinstance(out[0], Text):
        out[0] = Text(out[0].text.lstrip(" "))
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip(" "))
    return tuple(node for node in out if not (isinstance(node, Text) and not node.text))
