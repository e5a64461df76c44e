"""Document tree → .docx, with python-docx and small OOXML helpers.

Structure maps to built-in Word styles and real Word features: headings, legal numbering in
numbering.xml (article 1. / paragraph 1.1 / item (a)), footnotes, a table-of-contents field,
PAGE/NUMPAGES fields, comments for drafting notes. The writer visits the tree and reads no text for
structure. Bytes are deterministic: every date is the adoption date.
"""
from __future__ import annotations

import gc
import io
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.text.paragraph import Paragraph

from . import letterhead, ooxml
from .compose import PAGE, PAGES, Labels
from .tree import Article, Citation, Content, Document, Emphasis, Inline, Meta, Ref, Text, plain

# Word's language tags for the output languages; others pass through.
_LANG_TAGS = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}
# Built-in styles the writer uses, by their internal Word names; copied from the default template
# into a reference document that lacks them.
_STYLES_NEEDED = ["Normal", "Title", "Subtitle", "heading 1", "heading 2", "heading 3", "List Number",
                  "List Number 2", "List Bullet", "Quote", "TOC Heading", "header", "footer"]
_TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'


@dataclass
class WordOptions:
    lang: str = "en"
    reference: Path | None = None      # a letterhead: its styles, page setup, header and footer
    notes_as_comments: bool = True


def _default():
    """python-docx's template without what belongs to that template rather than to a directive: its
    bibliography customXml, stylesWithEffects and thumbnail."""
    document = docx.Document()
    ooxml.drop_relationships(document.part, RT.CUSTOM_XML, ooxml.STYLES_WITH_EFFECTS)
    ooxml.drop_relationships(document.part.package, RT.THUMBNAIL)
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
    per letterhead `version` (only a cache key) and language: reading the template and copying styles
    into it would otherwise cost more than writing the directive's body."""
    with letterhead.guard(reference):
        document = _base(reference)
        _ensure_styles(document, reference is not None)
        ooxml.set_language(document, lang_tag)
        ooxml.update_fields_on_open(document)
        ooxml.forget_template_state(document)
    out = io.BytesIO()
    document.save(out)
    del document
    gc.collect()  # python-docx's parts and package refer to each other: free their XML trees now
    return out.getvalue()


def _start(options: WordOptions):
    """A fresh document to write a directive's body into."""
    lang_tag = _LANG_TAGS.get(options.lang, options.lang)
    return docx.Document(io.BytesIO(_prepared(options.reference, _file_key(options.reference), lang_tag)))


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
    for level, indent in ((1, 0), (2, 220)):
        ooxml.ensure_style(document, f"TOC{level}", f"toc {level}", "paragraph",
                           '<w:autoRedefine/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
                           f'<w:pPr><w:spacing w:after="100"/><w:ind w:left="{indent}"/></w:pPr>', based_on="Normal")
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


