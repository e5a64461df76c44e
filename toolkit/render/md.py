"""Document tree ↔ Markdown: CommonMark with footnotes, YAML front matter and block attributes.

The writer escapes every literal text, so `*`, `#`, `1.` or `{{ 7*7 }}` typed by a user or a translator
come out as those characters. What a reader of Markdown cannot see — the id of a part, an article or an
annex, the signature — travels as block attributes (`{id="separation.plan"}`), and references to
articles are links to those ids, so that `read(write(document)) == document`.
"""
from __future__ import annotations

import re
from dataclasses import fields
from functools import cache

import yaml

from ..i18n import _
from ..text import SPACE as _SPACE
from .compose import Labels
from .tree import (
    Annex,
    Article,
    Citation,
    Content,
    Document,
    Emphasis,
    Inline,
    InlineWriter,
    Item,
    Meta,
    Paragraph,
    Part,
    Ref,
    Text,
)

_INLINE = re.compile(r"([\\`*_\[\]<>#|~&!{}])")
_BLOCK_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-+=>])")
_PART, _ANNEX = "part-", "annex-"
_SIGNATURE = "signature"
# The front matter: what the document says about itself, with what built it (an empty value is left out).
_FRONT_MATTER = tuple(field.name for field in fields(Meta))


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

    def annex(self, annex: Annex) -> list[str]:
        lines = [f'{{id="{_ANNEX}{annex.id}"}}', f"## {self.inline(annex.title)}", ""]
        if annex.intro:
            lines += [self.inline(annex.intro), ""]
        lines += [f"- {self.inline(entry)}" for entry in annex.entries]
        return [*lines, "", ""]


def write(document: Document, labels: Labels) -> str:
    """The Markdown of a document, its drafting notes under the label of its language."""
    writer = _Writer(labels.drafting_note)
    meta = document.meta
    front = yaml.safe_dump({key: getattr(meta, key) for key in _FRONT_MATTER if getattr(meta, key)},
                           allow_unicode=True, sort_keys=False, width=1000).strip()
    lines = ["---", front, "---", "", f"# {writer.inline(document.title)}", "",
             f"**{writer.inline(document.authority)}**", ""]
    for line in document.block:
        lines += [writer.inline(line), ""]
    for part in document.parts:
        lines += [f'{{id="{_PART}{part.id}"}}', f"## {writer.inline(part.title)}", ""]
        for article in part.articles:
            lines += writer.article(article)
    lines += [f"{{.{_SIGNATURE}}}", writer.inline(document.signature), ""]
    for annex in document.annexes:
        lines += writer.annex(annex)
    lines += [f"[^{n}]: {note}" for n, note in enumerate(writer.notes, 1)]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- reading
@cache
def parser():
    """The parser of the toolkit's Markdown: CommonMark, footnotes, front matter, block attributes."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_block_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return (MarkdownIt("commonmark", {"html": False}).use(front_matter_plugin).use(footnote_plugin)
            .use(attrs_block_plugin))


class FormatError(ValueError):
    """Markdown that is not a directive as the toolkit writes it; `line` is where it departs from one."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _line(token) -> int | None:
    return token.map[0] + 1 if token.map else None


def read(markdown: str) -> Document:
    """The document tree of a directive's Markdown, as `write` made it."""
    tokens = parser().parse(markdown)
    notes = _footnotes(tokens)
    meta: dict = {}
    title: Content = ()
    authority: Content | None = None
    block: list[Content] = []
    parts: list[Part] = []
    annexes: list[Annex] = []
    signature: Content = ()
    open_part: tuple[str, Content, list[Article]] | None = None
    open_article: dict | None = None
    open_annex: dict | None = None
    depth = 0
    i = 0

    def close_article() -> None:
        nonlocal open_article
        if open_article is not None:
            open_part[2].append(Article(open_article["id"], open_article["number"], open_article["title"],
                                        tuple(open_article["paragraphs"]), open_article["note"]))
            open_article = None

    def close_part() -> None:
        nonlocal open_part
        close_article()
        if open_part is not None:
            parts.append(Part(open_part[0], open_part[1], tuple(open_part[2])))
            open_part = None

    def close_annex() -> None:
        nonlocal open_annex
        if open_annex is not None:
            annexes.append(Annex(open_annex["id"], open_annex["title"], open_annex["intro"],
                                 tuple(open_annex["entries"])))
            open_annex = None

    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "front_matter":
            meta = yaml.safe_load(token.content) or {}
        elif kind == "footnote_block_open":
            break
        elif kind == "heading_open":
            content = _content(tokens[i + 1].children or [], notes)
            ident = str(token.attrs.get("id", ""))
            if token.tag == "h1":
                title = content
            elif token.tag == "h2" and ident.startswith(_PART):
                close_part()
                close_annex()
                open_part = (ident.removeprefix(_PART), content, [])
            elif token.tag == "h2" and ident.startswith(_ANNEX):
                close_part()
                close_annex()
                open_annex = {"id": ident.removeprefix(_ANNEX), "title": content, "intro": (), "entries": []}
            elif token.tag == "h3" and open_part is not None:
                close_article()
                number, title_content = _numbered(content)
                open_article = {"id": ident, "number": number, "title": title_content, "paragraphs": [],
                                "note": ()}
            else:
                raise FormatError(_("expected a heading of the directive (its title, a part with its id, an "
                                    "article or an annex), found another heading"), _line(token))
            i += 3
            continue
        elif kind in ("ordered_list_open", "bullet_list_open"):
            depth += 1
        elif kind in ("ordered_list_close", "bullet_list_close"):
            depth -= 1
        elif kind == "blockquote_open" and open_article is not None:
            inline = tokens[i + 2].children or []
            open_article["note"] = _content(_after_label(inline), notes)
            while tokens[i].type != "blockquote_close":
                i += 1
        elif kind == "paragraph_open":
            content = _content(tokens[i + 1].children or [], notes)
            if open_article is not None and depth == 1:
                paragraphs = open_article["paragraphs"]
                paragraphs.append(Paragraph(len(paragraphs) + 1, content))
            elif open_article is not None and depth == 2:
                last = open_article["paragraphs"][-1]
                open_article["paragraphs"][-1] = Paragraph(last.number, last.content,
                                                           (*last.items, Item(len(last.items) + 1, content)))
            elif open_annex is not None and depth == 1:
                open_annex["entries"].append(content)
            elif open_annex is not None:
                open_annex["intro"] = content
            elif _SIGNATURE in str(token.attrs.get("class", "")).split():
                close_part()
                signature = content
            elif not parts and open_part is None and authority is None:
                authority = _content(_after_label(tokens[i + 1].children or []), notes)
            elif not parts and open_part is None:
                block.append(content)
            else:
                raise FormatError(_("expected a paragraph of an article or an annex, found text outside them"),
                                  _line(token))
            i += 3
            continue
        i += 1
    close_part()
    close_annex()
    return Document(
        meta=Meta(**{key: str(meta.get(key) or "") for key in _FRONT_MATTER}),
        title=title, authority=authority or (), block=tuple(block), parts=tuple(parts), signature=signature,
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
