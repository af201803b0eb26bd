"""The paid lines behind the reports' figures, as the rollups count them (rollup.PAID_ROWS): every paid claim
once — a lump sum, or a JKP claim paid without payment rows (imported history) — and one line per paid JKP
monthly payment, on the day the bank paid it, for its gross, with its instalment number, carrying the claim's
submission day on the first instalment only (so a JKP claim's wait counts once, as in the rollups).

The export's claims sheet and CSV, the median waiting time and the dashboard's drill-down list read these, so
their lines add up to the report's cases and rupiah. Two querysets, never a loop over claims: the export reads
them as one ``UNION ALL`` (``rows``), the median as two grouped queries, the list as one ``EXISTS`` condition.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from lapakasik.claims.models import Claim, Program, Status
from lapakasik.payments.models import Payment, PaymentStatus

# A line's columns: (from a paid claim, from a paid JKP monthly payment).
FIRST_WAIT = Case(When(instalment=1, then=F("claim__submitted_on")), output_field=DateField())
COLUMNS: dict[str, tuple[Any, Any]] = {
    "number": (F("number"), F("claim__number")),
    "paid_on": (F("paid_on"), F("paid_on")),
    "submitted_on": (F("submitted_on"), FIRST_WAIT),
    "program": (F("program"), F("claim__program")),
    "reason": (F("reason"), F("claim__reason")),
    "channel": (F("channel"), F("claim__channel")),
    "area": (F("area__name"), F("claim__area__name")),
    "nik": (F("participant__nik"), F("claim__participant__nik")),
    "kpj": (F("participant__kpj"), F("claim__participant__kpj")),
    "amount": (F("amount_paid"), F("gross")),
    "instalment": (Value(None, output_field=IntegerField()), F("instalment")),
}


def _paid_monthly() -> QuerySet[Payment]:
    return Payment.objects.filter(status=PaymentStatus.PAID, claim__program=Program.JKP)


def _days(field: str, date_from: dt.date | None, date_to: dt.date | None) -> Q:
    q = Q()
    if date_from:
        q &= Q(**{f"{field}__gte": date_from})
    if date_to:
        q &= Q(**{f"{field}__lte": date_to})
    return q


def _paid_once(date_from: dt.date | None, date_to: dt.date | None) -> Q:
    """A paid claim counted once: anything but JKP paid through monthly payments."""
    monthly = Exists(Payment.objects.filter(status=PaymentStatus.PAID, claim=OuterRef("pk")))
    return (
        Q(status=Status.PAID) & _days("paid_on", date_from, date_to) & ~(Q(program=Program.JKP) & Q(monthly))
    )


def with_a_line(date_from: dt.date | None, date_to: dt.date | None) -> Q:
    """Claims with a paid line in the period (either bound may be open): the drill-down's condition."""
    months = Payment.objects.filter(_days("paid_on", date_from, date_to), status=PaymentStatus.PAID)
    return _paid_once(date_from, date_to) | (
        Q(program=Program.JKP) & Q(Exists(months.filter(claim=OuterRef("pk"))))
    )


@dataclass(frozen=True)
class PaidLines:
    claims: QuerySet[Claim]  # paid claims counted once
    instalments: QuerySet[Payment]  # paid JKP monthly payments

    def rows(self) -> QuerySet:
        """The lines as tuples in the order of COLUMNS, by day paid, claim number and instalment: one
        ``UNION ALL`` query, for ``.iterator()``."""
        aliases = [f"line_{name}" for name in COLUMNS]
        halves = [
            queryset.annotate(**{f"line_{name}": pair[side] for name, pair in COLUMNS.items()})
            .values_list(*aliases)
            .order_by()
            for side, queryset in enumerate((self.claims, self.instalments))
        ]
        return halves[0].union(halves[1], all=True).order_by("line_paid_on", "line_number", "line_instalment")

    def totals(self) -> tuple[int, int]:
        """(lines, rupiah): what the report counts as cases and amount for the same filters."""
        once = self.claims.aggregate(n=Count("id"), rupiah=Sum("amount_paid"))
        monthly = self.instalments.aggregate(n=Count("id"), rupiah=Sum("gross"))
        return once["n"] + monthly["n"], (once["rupiah"] or 0) + (monthly["rupiah"] or 0)

    def waits(self) -> dict[int, int]:
        """{days from submission to payment: lines}, a JKP claim once (its first instalment)."""
        found: Counter[int] = Counter()
        once = self.claims.filter(submitted_on__isnull=False)
        first_months = self.instalments.filter(instalment=1, claim__submitted_on__isnull=False)
        for queryset, submitted in ((once, "submitted_on"), (first_months, "claim__submitted_on")):
            wait = ExpressionWrapper(F("paid_on") - F(submitted), output_field=DurationField())
            for days, n in (
                queryset.annotate(wait=wait).values_list("wait").annotate(n=Count("id")).order_by()
            ):
                found[days.days] += n
        return dict(found)


def paid_lines(date_from: dt.date | None, date_to: dt.date | None, **where: Any) -> PaidLines:
    """The paid lines of the period; ``where`` filters the claims (``branch=…``, ``program=…``, ``area_id=…``)
    and so the monthly payments of those claims."""
    return PaidLines(
        Claim.objects.filter(_paid_once(date_from, date_to), **where),
        _paid_monthly().filter(
            _days("paid_on", date_from, date_to), **{f"claim__{k}": v for k, v in where.items()}
        ),
    )


def branch_lines(branch, filters) -> PaidLines:
    """The lines behind a branch dashboard's figures with its filters (reporting.dashboard.Filters)."""
    where: dict[str, Any] = {"branch": branch}
    if filters.program:
        where["program"] = filters.program
    if filters.area_id:
        where["area_id"] = filters.area_id
    if filters.channel:
        where["channel"] = filters.channel
    return paid_lines(filters.date_from, filters.date_to, **where)


def instalments_paid(
    claim_ids, date_from: dt.date | None, date_to: dt.date | None
) -> dict[int, list[tuple[int, int]]]:
    """{claim id: [(instalment, of how many)]} of the JKP monthly payments paid in the period, for a page."""
    found: dict[int, list[tuple[int, int]]] = {}
    months = _paid_monthly().filter(_days("paid_on", date_from, date_to), claim_id__in=claim_ids)
    for claim_id, number, count in months.order_by("instalment").values_list(
        "claim_id", "instalment", "instalment_count"
    ):
        found.setdefault(claim_id, []).append((number, count))
    return found
