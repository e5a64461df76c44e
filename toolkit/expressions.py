"""Conditions (`when:`, `falls_short:`) over the answers: a small, closed language.

A condition is names of questions, literals (`"nursery"`, `18`, `true`, `false`, `none`, lists),
comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `not in`) joined by `and`, `or`, `not` and
parentheses. Anything else — calls, attributes, subscripts — is refused when the file loads, so a
condition in a ministry's clause file can read answers and nothing more.
"""
from __future__ import annotations

import ast
from functools import cache
from types import CodeType
from typing import Any

from .i18n import _

_LITERALS = {"true": True, "false": False, "none": None}
_ALLOWED = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.Compare, ast.Eq, ast.NotEq,
            ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Name, ast.Load, ast.Constant, ast.List,
            ast.Tuple)
_EXAMPLE = "`max_age_months > 12`"
_GLOBALS = {"__builtins__": {}, **_LITERALS}


class ConditionError(ValueError):
    """A condition that does not parse or evaluate; the message says why."""


@cache
def _parse(source: str) -> ast.Expression:
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as e:
        raise ConditionError(_("expected a condition such as %(example)s, found %(found)r (%(why)s)",
                               example=_EXAMPLE, found=source, why=e.msg)) from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ConditionError(_("expected a condition such as %(example)s, found %(found)r (%(kind)s is not "
                                   "allowed in a condition)", example=_EXAMPLE, found=source,
                                   kind=type(node).__name__.lower()))
    return tree


@cache
def _compiled(source: str) -> CodeType:
    return compile(_parse(source), "<condition>", "eval")


@cache
def names_in(source: str) -> frozenset[str]:
    """The answer keys a condition reads."""
    return frozenset(n.id for n in ast.walk(_parse(source)) if isinstance(n, ast.Name) and n.id not in _LITERALS)


def holds(source: str | None, answers: dict[str, Any]) -> bool:
    if source is None:
        return True
    code = _compiled(source)
    try:
        return bool(eval(code, _GLOBALS, answers))
    except Exception as e:
        raise ConditionError(_("the condition %(condition)r cannot be evaluated: %(why)s", condition=source,
                               why=e)) from None
