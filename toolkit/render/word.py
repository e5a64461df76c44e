"""Markdown → .docx, by walking markdown-it-py tokens with python-docx.

The Markdown is the single text form, so the Word file says exactly what the Markdown says. Structure
maps to built-in Word styles and real Word features: headings, legal numbering in numbering.xml
(article 1. / paragraph 1.1 / item (a)), footnotes, a table-of-contents field, PAGE/NUMPAGES fields,
comments for drafting notes. Bytes are deterministic: every date is the adoption date.
"""
from __future__ import annotations

import gc
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path

import docx
import yaml
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import OptionError, Problem
from ..i18n import _
from . import ooxml

_ARTICLE = re.compile(r"^(\d+)\.\s+")
# Word's language tags for the output languages; others pass through.
_LANG_TAGS = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}
# Built-in styles the writer uses, by their internal Word names; copied from the default template
# into a reference document that lacks them.
_STYLES_NEEDED = ["Normal", "Title", "Subtitle", "heading 1", "heading 2", "heading 3", "List Number",
                  "List Number 2", "List Bullet", "Quote", "TOC Heading", "header", "footer"]
_TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
# Markdown heading level → Word style of its table-of-contents entry (h1 is the Title, not listed).
_TOC_STYLES = {2: "toc 1", 3: "toc 2"}


@dataclass
class WordOptions:
    lang: str = "en"
    reference: Path | None = None
    labels: dict[str, str] = field(default_factory=lambda: {
        "contents": "Contents", "page": "Page %(page)s of %(pages)s", "note_author": "Drafting note"})
    notes_as_comments: bool = True


# CommonMark rules for constructs the generated Markdown never contains: the template writes none of
# them, and escaped user text cannot start one (its `` ` ``, `[`, `<`, `&`, `!` and line-initial `-`, `=`
# are escaped; runs of white space are folded). Skipping them parses a directive a quarter faster, and
# the tests check that the tokens stay those of a full CommonMark parser.
UNUSED_RULES = ["code", "fence", "hr", "reference", "html_block", "lheading",
                "backticks", "link", "image", "autolink", "html_inline", "entity"]


def parser(full: bool = False) -> MarkdownIt:
    """The parser of the generated Markdown; `full` keeps every CommonMark rule."""
    md = MarkdownIt("commonmark", {"html": False}).use(front_matter_plugin).use(footnote_plugin)
    return md if full else md.disable(UNUSED_RULES)


_parser = cache(parser)


def _default():
    """python-docx's template without what belongs to that template rather than to a directive: its
    bibliography customXml, stylesWithEffects and thumbnail."""
    document = docx.Document()
    ooxml.drop_relationships(document.part, RT.CUSTOM_XML, ooxml.STYLES_WITH_EFFECTS)
    ooxml.drop_relationships(document.part.package, RT.THUMBNAIL)
    return document


def _reference(path: Path):
    """The user's letterhead with its body, comments and thumbnail removed; styles, page setup (the
    body's sectPr), header and footer stay. A numbering part is added if it has none."""
    try:
        document = docx.Document(str(path))
    except Exception as e:
        why = type(e).__name__
        raise OptionError(Problem(_("expected a Word (.docx) file, found something else (%(why)s)", why=why),
                                  path, field="--reference-docx")) from None
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
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
        for name in _STYLES_NEEDED:
            ooxml.copy_style(default, document, name)
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


def _inline_text(children) -> str:
    """The text of inline tokens as a reader sees it (a soft break is a space)."""
    return "".join(" " if t.type == "softbreak" else t.content for t in children
                   if t.type in ("text", "code_inline", "softbreak")).strip()


def _after_label(children) -> list:
    """Inline tokens after a leading bold label ("**Drafting note.** …"): a comment's author says it."""
    children = [c for c in children if c.type != "text" or c.content]
    if children and children[0].type == "strong_open":
        end = next((i for i, t in enumerate(children) if t.type == "strong_close"), -1)
        return list(children[end + 1:])
    return list(children)


