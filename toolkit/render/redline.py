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
    AnnexChange,
    ArticleChange,
    DocumentChange,
    Line,
    ParagraphChange,
    Piece,
    Words,
    align,
    words,
)
from . import ooxml, word
from .compose import Labels
from .tree import Citation, Content, Emphasis, Text, plain

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
        self.headings = 0       # the headings written so far: the n-th has the contents' n-th bookmark

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
                original: tuple[int, ...] | None = None, move: tuple[str, str] | None = None,
                properties: tuple[str, ...] = (), parent=None):
        """A paragraph of `pieces`, its mark inserted, deleted or moved with it (`mark`), numbered with
        the former numbers `original` when they differ, with the writer's paragraph `properties`.
        `move` = (name, "start" | "end" | "both") opens or closes the range of a moved block in this
        paragraph."""
        p = self.paragraph(style, (), numbering, properties, parent)._p
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

    def heading(self, style: str, pieces: Words, numbering=None, mark: str = EQUAL, original=None, move=None,
                properties: tuple[str, ...] = ()):
        """A heading the contents list, with the bookmark their entry of the same rank points at."""
        p = self.tracked(style, pieces, numbering, mark, original, move, properties)
        self.headings += 1
        ooxml.bookmark(p, self.headings, f"{word.BOOKMARK}{self.headings:08d}")
        return p

    # -- the document
    def compared(self, change: DocumentChange) -> None:
        """What word._Writer.document writes for a directive, from the changes: same styles, same order,
        the same pages (title page, contents, body, each annex on a new page)."""
        self.tracked("Title", change.title, properties=('<w:spacing w:before="2880"/>', word._CENTRED))
        self.tracked("Subtitle", change.authority, properties=(word._CENTRED,))
        for index, line in enumerate(change.block):
            self.line("Normal", line, properties=(word._CENTRED,) + (('<w:spacing w:before="1440"/>',)
                                                                     if index == 0 else ()))
        self.contents(change)
        for index, line in enumerate(change.preamble):
            last = index == len(change.preamble) - 1
            properties = (word._KEEP, word._PAGE_BREAK) if index == 0 else \
                (word._KEEP,) if last else (word._KEEP, '<w:ind w:left="567"/>')
            self.line("Normal", line, properties=properties, strong=index == 0 or last)
        for index, part in enumerate(change.parts):
            mark = {"added": INSERT, "removed": DELETE}.get(part.status, EQUAL)
            breaks = (word._PAGE_BREAK,) if index == 0 and not change.preamble else ()
            self.heading("Heading 1", part.title, mark=mark, properties=breaks)
            for article in part.articles:
                self.article_change(article)
        done, signatory = change.signature
        for line in done:
            self.line("Normal", line, properties=(word._KEEP, '<w:spacing w:before="360"/>'))
        if done:      # the line to sign on, as the signature block has it
            old, new = change.old.signature, change.new.signature
            mark = INSERT if old is None else DELETE if new is None else EQUAL
            self.tracked("Normal", (), mark=mark, properties=(word._KEEP, *self.signature_line()))
        for line in signatory:
            self.line("Normal", line)
        for annex in change.annexes:
            self.annex_change(annex)

    def line(self, style: str, line: Line, numbering=None, original=None, properties: tuple[str, ...] = (),
             strong: bool = False, parent=None) -> None:
        mark = {"added": INSERT, "removed": DELETE}.get(line.status, EQUAL)
        pieces = tuple(Piece(p.op, (Emphasis(p.content, strong=True),), p.old) for p in line.words) if strong \
            else line.words
        self.tracked(style, pieces, numbering, mark, original, properties=properties, parent=parent)

    def annex_change(self, annex: AnnexChange) -> None:
        """An annex on a page of its own: its heading, then each unit kept, changed, inserted or deleted."""
        mark = {"added": INSERT, "removed": DELETE}.get(annex.status, EQUAL)
        self.heading("Heading 1", annex.title, mark=mark, properties=(word._PAGE_BREAK,))
        styles = {"heading": "Heading 3", "note": "Normal", "bullet": "List Bullet"}
        for unit in annex.units:
            if unit.kind != "table":
                self.line(styles[unit.kind], unit)
            elif unit.status == "same":
                self.block(unit.new.content)
            else:
                self.tracked_table(unit.old.content if unit.old else None, unit.new.content if unit.new else None)

    def tracked_table(self, old, new) -> None:
        """A form's fields or a table, its rows matched by their text: a row kept has each cell's lines
        compared, a row only in the new table is inserted, a row only in the old one deleted; a table
        only in one version is inserted or deleted whole, with the paragraph after it."""
        widths, new_rows = self.rows(new) if new is not None else (None, [])
        old_widths, old_rows = self.rows(old) if old is not None else (None, [])
        widths = widths or old_widths
        mark = INSERT if old is None else DELETE if new is None else EQUAL
        self.tracked("Normal", (), mark=mark, properties=(word._SPACER,))
        table = ooxml.new_table(self.body, self.body_end, self.style_id("Table Grid"), widths)
        key = lambda row: " ".join(plain(line) for cell in row.cells for line in cell)  # noqa: E731
        for o, n in align(old_rows, new_rows, key):
            row = n or o
            op = INSERT if o is None else DELETE if n is None else EQUAL
            cells = ooxml.add_row(table, widths, row.header, row.height, row.shade)
            if op != EQUAL:
                self.revision(cells[0].getparent().find(qn("w:trPr")), _CONTAINER[op])
            for index, cell in enumerate(cells):
                self.cell(cell, o.cells[index] if o else None, n.cells[index] if n else None, op)
        self.tracked("Normal", (), mark=mark)

    def cell(self, cell, old: tuple | None, new: tuple | None, op: str) -> None:
        """A table cell's lines, old and new paired by position, each pair one paragraph with its words
        compared; lines only one side has follow, their paragraph breaks tracked on the paragraph before
        them, since the last paragraph of a cell cannot lose its break."""
        if old is None or new is None:
            for line in old or new:
                self.tracked("Normal", (Piece(op, line),) if line else (), mark=EQUAL, parent=cell)
            return
        paired = min(len(old), len(new))
        extra, extra_op = (old[paired:], DELETE) if len(old) > len(new) else (new[paired:], INSERT)
        written = [self.tracked("Normal", words(o, n), parent=cell) for o, n in zip(old, new, strict=False)]
        written += [self.tracked("Normal", (Piece(extra_op, line),) if line else (), parent=cell) for line in extra]
        for p in written[paired - 1:-1]:   # the breaks before each extra line: ins or del
            ppr = p.find(qn("w:pPr"))
            if ppr is None:
                ppr = p.makeelement(qn("w:pPr"), {})
                p.insert(0, ppr)
            self.revision(SubElement(ppr, qn("w:rPr")), _CONTAINER[extra_op])

    def article_change(self, article: ArticleChange) -> None:
        if article.status in ("moved_from", "moved_to"):
            self.moved(article)
            return
        mark = {"added": INSERT, "removed": DELETE}.get(article.status, EQUAL)
        old_number = article.old.number if article.old else None
        renumbered = article.renumbered
        self.heading("Heading 2", article.title, (self.num_id, 0), mark, (old_number,) if renumbered else None)
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
            write = self.heading if index == 0 else self.tracked
            write(style, (Piece(EQUAL, content),) if content else (), (self.num_id, level), mark,
                  move=(article.move, where) if where else None)

    def contents(self, change: DocumentChange) -> None:
        """The table of contents field on a page of its own, its entries compared as the headings are:
        each links to its heading's bookmark and ends with the tab and the page reference."""
        self.paragraph("TOC Heading", (Text(self.labels.contents),), properties=(word._PAGE_BREAK,))
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
        tab = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{self.width}"/></w:tabs>'
        paragraph = None
        for index, (style, pieces, mark) in enumerate(entries):
            paragraph = self.tracked(style, (), mark=mark, properties=(tab,))
            if index == 0:
                ooxml.begin_field(Paragraph(paragraph, self.doc), word._TOC_INSTRUCTION)
            target = f"{word.BOOKMARK}{index + 1:08d}"
            link = SubElement(paragraph, qn("w:hyperlink"), {qn("w:anchor"): target, qn("w:history"): "1"})
            for piece in pieces:
                self.piece(link, Piece(piece.op, (Text(plain(piece.content)),)), mark)
            ooxml.add_contents_entry(link if mark == EQUAL else self.revision(link, _CONTAINER[mark]), "", target,
                                     link=False, deleted=mark in _REMOVED)
        if paragraph is not None:
            ooxml.end_field(Paragraph(paragraph, self.doc))
            self.has_contents = True


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
    document = word._start(options, meta)
    writer = _Redline(document, options, labels, word.stamp(meta), meta.author)
    writer.compared(change)
    ooxml.track_revisions(document)
    old = change.old.meta
    return word.finish(document, writer, meta, labels, options,
                       {"ComparedWithReference": old.reference, "ComparedWithDate": old.date,
                        "ComparedWithLibraryVersion": old.library_version,
                        "ComparedWithToolkitVersion": old.toolkit_version},
                       edit=lambda done: writer.header(done, old, meta))
