"""Markdown → .docx, by walking markdown-it-py tokens with python-docx.

The Markdown is the single text form, so the Word file says exactly what the Markdown says. Structure
maps to built-in Word styles and real Word features: headings, legal numbering in numbering.xml
(article 1. / paragraph 1.1 / item (a)), footnotes, a table-of-contents field, PAGE/NUMPAGES fields,
comments for drafting notes. Bytes are deterministic.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

import docx
import yaml
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import OptionError, Problem
from . import ooxml

_ARTICLE = re.compile(r"^(\d+)\.\s+")
# Word's language tags for the output languages; others pass through.
_LANG_TAGS = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}
_STYLES_NEEDED = ["Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Number", "List Number 2",
                  "List Bullet", "Quote", "TOC Heading", "Header", "Footer"]


@dataclass
class WordOptions:
    lang: str = "en"
    reference: Path | None = None
    labels: dict[str, str] = field(default_factory=lambda: {
        "contents": "Contents", "page": "Page %(page)s of %(pages)s", "note_author": "Drafting note"})
    notes_as_comments: bool = True


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).use(front_matter_plugin).use(footnote_plugin)


@cache
def _default_template() -> bytes:
    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def _base(reference: Path | None):
    if reference is None:
        return docx.Document(io.BytesIO(_default_template()))
    try:
        document = docx.Document(str(reference))
    except Exception as e:  # noqa: BLE001 - any unreadable file is the user's input
        raise OptionError(Problem(f"expected a Word (.docx) file, found something else ({type(e).__name__})",
                                  reference, field="--reference-docx")) from None
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    try:
        document.part.numbering_part
    except NotImplementedError:
        part = NumberingPart(PackURI("/word/numbering.xml"),
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
                             parse_xml(f"<w:numbering {nsdecls('w')}/>"), document.part.package)
        document.part.relate_to(part, RT.NUMBERING)
    return document


def _ensure_styles(document) -> None:
    """Copy from the default template any built-in style a reference document lacks."""
    have = {s.name for s in document.styles}
    default = None
    for name in _STYLES_NEEDED:
        if name not in have:
            default = default or docx.Document(io.BytesIO(_default_template()))
            document.styles.element.append(ooxml.clone(default.styles[name].element))
    ooxml.ensure_style(document, "FootnoteText", "footnote text", "paragraph",
                       '<w:basedOn w:val="Normal"/><w:link w:val="FootnoteTextChar"/><w:uiPriority w:val="99"/>'
                       '<w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
                       '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>')
    ooxml.ensure_style(document, "FootnoteReference", "footnote reference", "character",
                       '<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>')


class _Writer:
    def __init__(self, document, options: WordOptions, footnotes: dict[int, list]):
        self.doc = document
        self.options = options
        self.footnote_bodies = footnotes
        self.footnotes = ooxml.Footnotes(document)
        self.num_id = ooxml.add_legal_numbering(document)
        self.list_depth = 0
        self.list_kinds: list[str] = []
        self.in_article = False
        self.in_title_block = False
        self.toc_written = False
        self.article_heading = None
        self.quote = False
        self.paragraph = None

    # -- inline content
    def inline(self, paragraph, children) -> None:
        fmt = {"bold": False, "italic": False}
        for token in children:
            kind = token.type
            if kind == "text" or kind == "code_inline":
                run = paragraph.add_run(token.content)
                run.bold = fmt["bold"] or None
                run.italic = fmt["italic"] or None
            elif kind == "softbreak":
                paragraph.add_run(" ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break()
            elif kind in ("strong_open", "strong_close"):
                fmt["bold"] = kind == "strong_open"
            elif kind in ("em_open", "em_close"):
                fmt["italic"] = kind == "em_open"
            elif kind == "footnote_ref":
                self.footnotes.add(paragraph, self.footnote_bodies.get(token.meta["id"], []))

    def new_paragraph(self, style: str):
        return self.doc.add_paragraph(style=style)

    # -- blocks
    def heading(self, level: int, children) -> None:
        text_children = list(children)
        if level == 1:
            paragraph = self.new_paragraph("Title")
            self.in_title_block = True
        elif level == 2:
            self.write_toc()
            self.in_title_block = False
            self.in_article = False
            paragraph = self.new_paragraph("Heading 1")
        else:
            paragraph = self.new_paragraph("Heading 2")
            first = text_children[0] if text_children else None
            if first is not None and first.type == "text" and _ARTICLE.match(first.content):
                first = first.copy(content=_ARTICLE.sub("", first.content, count=1))
                text_children[0] = first
                ooxml.set_numbering(paragraph, self.num_id, 0)
                self.in_article = True
                self.article_heading = paragraph
        self.inline(paragraph, text_children)

    def block_paragraph(self, children) -> None:
        if self.quote:
            if self.options.notes_as_comments and self.article_heading is not None:
                text = "".join(t.content for t in children if t.type in ("text", "softbreak") or t.content)
                runs = self.article_heading.runs or [self.article_heading.add_run()]
                self.doc.add_comment(runs, text=text, author=self.options.labels["note_author"],
                                     initials="DN")
                return
            paragraph = self.new_paragraph("Quote")
        elif self.list_depth:
            kind = self.list_kinds[-1]
            if kind == "ordered" and self.in_article:
                level = min(self.list_depth, 2)
                paragraph = self.new_paragraph("List Number" if level == 1 else "List Number 2")
                ooxml.set_numbering(paragraph, self.num_id, level)
            elif kind == "ordered":
                paragraph = self.new_paragraph("List Number")
            else:
                paragraph = self.new_paragraph("List Bullet")
        elif self.in_title_block:
            children = [c for c in children if c.type != "text" or c.content]
            strong = bool(children) and children[0].type == "strong_open"
            paragraph = self.new_paragraph("Subtitle" if strong else "Normal")
            if strong:
                children = [c for c in children if c.type not in ("strong_open", "strong_close")]
        else:
            paragraph = self.new_paragraph("Normal")
        self.inline(paragraph, children)

    def write_toc(self) -> None:
        if self.toc_written:
            return
        self.toc_written = True
        self.new_paragraph("TOC Heading").add_run(self.options.labels["contents"])
        ooxml.add_field(self.new_paragraph("Normal"), 'TOC \\o "1-2" \\h \\z \\u', "")

    def walk(self, tokens) -> None:
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind == "footnote_block_open":
                break
            if kind == "heading_open":
                self.heading(int(token.tag[1]), tokens[i + 1].children or [])
                i += 3
                continue
            if kind == "paragraph_open":
                self.block_paragraph(tokens[i + 1].children or [])
                i += 3
                continue
            if kind in ("ordered_list_open", "bullet_list_open"):
                self.list_depth += 1
                self.list_kinds.append("ordered" if kind == "ordered_list_open" else "bullet")
            elif kind in ("ordered_list_close", "bullet_list_close"):
                self.list_depth -= 1
                self.list_kinds.pop()
            elif kind == "blockquote_open":
                self.quote = True
            elif kind == "blockquote_close":
                self.quote = False
            i += 1


def _footnote_bodies(tokens) -> dict[int, list[tuple[str, dict]]]:
    bodies: dict[int, list[tuple[str, dict]]] = {}
    current = None
    for token in tokens:
        if token.type == "footnote_open":
            current = bodies.setdefault(token.meta["id"], [])
        elif token.type == "footnote_close":
            current = None
        elif current is not None and token.type == "inline":
            bold = italic = False
            for child in token.children or []:
                if child.type in ("strong_open", "strong_close"):
                    bold = child.type == "strong_open"
                elif child.type in ("em_open", "em_close"):
                    italic = child.type == "em_open"
                elif child.type in ("text", "code_inline"):
                    current.append((child.content, {"bold": bold, "italic": italic}))
                elif child.type == "softbreak":
                    current.append((" ", {}))
    return bodies


def _header_footer(document, meta: dict, options: WordOptions) -> None:
    section = document.sections[0]
    if options.reference is not None and any(p.text.strip() for p in section.header.paragraphs + section.footer.paragraphs):
        return  # the letterhead's own header and footer stay
    header = section.header.paragraphs[0] if section.header.paragraphs else section.header.add_paragraph()
    header.style = document.styles["Header"]
    header.text = " — ".join(filter(None, [str(meta.get("title", "")), str(meta.get("reference", ""))]))
    footer = section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
    footer.style = document.styles["Footer"]
    footer.text = ""
    label = options.labels["page"]
    for piece in re.split(r"(%\(page\)s|%\(pages\)s)", label):
        if piece == "%(page)s":
            ooxml.add_field(footer, "PAGE", "1")
        elif piece == "%(pages)s":
            ooxml.add_field(footer, "NUMPAGES", "1")
        elif piece:
            footer.add_run(piece)


def _properties(document, meta: dict, options: WordOptions) -> None:
    props = document.core_properties
    when = datetime.fromisoformat(str(meta.get("date", "2000-01-01")))
    props.title = str(meta.get("title", ""))
    props.subject = str(meta.get("subtitle", ""))
    props.author = str(meta.get("author", ""))
    props.last_modified_by = str(meta.get("author", ""))
    props.language = _LANG_TAGS.get(options.lang, options.lang)
    props.identifier = str(meta.get("reference", ""))
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when


def write(markdown: str, options: WordOptions | None = None) -> bytes:
    """The .docx bytes for a directive's Markdown."""
    options = options or WordOptions()
    tokens = _parser().parse(markdown)
    meta = {}
    if tokens and tokens[0].type == "front_matter":
        meta = yaml.safe_load(tokens[0].content) or {}
    document = _base(options.reference)
    _ensure_styles(document)
    ooxml.set_language(document, _LANG_TAGS.get(options.lang, options.lang))
    ooxml.update_fields_on_open(document)
    _Writer(document, options, _footnote_bodies(tokens)).walk(tokens)
    _header_footer(document, meta, options)
    _properties(document, meta, options)
    ooxml.drop_relationships(document, RT.STYLES_WITH_EFFECTS if hasattr(RT, "STYLES_WITH_EFFECTS") else "",
                             RT.THUMBNAIL)
    out = io.BytesIO()
    document.save(out)
    return ooxml.stable_zip(out.getvalue())
