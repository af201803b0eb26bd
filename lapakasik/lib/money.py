"""Money is whole rupiah: IDR benefit amounts carry no sen.

Amounts are stored as integers and computed in Decimal. Rounding happens once, here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def to_rupiah(amount: Decimal | int) -> int:
    """Round to whole rupiah, half up (the convention of the agency's benefit letters)."""
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))
