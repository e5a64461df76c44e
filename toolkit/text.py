"""Plain text: the one rule for every text that enters the toolkit, white-space folding, and text made
safe and short for a terminal.

Whatever a text comes from — an answers file, a clause overlay, a catalog, the `draft new` prompt —
it is held to the same rule, `forbidden`: no control character (C0 but tab and line breaks, DEL,
C1) and no code point that is not a character (a lone surrogate, a noncharacter such as U+FFFE).
Word's XML cannot hold them, a terminal obeys them as commands, and no directive needs them.
"""
from __future__ import annotations

import re

SPACE = re.compile(r"[ \t\r\n\f\v]+")
_NONCHARACTERS = "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0x10000, 0x110000, 0x10000))
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                       + _NONCHARACTERS + "]")
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff" + _NONCHARACTERS + "]")


def squash(text: object) -> str:
    """Fold runs of ASCII white space into one space. No-break spaces stay: French typography needs them."""
    return SPACE.sub(" ", str(text)).strip()


def forbidden(text: str) -> tuple[int, str] | None:
    """The position and the message of the first character the rule refuses in `text`, or None."""
    bad = FORBIDDEN.search(text)
    if bad is None:
        return None
    from .i18n import _  # which uses this module
    code = format(ord(bad.group()), "04X")
    if ord(bad.group()) < 0xA0:
        return bad.start(), _("expected text, found the control character U+%(code)s", code=code)
    return bad.start(), _("expected text, found U+%(code)s, which is not a character", code=code)


def printable(text: str) -> str:
    """Text for a terminal: a control character shows as its escape (\\x1b), never acts as one.
    Line breaks and tabs stay."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
