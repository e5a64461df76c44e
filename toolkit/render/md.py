"""Document tree ↔ Markdown: CommonMark with footnotes, tables, YAML front matter and block attributes.

The writer escapes every literal text, so `*`, `#`, `1.` or `{{ 7*7 }}` typed by a user or a translator
come out as those characters. What a reader of Markdown cannot see — the id of a part, an article or an
annex, the number of an annex, the role of a paragraph of the preamble or the signature, the lines a form
leaves to write on — travels as block attributes (`{id="separation.plan"}`, `{.recital}`), and references
are links to those ids, so that `read(write(document)) == document`.
"""
from __future__ import annotations

import re
from dataclasses import fields
from functools import cache, lru_cache

import yaml

from ..i18n import _
from ..text import SPACE as _SPACE
from .compose import Labels
from .tree import (
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
    InlineWriter,
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
)

_INLINE = re.compile(r"([\\`*_\[\]<>#|~&!{}])")
_BLOCK_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-+=>])")
_PART = "part-"
# The classes of the paragraphs a reader tells apart only by their role.
_OFFICE, _RECITAL, _ENACTING = "office", "recital", "enacting"
_SIGNATURE, _SIGNATORY, _SIGNING_OFFICE = "signature", "signatory", "signing-office"
_FIELDS = "fields"
# The front matter: what the document says about itself, with what built it (an empty value is left out).
_FRONT_MATTER = tuple(field.name for field in fields(Meta))


@lru_cache(maxsize=1 << 14)   # a batch writes the same clause texts for every answers file
def escape(text: str) -> str:
    """Plain text → Markdown that reads as the same plain text (runs of white space read as one space)."""
    text = _INLINE.sub(r"\\\1", _SPACE.sub(" ", text))
    return _BLOCK_START.sub(lambda m: (m.group(1) or "") + m.group(2) + "\\" + m.group(3) if m.group(2)
                            else (m.group(4) or "") + "\\" + m.group(5), text)


# -- writing
class _Writer(InlineWriter):
    def __init__(self, drafting_note: str):
        self.drafting_note = drafting_note
        self.notes: list[str] = []

    def text(self, node: Text) -> str:
        return escape(node.text)

    def emphasis(self, node: Emphasis) -> str:
        mark = "**" if node.strong else "*"
        return f"{mark}{self.inline(node.children)}{mark}"

    def ref(self, node: Ref) -> str:
        return f"[{escape(node.label)}](#{node.target})"

    def citation(self, node: Citation) -> str:
        self.notes.append(self.inline(node.children))
        return f"[^{len(self.notes)}]"

    def classed(self, name: str, content: Content) -> list[str]:
        return [f"{{.{name}}}", self.inline(content), ""]

    def preamble(self, preamble: Preamble) -> list[str]:
        lines = self.classed(_OFFICE, preamble.office)
        for recital in preamble.recitals:
            lines += self.classed(_RECITAL, recital)
        return lines + self.classed(_ENACTING, preamble.enacting)

    def article(self, article: Article) -> list[str]:
        lines = [f'{{id="{article.id}"}}', f"### {article.number}. {self.inline(article.title)}", ""]
        for paragraph in article.paragraphs:
            lines += [f"{paragraph.number}. {self.inline(paragraph.content)}", ""]
            lines += [f"   {item.number}. {self.inline(item.content)}" for item in paragraph.items]
            if paragraph.items:
                lines.append("")
        if article.note:
            lines += [f"> **{escape(self.drafting_note)}.** {self.inline(article.note)}", ""]
        return lines

    def signature(self, signature: Signature) -> list[str]:
        lines = [*self.classed(_SIGNATURE, signature.done), "___", ""]   # the line to sign on
        if signature.name:
            lines += self.classed(_SIGNATORY, signature.name)
        return lines + self.classed(_SIGNING_OFFICE, signature.office)

    def annex(self, annex: Annex) -> list[str]:
        number = f' number="{annex.number}"' if annex.number else ""
        lines = [f'{{id="{ANNEX_TARGET}{annex.id}"{number}}}', f"## {self.inline(annex.title)}", ""]
        for block in annex.blocks:
            lines += self.block(block)
        return [*lines, ""]

    def block(self, block: Block) -> list[str]:
        if isinstance(block, Heading):
            return [f"### {self.inline(block.content)}", ""]
        if isinstance(block, Note):
            return [self.inline(block.content), ""]
        if isinstance(block, Bullets):
            return [*(f"- {self.inline(entry)}" for entry in block.entries), ""]
        if isinstance(block, Fields):
            lines = [f'{{.{_FIELDS} lines="{" ".join(str(f.lines) for f in block.fields)}"}}']
            for field in block.fields:
                lines.append(f"- {self.inline(field.label)}")
                lines += [f"  - {self.inline(option)}" for option in field.options]
            return [*lines, ""]
        return [self.row(block.columns), "|" + " --- |" * len(block.columns),
                *(self.row(row) for row in block.rows), ""]

    def row(self, cells: tuple[Content, ...]) -> str:
        return "| " + " | ".join(self.inline(cell) for cell in cells) + " |"