def _toc_entries(tokens) -> list[tuple[str, str]]:
    """(style, text) of every section and article heading, for the table of contents' shown result."""
    return [(_TOC_STYLES[int(token.tag[1])], _inline_text(tokens[i + 1].children or []))
            for i, token in enumerate(tokens)
            if token.type == "heading_open" and int(token.tag[1]) in _TOC_STYLES]


class _Writer:
    def __init__(self, document, options: WordOptions, footnotes: dict[int, list], toc: list[tuple[str, str]],
                 stamp: str):
        self.doc = document
        self.options = options
        self.footnote_bodies = footnotes
        self.style_ids = ooxml.style_ids(document)
        self.footnotes = ooxml.Footnotes(document, self.style_id("footnote text"), self.style_id("footnote reference"))
        self.num_id = ooxml.add_legal_numbering(document)
        self.toc = toc
        self.stamp = stamp
        self.body = document.element.body
        self.body_end = self.body.find(qn("w:sectPr"))
        self.list_depth = 0
        self.list_kinds: list[str] = []
        self.in_article = False
        self.in_title_block = False
        self.toc_written = False
        self.article_heading = None
        self.last_paragraph = None
        self.quote = False

    # -- inline content
    def inline(self, paragraph, children) -> None:
        fmt = {"bold": False, "italic": False}
        for token in children:
            kind = token.type
            if kind == "text" or kind == "code_inline":
                ooxml.add_text_run(paragraph._p, token.content, fmt["bold"], fmt["italic"])
            elif kind == "softbreak":
                ooxml.add_text_run(paragraph._p, " ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break()
            elif kind in ("strong_open", "strong_close"):
                fmt["bold"] = kind == "strong_open"
            elif kind in ("em_open", "em_close"):
                fmt["italic"] = kind == "em_open"
            elif kind == "footnote_ref":
                self.footnotes.add(paragraph._p, self.footnote_bodies.get(token.meta["id"], []))

    def style_id(self, name: str) -> str:
        """The id of a style, from the table read once: python-docx's own lookup walks every style each time."""
        return self.style_ids[name.lower()]

    def new_paragraph(self, style: str, numbering: tuple[int, int] | None = None):
        """A paragraph at the end of the body, in `style`, numbered (numId, level) when given."""
        style_id = self.style_id(style)
        p = ooxml.new_paragraph(self.body, self.body_end, None if style_id == self.style_id("Normal") else style_id,
                                numbering)
        self.last_paragraph = Paragraph(p, self.doc)
        return self.last_paragraph

    # -- blocks
    def heading(self, level: int, children) -> None:
        text_children = list(children)
        self.in_article = False
        self.article_heading = None
        if level == 1:
            paragraph = self.new_paragraph("Title")
            self.in_title_block = True
        elif level == 2:
            self.write_toc()
            self.in_title_block = False
            paragraph = self.new_paragraph("Heading 1")
        else:
            first = text_children[0] if text_children else None
            article = first is not None and first.type == "text" and bool(_ARTICLE.match(first.content))
            if article:
                text_children[0] = first.copy(content=_ARTICLE.sub("", first.content, count=1))
            paragraph = self.new_paragraph("Heading 2", (self.num_id, 0) if article else None)
            if article:
                self.in_article = True
                self.article_heading = paragraph
        self.inline(paragraph, text_children)

    def comment(self, children) -> None:
        """A drafting note as a Word comment spanning its article, from heading to last paragraph,
        dated the adoption date so that two builds are byte-identical."""
        start = self.article_heading.runs or [self.article_heading.add_run()]
        end = self.last_paragraph.runs or [self.last_paragraph.add_run()]
        note = self.doc.add_comment([start[0], end[-1]], text=_inline_text(_after_label(children)),
                                    author=self.options.labels["note_author"], initials="DN")
        note._comment_elm.set(qn("w:date"), self.stamp)
        paragraph = note.paragraphs[0]
        paragraph._p.style = self.style_id("annotation text")
        paragraph.runs[0]._r.style = self.style_id("annotation reference")

    def block_paragraph(self, children) -> None:
        if self.quote:
            if self.options.notes_as_comments and self.article_heading is not None:
                self.comment(children)
                return
            paragraph = self.new_paragraph("Quote")
        elif self.list_depth:
            kind = self.list_kinds[-1]
            if kind == "ordered" and self.in_article:
                level = min(self.list_depth, 2)
                paragraph = self.new_paragraph("List Number" if level == 1 else "List Number 2", (self.num_id, level))
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
        """The TOC field, its result already filled with the headings, so that a viewer that does not
        update fields (LibreOffice, a previewer, Word before the update) shows a real table of contents."""
        if self.toc_written:
            return
        self.toc_written = True
        self.new_paragraph("TOC Heading").add_run(self.options.labels["contents"])
        if not self.toc:
            ooxml.add_field(self.new_paragraph("toc 1"), _TOC_INSTRUCTION)
            return
        for index, (style, text) in enumerate(self.toc):
            paragraph = self.new_paragraph(style)
            if index == 0:
                ooxml.begin_field(paragraph, _TOC_INSTRUCTION)
            ooxml.add_text_run(paragraph._p, text)
        ooxml.end_field(paragraph)

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


def _story(part, style: str, keep: bool):
    """The first paragraph of a header or footer, emptied and styled for writing into; None when the
    reference document's own content is to be kept."""
    if keep and ooxml.has_content(part._element):
        return None
    for paragraph in part.paragraphs[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    paragraph = part.paragraphs[0] if part.paragraphs else part.add_paragraph()
    paragraph.text = ""
    paragraph.style = style
    return paragraph


def _header_footer(document, meta: dict, options: WordOptions) -> None:
    """Short title in the header, "Page X of Y" in the footer; a letterhead's own header or footer stays."""
    section = document.sections[0]
    keep = options.reference is not None
    header = _story(section.header, "header", keep)
    if header is not None:
        header.add_run(" — ".join(filter(None, [str(meta.get("title", "")), str(meta.get("reference", ""))])))
    footer = _story(section.footer, "footer", keep)
    if footer is None:
        return
    for piece in re.split(r"(%\(page\)s|%\(pages\)s)", options.labels["page"]):
        if piece == "%(page)s":
            ooxml.add_field(footer, "PAGE", "1")
        elif piece == "%(pages)s":
            ooxml.add_field(footer, "NUMPAGES", "1")
        elif piece:
            footer.add_run(piece)


def _adoption(meta: dict) -> datetime:
    return datetime.fromisoformat(str(meta.get("date", "2000-01-01")))


def _properties(document, meta: dict, options: WordOptions) -> None:
    """Core and extended properties written afresh: only what the directive says, dated its adoption."""
    props = document.core_properties
    element = props._element
    for child in list(element):
        element.remove(child)
    when = _adoption(meta)
    props.title = str(meta.get("title", ""))
    props.subject = str(meta.get("subtitle", ""))
    props.author = str(meta.get("author", ""))
    props.last_modified_by = str(meta.get("author", ""))
    props.language = _LANG_TAGS.get(options.lang, options.lang)
    if meta.get("reference"):
        props.identifier = str(meta["reference"])
    props.revision = 1
    props.created = when
    props.modified = when
    ooxml.set_app_properties(document, str(meta.get("author", "")))


def write(markdown: str, options: WordOptions | None = None) -> bytes:
    """The .docx bytes for a directive's Markdown."""
    options = options or WordOptions()
    tokens = _parser().parse(markdown)
    meta = {}
    if tokens and tokens[0].type == "front_matter":
        meta = yaml.safe_load(tokens[0].content) or {}
    document = _start(options)
    stamp = _adoption(meta).strftime("%Y-%m-%dT%H:%M:%SZ")
    writer = _Writer(document, options, _footnote_bodies(tokens), _toc_entries(tokens), stamp)
    writer.walk(tokens)
    ooxml.renumber_comments(document, writer.footnotes.count + 1)
    _header_footer(document, meta, options)
    _properties(document, meta, options)
    out = io.BytesIO()
    document.save(out)
    return ooxml.stable_zip(out.getvalue())
