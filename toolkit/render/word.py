"""Document tree → .docx, with python-docx and small OOXML helpers.

Structure maps to built-in Word styles and real Word features: headings, legal numbering in
numbering.xml (article 1. / paragraph 1.1 / item (a)), footnotes, a table-of-contents field whose entries
link to bookmarked headings through PAGEREF fields, PAGE/NUMPAGES fields, comments for drafting notes,
tables for forms and findings. A directive opens on a title page; the contents, the body and each annex
start a page. The writer visits the tree and reads no text for structure. Bytes are deterministic: every
date is the adoption date.
"""
from __future__ import annotations

import gc
import io
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.text.paragraph import Paragraph

from .. import cache
from . import letterhead, ooxml, pages
from .compose import Labels
from .tree import (
    ANNEX,
    DIRECTIVE,
    Annex,
    Article,
    Block,
    Bullets,
    Citation,
    Content,
    Document,
    Emphasis,
    Fields,
    Heading,
    Inline,
    Meta,
    Note,
    Preamble,
    Ref,
    Signature,
    Table,
    Text,
    plain,
)

# Word's language tags for the output languages; others pass through.
_LANG_TAGS = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}
# Built-in styles the writer uses, by their internal Word names; copied from the default template
# into a reference document that lacks them.
_STYLES_NEEDED = ["Normal", "Title", "Subtitle", "heading 1", "heading 2", "heading 3", "List Number",
                  "List Number 2", "List Bullet", "Quote", "TOC Heading", "header", "footer", "Table Grid"]
_TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
BOOKMARK = "_Toc"          # the prefix of the bookmarks the contents point at (Word's own, hidden)
BOX = "\u2610"             # a box to tick on a form
_LINE = 454                # the height of a line to write on, in twentieths of a point (8 mm)
# Spacing that reads as typeset: space between an article's paragraphs, less between its items.
_TUNED = {"List Number": '<w:spacing w:before="0" w:after="120"/>',
          "List Number 2": '<w:spacing w:before="0" w:after="60"/>',
          "List Bullet": '<w:spacing w:before="0" w:after="60"/>'}


@dataclass
class WordOptions:
    lang: str = "en"
    reference: Path | None = None      # a letterhead: its styles, page setup, header and footer
    notes_as_comments: bool = True


def _default():
    """python-docx's template without what belongs to that template rather than to a directive (its
    bibliography customXml, stylesWithEffects and thumbnail), with list spacing that reads as typeset."""
    document = docx.Document()
    ooxml.drop_relationships(document.part, RT.CUSTOM_XML, ooxml.STYLES_WITH_EFFECTS)
    ooxml.drop_relationships(document.part.package, RT.THUMBNAIL)
    for name, spacing in _TUNED.items():
        style = document.styles[name].element
        ppr = style.get_or_add_pPr()
        for element in ppr.findall(qn("w:contextualSpacing")):
            ppr.remove(element)
        ooxml.add_properties(style, spacing)
    return document


def _reference(path: Path):
    """The user's letterhead, read bounded and cleaned (render/letterhead: its body emptied, what reaches
    outside or runs removed), with its comments and thumbnail removed; styles, page setup (the body's
    sectPr), header and footer stay. A numbering part is added if it has none."""
    document = docx.Document(io.BytesIO(letterhead.load(path).data))
    ooxml.drop_relationships(document.part, ooxml.STYLES_WITH_EFFECTS, *ooxml.COMMENT_PARTS)
    ooxml.drop_relationships(document.part.package, RT.THUMBNAIL)
    try:
        document.part.numbering_part  # noqa: B018 - python-docx raises when the letterhead has none
    except NotImplementedError:
        part = NumberingPart(PackURI("/word/numbering.xml"),
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
                             parse_xml(f"<w:numbering {nsdecls('w')}/>"), document.part.package)
        document.part.relate_to(part, RT.NUMBERING)
    return document