def write(document: Document, labels: Labels) -> str:
    """The Markdown of a document, its drafting notes under the label of its language."""
    writer = _Writer(labels.drafting_note)
    meta = document.meta
    front = yaml.safe_dump({key: getattr(meta, key) for key in _FRONT_MATTER if getattr(meta, key)},
                           allow_unicode=True, sort_keys=False, width=1000).strip()
    lines = ["---", front, "---", ""]
    if document.title:
        lines += [f"# {writer.inline(document.title)}", ""]
    lines += [f"**{writer.inline(document.authority)}**", ""]
    for line in document.block:
        lines += [writer.inline(line), ""]
    if document.preamble:
        lines += writer.preamble(document.preamble)
    for part in document.parts:
        lines += [f'{{id="{_PART}{part.id}"}}', f"## {writer.inline(part.title)}", ""]
        for article in part.articles:
            lines += writer.article(article)
    if document.signature:
        lines += writer.signature(document.signature)
    for annex in document.annexes:
        lines += writer.annex(annex)
    lines += [f"[^{n}]: {note}" for n, note in enumerate(writer.notes, 1)]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- reading
@cache
def parser():
    """The parser of the toolkit's Markdown: CommonMark, tables, footnotes, front matter, block attributes."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_block_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return (MarkdownIt("commonmark", {"html": False}).enable("table").use(front_matter_plugin)
            .use(footnote_plugin).use(attrs_block_plugin))


class FormatError(ValueError):
    """Markdown that is not a directive as the toolkit writes it; `line` is where it departs from one."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _line(token) -> int | None:
    return token.map[0] + 1 if token.map else None


