"""Which tax a payment withholds: the claim's facts handed to the rules package (the law lives there)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from lapakasik.claims.models import Claim, Program, Reason
from lapakasik.lib.errors import DomainError
from lapakasik.rules.params import ParameterNotDefined
from lapakasik.rules.reasons import PARTIAL_REASONS
from lapakasik.rules.tax import lump_sum_tax

DEATH_REASONS = frozenset({Reason.DEATH, Reason.ACCIDENT_DEATH})
# Final PPh 21 on a lump sum (PP 68/2009 ps. 5): tax object 21-401-02 on the withholding slip.
TAX_OBJECT_FINAL = "21-401-02"


@dataclass(frozen=True)
class Withholding:
    tax: int
    detail: dict[str, Any]


def withholding_for(claim: Claim, gross: int, *, paid_on: dt.date) -> Withholding:
    """JHT and JP lump sums: rules.tax (0%/5% final, or Pasal 17). JKK, JKM and JKP: not withheld.

    JKP's monthly cash benefit is not a JHT/JP lump sum (PP 68/2009 ps. 5 does not reach it) and the
    rules compute no tax for it (``jkp_tax_not_computed``); like JKK and JKM it is paid gross
    [U: docs/decisions.md, 2026-12-03].
    """
    if claim.program in (Program.JKK, Program.JKM, Program.JKP):
        return Withholding(0, {"regime": "not_taxed", "note": "benefit_not_taxed"})
    if claim.program == Program.JP and claim.reason == Reason.OLD_AGE_PENSION:
        # A monthly pension is withheld month by month on the pension payroll, not in a lump-sum batch.
        raise DomainError(
            "pension_not_in_batches",
            _("Pensiun bulanan dibayar melalui daftar pensiun, bukan batch pembayaran sekaligus."),
        )
    try:
        computed = lump_sum_tax(
            gross, paid_on=paid_on, event_date=event_date(claim), partial=claim.reason in PARTIAL_REASONS
        )
    except ParameterNotDefined:
        raise DomainError("tax_law_missing", _("Tarif pajak untuk tanggal pembayaran ini belum tercatat."))
    lines = [
        {
            "code": line.code,
            "taxable": line.taxable,
            "percent": line.percent,
            "amount": line.amount,
            "ref": line.basis.ref,
        }
        for line in computed.lines
    ]
    regime = computed.regime
    detail = {
        "regime": regime,
        "lines": lines,
        "note": computed.note.code,
        "note_id": computed.note.message_id,
        "tax_object": TAX_OBJECT_FINAL if regime == "final" else "21-100-pasal17",
    }
    return Withholding(computed.amount, detail)


def event_date(claim: Claim) -> dt.date | None:
    """The event that opened the entitlement: death, else the last day of work (registry facts).

    Unknown → None, which the rules read as "paid in the event's year" (the final rate).
    """
    participant = claim.participant
    if claim.reason in DEATH_REASONS and participant.deceased_on:
        return participant.deceased_on
    return participant.employments.aggregate(last=Max("end"))["last"]