def _base(reference: Path | None):
    return _default() if reference is None else _reference(reference)


def _file_key(path: Path | None) -> tuple[int, int] | None:
    """What tells one version of a file from another (a letterhead edited while a process runs)."""
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:  # reading it fails the same way, with the message the user needs
        return None
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=16)
def _prepared(reference: Path | None, version: tuple[int, int] | None, lang_tag: str) -> bytes:
    """The base document with every style, the language and the settings a directive needs, saved once
    per letterhead `version` (only a cache key) and language, and kept in the user's cache between
    runs: reading the template and copying styles into it would otherwise cost more than writing the
    directive's body."""
    name = f"word-base-{lang_tag}" if reference is None else f"word-letterhead-{lang_tag}"
    return cache.cached(name, [reference], lambda: _prepare(reference, lang_tag), docx.__version__, lang_tag)


def _prepare(reference: Path | None, lang_tag: str) -> bytes:
    with letterhead.guard(reference):
        document = _base(reference)
        _ensure_styles(document, reference is not None)
        ooxml.set_language(document, lang_tag)
        ooxml.widow_control(document)
        ooxml.forget_template_state(document)
    out = io.BytesIO()
    document.save(out)
    del document
    gc.collect()  # python-docx's parts and package refer to each other: free their XML trees now
    return out.getvalue()


def _style_ids(options: WordOptions) -> dict[str, str]:
    """The style ids of the base a document starts from (_start): read once per base, every document
    made from it having its styles."""
    return _base_style_ids(options.reference, _file_key(options.reference), _LANG_TAGS.get(options.lang, options.lang))


@lru_cache(maxsize=16)
def _base_style_ids(reference: Path | None, version: tuple[int, int] | None, lang_tag: str) -> dict[str, str]:
    return ooxml.style_ids(docx.Document(io.BytesIO(_prepared(reference, version, lang_tag))))


def _start(options: WordOptions, meta: Meta | None = None):
    """A fresh document to write a directive's body into, its paper and margins those of `meta` (a
    letterhead keeps its own)."""
    lang_tag = _LANG_TAGS.get(options.lang, options.lang)
    document = docx.Document(io.BytesIO(_prepared(options.reference, _file_key(options.reference), lang_tag)))
    if meta is not None:
        pages.set_up(document, meta, options.reference is not None)
    return document


def _ensure_styles(document, reference: bool) -> None:
    """Give the document every built-in style the writer uses: from the default template when a
    reference document lacks one, or defined here when the default template lacks it too. Without a
    reference, the document is the default template and has all it could copy."""
    if reference:
        default = _default()
        ooxml.relink_style_lists(default, document)
        ooxml.copy_styles(default, document, _STYLES_NEEDED)
    ooxml.ensure_style(document, "FootnoteText", "footnote text", "paragraph",
                       '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
                       '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
                       '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>', based_on="Normal")
    ooxml.ensure_style(document, "FootnoteReference", "footnote reference", "character",
                       '<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>')
    # Contents: an article's wrapped title aligns after its number, and no title runs under the page numbers.
    for level, indent, before in ((1, '<w:ind w:left="0" w:right="567"/>', 120),
                                  (2, '<w:ind w:left="794" w:right="567" w:hanging="567"/>', 0)):
        ooxml.ensure_style(document, f"TOC{level}", f"toc {level}", "paragraph",
                           '<w:autoRedefine/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
                           f'<w:pPr><w:spacing w:before="{before}" w:after="20"/>{indent}</w:pPr>',
                           based_on="Normal")
    ooxml.ensure_style(document, "CommentText", "annotation text", "paragraph",
                       '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
                       '<w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr>'
                       '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>', based_on="Normal")
    ooxml.ensure_style(document, "CommentReference", "annotation reference", "character",
                       '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
                       '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>')


Run = tuple[str, bool, bool]   # text, bold, italic


