"""A comparison of two directives → the new directive as a .docx with tracked changes against the old.

The Word writer's document, with every difference a real revision that Word's and LibreOffice's
Accept and Reject act on: words inserted (w:ins) and deleted (w:del), paragraphs whose mark is
inserted or deleted, articles that moved (w:moveFrom / w:moveTo, with their ranges), footnotes whose
citation changed, and a renumbered article, paragraph or item recorded with its former number
(w:numberingChange) while Word's numbering computes the new one. Accepting every change gives the new
directive; rejecting every change gives the old. Each revision is authored by the issuing authority and
dated the adoption date, so that two runs give the same bytes.
"""
from __future__ import annotations

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from ..compare import (
    DELETE,
    EQUAL,
    INSERT,
    ArticleChange,
    DocumentChange,
    Line,
    ParagraphChange,
    Piece,
    Words,
    words,
)
from . import ooxml, word
from .compose import Labels
from .tree import Citation, Content, Text, plain

MOVE_FROM, MOVE_TO = "moveFrom", "moveTo"
# The run containers of each kind of change, and the paragraph-mark revision that goes with it.
_CONTAINER = {INSERT: "w:ins", DELETE: "w:del", MOVE_FROM: "w:moveFrom", MOVE_TO: "w:moveTo"}
_REMOVED = {DELETE, MOVE_FROM}
# The legacy number formats of w:numberingChange's "original" (0 decimal, 4 lower-case letter), per level.
_ORIGINAL = {0: "%1:{0}:0:.", 1: "%1:{0}:0:.%2:{1}:0:", 2: "(%3:{2}:4:)"}


