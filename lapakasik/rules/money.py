"""The one rounding rule for every amount the rules package pays or promises.

Rupiah amounts carry no sen (ARCHITECTURE.md §3.5), so every calculation runs in ``Decimal`` and is
turned into whole rupiah by :func:`round_rupiah` exactly once, when an item (or a tax line) is
produced. The rule is *round half up* (0.5 rupiah goes up): the agency publishes whole-rupiah
amounts and no regulation in DOMAIN.md specifies a different rule.

This module is deliberately free of Django: it is the one rounding rule, for the rules and for everyone else.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

RUPIAH = Decimal(1)
HUNDRED = Decimal(100)


def round_rupiah(amount: Decimal | int) -> int:
    """Round half up to a whole rupiah; the only rounding applied to money in ``rules``."""
    return int(Decimal(amount).quantize(RUPIAH, rounding=ROUND_HALF_UP))


def floor_to(amount: Decimal | int, step: int) -> int:
    """Truncate to a multiple of ``step`` (the JP wage ceiling is truncated to the Rp100 below)."""
    return int((Decimal(amount) / step).to_integral_value(rounding=ROUND_FLOOR)) * step


def to_decimal(value: object) -> Decimal:
    """Turn a parameter or input value into ``Decimal``; floats are refused, never guessed at."""
    if isinstance(value, float):
        raise TypeError(f"money and rates must not be floats (got {value!r})")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | str):
        return Decimal(value)
    raise TypeError(f"not a number: {value!r}")


def percent(value: object) -> Decimal:
    """A percentage parameter (``"7.19"`` = 7.19 %) as a ``Decimal`` fraction."""
    return to_decimal(value) / HUNDRED
