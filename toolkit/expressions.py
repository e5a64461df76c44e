"""Conditions (`when:`, `falls_short:`) over the answers: a small, closed language.

A condition is names of questions, literals (`"nursery"`, `18`, `true`, `false`, `none`, lists),
comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `not in`) joined by `and`, `or`, `not` and
parentheses. Anything else — calls, attributes, subscripts — is refused when the file loads, so a
condition in a ministry's clause file can read answers and nothing more.

A computation (`default_from:` of a question) is smaller still: names, whole numbers, `+`, `-`, `*` and
parentheses, enough to propose an answer from earlier ones (`max_age_months + 12`). The size of both is
bounded (at most 1,000 characters, nested at most 50 deep), so that none exhausts the parser.
"""
from __future__ import annotations

import ast
import marshal
from functools import cache
from types import CodeType
from typing import Any

from . import cache as cache_mod
from .i18n import _
from .text import shorten

_LITERALS = {"true": True, "false": False, "none": None}
_ALLOWED = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.Compare, ast.Eq, ast.NotEq,
            ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Name, ast.Load, ast.Constant, ast.List,
            ast.Tuple)
_ARITHMETIC = (ast.Expression, ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.UnaryOp, ast.USub, ast.Name, ast.Load,
               ast.Constant)
_EXAMPLE = "`max_age_months > 12`"
_COMPUTATION = "`max_age_months + 12`"
_GLOBALS = {"__builtins__": {}, **_LITERALS}
MAX_LENGTH = 1000
MAX_DEPTH = 50


class ConditionError(ValueError):
    """A condition that does not parse or evaluate; the message says why."""


@cache
def _parse(source: str, computation: bool = False) -> ast.Expression:
    shown = shorten(source, 80)
    if len(source) > MAX_LENGTH:
        raise ConditionError(_("expected a condition of at most %(max)s characters, found %(n)s: %(found)r",
                               max=MAX_LENGTH, n=len(source), found=shown))
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as e:
        if computation:
            raise ConditionError(_("expected a computation such as %(example)s, found %(found)r (%(why)s)",
                                   example=_COMPUTATION, found=source, why=e.msg)) from None
        raise ConditionError(_("expected a condition such as %(example)s, found %(found)r (%(why)s)",
                               example=_EXAMPLE, found=shown, why=e.msg)) from None
    except (RecursionError, MemoryError, ValueError):
        tree = None
    if tree is None or _depth(tree) > MAX_DEPTH:
        raise ConditionError(_("expected a condition nested at most %(max)s levels deep, found %(found)r",
                               max=MAX_DEPTH, found=shown))
    for node in ast.walk(tree):
        if computation and not (isinstance(node, _ARITHMETIC) and _whole_number_or_name(node)):
            raise ConditionError(_("expected a computation such as %(example)s, found %(found)r (%(kind)s is not "
                                   "allowed in a computation)", example=_COMPUTATION, found=source,
                                   kind=type(node).__name__.lower()))
        if not computation and not isinstance(node, _ALLOWED):
            raise ConditionError(_("expected a condition such as %(example)s, found %(found)r (%(kind)s is not "
                                   "allowed in a condition)", example=_EXAMPLE, found=shown,
                                   kind=type(node).__name__.lower()))
    return tree


def _whole_number_or_name(node: ast.AST) -> bool:
    """A computation works on whole numbers: its constants are integers and its names are answers."""
    if isinstance(node, ast.Constant):
        return type(node.value) is int
    return not (isinstance(node, ast.Name) and node.id in _LITERALS)


def _depth(tree: ast.AST) -> int:
    """How deep the syntax tree goes, measured without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack += [(child, depth + 1) for child in ast.iter_child_nodes(node)]
    return deepest


@cache
def _compiled(source: str, computation: bool = False) -> CodeType:
    """A condition's code, compiled from its checked syntax tree once and kept in the cache (as bytes:
    a build need not parse again the hundreds of conditions of the library)."""
    return marshal.loads(_CODES.get((source, computation), _code))


def _code(item: tuple[str, bool]) -> bytes:
    return marshal.dumps(compile(_parse(*item), "<condition>", "eval"))


_CODES = cache_mod.Memo("conditions")


@cache
def names_in(source: str, computation: bool = False) -> frozenset[str]:
    """The answer keys a condition (or a computation) reads."""
    tree = _parse(source, computation)
    return frozenset(n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in _LITERALS)


def compute(source: str, answers: dict[str, Any]) -> int | None:
    """The value of a computation over the answers; None when an answer it reads is missing (its
    question does not apply, or is not answered yet)."""
    if any(not isinstance(answers.get(name), int) or isinstance(answers.get(name), bool)
           for name in names_in(source, True)):
        return None
    return eval(_compiled(source, True), _GLOBALS, answers)


def holds(source: str | None, answers: dict[str, Any]) -> bool:
    if source is None:
        return True
    code = _compiled(source)
    try:
        return bool(eval(code, _GLOBALS, answers))
    except Exception as e:
        raise ConditionError(_("the condition %(condition)r cannot be evaluated: %(why)s",
                               condition=shorten(source, 80), why=shorten(str(e), 120))) from None
