"""The pages of `draft serve`: templates and static files read from inside the package, once.

Jinja2 with autoescape and StrictUndefined in a sandbox: every answer, question and translation is
text on the page, never markup or template code. The interface strings are `_()` calls in the
templates, translated into the request's language like every message of the toolkit.
"""
from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from functools import cache

from .. import i18n, resources


@dataclass(frozen=True)
class Asset:
    """A static file, served from memory by its name alone: no part of a request becomes a path."""

    data: bytes
    mimetype: str
    version: str


@cache
def assets() -> dict[str, Asset]:
    folder = resources.path("web") / "static"
    found = {}
    for path in sorted(folder.iterdir()):
        if path.is_file():
            data = path.read_bytes()
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith("javascript"):
                kind += "; charset=utf-8"
            found[path.name] = Asset(data, kind, hashlib.sha256(data).hexdigest()[:12])
    return found


def asset_url(name: str) -> str:
    """The address of a static file, with its version so a browser never keeps a stale copy."""
    return f"/static/{name}?v={assets()[name].version}"


@cache
def _environment():
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(loader=FileSystemLoader(str(resources.path("web") / "templates")),
                                        undefined=StrictUndefined, autoescape=True, trim_blocks=True,
                                        lstrip_blocks=True)
    env.globals.update(_=i18n._, n_=i18n.n_, asset=asset_url)
    return env


def render(name: str, **context) -> str:
    return _environment().get_template(name).render(**context)


def language_names() -> list[tuple[str, str]]:
    """Each language of the interface, named in itself (English, Français, Español)."""
    from babel import Locale

    return [(lang, Locale.parse(lang).get_display_name(lang).capitalize()) for lang in i18n.languages()]
