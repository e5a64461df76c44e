"""The pages of a Word document: paper and margins, and the furniture around the text — a one-line
running header and "Page X of Y" on every page but a directive's title page.

A letterhead (`--reference-docx`) keeps its page setup and its header and footer; the running title and
the page numbers are added after the letterhead's own content unless it already shows them (a TITLE or
PAGE field), and its title page shows the letterhead without them.
"""
from __future__ import annotations

from copy import deepcopy

from docx.oxml.ns import qn

from . import ooxml
from .compose import PAGE, PAGES, Labels
from .tree import DIRECTIVE, Meta

# Width, height and margin of each paper size, in twentieths of a point: A4 with 2.5 cm margins, US Letter
# with 1 inch margins.
PAPER = {"a4": (11906, 16838, 1418), "letter": (12240, 15840, 1440)}
_HEADER_DISTANCE = 709
_RELATIONSHIP_ATTRIBUTES = (qn("r:id"), qn("r:embed"), qn("r:link"), qn("r:pict"))
# Fields that show the running title or the page number: a letterhead that has one keeps its own.
_TITLE_FIELDS = ("TITLE", "SUBJECT", "DOCPROPERTY")
_PAGE_FIELDS = ("PAGE",)


def set_up(document, meta: Meta, letterhead: bool) -> None:
    """Paper size and margins from the answers, unless a letterhead sets them."""
    sect_pr = document.sections[0]._sectPr
    if not letterhead:
        width, height, margin = PAPER.get(meta.paper, PAPER["a4"])
        size = sect_pr.get_or_add_pgSz()
        size.set(qn("w:w"), str(width))
        size.set(qn("w:h"), str(height))
        page_margins = sect_pr.get_or_add_pgMar()
        for side in ("top", "right", "bottom", "left"):
            page_margins.set(qn(f"w:{side}"), str(margin))
        for side in ("header", "footer"):
            page_margins.set(qn(f"w:{side}"), str(_HEADER_DISTANCE))
        page_margins.set(qn("w:gutter"), "0")


def text_width(document) -> int:
    """The width of the text between the margins, in twentieths of a point (tables and the contents'
    tab stop use it)."""
    sect_pr = document.sections[0]._sectPr
    width = _twips(sect_pr, "pgSz", "w", PAPER["a4"][0])
    left, right = _twips(sect_pr, "pgMar", "left", 1440), _twips(sect_pr, "pgMar", "right", 1440)
    return max(width - left - right - _twips(sect_pr, "pgMar", "gutter", 0), 2000)


def _twips(sect_pr, element: str, attribute: str, default: int) -> int:
    node = sect_pr.find(qn(f"w:{element}"))
    value = node.get(qn(f"w:{attribute}")) if node is not None else None
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def furniture(document, meta: Meta, labels: Labels, letterhead: bool) -> None:
    """The running header and the page numbers; a directive's first page (its title page) has neither."""
    section = document.sections[0]
    header, footer = section.header, section.footer
    keep_header = letterhead and not header.is_linked_to_previous and ooxml.has_content(header._element)
    keep_footer = letterhead and not footer.is_linked_to_previous and ooxml.has_content(footer._element)
    title_page = meta.kind == DIRECTIVE and not section.different_first_page_header_footer
    if title_page:   # a copy of the letterhead's own header and footer, before the furniture joins them
        _first_page(header if keep_header else None, section.first_page_header, keep_header)
        _first_page(footer if keep_footer else None, section.first_page_footer, keep_footer)
    shows = {story: _fields(story._element) if keep else set()
             for story, keep in ((header, keep_header), (footer, keep_footer))}
    shown = shows[header] | shows[footer]
    # by name or id, in any case: LibreOffice calls the footer style "Footer"
    if not shown & set(_TITLE_FIELDS) and meta.running:
        _line(header, ooxml.style_id(document, "header") or "Header", keep_header).add_run(meta.running)
    if not shown & set(_PAGE_FIELDS):
        line = _line(footer, ooxml.style_id(document, "footer") or "Footer", keep_footer)
        for piece in labels.page:
            if piece == PAGE:
                ooxml.add_field(line, "PAGE", "1")
            elif piece == PAGES:
                ooxml.add_field(line, "NUMPAGES", "1")
            else:
                line.add_run(piece)
    if title_page:   # the title page's are empty unless they are the letterhead's: made after the others
        section.different_first_page_header_footer = True
        _first_page(None, section.first_page_header, not keep_header)
        _first_page(None, section.first_page_footer, not keep_footer)


def _line(story, style_id: str, keep: bool):
    """A paragraph to write into: after a letterhead's own content, or the only one of an empty story."""
    if keep:
        paragraph = story.add_paragraph()
    else:
        for paragraph in story.paragraphs[1:]:
            paragraph._p.getparent().remove(paragraph._p)
        paragraph = story.paragraphs[0] if story.paragraphs else story.add_paragraph()
        for child in list(paragraph._p):
            if child.tag != qn("w:pPr"):
                paragraph._p.remove(child)
    paragraph._p.style = style_id
    return paragraph


def _first_page(source, target, now: bool) -> None:
    """The title page's header or footer, when `now`: a copy of the letterhead's (its logo, its address),
    or empty."""
    if not now:
        return
    target.is_linked_to_previous = False
    element = target._element
    if source is None:
        return
    for child in list(element):
        element.remove(child)
    for child in source._element:
        copy = deepcopy(child)
        _relink(copy, source.part, target.part)
        element.append(copy)


def _relink(element, source_part, target_part) -> None:
    """Point the relationships a copied element uses (a logo's image) at the same targets from its new part."""
    for node in element.iter():
        for attribute in _RELATIONSHIP_ATTRIBUTES:
            rid = node.get(attribute)
            rel = source_part.rels.get(rid) if rid else None
            if rel is None:
                continue
            target = rel.target_ref if rel.is_external else rel.target_part
            node.set(attribute, target_part.relate_to(target, rel.reltype, is_external=rel.is_external))


def _fields(element) -> set[str]:
    """The names of the fields a header or footer shows (PAGE, NUMPAGES, TITLE …)."""
    found = set()
    for node in element.iter(qn("w:instrText"), qn("w:fldSimple")):
        instruction = node.text if node.tag == qn("w:instrText") else node.get(qn("w:instr"))
        words = (instruction or "").split()
        if words:
            found.add(words[0].upper())
    return found
