"""Answers the rules remember: for the length of one batch (``api.estimate_many``), or for explanation texts
per process.

The rules are pure: a lump-sum tax for a gross and dates is the same every time it is asked within one
batch, so inside :func:`batch_scope` each :func:`per_batch` function answers a repeated question from a
dict. Outside a scope (one ``estimate`` at a time) they run as they always did. (Parameter look-ups, and
what the parameters decide from law-level facts alone — document checklists, JHT eligibility — are
remembered per loaded parameter set in ``params``, so a reloaded file is seen at once.)

:func:`per_process_text` is for what no parameter file can change — explanation lines and labels made
from code templates and the values given — and remembers them for the process, bounded.

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


def per_process_text(function: Callable[P, R]) -> Callable[P, R]:
    """Remember a text-making function's answers for the whole process (bounded).

    For the explanation lines and labels: their templates are code and their values (dates, counts,
    rates, words) are shown exactly as given, so the same question always has the same answer, and
    no parameter file can change it. The key is exact like ``per_batch(exact=True)``'s (``Decimal("12.5")``
    and ``Decimal("12.50")``, ``1`` and ``True`` are different lines). A fixed line ("benefit not
    taxed", "rate for 2017 unknown") is formatted and translated once per process instead of once per
    estimate.
    """
    table: dict[Any, Any] = {}
    _PROCESS_TABLES.append(table)

    @wraps(function)
    def remembered(*args: P.args, **kwargs: P.kwargs) -> R:
        key: Any = (
            (
                args,
                *[(name, v.__class__, str(v) if v.__class__ is Decimal else v) for name, v in kwargs.items()],
            )
            if kwargs
            else args
        )
        try:
            return table[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        except TypeError:  # an unhashable value: formatted, not remembered
            return function(*args, **kwargs)
        if len(table) >= _TEXT_LIMIT:
            table.clear()
        answer = table[key] = function(*args, **kwargs)
        return answer

    return remembered


_TEXT_LIMIT = 20_000
_PROCESS_TABLES: list[dict[Any, Any]] = []


def forget_process_texts() -> None:
    """Empty every :func:`per_process_text` table (the bench's cold figures; never needed for correctness)."""
    for table in _PROCESS_TABLES:
        table.clear()
