"""Safe YAML loading that keeps line numbers and refuses what people get wrong by accident.

Duplicate keys, aliases (the "billion laughs"), non-UTF-8 text and oversized files are errors that
name the file and line, never a traceback.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, ReadError
from .i18n import _

MAX_BYTES = 2 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Lines(dict):
    """A mapping that remembers the line of each key (1-based), in `.lines`."""

    lines: dict[str, int]
    line: int


class LinedList(list):
    line: int
    item_lines: list[int]   # the line of each element (1-based)


# libyaml's parser when PyYAML was built with it (several times faster); the constructors stay Python.
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Parser):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Lines:
    result = Lines()
    result.lines = {}
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, _("a key must be a plain value"), key_node.start_mark
            ) from None
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, _("duplicate key %(key)r (first at line %(line)s)", key=key, line=result.lines[str(key)]),
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LinedList:
    result = LinedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    """A date-like value that is not a real date (2026-13-45) stays text, for the validator to name."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _refuse_aliases(text: str) -> None:
    """Aliases serve no purpose in these files and make "billion laughs" bombs: refuse them while the
    events stream by, before anything is composed. Without an "&" there is no anchor, so an alias could
    only be undefined, which the parser refuses itself: most files skip this second parse."""
    if "&" not in text:
        return
    for event in yaml.parse(text, Loader=_Parser):
        if isinstance(event, yaml.events.AliasEvent):
            raise yaml.composer.ComposerError(None, None, _("aliases (*name) are not allowed"), event.start_mark)


def read_text(path: Path, what: str) -> str:
    """Read a UTF-8 text file, or fail naming the file and the problem. `what` names the kind of file
    expected, with its article ("an answers file"), in the interface language."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            megabytes = round(size / 1e6, 1)
            raise ReadError(Problem(_("expected %(what)s of at most %(max)s MB, found %(size)s MB", what=what,
                                      max=MAX_BYTES // 1024 // 1024, size=megabytes), path))
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadError(Problem(_("no such file; expected %(what)s", what=what), path)) from None
    except IsADirectoryError:
        raise ReadError(Problem(_("expected %(what)s, found a folder", what=what), path)) from None
    except OSError as e:
        raise ReadError(Problem(_("cannot read the file (%(why)s); expected %(what)s", why=e.strerror,
                                  what=what), path)) from None
    return decode(data, path)


def decode(data: bytes, path: Path | str) -> str:
    """The bytes of a file as UTF-8 text, or ReadError naming `path` (a file, or an uploaded file's name)
    and what is wrong: the checks every file gets, wherever its bytes come from."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(Problem(_("expected UTF-8 text, found UTF-16; save the file as UTF-8"), path))
    if b"\x00" in data:
        raise ReadError(Problem(_("expected UTF-8 text, found binary data"), path))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        byte = format(data[e.start], "02x")
        raise ReadError(Problem(_("expected UTF-8 text, found the byte 0x%(byte)s (is the file Latin-1? save it "
                                  "as UTF-8)", byte=byte), path, line)) from None


def load(path: Path, what: str) -> Any:
    """Parse one YAML document; mappings come back as `Lines` with line numbers."""
    text = read_text(path, what)
    return loads(text, path)


def loads(text: str, path: Path | str) -> Any:
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text[: bad.start()].count("\n") + 1
        code = format(ord(bad.group()), "04X")
        raise ReadError(Problem(_("expected text, found the control character U+%(code)s", code=code), path, line))
    try:
        _refuse_aliases(text)
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        found = (e.problem or e.context or _("invalid YAML")).removeprefix("found ")
        if "\t" in (text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""):
            found += " " + _("(tabs cannot indent YAML; use spaces)")
        raise ReadError(Problem(_("expected valid YAML, found %(found)s", found=found), path, line)) from None
    except yaml.YAMLError as e:
        raise ReadError(Problem(_("expected valid YAML, found %(found)s", found=e), path)) from None


def line_of(mapping: Any, key: str) -> int | None:
    return getattr(mapping, "lines", {}).get(key)


def item_line(sequence: Any, index: int) -> int | None:
    """The line of the element `index` of a list read from a file, when known."""
    lines = getattr(sequence, "item_lines", ())
    return lines[index] if index < len(lines) else None