class _Writer:
    def __init__(self, document, options: WordOptions, labels: Labels, stamp: str):
        self.doc = document
        self.options = options
        self.labels = labels
        self.style_ids = ooxml.style_ids(document)
        self.footnotes = ooxml.Footnotes(document, self.style_id("footnote text"), self.style_id("footnote reference"))
        self.num_id = ooxml.add_legal_numbering(document)
        self.stamp = stamp
        self.body = document.element.body
        self.body_end = self.body.find(qn("w:sectPr"))

    def style_id(self, name: str) -> str:
        """The id of a style, from the table read once: python-docx's own lookup walks every style each time."""
        return self.style_ids[name.lower()]

    def paragraph(self, style: str, content: Content = (), numbering: tuple[int, int] | None = None):
        """A paragraph at the end of the body, in `style`, numbered (numId, level) when given, holding
        `content` (its citations as footnotes)."""
        style_id = self.style_id(style)
        p = ooxml.new_paragraph(self.body, self.body_end, None if style_id == self.style_id("Normal") else style_id,
                                numbering)
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

    @staticmethod
    def _runs(p, content: list[Inline]) -> None:
        for text, bold, italic in runs(tuple(content)):
            ooxml.add_text_run(p, text, bold, italic)

    def document(self, document: Document) -> None:
        self.paragraph("Title", document.title)
        self.paragraph("Subtitle", document.authority)
        for line in document.block:
            self.paragraph("Normal", line)
        self.table_of_contents(document)
        for part in document.parts:
            self.paragraph("Heading 1", part.title)
            for article in part.articles:
                self.article(article)
        self.paragraph("Normal", document.signature)
        for annex in document.annexes:
            self.paragraph("Heading 1", annex.title)
            if annex.intro:
                self.paragraph("Normal", annex.intro)
            for entry in annex.entries:
                self.paragraph("List Bullet", entry)

    def article(self, article: Article) -> None:
        heading = self.paragraph("Heading 2", article.title, (self.num_id, 0))
        last = heading
        for paragraph in article.paragraphs:
            last = self.paragraph("List Number", paragraph.content, (self.num_id, 1))
            for item in paragraph.items:
                last = self.paragraph("List Number 2", item.content, (self.num_id, 2))
        if article.note:
            if self.options.notes_as_comments:
                self.comment(heading, last, article.note)
            else:
                self.paragraph("Quote", article.note)

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
        """The TOC field, its result already filled with the headings, so that a viewer that does not
        update fields (LibreOffice, a previewer, Word before the update) shows a real table of contents."""
        self.paragraph("TOC Heading").add_run(self.labels.contents)
        entries = []
        for part in document.parts:
            entries.append(("toc 1", plain(part.title)))
            entries += [("toc 2", f"{article.number}. {plain(article.title)}") for article in part.articles]
        entries += [("toc 1", plain(annex.title)) for annex in document.annexes]
        paragraph = None
        for index, (style, text) in enumerate(entries):
            paragraph = self.paragraph(style)
            if index == 0:
                ooxml.begin_field(paragraph, _TOC_INSTRUCTION)
            ooxml.add_text_run(paragraph._p, text)
        ooxml.end_field(paragraph)


def _story(part, style_id: str, keep: bool):
    """The first paragraph of a header or footer, emptied and styled for writing into; None when the
    reference document's own content is to be kept."""
    if keep and ooxml.has_content(part._element):
        return None
    for paragraph in part.paragraphs[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    paragraph = part.paragraphs[0] if part.paragraphs else part.add_paragraph()
    paragraph.text = ""
    paragraph._p.style = style_id
    return paragraph


def header_text(meta: Meta) -> str:
    return " — ".join(filter(None, [meta.title, meta.reference]))


def _header_footer(document, meta: Meta, labels: Labels, options: WordOptions) -> None:
    """Short title in the header, "Page X of Y" in the footer; a letterhead's own header or footer stays."""
    section = document.sections[0]
    keep = options.reference is not None
    ids = ooxml.style_ids(document)  # by name or id, in any case: LibreOffice calls the footer style "Footer"
    header = _story(section.header, ids["header"], keep)
    if header is not None:
        header.add_run(header_text(meta))
    footer = _story(section.footer, ids["footer"], keep)
    if footer is None:
        return
    for piece in labels.page:
        if piece == PAGE:
            ooxml.add_field(footer, "PAGE", "1")
        elif piece == PAGES:
            ooxml.add_field(footer, "NUMPAGES", "1")
        else:
            footer.add_run(piece)


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
    """The .docx bytes of a document tree."""
    options = options or WordOptions(lang=document.meta.lang)
    word = _start(options)
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
    tracked-changes writer."""
    ooxml.renumber_comments(word, writer.footnotes.count + 1)
    _header_footer(word, meta, labels, options)
    _properties(word, meta, options, custom or {})
    if edit is not None:
        edit(word)
    out = io.BytesIO()
    word.save(out)
    return ooxml.stable_zip(out.getvalue())
