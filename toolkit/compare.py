"""Two document trees of a directive → what changed, article by article.

Articles are matched by id (the clause id, stable across renumbering); an article whose place among the
others changed, or that went to another part, is moved. Paragraphs, items, title-block lines and annex
entries are matched by position and similarity; within a matched paragraph, words are compared. The
result serves both the tracked-changes Word file (render/redline) and the summary by article.

Every field of the Document has a rule here: a new kind of content must be given one before it can be
compared (`UnknownField`), rather than be left out of a comparison that would then look complete.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from difflib import SequenceMatcher
from typing import Any

from .render.tree import (
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
    Note,
    Paragraph,
    Part,
    Preamble,
    Ref,
    Signature,
    Table,
    Text,
    plain,
)

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
SIMILAR = 0.5       # paragraphs at least this alike (difflib's ratio) are one paragraph changed, not two
_WORD = re.compile(r"\w+|\s+|[^\w\s]")


class UnknownField(TypeError):
    """A field of the document tree the comparison has no rule for."""


# -- inline content, word by word
@dataclass(frozen=True)
class Piece:
    """A stretch of inline content: kept, inserted or deleted. A kept citation has its old words too
    (its footnote's own changes)."""

    op: str
    content: Content
    old: Content = ()


Words = tuple[Piece, ...]


def _tokens(content: Content, bold: bool = False, italic: bool = False) -> list[tuple[Any, ...]]:
    """Inline content as comparable tokens: words, spaces and signs with their emphasis; a reference;
    a citation (any citation matches any other: its words are compared inside it)."""
    out: list[tuple[Any, ...]] = []
    for node in content:
        if isinstance(node, Text):
            out += [("text", word, bold, italic) for word in _WORD.findall(node.text)]
        elif isinstance(node, Emphasis):
            out += _tokens(node.children, bold or node.strong, italic or not node.strong)
        elif isinstance(node, Ref):
            out.append(("ref", node.target, node.label, bold, italic))
        elif isinstance(node, Citation):
            out.append(("citation", node))
        else:
            raise UnknownField(f"the comparison has no rule for inline {type(node).__name__}")
    return out


def _key(token: tuple[Any, ...]) -> tuple[Any, ...]:
    return ("citation",) if token[0] == "citation" else token


def _content(tokens: Sequence[tuple[Any, ...]]) -> Content:
    """Tokens back into inline content: adjacent text of one emphasis in one node."""
    out: list[Any] = []
    for token in tokens:
        if token[0] == "citation":
            out.append(token[1])
            continue
        if token[0] == "text":
            node, bold, italic = Text(token[1]), token[2], token[3]
        else:
            node, bold, italic = Ref(token[1], token[2]), token[3], token[4]
        if italic:
            node = Emphasis((node,))
        if bold:
            node = Emphasis((node,), strong=True)
        previous = out[-1] if out else None
        if isinstance(node, Text) and isinstance(previous, Text):
            out[-1] = Text(previous.text + node.text)
        elif (isinstance(node, Emphasis) and isinstance(previous, Emphasis) and node.strong == previous.strong
              and _plain_only(node) and _plain_only(previous)):
            out[-1] = Emphasis(_merge_children(previous.children + node.children), node.strong)
        else:
            out.append(node)
    return tuple(out)


def _plain_only(node: Emphasis) -> bool:
    return all(isinstance(child, (Text, Emphasis)) for child in node.children)


def _merge_children(children: Content) -> Content:
    out: list[Any] = []
    for child in children:
        if isinstance(child, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + child.text)
        elif (isinstance(child, Emphasis) and out and isinstance(out[-1], Emphasis)
              and out[-1].strong == child.strong):
            out[-1] = Emphasis(_merge_children(out[-1].children + child.children), child.strong)
        else:
            out.append(child)
    return tuple(out)


def words(old: Content, new: Content) -> Words:
    """The word-by-word changes from `old` to `new` inline content."""
    a, b = _tokens(old), _tokens(new)
    matcher = SequenceMatcher(None, [_key(t) for t in a], [_key(t) for t in b], autojunk=False)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == EQUAL:
            pieces += _kept(a[i1:i2], b[j1:j2])
            continue
        if i2 > i1:
            pieces.append(Piece(DELETE, _content(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece(INSERT, _content(b[j1:j2])))
    return _tidy(pieces)


def _kept(a: list, b: list) -> list[Piece]:
    """Equal tokens; a citation among them keeps its old words for its footnote."""
    pieces, start = [], 0
    for index, token in enumerate(b):
        if token[0] == "citation":
            if index > start:
                pieces.append(Piece(EQUAL, _content(b[start:index])))
            pieces.append(Piece(EQUAL, (token[1],), (a[index][1],)))
            start = index + 1
    if start < len(b):
        pieces.append(Piece(EQUAL, _content(b[start:])))
    return pieces


def _tidy(pieces: list[Piece]) -> Words:
    """Each run of changes as one deletion then one insertion, and a kept space alone between two
    changes taken into them: "~~old words~~ new words" rather than word by word around each space."""
    out: list[Piece] = []
    removed: list[Content] = []
    added: list[Content] = []

    def flush() -> None:
        if removed:
            out.append(Piece(DELETE, _join(removed)))
        if added:
            out.append(Piece(INSERT, _join(added)))
        removed.clear()
        added.clear()

    for i, piece in enumerate(pieces):
        lone_space = (piece.op == EQUAL and not piece.old and 0 < i < len(pieces) - 1
                      and pieces[i - 1].op != EQUAL and pieces[i + 1].op != EQUAL and not plain(piece.content).strip())
        if lone_space:
            removed.append(piece.content)
            added.append(piece.content)
        elif piece.op == DELETE:
            removed.append(piece.content)
        elif piece.op == INSERT:
            added.append(piece.content)
        else:
            flush()
            out.append(piece)
    flush()
    return tuple(out)


def _join(contents: list[Content]) -> Content:
    return _content([t for content in contents for t in _tokens(content)])


def same(content: Content) -> Words:
    return (Piece(EQUAL, content),) if content else ()


def inserted(content: Content) -> Words:
    return (Piece(INSERT, content),) if content else ()


def deleted(content: Content) -> Words:
    return (Piece(DELETE, content),) if content else ()


def changed(pieces: Words) -> bool:
    return any(p.op != EQUAL or (p.old and p.old != p.content) for p in pieces)


# -- blocks matched by position and similarity
def align(old: Sequence, new: Sequence, text: Callable[[Any], str]) -> list[tuple[Any, Any]]:
    """(old, new) pairs in reading order: equal texts pair up, then, where they differ, the most alike
    within the stretch (at least SIMILAR); an old without a partner is (old, None), a new (None, new)."""
    out: list[tuple[Any, Any]] = []
    a, b = [text(x) for x in old], [text(x) for x in new]
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == EQUAL:
            out += zip(old[i1:i2], new[j1:j2], strict=True)
            continue
        j = j1
        for i in range(i1, i2):
            scores = [(_likeness(a[i], b[k]), k) for k in range(j, j2)]
            best = max(scores, key=lambda s: (s[0], -s[1]), default=(0.0, None))
            if best[1] is None or best[0] < SIMILAR:
                out.append((old[i], None))
                continue
            out += [(None, new[k]) for k in range(j, best[1])]
            out.append((old[i], new[best[1]]))
            j = best[1] + 1
        out += [(None, new[k]) for k in range(j, j2)]
    return out


def _likeness(a: str, b: str) -> float:
    """How alike two texts are, word by word (difflib's ratio); 0 for two that cannot reach SIMILAR,
    whose comparison is skipped: a long annex of differing entries would otherwise take seconds."""
    matcher = SequenceMatcher(None, a.split(), b.split(), autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


class _Status:
    """added (no old), removed (no new), changed or same: what a matched block became."""

    old: Any
    new: Any

    @property
    def status(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed" if self.differs() else "same"

    def differs(self) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class Line(_Status):
    """One paragraph of content (a title-block line, an annex entry, an item): old, new, their words."""

    old: Any
    new: Any
    words: Words

    def differs(self) -> bool:
        return changed(self.words)


def _line(old: Content | None, new: Content | None, old_node=None, new_node=None) -> Line:
    if old is None:
        return Line(old_node, new_node if new_node is not None else new, inserted(new))
    if new is None:
        return Line(old_node if old_node is not None else old, None, deleted(old))
    return Line(old_node if old_node is not None else old, new_node if new_node is not None else new,
                words(old, new))


def lines(old: Sequence[Content], new: Sequence[Content]) -> tuple[Line, ...]:
    return tuple(_line(o, n) for o, n in align(old, new, plain))


@dataclass(frozen=True)
class ParagraphChange(_Status):
    old: Paragraph | None
    new: Paragraph | None
    words: Words
    items: tuple[Line, ...]

    def differs(self) -> bool:
        return changed(self.words) or any(item.status != "same" for item in self.items)


def paragraphs(old: Sequence[Paragraph], new: Sequence[Paragraph]) -> tuple[ParagraphChange, ...]:
    out = []
    for o, n in align(old, new, lambda p: plain(p.content) + " " + " ".join(plain(i.content) for i in p.items)):
        if n is None:
            out.append(ParagraphChange(o, None, deleted(o.content), tuple(_line(i.content, None, i) for i in o.items)))
        elif o is None:
            out.append(ParagraphChange(None, n, inserted(n.content), tuple(_line(None, i.content, None, i)
                                                                           for i in n.items)))
        else:
            items = tuple(_line(a.content if a else None, b.content if b else None, a, b)
                          for a, b in align(o.items, n.items, lambda i: plain(i.content)))
            out.append(ParagraphChange(o, n, words(o.content, n.content), items))
    return tuple(out)


# -- articles matched by id
@dataclass(frozen=True)
class ArticleChange:
    """An article where it stands in the compared document. A moved article stands twice: where it was
    (`moved_from`, the old article) and where it is (`moved_to`, the new one), under one move name."""

    status: str                     # same | changed | added | removed | moved_from | moved_to
    old: Article | None
    new: Article | None
    title: Words
    paragraphs: tuple[ParagraphChange, ...]
    move: str = ""

    @property
    def renumbered(self) -> bool:
        return self.old is not None and self.new is not None and self.old.number != self.new.number


@dataclass(frozen=True)
class PartChange:
    status: str                     # same | changed | added | removed
    old: Part | None
    new: Part | None
    title: Words
    articles: tuple[ArticleChange, ...]


@dataclass(frozen=True)
class Unit:
    """One unit of an annex as it is compared: a line (a heading, a note, a list entry) or a whole table
    (a form's fields, a table), which is kept, inserted or deleted as one."""

    kind: str                       # heading | note | bullet | table
    content: Content | Fields | Table

    @property
    def key(self) -> str:
        if isinstance(self.content, Fields):
            return "table " + " ".join(plain(f.label) + " " + " ".join(map(plain, f.options))
                                       for f in self.content.fields)
        if isinstance(self.content, Table):
            return "table " + " ".join(plain(cell) for row in (self.content.columns, *self.content.rows)
                                       for cell in row)
        return f"{self.kind} {plain(self.content)}"


def units(blocks: Sequence[Block]) -> list[Unit]:
    """An annex's blocks as the units compared: a list gives one unit per entry."""
    out: list[Unit] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(Unit("heading", block.content))
        elif isinstance(block, Note):
            out.append(Unit("note", block.content))
        elif isinstance(block, Bullets):
            out += [Unit("bullet", entry) for entry in block.entries]
        elif isinstance(block, Fields | Table):
            out.append(Unit("table", block))
        else:
            raise UnknownField(f"the comparison has no rule for an annex's {type(block).__name__}")
    return out


@dataclass(frozen=True)
class UnitChange(_Status):
    """A unit of an annex matched: a line's words compared; a table kept, or one taking another's place."""

    kind: str
    old: Unit | None
    new: Unit | None
    words: Words

    def differs(self) -> bool:
        if self.kind == "table":
            return self.old.content != self.new.content
        return changed(self.words)


def _units(old: Sequence[Block], new: Sequence[Block]) -> tuple[UnitChange, ...]:
    """The units of two annexes matched. A table that takes the place of another — the one removed, the
    other added right after — is one table changed, compared row by row: a table removed whole would
    leave, once accepted, the paragraph that follows it against the next table."""
    out: list[UnitChange] = []
    for o, n in align(units(old), units(new), lambda u: u.key):
        if o is not None and n is not None and o.kind != n.kind:   # alike text, another kind: two changes
            out += [UnitChange(o.kind, o, None, _unit_words(o, None)),
                    UnitChange(n.kind, None, n, _unit_words(None, n))]
            continue
        kind = (o or n).kind
        last = out[-1] if out else None
        if kind == "table" and last is not None and last.kind == "table" and (last.new is None) != (n is None) \
                and (last.old is None) != (o is None) and type((last.old or last.new).content) is \
                type((o or n).content):
            out[-1] = UnitChange(kind, last.old or o, last.new or n, ())
            continue
        out.append(UnitChange(kind, o, n, _unit_words(o, n)))
    return tuple(out)


def _unit_words(old: Unit | None, new: Unit | None) -> Words:
    if (old or new).kind == "table":
        return ()
    if old is None:
        return inserted(new.content)
    if new is None:
        return deleted(old.content)
    return words(old.content, new.content)


@dataclass(frozen=True)
class AnnexChange(_Status):
    old: Annex | None
    new: Annex | None
    title: Words
    units: tuple[UnitChange, ...]

    def differs(self) -> bool:
        return changed(self.title) or any(u.status != "same" for u in self.units)


@dataclass(frozen=True)
class DocumentChange:
    old: Document
    new: Document
    title: Words
    authority: Words
    block: tuple[Line, ...]
    preamble: tuple[Line, ...]
    parts: tuple[PartChange, ...]
    signature: tuple[tuple[Line, ...], tuple[Line, ...]]   # place and date, then the signatory's lines
    annexes: tuple[AnnexChange, ...]
    moves: dict[str, str] = field(default_factory=dict)     # article id → move name

    def articles(self):
        for part in self.parts:
            yield from part.articles


def _article(old: Article | None, new: Article | None, status: str, move: str = "") -> ArticleChange:
    if old is None:
        return ArticleChange(status, None, new, inserted(new.title), paragraphs((), new.paragraphs), move)
    if new is None:
        return ArticleChange(status, old, None, deleted(old.title), paragraphs(old.paragraphs, ()), move)
    body = paragraphs(old.paragraphs, new.paragraphs)
    if status == "same" and (changed(words(old.title, new.title)) or any(p.status != "same" for p in body)):
        status = "changed"
    return ArticleChange(status, old, new, words(old.title, new.title), body, move)


def _parts(old: Document, new: Document) -> tuple[tuple[PartChange, ...], dict[str, str]]:
    old_home = {a.id: p.id for p in old.parts for a in p.articles}
    new_home = {a.id: p.id for p in new.parts for a in p.articles}
    old_articles = {a.id: a for a in old.articles()}
    new_articles = {a.id: a for a in new.articles()}
    common_old = [a.id for a in old.articles() if a.id in new_articles]
    common_new = [a.id for a in new.articles() if a.id in old_articles]
    staying: set[str] = set()
    for block in SequenceMatcher(None, common_old, common_new, autojunk=False).get_matching_blocks():
        staying |= set(common_old[block.a:block.a + block.size])
    kept = {i for i in staying if old_home[i] == new_home[i]}
    moves = {i: f"move{n}" for n, i in enumerate((i for i in common_new if i not in kept), 1)}
    out = []
    for o, n in _align_parts(old.parts, new.parts):
        merged: list[ArticleChange] = []
        olds = list(o.articles) if o else []
        news = list(n.articles) if n else []
        while olds or news:
            while olds and olds[0].id not in kept:      # what left this place: removed, or moved away
                article = olds.pop(0)
                moved = article.id in moves
                merged.append(_article(article, new_articles.get(article.id) if moved else None,
                                       "moved_from" if moved else "removed", moves.get(article.id, "")))
            while news and news[0].id not in kept:      # what came here: added, or moved here
                article = news.pop(0)
                moved = article.id in moves
                merged.append(_article(old_articles.get(article.id) if moved else None, article,
                                       "moved_to" if moved else "added", moves.get(article.id, "")))
            if olds and news:
                merged.append(_article(olds.pop(0), news.pop(0), "same"))
        if o is None:
            out.append(PartChange("added", None, n, inserted(n.title), tuple(merged)))
        elif n is None:
            out.append(PartChange("removed", o, None, deleted(o.title), tuple(merged)))
        else:
            title = words(o.title, n.title)
            status = "changed" if changed(title) or any(a.status != "same" for a in merged) else "same"
            out.append(PartChange(status, o, n, title, tuple(merged)))
    return tuple(out), moves


def _align_parts(old: Sequence[Part], new: Sequence[Part]) -> list[tuple[Part | None, Part | None]]:
    """Parts matched by id, in reading order: a part only in the old document where it stood."""
    out: list[tuple[Part | None, Part | None]] = []
    ids = [p.id for p in old], [p.id for p in new]
    for op, i1, i2, j1, j2 in SequenceMatcher(None, *ids, autojunk=False).get_opcodes():
        if op == EQUAL:
            out += zip(old[i1:i2], new[j1:j2], strict=True)
        else:
            out += [(p, None) for p in old[i1:i2]] + [(None, p) for p in new[j1:j2]]
    return out


def _annexes(old: Sequence[Annex], new: Sequence[Annex]) -> tuple[AnnexChange, ...]:
    out = []
    for o, n in _align_parts(old, new):   # annexes too are matched by id
        if o is None:
            out.append(AnnexChange(None, n, inserted(n.title), _units((), n.blocks)))
        elif n is None:
            out.append(AnnexChange(o, None, deleted(o.title), _units(o.blocks, ())))
        else:
            out.append(AnnexChange(o, n, words(o.title, n.title), _units(o.blocks, n.blocks)))
    return tuple(out)


def preamble_lines(preamble: Preamble | None) -> tuple[Content, ...]:
    """The enacting formula as lines: the office, each recital, the enacting words."""
    return () if preamble is None else (preamble.office, *preamble.recitals, preamble.enacting)


def signature_lines(signature: Signature | None) -> tuple[tuple[Content, ...], tuple[Content, ...]]:
    """The signature block as lines: place and date; then, under the line to sign on, the signatory's
    name (when given) and office."""
    if signature is None:
        return (), ()
    return (signature.done,), tuple(line for line in (signature.name, signature.office) if line)


def _signature(old: Signature | None, new: Signature | None) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    (old_done, old_rest), (new_done, new_rest) = signature_lines(old), signature_lines(new)
    return lines(old_done, new_done), lines(old_rest, new_rest)


# The rule for each field of the Document: a new field stops the comparison until it has one.
_RULES = {"meta": None, "title": words, "authority": words, "block": lines, "preamble": preamble_lines,
          "parts": None, "signature": signature_lines, "annexes": _annexes}


def compare(old: Document, new: Document) -> DocumentChange:
    missing = {f.name for f in fields(new)} - set(_RULES)
    if missing:
        raise UnknownField(f"the comparison has no rule for Document.{', Document.'.join(sorted(missing))}")
    parts, moves = _parts(old, new)
    return DocumentChange(old, new, words(old.title, new.title), words(old.authority, new.authority),
                          lines(old.block, new.block),
                          lines(preamble_lines(old.preamble), preamble_lines(new.preamble)), parts,
                          _signature(old.signature, new.signature), _annexes(old.annexes, new.annexes), moves)


# -- the summary, by article
def summary(change: DocumentChange, t) -> list[str]:
    """What changed, one line per article (and per part, title block, signature, annex), in the words
    of translator `t`; then whether the library or the toolkit changed between the two builds."""
    out: list[str] = []
    if changed(change.title) or changed(change.authority) or any(line.status != "same" for line in change.block):
        out.append(t.gettext("Title block changed"))
    if any(line.status != "same" for line in change.preamble):
        out.append(t.gettext("Enacting formula changed"))
    renumbered: list[tuple[int, int]] = []
    for part in change.parts:
        if part.status == "added":
            out.append(t.gettext("Part added: %(title)s") % {"title": plain(part.new.title)})
        elif part.status == "removed":
            out.append(t.gettext("Part removed: %(title)s") % {"title": plain(part.old.title)})
        elif changed(part.title):
            out.append(t.gettext("Part “%(title)s”: title changed") % {"title": plain(part.new.title)})
        for article in part.articles:
            line = _article_line(article, t)
            if line:
                out.append(line)
            elif article.status == "same" and article.renumbered:
                renumbered.append((article.new.number, article.old.number))
    out += _renumbered(renumbered, t)
    if any(line.status != "same" for part in change.signature for line in part):
        out.append(t.gettext("Signature changed"))
    for annex in change.annexes:
        title = plain((annex.new or annex.old).title)
        if annex.status == "added":
            out.append(t.gettext("Annex added: %(title)s") % {"title": title})
        elif annex.status == "removed":
            out.append(t.gettext("Annex removed: %(title)s") % {"title": title})
        elif annex.status == "changed":
            out.append(t.gettext("Annex changed: %(title)s") % {"title": title})
    if not out:
        out.append(t.gettext("No changes."))
    return out + versions(change.old, change.new, t)


def _article_line(article: ArticleChange, t) -> str | None:
    if article.status == "added":
        return t.gettext("Article %(number)s (%(title)s) added") % {"number": article.new.number,
                                                                   "title": plain(article.new.title)}
    if article.status == "removed":
        return t.gettext("Former article %(number)s (%(title)s) removed") % {"number": article.old.number,
                                                                             "title": plain(article.old.title)}
    if article.status == "moved_from":
        return None     # told where it went
    changes = []
    if changed(article.title):
        changes.append(t.gettext("title changed"))
    for paragraph in article.paragraphs:
        if paragraph.status == "added":
            changes.append(t.gettext("paragraph %(n)s added") % {"n": paragraph.new.number})
        elif paragraph.status == "removed":
            changes.append(t.gettext("former paragraph %(n)s removed") % {"n": paragraph.old.number})
        elif paragraph.status == "changed":
            changes.append(t.gettext("paragraph %(n)s changed") % {"n": paragraph.new.number})
    if article.status == "moved_to":
        head = t.gettext("Article %(number)s (%(title)s) moved, formerly article %(old)s") % {
            "number": article.new.number, "title": plain(article.new.title), "old": article.old.number}
    elif not changes:
        return None
    elif article.renumbered:
        head = t.gettext("Article %(number)s (%(title)s), formerly %(old)s") % {
            "number": article.new.number, "title": plain(article.new.title), "old": article.old.number}
    else:
        head = t.gettext("Article %(number)s (%(title)s)") % {"number": article.new.number,
                                                             "title": plain(article.new.title)}
    return head + (t.gettext(": %(changes)s") % {"changes": t.join(changes)} if changes else "")


def _renumbered(pairs: list[tuple[int, int]], t) -> list[str]:
    """Articles renumbered and otherwise the same, in runs of one shift: "Articles 25–40 (formerly 24–39)"."""
    runs: list[list[tuple[int, int]]] = []
    for new, old in pairs:
        if runs and new == runs[-1][-1][0] + 1 and new - old == runs[-1][-1][0] - runs[-1][-1][1]:
            runs[-1].append((new, old))
        else:
            runs.append([(new, old)])
    out = []
    for run in runs:
        if len(run) == 1:
            out.append(t.gettext("Article %(number)s renumbered (formerly %(old)s)") % {"number": run[0][0],
                                                                                         "old": run[0][1]})
        else:
            out.append(t.gettext("Articles %(first)s–%(last)s renumbered (formerly %(old_first)s–%(old_last)s)")
                       % {"first": run[0][0], "last": run[-1][0], "old_first": run[0][1], "old_last": run[-1][1]})
    return out


def versions(old: Document, new: Document, t) -> list[str]:
    """Whether the two were built with different libraries or toolkits."""
    out = []
    if not old.meta.library_version:
        out.append(t.gettext("The old version does not record the library it was built with."))
    elif old.meta.library_version != new.meta.library_version:
        out.append(t.gettext("The model library changed between the two builds (library %(old)s, now %(new)s): "
                             "some changes may come from the library rather than from the answers.")
                   % {"old": old.meta.library_version, "new": new.meta.library_version})
    if old.meta.toolkit_version and old.meta.toolkit_version != new.meta.toolkit_version:
        out.append(t.gettext("The toolkit changed between the two builds (version %(old)s, now %(new)s).")
                   % {"old": old.meta.toolkit_version, "new": new.meta.toolkit_version})
    return out


def markdown(change: DocumentChange, t, old_name: str, new_name: str) -> str:
    """The summary as a Markdown file beside the tracked-changes copy."""
    from .render.md import escape

    title = t.gettext("Changes to %(title)s") % {"title": change.new.meta.title}
    lines_ = [f"# {escape(title)}", ""]
    for label, name, meta in ((t.gettext("Old version"), old_name, change.old.meta),
                              (t.gettext("New version"), new_name, change.new.meta)):
        built = t.gettext("%(name)s (%(reference)s, %(date)s; library %(library)s, toolkit %(toolkit)s)") % {
            "name": name, "reference": meta.reference, "date": meta.date, "library": meta.library_version or "?",
            "toolkit": meta.toolkit_version or "?"}
        lines_ += [f"**{escape(label)}:** {escape(built)}", ""]
    lines_ += [f"- {escape(line)}" for line in summary(change, t)]
    return "\n".join(lines_) + "\n"