def runs(content: Content, bold: bool = False, italic: bool = False) -> list[Run]:
    """The Word runs of inline content: adjacent text of one format is one run (a reference shows as
    its number). Citations are left out: they are footnotes of their own."""
    out: list[Run] = []
    for node in content:
        if isinstance(node, Emphasis):
            out += runs(node.children, bold or node.strong, italic or not node.strong)
            continue
        if isinstance(node, Text):
            value = node.text
        elif isinstance(node, Ref):
            value = node.label
        else:
            continue
        if out and out[-1][1:] == (bold, italic):
            out[-1] = (out[-1][0] + value, bold, italic)
        else:
            out.append((value, bold, italic))
    return out


class Row(NamedTuple):
    """A row of a table as written: each cell its lines (a paragraph each), and how the row looks."""

    cells: tuple[tuple[Content, ...], ...]
    header: bool = False
    height: int | None = None
    shade: tuple[int, ...] = ()


_KEEP = "<w:keepNext/>"
_SPACER = '<w:spacing w:before="0" w:after="0" w:line="40" w:lineRule="exact"/>'   # a paragraph 2 points high
_PAGE_BREAK = "<w:pageBreakBefore/>"
_CENTRED = '<w:jc w:val="center"/>'


def _strong(content: Content) -> Content:
    return (Emphasis(content, strong=True),) if content else ()


