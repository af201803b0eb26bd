"""Income tax (PPh 21) on JHT and JP lump sums.

A lump sum paid within 2 calendar years is taxed finally: 0% up to Rp50,000,000 and 5% above
(PP 68/2009 ps. 5; PP 58/2023 from 2024 [U]). Partial withdrawals and late payments use the
progressive Pasal 17 rates of the payment year (UU 36/2008 to 2021, UU 7/2021 HPP from 2022).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .money import percent, round_rupiah
from .params import lookup
from .results import Basis, Message, TaxLine


@dataclass(frozen=True)
class TaxComputation:
    lines: tuple[TaxLine, ...]
    note: Message

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)


def lump_sum_tax(
    gross: int, *, paid_on: date, event_date: date | None, partial: bool = False
) -> TaxComputation:
    """Tax on a lump sum paid on ``paid_on`` for an event (separation, death…) on ``event_date``."""
    window = lookup("tax.lump_sum_final.window_calendar_years", paid_on)
    if not partial and is_within_final_window(event_date or paid_on, paid_on, window.value):
        note = Message.of("tax_final_within_window", years=window.value, event=event_date or paid_on)
        return TaxComputation(bracket_tax(gross, "tax.lump_sum_final.brackets", paid_on, "tax_final"), note)
    note = Message.of("tax_progressive", years=window.value)
    return TaxComputation(bracket_tax(gross, "tax.pasal17.brackets", paid_on, "tax_pasal17"), note)


def is_within_final_window(event_date: date, paid_on: date, calendar_years: int) -> bool:
    """Paid in the event's calendar year or the next one (for 2 years) — our reading of PP 68/2009."""
    return paid_on.year - event_date.year < calendar_years


def bracket_tax(gross: int, parameter: str, on: date, code_prefix: str) -> tuple[TaxLine, ...]:
    """Tax bracket by bracket, each line rounded once; brackets above ``gross`` are left out."""
    brackets = lookup(parameter, on)
    lines: list[TaxLine] = []
    lower = 0
    for bracket in brackets.value:
        upper = bracket["up_to"]
        taxable = (gross if upper is None else min(gross, upper)) - lower
        if taxable <= 0:
            break
        rate = Decimal(bracket["percent"])
        amount = round_rupiah(Decimal(taxable) * percent(rate))
        lines.append(TaxLine(f"{code_prefix}_{rate}", taxable, str(rate), amount, Basis.of(brackets)))
        if upper is None:
            break
        lower = upper
    return tuple(lines)
