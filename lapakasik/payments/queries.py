"""Reads for the finance console and the API. Every fetch knows who asks (ARCHITECTURE §3.4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from lapakasik.claims.models import Claim, PayoutAccount, PayoutAccountStatus, Program, Status

from .instalments import Instalment, due_by, not_due_text, split_due
from .models import (
    PAYMENT_VIEWER_ROLES,
    UNDER_WAY_STATUSES,
    BankResultImport,
    BatchStatus,
    Payment,
    PaymentBatch,
    PaymentStatus,
)
from .schedule import batch_date


def ready_claims(branch) -> QuerySet[Claim]:
    """Approved claims with an amount and an account, and no payment under way (an approved claim with
    paid payments is a JKP claim between two monthly instalments; prepare_batch takes it once the next
    one falls due).

    A claim whose last transfer failed is ready again only once its account was changed (or
    re-confirmed) after that failure: sending to the same closed account would fail again. An account
    changed after approval is never paid before a second person re-checked it (claims/lifecycle.py; its
    claim is back in verification meanwhile, and the account filter holds even if it were not).
    """
    live = Payment.objects.filter(claim=OuterRef("pk"), status__in=UNDER_WAY_STATUSES)
    failed_since_account = Payment.objects.filter(
        claim=OuterRef("pk"),
        status=PaymentStatus.FAILED,
        failed_at__gte=OuterRef("payout_account__updated_at"),
    )
    return (
        Claim.objects.filter(branch=branch, status=Status.APPROVED, amount_claimed__gt=0)
        .filter(
            Exists(
                PayoutAccount.objects.filter(claim=OuterRef("pk")).exclude(status=PayoutAccountStatus.RECHECK)
            )
        )
        .exclude(Exists(live))
        .exclude(Exists(failed_since_account))
        .select_related("payout_account", "participant")
        .order_by("pk")
    )


def awaiting_new_account(branch) -> QuerySet[Claim]:
    """Approved claims whose transfer failed and whose account was not changed since."""
    failed_since_account = Payment.objects.filter(
        claim=OuterRef("pk"),
        status=PaymentStatus.FAILED,
        failed_at__gte=OuterRef("payout_account__updated_at"),
    )
    live = Payment.objects.filter(claim=OuterRef("pk"), status__in=UNDER_WAY_STATUSES)
    return (
        Claim.objects.filter(branch=branch, status=Status.APPROVED)
        .filter(Exists(failed_since_account))
        .exclude(Exists(live))
        .select_related("participant")
        .order_by("pk")
    )


# What can stop an approved claim's payment, in the order finance reads them.
BLOCKERS = {
    "no_account": _("Belum ada rekening: petugas mencatatnya di halaman klaim"),
    "account_recheck": _("Rekening diubah setelah persetujuan: menunggu pemeriksaan ulang oleh petugas lain"),
    "no_amount": _("Jumlah manfaat belum ditetapkan"),
    "transfer_failed": _("Transfer gagal dan rekening belum diganti"),
    "in_batch": _("Sudah masuk batch pembayaran"),
    "not_due": _("Angsuran JKP berikutnya belum jatuh tempo"),  # shown with its month and due day
}


@dataclass(frozen=True)
class Unpaid:
    """An approved claim (or one sent back because its account changed) that is not ready, and why."""

    claim: Claim
    blockers: list[str]  # codes of BLOCKERS, in its order
    next_instalment: Instalment | None = None  # JKP: the month that waits for its due day

    @property
    def reasons(self) -> list[str]:
        return [
            not_due_text(self.next_instalment)
            if code == "not_due" and self.next_instalment is not None
            else str(BLOCKERS[code])
            for code in self.blockers
        ]


def approved_not_ready(branch, limit: int = 200, *, now: dt.datetime | None = None) -> list[Unpaid]:
    """Every approved claim of the branch that the next batch would not pay, with what stops it; and the
    claims an account change after approval sent back to verification (they left the approved list).

    A JKP claim between two months, with nothing else stopping it, is listed with the month it waits for
    and its due day (the next batch's value date decides, as in ``prepare_batch``)."""
    accounts = PayoutAccount.objects.filter(claim=OuterRef("pk"))
    claims = (
        Claim.objects.filter(branch=branch)
        .filter(Q(status=Status.APPROVED) | Q(payout_account__status=PayoutAccountStatus.RECHECK))
        .exclude(status__in=[Status.PAID, Status.REJECTED, Status.CANCELLED])
        .annotate(
            has_account=Exists(accounts),
            recheck=Exists(accounts.filter(status=PayoutAccountStatus.RECHECK)),
            live=Exists(Payment.objects.filter(claim=OuterRef("pk"), status__in=UNDER_WAY_STATUSES)),
            failed=Exists(_failed_since_account()),
        )
        .select_related("participant")
        .order_by("pk")
    )
    found = []
    for claim in claims:
        blockers = [
            code
            for code, stops in (
                ("no_account", not claim.has_account),  # type: ignore[attr-defined]
                ("account_recheck", claim.recheck),  # type: ignore[attr-defined]
                ("no_amount", not (claim.amount_claimed or 0) > 0),
                ("transfer_failed", claim.failed),  # type: ignore[attr-defined]
                ("in_batch", claim.live),  # type: ignore[attr-defined]
            )
            if stops
        ]
        if blockers:
            found.append(Unpaid(claim, blockers))
            if len(found) == limit:
                break
    return _with_months_not_due(branch, found, limit, now=now)


def _with_months_not_due(branch, found: list[Unpaid], limit: int, *, now: dt.datetime | None) -> list[Unpaid]:
    """``found`` and, after it, the JKP claims ready but for their next month's due day."""
    monthly = list(ready_claims(branch).filter(program=Program.JKP)[: max(limit - len(found), 0)])
    _due, held = split_due(monthly, batch_date(branch.time_zone, now=now)) if monthly else ([], [])
    return found + [Unpaid(claim, ["not_due"], instalment) for claim, instalment in held]


def next_instalment_of(claim: Claim) -> Instalment | None:
    """An approved JKP claim's next month (number, amount, due day), for the claim page; else None."""
    if claim.program != Program.JKP or claim.status != Status.APPROVED or not (claim.amount_claimed or 0) > 0:
        return None
    from .instalments import next_instalment, paid_counts

    return next_instalment(claim, paid_counts([claim]).get(claim.pk, 0))


def _failed_since_account() -> QuerySet[Payment]:
    return Payment.objects.filter(
        claim=OuterRef("pk"),
        status=PaymentStatus.FAILED,
        failed_at__gte=OuterRef("payout_account__updated_at"),
    )


def ready_by_bank(branch, *, now: dt.datetime | None = None) -> list[dict]:
    """What the next batch of each bank would pay: lump sums summed in the database; JKP claims (few, one
    instalment each) one by one, counted only when their next instalment falls due by the value date."""
    ready = ready_claims(branch)
    rows = (
        ready.exclude(program=Program.JKP)
        .values(bank=F("payout_account__bank_code"))
        .annotate(count=Count("id"), amount=Sum("amount_claimed"))
        .order_by("bank")
    )
    by_bank: dict[str, dict[str, Any]] = {row["bank"]: dict(row) for row in rows}
    monthly = list(ready.filter(program=Program.JKP))
    for claim, instalment in due_by(monthly, batch_date(branch.time_zone, now=now)) if monthly else []:
        bank = claim.payout_account.bank_code
        row = by_bank.setdefault(bank, {"bank": bank, "count": 0, "amount": 0})
        row["count"] += 1
        row["amount"] += instalment.amount
    return [by_bank[bank] for bank in sorted(by_bank)]


def batch_for(user, number: str) -> PaymentBatch:
    batch = PaymentBatch.objects.visible_to(user).select_related("branch").filter(number=number).first()
    if batch is None:
        raise Http404
    return batch


def payment_for(user, reference: str) -> Payment:
    payment = (
        Payment.objects.visible_to(user)
        .select_related("batch__branch", "claim__participant", "claim__heir", "claim__claimant")
        .filter(reference=reference)
        .first()
    )
    if payment is None:
        raise Http404
    return payment


def result_import_for(user, pk: int) -> BankResultImport:
    found = BankResultImport.objects.filter(pk=pk)
    if not user.is_authenticated:
        raise Http404
    if not user.is_admin_role:
        if user.role not in PAYMENT_VIEWER_ROLES:
            raise Http404
        found = found.filter(branch_id=user.branch_id)
    result = found.first()
    if result is None:
        raise Http404
    return result


def lines_total(batch: PaymentBatch) -> dict[str, int]:
    """The sums of a batch's lines, to hold against the totals stored on the batch."""
    totals = batch.payments.exclude(status=PaymentStatus.CANCELLED).aggregate(
        line_count=Count("id"), total_gross=Sum("gross"), total_tax=Sum("tax"), total_net=Sum("net")
    )
    return {key: value or 0 for key, value in totals.items()}


def totals_disagree(batch: PaymentBatch) -> bool:
    """The stored totals against the sum of the live lines. A cancelled batch's lines are cancelled with it
    and its totals keep what it was: there is nothing to compare, so no alarm."""
    if batch.status == BatchStatus.CANCELLED:
        return False
    stored = {key: getattr(batch, key) for key in ("line_count", "total_gross", "total_tax", "total_net")}
    return lines_total(batch) != stored


@dataclass(frozen=True)
class ReconciliationRow:
    number: str
    bank: str
    value_date: dt.date
    status: str
    sent_count: int
    sent_amount: int
    paid_count: int
    paid_amount: int
    failed_count: int
    failed_amount: int
    open_count: int
    open_amount: int


def reconciliation(branch, date_from: dt.date, date_to: dt.date) -> list[ReconciliationRow]:
    """Per batch: sent vs bank-confirmed vs failed vs still open — one aggregate query."""
    sent = Q(payments__status__in=[PaymentStatus.SENT, PaymentStatus.PAID, PaymentStatus.FAILED])
    measures = {
        "sent": sent,
        "paid": Q(payments__status=PaymentStatus.PAID),
        "failed": Q(payments__status=PaymentStatus.FAILED),
        "open": Q(payments__status=PaymentStatus.SENT),
    }
    annotations: dict[str, Count | Sum] = {}
    for name, condition in measures.items():
        annotations[f"{name}_count"] = Count("payments", filter=condition)
        annotations[f"{name}_amount"] = Sum("payments__net", filter=condition)
    rows = (
        PaymentBatch.objects.filter(branch=branch, value_date__range=(date_from, date_to))
        .exclude(status__in=["prepared", "cancelled"])
        .values("number", "bank_code", "value_date", "status")
        .annotate(**annotations)
        .order_by("value_date", "bank_code", "number")
    )
    return [
        ReconciliationRow(
            number=r["number"],
            bank=r["bank_code"],
            value_date=r["value_date"],
            status=r["status"],
            **{key: r[key] or 0 for key in annotations},  # type: ignore[literal-required]
        )
        for r in rows
    ]


def reconciliation_by_day(rows: list[ReconciliationRow]) -> list[dict]:
    days: dict[dt.date, dict] = {}
    for row in rows:
        day = days.setdefault(
            row.value_date,
            {
                "value_date": row.value_date,
                "batches": 0,
                **{f"{m}_{k}": 0 for m in ("sent", "paid", "failed", "open") for k in ("count", "amount")},
            },
        )
        day["batches"] += 1
        for measure in ("sent", "paid", "failed", "open"):
            for kind in ("count", "amount"):
                day[f"{measure}_{kind}"] += getattr(row, f"{measure}_{kind}")
    return list(days.values())