class _Writer:
    def __init__(self, document, options: WordOptions, labels: Labels, stamp: str):
        self.doc = document
        self.options = options
        self.labels = labels
        self.style_ids = _style_ids(options)
        self.footnotes = ooxml.Footnotes(document, self.style_id("footnote text"), self.style_id("footnote reference"))
        self.num_id = ooxml.add_legal_numbering(document)
        self.stamp = stamp
        self.width = pages.text_width(document)   # between the margins, in twentieths of a point
        self.body = document.element.body
        self.body_end = self.body.find(qn("w:sectPr"))
        self.marks: dict[tuple[str, str], str] = {}   # (kind, id) of a heading → its bookmark
        self.has_contents = False  # whether a table of contents is written (its page numbers still to fill)

    def style_id(self, name: str) -> str:
        """The id of a style, from the table read once: python-docx's own lookup walks every style each time."""
        return self.style_ids[name.lower()]

    def paragraph(self, style: str, content: Content = (), numbering: tuple[int, int] | None = None,
                  properties: tuple[str, ...] = (), parent=None):
        """A paragraph at the end of the body (or of `parent`, a table cell), in `style`, numbered
        (numId, level) when given, with more paragraph `properties`, holding `content` (its citations as
        footnotes)."""
        style_id = self.style_id(style)
        p = ooxml.new_paragraph(self.body if parent is None else parent, self.body_end if parent is None else None,
                                None if style_id == self.style_id("Normal") else style_id, numbering)
        if properties:
            ooxml.add_properties(p, *properties)
        self.inline(p, content)
        return Paragraph(p, self.doc)

    def inline(self, p, content: Content) -> None:
        pending: list[Inline] = []
        for node in content:
            if isinstance(node, Citation):
                self._runs(p, pending)
                pending = []
                self.footnotes.add(p, [(text, {"bold": bold, "italic": italic})
                                       for text, bold, italic in runs(node.children)])
            else:
                pending.append(node)
        self._runs(p, pending)

    def _runs(self, p, content: list[Inline]) -> None:
        """Text runs; a reference to an article of this document is a REF field to its heading's bookmark."""
        pending: list[Inline] = []
        for node in content:
            mark = self.marks.get(("article", node.target)) if isinstance(node, Ref) else None
            if mark is None:
                pending.append(node)
                continue
            self._text(p, pending)
            pending = []
            ooxml.add_reference(p, mark, node.label)
        self._text(p, pending)

    @staticmethod
    def _text(p, content: list[Inline]) -> None:
        for text, bold, italic in runs(tuple(content)):
            ooxml.add_text_run(p, text, bold, italic)

    def heading(self, style: str, content: Content, key: tuple[str, str], numbering=None, properties=()):
        """A heading, bookmarked when the table of contents lists it."""
        paragraph = self.paragraph(style, content, numbering, properties)
        if key in self.marks:
            ooxml.bookmark(paragraph._p, int(self.marks[key].removeprefix(BOOKMARK)), self.marks[key])
        return paragraph

    def document(self, document: Document) -> None:
        kind = document.meta.kind
        if kind == DIRECTIVE:
            self.title_page(document)
            self.table_of_contents(document)
        elif kind == ANNEX:
            self.paragraph("Subtitle", document.authority)
            for line in document.block:
                self.paragraph("Normal", line)
        else:
            self.paragraph("Title", document.title)
            self.paragraph("Subtitle", document.authority)
            for line in document.block:
                self.paragraph("Normal", line)
        if document.preamble:
            self.preamble(document.preamble)
        for index, part in enumerate(document.parts):
            breaks = (_PAGE_BREAK,) if index == 0 and not document.preamble and kind == DIRECTIVE else ()
            self.heading("Heading 1", part.title, ("part", part.id), properties=breaks)
            for article in part.articles:
                self.article(article)
        if document.signature:
            last = self.body_end.getprevious()
            if last is not None and last.tag == qn("w:p"):   # the signature never stands alone on a page
                ooxml.add_properties(last, _KEEP)
            self.signature(document.signature)
        for annex in document.annexes:
            self.annex(annex, page_break=kind == DIRECTIVE)

    def title_page(self, document: Document) -> None:
        """Title, issuing authority and the title block, alone on the first page."""
        self.paragraph("Title", document.title, properties=('<w:spacing w:before="2880"/>', _CENTRED))
        self.paragraph("Subtitle", document.authority, properties=(_CENTRED,))
        for index, line in enumerate(document.block):
            self.paragraph("Normal", line, properties=(_CENTRED,) + (('<w:spacing w:before="1440"/>',)
                                                                     if index == 0 else ()))

    def preamble(self, preamble: Preamble) -> None:
        """The enacting formula, on the first page of the body, kept with the first article."""
        self.paragraph("Normal", _strong(preamble.office), properties=(_KEEP, _PAGE_BREAK))
        for recital in preamble.recitals:
            self.paragraph("Normal", recital, properties=(_KEEP, '<w:ind w:left="567"/>'))
        self.paragraph("Normal", _strong(preamble.enacting), properties=(_KEEP,))

    def article(self, article: Article) -> None:
        heading = self.heading("Heading 2", article.title, ("article", article.id), (self.num_id, 0))
        last = heading
        for paragraph in article.paragraphs:
            keep = (_KEEP,) if paragraph.items else ()   # "… shall state:" stays with its first item
            last = self.paragraph("List Number", paragraph.content, (self.num_id, 1), keep)
            for item in paragraph.items:
                last = self.paragraph("List Number 2", item.content, (self.num_id, 2))
        if article.note:
            if self.options.notes_as_comments:
                self.comment(heading, last, article.note)
            else:
                self.paragraph("Quote", article.note)

    def signature(self, signature: Signature) -> None:
        """Place and date, room to sign above a line, then the signatory's name and office, kept together."""
        self.paragraph("Normal", signature.done, properties=(_KEEP, '<w:spacing w:before="360"/>'))
        self.paragraph("Normal", (), properties=(_KEEP, *self.signature_line()))
        if signature.name:
            self.paragraph("Normal", signature.name, properties=(_KEEP, '<w:spacing w:after="0"/>'))
        self.paragraph("Normal", signature.office)

    def signature_line(self) -> tuple[str, ...]:
        """The properties of the empty paragraph whose border is the line to sign on, some 8 cm long."""
        return ('<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>',
                '<w:spacing w:before="840" w:after="60"/>', f'<w:ind w:right="{max(self.width - 4536, 0)}"/>')

    def annex(self, annex: Annex, page_break: bool = True) -> None:
        self.heading("Heading 1", annex.title, ("annex", annex.id), properties=(_PAGE_BREAK,) if page_break else ())
        for block in annex.blocks:
            self.block(block)

    def block(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.paragraph("Heading 3", block.content)
        elif isinstance(block, Note):
            self.paragraph("Normal", block.content)
        elif isinstance(block, Bullets):
            for entry in block.entries:
                self.paragraph("List Bullet", entry)
        elif isinstance(block, Fields):
            self.fields(block)
        else:
            self.table(block)

    def fields(self, block: Fields) -> None:
        """A form's fields as a table: the label in a grey cell, room to write (or boxes to tick) beside it."""
        self.grid(*self.rows(block))

    def table(self, block: Table) -> None:
        """A table with its heading row repeated on every page; empty rows leave a line to write on."""
        self.grid(*self.rows(block))

    def rows(self, block: Fields | Table) -> tuple[list[int], list[Row]]:
        """The column widths and the rows of a form's fields or of a table, each cell its paragraphs."""
        if isinstance(block, Fields):
            return [2, 3], [Row(((field.label,), tuple((Text(f"{BOX} "), *option) for option in field.options)
                                 or ((),)), height=None if field.options else _LINE * max(field.lines, 1),
                                shade=(0,)) for field in block.fields]
        widths = _widths(block, self.width)
        rows = [Row(tuple((_strong(c),) for c in block.columns), header=True, shade=tuple(range(len(widths))))]
        rows += [Row(tuple((c,) for c in row), height=_LINE if not any(row[1:]) else None) for row in block.rows]
        return widths, rows

    def grid(self, widths: list[int], rows: list[Row]):
        """A table of `rows` at the end of the body between two paragraphs: a thin one before it (what a
        tracked change that deletes the paragraph above merges into) and the one Word needs between two
        tables, which spaces them; returns the table."""
        self.paragraph("Normal", properties=(_SPACER,))
        table = ooxml.new_table(self.body, self.body_end, self.style_id("Table Grid"), widths)
        for row in rows:
            for cell, lines in zip(ooxml.add_row(table, widths, row.header, row.height, row.shade), row.cells,
                                   strict=True):
                for line in lines:
                    self.paragraph("Normal", line, parent=cell)
        self.paragraph("Normal")
        return table

    def comment(self, first, last, note: Content) -> None:
        """A drafting note as a Word comment spanning its article, from heading to last paragraph,
        dated the adoption date so that two builds are byte-identical."""
        start = first.runs or [first.add_run()]
        end = last.runs or [last.add_run()]
        comment = self.doc.add_comment([start[0], end[-1]], text=plain(note), author=self.labels.drafting_note,
                                       initials="DN")
        comment._comment_elm.set(qn("w:date"), self.stamp)
        paragraph = comment.paragraphs[0]
        paragraph._p.style = self.style_id("annotation text")
        paragraph.runs[0]._r.style = self.style_id("annotation reference")

    def table_of_contents(self, document: Document) -> None:
        """The TOC field on a page of its own. Its result is already written: each heading with a link to
        its bookmark and a page reference, whose number LibreOffice's layout fills in (ooxml.
        fill_page_numbers) or Word on opening; a viewer that updates no field still shows the headings."""
        self.paragraph("TOC Heading", (Text(self.labels.contents),), properties=(_PAGE_BREAK,))
        entries = []
        for part in document.parts:
            entries.append(("toc 1", plain(part.title), ("part", part.id)))
            entries += [("toc 2", f"{article.number}. {plain(article.title)}", ("article", article.id))
                        for article in part.articles]
        entries += [("toc 1", plain(annex.title), ("annex", annex.id)) for annex in document.annexes]
        tab = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{self.width}"/></w:tabs>'
        paragraph = None
        self.has_contents = True
        for index, (style, text, key) in enumerate(entries):
            self.marks[key] = f"{BOOKMARK}{index + 1:08d}"
            paragraph = self.paragraph(style, properties=(tab,))
            if index == 0:
                ooxml.begin_field(paragraph, _TOC_INSTRUCTION)
            ooxml.add_contents_entry(paragraph._p, text, self.marks[key])
        ooxml.end_field(paragraph)


_CHAR = 115   # the width of a character of body text, about, in twentieths of a point


def _widths(block: Table, width: int) -> list[int]:
    """Column widths within `width`: each column the room for its longest word, and what is left shared as
    its text grows (less than in proportion, so that no column starves another); a column left empty
    for the reader to fill in gets a share to write in."""
    least, shares = [], []
    for column in zip(block.columns, *block.rows, strict=True):
        texts = [plain(cell) for cell in column]
        least.append((max((len(w) for text in texts for w in text.split()), default=4) + 2) * _CHAR)
        share = min(max(map(len, texts)), 400) ** 0.5
        shares.append(max(share, 6.0) if len(column) > 1 and not any(column[1:]) else share)
    spare = max(width - sum(least), 0)
    return [round(low + spare * share / (sum(shares) or 1)) for low, share in zip(least, shares, strict=True)]


def header_text(meta: Meta) -> str:
    """The running header the writer puts on the pages (the reference, for a document read from the
    Markdown of an older build that records none)."""
    return meta.running or meta.reference


def _properties(document, meta: Meta, options: WordOptions, custom: dict[str, str]) -> None:
    """Core and extended properties written afresh: only what the directive says, dated its adoption."""
    props = document.core_properties
    element = props._element
    for child in list(element):
        element.remove(child)
    when = datetime.fromisoformat(meta.date)
    props.title = ooxml.property_text(meta.title)
    props.subject = ooxml.property_text(meta.subtitle)
    props.author = ooxml.property_text(meta.author)
    props.last_modified_by = ooxml.property_text(meta.author)
    props.language = _LANG_TAGS.get(options.lang, options.lang)
    if meta.reference:
        props.identifier = ooxml.property_text(meta.reference)
    props.revision = 1
    props.created = when
    props.modified = when
    ooxml.set_app_properties(document, meta.author)
    ooxml.set_custom_properties(document, {"ToolkitVersion": meta.toolkit_version,
                                           "LibraryVersion": meta.library_version, **custom})


def write(document: Document, labels: Labels, options: WordOptions | None = None) -> bytes:
    """The .docx bytes of a document tree. Its table of contents has no page numbers yet: Word fills
    them on opening, or LibreOffice's layout does in the build (office.py, ooxml.fill_page_numbers)."""
    options = options or WordOptions(lang=document.meta.lang)
    word = _start(options, document.meta)
    writer = _Writer(word, options, labels, stamp(document.meta))
    writer.document(document)
    return finish(word, writer, document.meta, labels, options)


def stamp(meta: Meta) -> str:
    """The date and time stamped on comments and revisions: the adoption date, so builds are identical."""
    return datetime.fromisoformat(meta.date).strftime("%Y-%m-%dT%H:%M:%SZ")


def finish(word, writer: _Writer, meta: Meta, labels: Labels, options: WordOptions,
           custom: dict[str, str] | None = None, edit=None) -> bytes:
    """A written body's document completed — comment ids, header and footer, properties (with `custom`
    ones besides the versions), then `edit(word)` if given — and saved as stable bytes. Shared by the
    tracked-changes writer. A table of contents asks Word to update its fields on opening: its page
    numbers are not known yet (LibreOffice's layout fills them in and removes the request)."""
    if writer.has_contents:   # a table of contents to fill: Word asks to, unless LibreOffice's layout did
        ooxml.update_fields_on_open(word)
    ooxml.renumber_comments(word, writer.footnotes.count + 1)
    pages.furniture(word, meta, labels, options.reference is not None)
    _properties(word, meta, options, custom or {})
    if edit is not None:
        edit(word)
    return ooxml.saved(word)
