"""Document tree → one standalone, accessible HTML page, for an intranet or a browser's preview.

The page's layout is templates/directive.html.j2 (Jinja2 with autoescape), its body
templates/directive-body.html.j2, which the preview of `draft serve` shows inside its own page; this
module turns inline content into markup from escaped text, numbers the footnotes and links each to its
mark and back.
"""
from __future__ import annotations

from functools import cache

from markupsafe import Markup, escape

from .. import resources
from .compose import Labels
from .tree import Citation, Document, Emphasis, InlineWriter, Ref, Text


class _Writer(InlineWriter):
    """Inline content as markup from escaped text; footnotes numbered in the order their marks appear."""

    def __init__(self) -> None:
        self.notes: list[Markup] = []

    def join(self, pieces: list[str]) -> Markup:
        return Markup("").join(pieces)

    def text(self, node: Text) -> Markup:
        return escape(node.text)

    def emphasis(self, node: Emphasis) -> Markup:
        tag = "strong" if node.strong else "em"
        return Markup(f"<{tag}>{self.inline(node.children)}</{tag}>")

    def ref(self, node: Ref) -> Markup:
        return Markup('<a href="#{}">{}</a>').format(node.target, node.label)

    def citation(self, node: Citation) -> Markup:
        self.notes.append(self.inline(node.children))
        n = len(self.notes)
        return Markup(f'<sup id="fnref-{n}"><a href="#fn-{n}" role="doc-noteref">{n}</a></sup>')


@cache
def _template(name: str = "directive.html.j2"):
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(loader=FileSystemLoader(str(resources.path("templates"))),
                                        undefined=StrictUndefined, autoescape=True, trim_blocks=True,
                                        lstrip_blocks=True, keep_trailing_newline=True)
    return env.get_template(name)


def write(document: Document, labels: Labels) -> str:
    """The page of a document; its footnotes are numbered as the body renders, before their list."""
    writer = _Writer()
    return _template().render(doc=document, labels=labels, inline=writer.inline, notes=writer.notes,
                              kind_of=_kind)


def body(document: Document, labels: Labels) -> Markup:
    """The body of the page alone, to show inside another page (styled by that page)."""
    writer = _Writer()
    return Markup(_template("directive-body.html.j2").render(doc=document, labels=labels, inline=writer.inline,
                                                             notes=writer.notes, kind_of=_kind))


def _kind(node) -> str:
    """The kind of a block of an annex (Heading, Note, Bullets, Fields, Table), for the template."""
    return type(node).__name__
