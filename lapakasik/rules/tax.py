"""Income tax (PPh 21) on JHT and JP lump sums.

A lump sum **paid at once** is taxed finally: 0% up to Rp50,000,000 and 5% above (PP 68/2009
ps. 5), however long after the separation it is claimed — the "2 calendar years" of ps. 5 is about
a payment spread over time, which the agency does not do for these lump sums. Partial withdrawals,
and (in the agency's practice [U]) a full JHT claim after an earlier partial withdrawal, use the
progressive Pasal 17 rates of the payment year (UU 36/2008 to 2021, UU 7/2021 HPP from 2022),
raised by 20% without an NPWP (UU PPh ps. 21 ayat (5a) [U]). PP 58/2023 sets withholding rates
for wages (TER); it does not replace PP 68/2009, and PMK 168/2023 sets the procedure from 2024.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from .memo import per_batch
from .money import percent, round_rupiah
from .params import lookup
from .results import Basis, Message, TaxLine


@dataclass(frozen=True)
class TaxComputation:
    lines: tuple[TaxLine, ...]
    note: Message
    regime: Literal["final", "pasal17"]
    # Rules that decided the regime without being a bracket (e.g. the practice after a partial claim).
    basis: tuple[Basis, ...] = ()

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)


@per_batch
def lump_sum_tax(
    gross: int,
    *,
    paid_on: date,
    event_date: date | None = None,
    partial: bool = False,
    after_partial: bool = False,
    has_npwp: bool = True,
) -> TaxComputation:
    """Tax on a lump sum paid at once on ``paid_on`` for an event on ``event_date`` (shown, not decisive)."""
    if partial:
        return _progressive(gross, paid_on, has_npwp, Message.of("tax_progressive_partial"), ())
    if after_partial:
        practice = lookup("tax.after_partial_withdrawal", paid_on)
        if practice.value == "pasal17":
            note = Message.of("tax_progressive_after_partial")
            return _progressive(gross, paid_on, has_npwp, note, (Basis.of(practice),))
    note = Message.of("tax_final_lump_sum", event=event_date or paid_on)
    lines = bracket_tax(gross, "tax.lump_sum_final.brackets", paid_on, "tax_final")
    return TaxComputation(lines, note, "final")


def _progressive(
    gross: int, paid_on: date, has_npwp: bool, note: Message, basis: tuple[Basis, ...]
) -> TaxComputation:
    lines = bracket_tax(gross, "tax.pasal17.brackets", paid_on, "tax_pasal17")
    if not has_npwp:
        lines = (*lines, _no_npwp_surcharge(lines, paid_on))
    return TaxComputation(lines, note, "pasal17", basis)


def _no_npwp_surcharge(lines: tuple[TaxLine, ...], paid_on: date) -> TaxLine:
    """UU PPh ps. 21 ayat (5a): without an NPWP the Pasal 17 tax is 20% higher — one line for the extra."""
    surcharge = lookup("tax.pasal17.no_npwp_surcharge_percent", paid_on)
    base = sum(line.amount for line in lines)
    amount = round_rupiah(Decimal(base) * percent(surcharge.value))
    return TaxLine("tax_no_npwp_surcharge", base, str(surcharge.value), amount, Basis.of(surcharge))


@per_batch
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
