"""The document tree: one directive in one language, as plain typed data that every writer visits.

It knows nothing of any output format. Its text is final — translated, with answers filled in — and
literal: a `Text` is never markup, whatever characters it holds, so no writer can mistake a user's or a
translator's words for structure. Everything a writer needs to know (an article's id, the target of a
reference, where a citation goes, what is a drafting note) is explicit here, never read back from text.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, is_dataclass, replace


# -- inline content
@dataclass(frozen=True)
class Text:
    """Literal text."""

    text: str


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]
    strong: bool = False


@dataclass(frozen=True)
class Ref:
    """A reference to an article (by its clause id) or an annex (by "annex-" and its id) of this document;
    `label` is its number as shown ("34", "II"), resolved from the tree when it was built."""

    target: str
    label: str


@dataclass(frozen=True)
class Citation:
    """The provisions an article implements, at the place its note mark goes (a footnote in most writers)."""

    children: tuple[Inline, ...]


Inline = Text | Emphasis | Ref | Citation
Content = tuple[Inline, ...]


# -- blocks
@dataclass(frozen=True)
class Item:
    number: int
    content: Content


@dataclass(frozen=True)
class Paragraph:
    number: int
    content: Content
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Article:
    id: str                  # the clause id (a variant: the id of the clause whose place it takes): stable across
                             # builds, languages and renumbering, and what a Ref names
    number: int
    title: Content
    paragraphs: tuple[Paragraph, ...]
    note: Content = ()       # the drafting note, when the build shows notes


@dataclass(frozen=True)
class Part:
    id: str                  # the section key
    title: Content
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Preamble:
    """The enacting formula: who issues the directive, what it has regard to, and the words that enact it."""

    office: Content                      # "Commissioner of Prisons,"
    recitals: tuple[Content, ...]        # "Having regard to …;"
    enacting: Content                    # "Issues this directive:"


@dataclass(frozen=True)
class Signature:
    """The signature block: place and date, a line to sign on, the signatory's name and office."""

    done: Content                        # "Done at Valdora City on 22 November 2026."
    name: Content                        # empty when the name is written by hand
    office: Content


# -- the blocks of an annex: a form, a table of findings, a list of sources
@dataclass(frozen=True)
class Heading:
    """A heading within an annex (a part of a form)."""

    content: Content


@dataclass(frozen=True)
class Note:
    """A paragraph of an annex: an introduction, an instruction, information filled from the answers."""

    content: Content


@dataclass(frozen=True)
class Bullets:
    entries: tuple[Content, ...]


@dataclass(frozen=True)
class Field:
    """Something a form asks for: `lines` to write on, or `options` to tick (then no lines)."""

    label: Content
    lines: int = 1
    options: tuple[Content, ...] = ()


@dataclass(frozen=True)
class Fields:
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Table:
    """A table with a heading row; a cell is content, empty where a form leaves it to fill in."""

    columns: tuple[Content, ...]
    rows: tuple[tuple[Content, ...], ...]


Block = Heading | Note | Bullets | Fields | Table


@dataclass(frozen=True)
class Annex:
    id: str
    number: str                          # "I", "II" … as references read it; "" for a report's section
    title: Content                       # the heading as shown ("Annex I – Application for admission")
    blocks: tuple[Block, ...]


DIRECTIVE, ANNEX, REPORT = "directive", "annex", "report"   # the kinds of document
ANNEX_TARGET = "annex-"      # a reference to an annex targets "annex-" and its id, as its anchor is named


@dataclass(frozen=True)
class Meta:
    """What the document says about itself (front matter, document properties, page furniture)."""

    title: str
    subtitle: str            # the jurisdiction
    author: str              # the issuing authority
    reference: str
    date: str                # the adoption date, YYYY-MM-DD: every date stamped in a file is this one
    lang: str
    kind: str = DIRECTIVE    # a directive, one annex on its own (a form for daily use), or a report
    paper: str = "a4"        # a4 | letter
    running: str = ""        # the running header of every page but the first of a directive
    country: str = ""        # the ISO 3166 code of the jurisdiction, when the answers give it
    toolkit_version: str = ""   # the version of the toolkit that built it
    library_version: str = ""   # the version (a content hash) of the clauses, templates and catalogs


@dataclass(frozen=True)
class Document:
    meta: Meta
    title: Content
    authority: Content
    block: tuple[Content, ...]          # the title block's lines: jurisdiction, reference, dates
    preamble: Preamble | None = None
    parts: tuple[Part, ...] = ()
    signature: Signature | None = None
    annexes: tuple[Annex, ...] = ()

    def articles(self) -> Iterator[Article]:
        for part in self.parts:
            yield from part.articles


class InlineWriter:
    """Writes inline content node by node: a writer says how each kind of node reads in its format."""

    def inline(self, content: Content) -> str:
        return self.join([self.node(node) for node in content])

    def node(self, node: Inline) -> str:
        if isinstance(node, Text):
            return self.text(node)
        if isinstance(node, Emphasis):
            return self.emphasis(node)
        if isinstance(node, Ref):
            return self.ref(node)
        return self.citation(node)

    def join(self, pieces: list[str]) -> str:
        return "".join(pieces)

    def text(self, node: Text) -> str:
        raise NotImplementedError

    def emphasis(self, node: Emphasis) -> str:
        raise NotImplementedError

    def ref(self, node: Ref) -> str:
        raise NotImplementedError

    def citation(self, node: Citation) -> str:
        raise NotImplementedError


def plain(content: Content) -> str:
    """The text of inline content as a reader sees it, citations left out."""
    out = []
    for node in content:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Ref):
            out.append(node.label)
        elif isinstance(node, Emphasis):
            out.append(plain(node.children))
    return "".join(out)


def text(value: str) -> Content:
    """Literal text as content (nothing, for an empty string)."""
    return (Text(value),) if value else ()


def map_texts(node, change: Callable[[str], str]):
    """The same tree with every literal text changed by `change` (ids, numbers and metadata kept)."""
    if isinstance(node, Text):
        return Text(change(node.text))
    if isinstance(node, tuple):
        return tuple(map_texts(item, change) for item in node)
    if is_dataclass(node) and not isinstance(node, (Meta, Ref)):
        values = {f.name: getattr(node, f.name) for f in fields(node)}
        return replace(node, **{name: map_texts(value, change) for name, value in values.items()
                                if isinstance(value, (tuple, Text)) or is_dataclass(value)})
    return node