class _Reader:
    """Walks the block tokens of a directive's Markdown, one construct of the tree at a time."""

    def __init__(self, tokens, notes: dict[int, Content]):
        self.tokens = tokens
        self.notes = notes
        self.i = 0

    @property
    def token(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def fail(self, message: str) -> FormatError:
        """The error of Markdown that departs from a directive here: `message` and this line."""
        return FormatError(message, _line(self.token) if self.token is not None else None)

    def content(self) -> Content:
        """The inline content of the block that opens here (a paragraph, heading or cell); moves past it."""
        inline = self.tokens[self.i + 1]
        self.i += 3
        return _content(inline.children or [], self.notes)

    def classes(self) -> list[str]:
        return str(self.token.attrs.get("class", "")).split()

    def items(self) -> list[tuple[Content, list]]:
        """The items of the list that opens here: each its content and its own sub-list."""
        close = self.token.type.replace("_open", "_close")
        self.i += 1
        out: list[tuple[Content, list]] = []
        while self.token.type != close:
            if self.token.type == "list_item_open":
                self.i += 1
                content: Content = ()
                children: list = []
                while self.token.type != "list_item_close":
                    if self.token.type == "paragraph_open":
                        content = self.content()
                    elif self.token.type in ("ordered_list_open", "bullet_list_open"):
                        children = self.items()
                    else:
                        raise self.fail(_("expected a list item of a directive, found %(kind)s",
                                          kind=self.token.type))
                out.append((content, children))
            self.i += 1
        self.i += 1
        return out

    def table(self) -> Table:
        columns: list[Content] = []
        rows: list[tuple[Content, ...]] = []
        row: list[Content] = []
        while self.token.type != "table_close":
            kind = self.token.type
            if kind in ("th_open", "td_open"):
                row.append(self.content())
                continue
            if kind == "tr_close":
                if columns:
                    rows.append(tuple(row))
                else:
                    columns = row
                row = []
            self.i += 1
        self.i += 1
        return Table(tuple(columns), tuple(rows))

    def article(self, ident: str) -> Article:
        number, title = _numbered(self.content())
        paragraphs: list[Paragraph] = []
        note: Content = ()
        while self.token is not None and self.token.type in ("ordered_list_open", "blockquote_open"):
            if self.token.type == "blockquote_open":
                note = _content(_after_label(self.tokens[self.i + 2].children or []), self.notes)
                while self.token.type != "blockquote_close":
                    self.i += 1
                self.i += 1
                continue
            for content, children in self.items():
                items = tuple(Item(n, sub) for n, (sub, _none) in enumerate(children, 1))
                paragraphs.append(Paragraph(len(paragraphs) + 1, content, items))
        return Article(ident, number, title, tuple(paragraphs), note)

    def annex(self, ident: str, number: str) -> Annex:
        title = self.content()
        blocks: list[Block] = []
        while self.token is not None and not (self.token.type == "heading_open" and self.token.tag == "h2") \
                and self.token.type != "footnote_block_open":
            kind = self.token.type
            if kind == "heading_open" and self.token.tag == "h3":
                blocks.append(Heading(self.content()))
            elif kind == "paragraph_open":
                blocks.append(Note(self.content()))
            elif kind == "bullet_list_open" and _FIELDS in self.classes():
                lines = [int(n) for n in str(self.token.attrs.get("lines", "")).split()]
                items = self.items()
                blocks.append(Fields(tuple(Field(label, lines[n] if n < len(lines) else 1,
                                                 tuple(option for option, _sub in options))
                                           for n, (label, options) in enumerate(items))))
            elif kind == "bullet_list_open":
                blocks.append(Bullets(tuple(entry for entry, _sub in self.items())))
            elif kind == "table_open":
                blocks.append(self.table())
            else:
                raise self.fail(_("expected a block of the directive, found %(kind)s", kind=kind))
        return Annex(ident, number, title, tuple(blocks))


def read(markdown: str) -> Document:
    """The document tree of a directive's Markdown, as `write` made it."""
    tokens = parser().parse(markdown)
    reader = _Reader(tokens, _footnotes(tokens))
    meta: dict = {}
    title: Content = ()
    authority: Content | None = None
    block: list[Content] = []
    preamble = {_OFFICE: (), _RECITAL: [], _ENACTING: ()}
    signature = {_SIGNATURE: None, _SIGNATORY: (), _SIGNING_OFFICE: ()}
    parts: list[Part] = []
    annexes: list[Annex] = []
    part: tuple[str, Content, list[Article]] | None = None

    def close_part() -> None:
        nonlocal part
        if part is not None:
            parts.append(Part(part[0], part[1], tuple(part[2])))
            part = None

    while reader.token is not None:
        token = reader.token
        kind = token.type
        if kind == "front_matter":
            meta = yaml.safe_load(token.content) or {}
            reader.i += 1
        elif kind == "footnote_block_open":
            break
        elif kind == "hr":
            reader.i += 1
        elif kind == "heading_open":
            ident = str(token.attrs.get("id", ""))
            if token.tag == "h1":
                title = reader.content()
            elif token.tag == "h2" and ident.startswith(_PART):
                close_part()
                part = (ident.removeprefix(_PART), reader.content(), [])
            elif token.tag == "h2" and ident.startswith(ANNEX_TARGET):
                close_part()
                annexes.append(reader.annex(ident.removeprefix(ANNEX_TARGET), str(token.attrs.get("number", ""))))
            elif token.tag == "h3" and part is not None:
                part[2].append(reader.article(ident))
            else:
                raise reader.fail(_("expected a heading of the directive (its title, a part with its id, an "
                                    "article or an annex), found another heading"))
        elif kind == "paragraph_open":
            roles = reader.classes()
            role = next((r for r in (*preamble, *signature) if r in roles), None)
            if role == _RECITAL:
                preamble[role].append(reader.content())
            elif role in preamble:
                preamble[role] = reader.content()
            elif role in signature:
                close_part()
                signature[role] = reader.content()
            elif not parts and part is None and authority is None:
                authority = _content(_after_label(tokens[reader.i + 1].children or []), reader.notes)
                reader.i += 3
            elif not parts and part is None:
                block.append(reader.content())
            else:
                raise reader.fail(_("expected a paragraph of an article or an annex, found text outside them"))
        else:
            raise reader.fail(_("expected a block of the directive, found %(kind)s", kind=kind))
    close_part()
    return Document(
        meta=Meta(**{key: str(meta[key]) for key in _FRONT_MATTER if meta.get(key)}),
        title=title, authority=authority or (), block=tuple(block),
        preamble=Preamble(preamble[_OFFICE], tuple(preamble[_RECITAL]), preamble[_ENACTING])
        if preamble[_OFFICE] else None,
        parts=tuple(parts),
        signature=Signature(signature[_SIGNATURE], signature[_SIGNATORY], signature[_SIGNING_OFFICE])
        if signature[_SIGNATURE] is not None else None,
        annexes=tuple(annexes))


def _numbered(content: Content) -> tuple[int, Content]:
    """An article heading "12. Title" as its number and its title."""
    if content and isinstance(content[0], Text):
        number, dot, rest = content[0].text.partition(". ")
        if dot and number.isdigit():
            return int(number), ((Text(rest),) if rest else ()) + tuple(content[1:])
    raise FormatError(_("expected an article heading that starts with its number"))


def _after_label(children) -> list:
    """Inline tokens after a leading bold label (the authority's bold, "**Drafting note.** …")."""
    children = [c for c in children if c.type != "text" or c.content]
    if children and children[0].type == "strong_open":
        end = next((i for i, t in enumerate(children) if t.type == "strong_close"), -1)
        rest = list(children[end + 1:])
        if rest and rest[0].type == "text":
            rest[0] = rest[0].copy(content=rest[0].content.lstrip(" "))
        return rest if rest else list(children[1:end])
    return children


def _footnotes(tokens) -> dict[int, Content]:
    bodies: dict[int, Content] = {}
    current = None
    for token in tokens:
        if token.type == "footnote_open":
            current = token.meta["id"]
        elif token.type == "footnote_close":
            current = None
        elif current is not None and token.type == "inline":
            bodies[current] = _content(token.children or [], {})
    return bodies


def _content(children, notes: dict[int, Content]) -> Content:
    stack: list[tuple[str, list[Inline], dict]] = [("", [], {})]
    for token in children:
        kind = token.type
        if kind in ("text", "text_special", "code_inline"):
            nodes = stack[-1][1]
            if token.content:
                if nodes and isinstance(nodes[-1], Text):
                    nodes[-1] = Text(nodes[-1].text + token.content)
                else:
                    nodes.append(Text(token.content))
        elif kind == "softbreak":
            stack[-1][1].append(Text(" "))
        elif kind in ("em_open", "strong_open", "link_open"):
            stack.append((kind, [], dict(token.attrs)))
        elif kind in ("em_close", "strong_close", "link_close"):
            opened, nodes, attrs = stack.pop()
            if opened == "link_open":
                stack[-1][1].append(Ref(str(attrs.get("href", "")).removeprefix("#"), _plain_text(nodes)))
            else:
                stack[-1][1].append(Emphasis(tuple(nodes), strong=opened == "strong_open"))
        elif kind == "footnote_ref":
            stack[-1][1].append(Citation(notes.get(token.meta["id"], ())))
    return tuple(stack[0][1])


def _plain_text(nodes: list[Inline]) -> str:
    return "".join(node.text for node in nodes if isinstance(node, Text))
