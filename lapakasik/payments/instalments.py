"""Which payment of a claim goes into a batch next: the lump sum, or the next of JKP's monthly instalments.

A lump sum (JHT, JKM, JKK, JP) is instalment 1 of 1, due at once. JKP's cash benefit is paid monthly, six
payments (PP 37/2021 ps. 21; PP 6/2025): instalment *k* falls due *k − 1* months after the day the claim was
first approved (at its branch), so month 1 goes into the next batch and month *k* into the first batch on or
after its due day. Only one instalment is under way at a time, and the next one is not prepared before the
bank confirmed the one before it: a failed transfer is retried (to the replaced account) before the plan
moves on, and months in arrears are paid one batch after another.

The amounts are the rules' monthly items (periodicity ``monthly``) of the claim's assessment; they add up to
the approved ``amount_claimed``. Where they do not (the amount was set by an officer, or the registry's wage
changed since), the approved amount is shared in the proportions of the schedule in force on the PHK date,
the last month taking the rupiah left by rounding, so the claim is never paid more or less than approved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from lapakasik.claims.models import Claim, ClaimAction, ClaimEvent, Program
from lapakasik.lib.dates import today_at
from lapakasik.lib.idtext import format_day
from lapakasik.rules.dates import add_months
from lapakasik.rules.money import round_rupiah
from lapakasik.rules.params import ParameterNotDefined, lookup

from .models import Payment, PaymentStatus


@dataclass(frozen=True)
class Instalment:
    number: int
    count: int
    amount: int
    due_on: dt.date | None  # None: a lump sum, due at once


def split(total: int, weights: Sequence[int | Decimal]) -> list[int]:
    """``total`` shared in proportion to ``weights``: each share rounded, the last one takes the remainder."""
    whole = sum(Decimal(w) for w in weights)
    shares = [round_rupiah(Decimal(total) * Decimal(w) / whole) for w in weights[:-1]]
    return [*shares, total - sum(shares)]


def monthly_amounts(claim: Claim) -> list[int]:
    """JKP's six monthly amounts for this claim, adding up to its approved amount."""
    from lapakasik.claims.cases import assess_claim

    total = claim.amount_claimed or 0
    items = [item["amount"] for item in assess_claim(claim).items if item["periodicity"] == "monthly"]
    if items and sum(items) == total:
        return items
    return split(total, items or _schedule_weights(claim))


def _schedule_weights(claim: Claim) -> list[Decimal]:
    from .withholding import event_date

    on = event_date(claim) or claim.submitted_on or today_at(claim.branch.time_zone)
    try:
        schedule = lookup("jkp.cash_benefit.schedule", on).value
    except ParameterNotDefined:  # a PHK before JKP existed: the earliest schedule is the fairest guess
        schedule = lookup("jkp.cash_benefit.schedule", dt.date(2021, 2, 2)).value
    return [
        Decimal(tranche["percent"])
        for tranche in schedule
        for _month in range(tranche["from_month"], tranche["to_month"] + 1)
    ]


def approved_on(claim: Claim) -> dt.date:
    """The day (at the claim's branch) the claim was first approved: the first instalment's due day.

    The first, not the latest: an account changed between two months sends the claim back for a re-check
    and a second approval, which must not push the remaining months later.
    """
    event = ClaimEvent.objects.filter(claim=claim, action=ClaimAction.APPROVED).order_by("at", "pk").first()
    return today_at(claim.branch.time_zone, now=event.at if event else None)


def paid_counts(claims: Sequence[Claim]) -> dict[int, int]:
    """How many payments of each claim the bank confirmed (one query); a claim with none is absent."""
    rows = (
        Payment.objects.filter(claim__in=claims, status=PaymentStatus.PAID)
        .values("claim_id")
        .annotate(n=Count("id"))
        .values_list("claim_id", "n")
    )
    return dict(rows)


def due_by(claims: Sequence[Claim], value_date: dt.date) -> list[tuple[Claim, Instalment]]:
    """Each claim's next payment, when it falls due by ``value_date`` (JKP's later months wait)."""
    return split_due(claims, value_date)[0]


def split_due(
    claims: Sequence[Claim], value_date: dt.date
) -> tuple[list[tuple[Claim, Instalment]], list[tuple[Claim, Instalment]]]:
    """The claims' next payments: those due by ``value_date``, and those held back (not yet due)."""
    paid = paid_counts(claims)
    pairs = [(claim, next_instalment(claim, paid.get(claim.pk, 0))) for claim in claims]
    due = [(claim, i) for claim, i in pairs if i.due_on is None or i.due_on <= value_date]
    return due, [(claim, i) for claim, i in pairs if i.due_on is not None and i.due_on > value_date]


def next_instalment(claim: Claim, paid: int) -> Instalment:
    """The payment this claim is owed next, ``paid`` of its instalments having been confirmed by the bank."""
    if claim.program != Program.JKP:
        return Instalment(1, 1, claim.amount_claimed or 0, None)
    amounts = monthly_amounts(claim)
    number = min(paid + 1, len(amounts))
    return Instalment(number, len(amounts), amounts[number - 1], add_months(approved_on(claim), number - 1))


def not_due_text(instalment: Instalment) -> str:
    """Why one JKP month waits, in the reader's language: which month, and the day it falls due."""
    from django.utils.translation import get_language

    assert instalment.due_on is not None
    return _("Angsuran JKP bulan ke-%(n)s dari %(count)s belum jatuh tempo; jatuh tempo %(date)s.") % {
        "n": instalment.number,
        "count": instalment.count,
        "date": format_day(instalment.due_on, get_language() or "id"),
    }


def held_back_text(held: Sequence[tuple[Claim, Instalment]]) -> str:
    """The lines held back from a batch, each claim with its month and due day."""
    return " ".join(f"{claim.number}: {not_due_text(instalment)}" for claim, instalment in held)
