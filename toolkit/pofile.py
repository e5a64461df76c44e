"""A strict reader of gettext .po files that names the line of every mistake.

Babel's reader forgives unterminated strings, stray lines and a second msgstr that silently replaces
the first; a translator deserves to be told. Every string is held to the rule for every text that
enters the toolkit (no control character, even written as an escape such as \\a). The build reads
.po files with this directly, so an edit shows at the next build with no compile step.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import inputs
from .errors import LocaleError, Problem
from .i18n import _
from .text import forbidden, shorten

MAX_BYTES = 16 * 1024 * 1024   # the French catalog of the whole toolkit is 0.6 MB

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d{1,4})\])?)\s+(.*)$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    line: int = 0

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def _unquote(token: str, path: Path, line: int) -> str:
    if len(token) < 2 or not token.startswith('"') or not token.endswith('"'):
        raise LocaleError(Problem(_("expected a string in double quotes, found %(found)r", found=token[:40]),
                                  path, line))
    body, out, i = token[1:-1], [], 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            if i + 1 >= len(body) or body[i + 1] not in _ESCAPES:
                raise LocaleError(Problem(_("expected a valid escape (\\n, \\\", \\\\), found %(found)r",
                                            found=body[i:i + 2]), path, line))
            out.append(_ESCAPES[body[i + 1]])
            i += 2
            continue
        if c == '"':
            raise LocaleError(Problem(_('expected the string to end here; escape inner quotes as \\"'), path, line))
        out.append(c)
        i += 1
    return "".join(out)


def parse(text: str, path: Path) -> list[Entry]:
    """All live (non-obsolete) entries, the header included (msgid "")."""
    entries: list[Entry] = []
    cur: Entry | None = None
    flags: set[str] = set()
    target: tuple[str, int | None] | None = None
    seen_msgstr = False
    msgstr_lines: dict[int, int] = {}                # the line of each msgstr of the current entry
    first_lines: dict[tuple[str | None, str], int] = {}  # (msgctxt, msgid) → the line of its entry

    def finish():
        nonlocal cur, seen_msgstr
        if cur is not None:
            if not seen_msgstr:
                raise LocaleError(Problem(_("expected a msgstr after this msgid"), path, cur.line))
            for value in (cur.msgctxt or "", cur.msgid, cur.msgid_plural or "", *cur.msgstr.values()):
                bad = forbidden(value)
                if bad is not None:
                    raise LocaleError(Problem(bad[1], path, cur.line))
            key = (cur.msgctxt, cur.msgid)
            if key in first_lines:
                raise LocaleError(Problem(_("expected one entry for this msgid, found a second (the first is at "
                                            "line %(line)s)", line=first_lines[key]), path, cur.line))
            first_lines[key] = cur.line
            entries.append(cur)
        cur, seen_msgstr = None, False
        msgstr_lines.clear()

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                if cur is not None and seen_msgstr:
                    finish()
                flags.update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith('"'):
            if target is None or cur is None:
                raise LocaleError(Problem(_("expected a keyword (msgid, msgstr) before this string"), path, number))
            _append(cur, target, _unquote(line, path, number))
            continue
        m = _KEYWORD.match(line)
        if not m:
            raise LocaleError(Problem(_("expected msgctxt, msgid, msgid_plural or msgstr, found %(found)r",
                                        found=shorten(line, 40)), path, number))
        keyword, index, value = m.group(1), m.group(2), _unquote(m.group(3), path, number)
        starts = keyword == "msgctxt" or (keyword == "msgid" and (cur is None or seen_msgstr or target[0] != "msgctxt"))
        if starts:
            finish()
            cur, flags = Entry(line=number, flags=frozenset(flags)), set()
        if cur is None:
            raise LocaleError(Problem(_("expected msgid before %(keyword)s", keyword=keyword), path, number))
        if keyword == "msgctxt":
            cur.msgctxt, target = value, ("msgctxt", None)
        elif keyword == "msgid":
            cur.msgid, target = value, ("msgid", None)
        elif keyword == "msgid_plural":
            cur.msgid_plural, target = value, ("msgid_plural", None)
        else:
            n = int(index) if index is not None else 0
            if (index is None) != (cur.msgid_plural is None):
                what = "msgstr[0], msgstr[1] …" if cur.msgid_plural is not None else "msgstr"
                raise LocaleError(Problem(_("expected %(what)s for this msgid, found %(keyword)s", what=what,
                                            keyword=keyword), path, number))
            if n in msgstr_lines:
                raise LocaleError(Problem(_("expected one %(keyword)s for this msgid, found a second (the first is "
                                            "at line %(line)s)", keyword=keyword, line=msgstr_lines[n]), path,
                                          number))
            cur.msgstr[n], msgstr_lines[n] = value, number
            target, seen_msgstr = ("msgstr", n), True
    finish()
    return entries


def _append(entry: Entry, target: tuple[str, int | None], value: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + value
    else:
        setattr(entry, name, (getattr(entry, name) or "") + value)


def read_bytes(path: Path) -> bytes:
    """The bytes of a catalog, read the bounded way every input file is."""
    return inputs.read_bytes(path, _("a translation file (.po)"), MAX_BYTES, LocaleError)


def decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise LocaleError(Problem(_("expected UTF-8 text (charset=UTF-8), found other bytes"), path, line)) from None


def read(path: Path, data: bytes | None = None) -> list[Entry]:
    """The entries of a catalog (of `data`, when its bytes were already read), its header checked."""
    entries = parse(decode(read_bytes(path) if data is None else data, path), path)
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None), None)
    if header is not None:
        charset = re.search(r"charset=([\w-]+)", header.msgstr.get(0, ""))
        if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
            raise LocaleError(Problem(_("expected charset=UTF-8 in the header, found charset=%(found)s",
                                        found=charset.group(1)), path, header.line))
    return entries


def plural_count(entries: list[Entry]) -> int | None:
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None), None)
    m = re.search(r"nplurals\s*=\s*(\d{1,4})\b", header.msgstr.get(0, "")) if header else None
    return int(m.group(1)) if m else None
