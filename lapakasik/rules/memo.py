"""Answers remembered for the length of one batch (``api.estimate_many``), never longer.

The rules are pure: a parameter looked up on a date, a message with its values filled in, a document
checklist for given facts are the same every time they are asked within one batch. A batch of a
thousand cases asks the same few of them over and over (one law date, one reason, one checklist), so
inside :func:`batch_scope` each decorated function answers a repeated question from a dict. Outside a
scope (one ``estimate`` at a time) the functions run as they always did: nothing is remembered
process-wide, so parameter files reloaded between batches are seen by the next one.

Only functions whose answer depends on their arguments alone, and whose answer is immutable (frozen
dataclasses, tuples, strings), may be decorated; an argument that cannot be hashed is computed
without the memo. Exceptions are not remembered: the next call raises again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import wraps
from typing import Any, ParamSpec, TypeVar, overload

P = ParamSpec("P")
R = TypeVar("R")

_memo: ContextVar[dict[Any, Any] | None] = ContextVar("lapakasik_rules_batch_memo", default=None)


@contextmanager
def batch_scope() -> Iterator[dict[Any, Any]]:
    """Remember the decorated functions' answers until the block ends (a nested scope shares the outer one)."""
    current = _memo.get()
    if current is not None:
        yield current
        return
    token = _memo.set({})
    try:
        yield _memo.get()  # type: ignore[misc]
    finally:
        _memo.reset(token)


def active() -> dict[Any, Any] | None:
    """The current batch's memo, or None outside a batch."""
    return _memo.get()


@overload
def per_batch(function: Callable[P, R], *, exact: bool = False) -> Callable[P, R]: ...
@overload
def per_batch(*, exact: bool = False) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def per_batch(function: Any = None, *, exact: bool = False) -> Any:
    """Answer repeated calls from the current batch's memo; outside a batch, just call ``function``.

    ``exact``: keyword arguments that compare equal but would be shown differently (``Decimal("12.5")``
    and ``Decimal("12.50")``, ``1`` and ``True``) are different questions. Needed where a value ends up
    in a text (positional arguments are then codes, compared plainly); the plain key (cheaper) is for
    functions of names, dates, amounts and booleans.
    """
    if function is None:
        return lambda f: _remembering(f, exact)
    return _remembering(function, exact)


def _remembering(function: Callable[P, R], exact: bool) -> Callable[P, R]:
    @wraps(function)
    def remembered(*args: P.args, **kwargs: P.kwargs) -> R:
        memo = _memo.get()
        if memo is None:
            return function(*args, **kwargs)
        if exact:  # the values' types, and a Decimal's digits as written
            key: Any = (
                function,
                args,
                *[(name, v.__class__, str(v) if v.__class__ is Decimal else v) for name, v in kwargs.items()],
            )
        else:
            key = (function, args, tuple(kwargs.items())) if kwargs else (function, args)
        try:
            return memo[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        except TypeError:  # an unhashable argument (a dict value): computed, not remembered
            return function(*args, **kwargs)
        answer = memo[key] = function(*args, **kwargs)
        return answer

    return remembered