class _Redline(word._Writer):
    """The Word writer, writing each paragraph from its old and new words."""

    def __init__(self, document, options: word.WordOptions, labels: Labels, stamp: str, author: str):
        super().__init__(document, options, labels, stamp)
        self.author = author
        self.revisions = 0
        self.range_id = 0       # the id of the move range opened last

    def revision(self, parent, tag: str, **attributes: str):
        """A revision element (w:ins, w:del, w:moveFrom …) by the issuing authority, on the adoption date."""
        self.revisions += 1
        element = SubElement(parent, qn(tag), {qn("w:id"): str(self.revisions), qn("w:author"): self.author,
                                               qn("w:date"): self.stamp})
        for name, value in attributes.items():
            element.set(qn(f"w:{name}"), value)
        return element

    # -- one paragraph
    def tracked(self, style: str, pieces: Words, numbering: tuple[int, int] | None = None, mark: str = EQUAL,
                original: tuple[int, ...] | None = None, move: tuple[str, str] | None = None):
        """A paragraph of `pieces`, its mark inserted, deleted or moved with it (`mark`), numbered with
        the former numbers `original` when they differ. `move` = (name, "start" | "end" | "both")
        opens or closes the range of a moved block in this paragraph."""
        p = self.paragraph(style, (), numbering)._p
        if original is not None and numbering is not None:
            num_pr = p.find(qn("w:pPr")).find(qn("w:numPr"))
            self.revision(num_pr, "w:numberingChange", original=_ORIGINAL[numbering[1]].format(*original, 0, 0))
        if mark != EQUAL:
            ppr = p.find(qn("w:pPr"))
            if ppr is None:
                ppr = p.makeelement(qn("w:pPr"), {})
                p.insert(0, ppr)
            self.revision(SubElement(ppr, qn("w:rPr")), _CONTAINER[mark])
        if move and move[1] in ("start", "both"):
            self.revision(p, f"w:{mark}RangeStart", name=move[0])
            self.range_id = self.revisions
        for piece in pieces:
            self.piece(p, piece, mark)
        if move and move[1] in ("end", "both"):
            SubElement(p, qn(f"w:{mark}RangeEnd"), {qn("w:id"): str(self.range_id)})
        return p

    def piece(self, p, piece: Piece, mark: str) -> None:
        """Runs of one piece: a kept piece of a moved paragraph moves with it."""
        op = mark if mark in (MOVE_FROM, MOVE_TO) else piece.op
        parent = p if op == EQUAL else self.revision(p, _CONTAINER[op])
        pending: list = []
        for node in piece.content:
            if isinstance(node, Citation):
                self._tracked_runs(parent, pending, op)
                pending = []
                self.footnote(parent, node, piece.old[0] if piece.old else node, op)
            else:
                pending.append(node)
        self._tracked_runs(parent, pending, op)

    @staticmethod
    def _tracked_runs(parent, content: list, op: str) -> None:
        for text, bold, italic in word.runs(tuple(content)):
            run = ooxml.add_text_run(parent, text, bold, italic)
            if op in _REMOVED:
                for t in run.iter(qn("w:t")):
                    t.tag = qn("w:delText")

    def footnote(self, parent, new: Citation, old: Citation, op: str) -> None:
        """A footnote at the end of `parent`: kept with its words compared, or inserted, deleted or moved
        whole with its mark."""
        self.footnotes.add(parent, [])
        body = self.footnotes.element[-1][0]
        if op == EQUAL:
            pieces = words(old.children, new.children)
        else:
            pieces = (Piece(op if op in (INSERT, DELETE) else (DELETE if op == MOVE_FROM else INSERT),
                            (old if op in _REMOVED else new).children),)
        for piece in pieces:
            target = body if piece.op == EQUAL else self.revision(body, _CONTAINER[piece.op])
            self._tracked_runs(target, list(piece.content), piece.op)

    # -- the document
    def compared(self, change: DocumentChange) -> None:
        """What word._Writer.document writes, from the changes: same styles, same order."""
        self.tracked("Title", change.title)
        self.tracked("Subtitle", change.authority)
        for line in change.block:
            self.line("Normal", line)
        self.contents(change)
        for part in change.parts:
            mark = {"added": INSERT, "removed": DELETE}.get(part.status, EQUAL)
            self.tracked("Heading 1", part.title, mark=mark)
            for article in part.articles:
                self.article_change(article)
        self.tracked("Normal", change.signature)
        for annex in change.annexes:
            mark = {"added": INSERT, "removed": DELETE}.get(annex.status, EQUAL)
            self.tracked("Heading 1", annex.title, mark=mark)
            if annex.intro:
                self.tracked("Normal", annex.intro, mark=mark)
            for entry in annex.entries:
                self.line("List Bullet", entry)

    def line(self, style: str, line: Line, numbering=None, original=None) -> None:
        mark = {"added": INSERT, "removed": DELETE}.get(line.status, EQUAL)
        self.tracked(style, line.words, numbering, mark, original)

    def article_change(self, article: ArticleChange) -> None:
        if article.status in ("moved_from", "moved_to"):
            self.moved(article)
            return
        mark = {"added": INSERT, "removed": DELETE}.get(article.status, EQUAL)
        old_number = article.old.number if article.old else None
        renumbered = article.renumbered
        self.tracked("Heading 2", article.title, (self.num_id, 0), mark, (old_number,) if renumbered else None)
        for paragraph in article.paragraphs:
            self.paragraph_change(paragraph, mark, old_number, renumbered)

    def paragraph_change(self, paragraph: ParagraphChange, mark: str, article: int | None, renumbered: bool) -> None:
        if mark == EQUAL:
            mark = {"added": INSERT, "removed": DELETE}.get(paragraph.status, EQUAL)
        number_changed = paragraph.old is not None and paragraph.new is not None and (
            renumbered or paragraph.old.number != paragraph.new.number)
        original = (article, paragraph.old.number) if number_changed else None
        self.tracked("List Number", paragraph.words, (self.num_id, 1), mark, original)
        for item in paragraph.items:
            item_mark = mark if mark != EQUAL else {"added": INSERT, "removed": DELETE}.get(item.status, EQUAL)
            item_renumbered = item.old is not None and item.new is not None and item.old.number != item.new.number
            self.tracked("List Number 2", item.words, (self.num_id, 2), item_mark,
                         (article, paragraph.old.number, item.old.number) if item_renumbered and paragraph.old
                         else None)

    def moved(self, article: ArticleChange) -> None:
        """A moved article, whole: its old text where it was (moveFrom), its new text where it is (moveTo)."""
        source = article.old if article.status == "moved_from" else article.new
        mark = MOVE_FROM if article.status == "moved_from" else MOVE_TO
        blocks: list[tuple[str, Content, int]] = [("Heading 2", source.title, 0)]
        for paragraph in source.paragraphs:
            blocks.append(("List Number", paragraph.content, 1))
            blocks += [("List Number 2", item.content, 2) for item in paragraph.items]
        for index, (style, content, level) in enumerate(blocks):
            where = "both" if len(blocks) == 1 else "start" if index == 0 else "end" if index == len(blocks) - 1 \
                else ""
            self.tracked(style, (Piece(EQUAL, content),) if content else (), (self.num_id, level), mark,
                         move=(article.move, where) if where else None)

    def contents(self, change: DocumentChange) -> None:
        """The table of contents field, its entries compared as the headings are."""
        self.paragraph("TOC Heading").add_run(self.labels.contents)
        entries: list[tuple[str, Words, str]] = []
        for part in change.parts:
            entries.append(("toc 1", part.title, {"added": INSERT, "removed": DELETE}.get(part.status, EQUAL)))
            for article in part.articles:
                old = _entry(article.old) if article.old and article.status != "moved_to" else None
                new = _entry(article.new) if article.new and article.status != "moved_from" else None
                if old is None:
                    entries.append(("toc 2", ((Piece(INSERT, new),)), INSERT))
                elif new is None:
                    entries.append(("toc 2", ((Piece(DELETE, old),)), DELETE))
                else:
                    entries.append(("toc 2", words(old, new), EQUAL))
        for annex in change.annexes:
            entries.append(("toc 1", annex.title, {"added": INSERT, "removed": DELETE}.get(annex.status, EQUAL)))
        paragraph = None
        for index, (style, pieces, mark) in enumerate(entries):
            paragraph = self.tracked(style, (), mark=mark)
            if index == 0:
                ooxml.begin_field(Paragraph(paragraph, self.doc), word._TOC_INSTRUCTION)
            for piece in pieces:
                self.piece(paragraph, Piece(piece.op, (Text(plain(piece.content)),)), mark)
        if paragraph is not None:
            ooxml.end_field(Paragraph(paragraph, self.doc))


    def header(self, document, old, new) -> None:
        """The page header's short title and reference, compared: the toolkit's header, not a letterhead's."""
        before, after = word.header_text(old), word.header_text(new)
        paragraphs = document.sections[0].header.paragraphs
        if before == after or not paragraphs or paragraphs[0].text != after:
            return
        p = paragraphs[0]._p
        for run in p.findall(qn("w:r")):
            p.remove(run)
        for piece in words((Text(before),), (Text(after),)):
            self.piece(p, piece, EQUAL)


def _entry(article) -> Content:
    return (Text(f"{article.number}. {plain(article.title)}"),)


def write(change: DocumentChange, labels: Labels, options: word.WordOptions | None = None) -> bytes:
    """The new directive with tracked changes against the old, as .docx bytes."""
    meta = change.new.meta
    options = options or word.WordOptions(lang=meta.lang)
    document = word._start(options)
    writer = _Redline(document, options, labels, word.stamp(meta), meta.author)
    writer.compared(change)
    ooxml.track_revisions(document)
    old = change.old.meta
    return word.finish(document, writer, meta, labels, options,
                       {"ComparedWithReference": old.reference, "ComparedWithDate": old.date,
                        "ComparedWithLibraryVersion": old.library_version,
                        "ComparedWithToolkitVersion": old.toolkit_version},
                       edit=lambda done: writer.header(done, old, meta))
