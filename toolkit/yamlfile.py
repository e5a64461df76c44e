"""Safe YAML loading that keeps line numbers and refuses what people get wrong by accident.

Duplicate keys, aliases (the "billion laughs"), non-UTF-8 text, oversized files, data nested too deep,
numbers too long to be meant and characters that are not text (however they are written: raw or as
an escape such as "\\x01") are errors that name the file and line, never a traceback.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from . import inputs
from .errors import Problem, ReadError
from .i18n import _
from .text import forbidden, shorten

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40       # levels of mappings and lists: the clause files use six
MAX_DIGITS = 40      # a number longer than this is a mistake (and Python refuses 4,300 digits)


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
    depth = 0


class _Refused(yaml.constructor.ConstructorError):
    """A value the toolkit refuses, its message already saying what was expected and what was found."""


def _error(message: str, node: yaml.Node, refused: bool = False) -> yaml.constructor.ConstructorError:
    return (_Refused if refused else yaml.constructor.ConstructorError)(None, None, message, node.start_mark)


class _Nested:
    """One more level of nesting while a mapping or a list is constructed; too many is an error before
    Python's own recursion limit is reached."""

    def __init__(self, loader: _Loader, node: yaml.Node):
        self.loader, self.node = loader, node

    def __enter__(self) -> None:
        self.loader.depth += 1
        if self.loader.depth > MAX_DEPTH:
            raise _error(_("expected data nested at most %(max)s levels deep, found more", max=MAX_DEPTH), self.node,
                         refused=True)

    def __exit__(self, *exc) -> None:
        self.loader.depth -= 1


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Lines:
    result = Lines()
    result.lines = {}
    result.line = node.start_mark.line + 1
    first: dict[Any, tuple[Any, int]] = {}   # key → (the key as written first, its line): 1 and true are one key
    with _Nested(loader, node):
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise _error(_("a key must be a plain value"), key_node) from None
            line = key_node.start_mark.line + 1
            if key in first:
                other, at = first[key]
                if repr(other) == repr(key):
                    raise _error(_("duplicate key %(key)r (first at line %(line)s)", key=key, line=at), key_node)
                raise _error(_("duplicate key: %(key)r is the same key as %(other)r at line %(line)s", key=key,
                               other=other, line=at), key_node)
            first[key] = (key, line)
            result[key] = loader.construct_object(value_node, deep=True)
            result.lines[str(key)] = line
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LinedList:
    with _Nested(loader, node):
        result = LinedList([loader.construct_object(child, deep=True) for child in node.value])
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    """A string, held to the rule for every text: an escape ("\\x01", "\\e", "\\uFFFE") cannot
    bring in what the file could not hold as it is."""
    value = loader.construct_scalar(node)
    bad = forbidden(value)
    if bad is not None:
        raise _error(bad[1], node, refused=True)
    return value


def _typed(tag: str, construct):
    """A constructor of a typed scalar (`!!int x` too) that names what it cannot read, at its line."""

    def typed(loader: _Loader, node: yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if tag == "int" and len(value) > MAX_DIGITS:
            raise _error(_("expected a number of at most %(max)s digits, found %(n)s characters", max=MAX_DIGITS,
                           n=len(value)), node, refused=True)
        try:
            return construct(loader, node)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            raise _error(_("expected a valid %(tag)s value, found %(found)r", tag="!!" + tag,
                           found=shorten(value, 60)), node, refused=True) from None

    return typed


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    """A date-like value that is not a real date (2026-13-45) stays text, for the validator to name."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, TypeError, AttributeError, OverflowError):
        return _construct_text(loader, node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_text)
for _tag in ("int", "float", "bool"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}",
                            _typed(_tag, getattr(yaml.constructor.SafeConstructor, f"construct_yaml_{_tag}")))
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
    return decode(inputs.read_bytes(path, what, MAX_BYTES), path)


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
    bad = forbidden(text)
    if bad is not None:
        raise ReadError(Problem(bad[1], path, text.count("\n", 0, bad[0]) + 1))
    try:
        _refuse_aliases(text)
        return yaml.load(text, Loader=_Loader)
    except _Refused as e:
        raise ReadError(Problem(e.problem, path, e.problem_mark.line + 1)) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        found = (e.problem or e.context or _("invalid YAML")).removeprefix("found ")
        if "\t" in (text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""):
            found += " " + _("(tabs cannot indent YAML; use spaces)")
        raise ReadError(Problem(_("expected valid YAML, found %(found)s", found=found), path, line)) from None
    except (yaml.YAMLError, ValueError, TypeError, KeyError, AttributeError, OverflowError) as e:
        raise ReadError(Problem(_("expected valid YAML, found %(found)s", found=shorten(str(e), 200)), path)) from None


def line_of(mapping: Any, key: str) -> int | None:
    return getattr(mapping, "lines", {}).get(key)


def item_line(sequence: Any, index: int) -> int | None:
    """The line of the element `index` of a list read from a file, when known."""
    lines = getattr(sequence, "item_lines", ())
    return lines[index] if index < len(lines) else None
