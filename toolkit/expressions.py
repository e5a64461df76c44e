"""Conditions (`when:`) over the answers: small Jinja expressions, sandboxed and checked.

One sandboxed environment serves every condition of the questionnaire and the clause library; a
condition may name only questions, so a typo is caught when the library loads, not at build time.
"""
from __future__ import annotations

from functools import cache
from typing import Any, Callable

from jinja2 import meta
from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment


@cache
def _env() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment()


class ConditionError(ValueError):
    """A condition that does not parse or evaluate; the message says why."""


@cache
def compile_condition(source: str) -> Callable[[dict[str, Any]], Any]:
    try:
        return _env().compile_expression(source, undefined_to_none=False)
    except TemplateError as e:
        raise ConditionError(f"expected a condition such as `max_age_months > 12`, found {source!r} ({e})") from None


@cache
def names_in(source: str) -> frozenset[str]:
    """The answer keys a condition reads."""
    try:
        ast = _env().parse("{{ (" + source + ") }}")
    except TemplateError as e:
        raise ConditionError(f"expected a condition such as `max_age_months > 12`, found {source!r} ({e})") from None
    return frozenset(meta.find_undeclared_variables(ast))


def holds(source: str | None, answers: dict[str, Any]) -> bool:
    if source is None:
        return True
    try:
        return bool(compile_condition(source)(**answers))
    except ConditionError:
        raise
    except Exception as e:  # noqa: BLE001 - any evaluation failure is the condition's fault
        raise ConditionError(f"the condition {source!r} cannot be evaluated: {e}") from None
