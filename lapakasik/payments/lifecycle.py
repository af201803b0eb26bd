"""Payment batches and payments: their tables of moves and their one writer each.

Every status write of a ``PaymentBatch`` or a ``Payment`` goes through ``move_batches`` or
``move_payments`` (lib/lifecycle: table check, guarded UPDATE from the status the caller saw, the
``PaymentEvent``s in the same transaction). payments/actions.py decides *whether* (finance of the
branch, totals that add up, the bank's answer); these are the only code that writes the move. The
claim's own move to paid is the claim's writer's (claims/), called in the same transaction.

Maker-checker is the batch table's rule and is enforced here, where the move is written: nobody
approves a batch they opened or added a line to (the database holds the first half too).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from lapakasik.lib.errors import DomainError
from lapakasik.lib.lifecycle import Lifecycle, Move, apply_move

from .models import (
    BankResultImport,
    BatchStatus,
    ImportStatus,
    Payment,
    PaymentBatch,
    PaymentEvent,
    PaymentStatus,
)

FINANCE = frozenset({"finance", "admin"})


class PaymentAction(models.TextChoices):
    """Every action the payments app records (on a batch, a payment, or both), named once."""

    BATCH_OPENED = "batch_opened", _("Batch dibuka")
    LINES_ADDED = "lines_added", _("Baris ditambahkan ke batch")
    LINES_HELD = "lines_held", _("Angsuran JKP ditahan: belum jatuh tempo")
    PREPARED = "prepared", _("Pembayaran disiapkan")
    APPROVED = "approved", _("Disetujui")
    CANCELLED = "cancelled", _("Dibatalkan")
    SENT = "sent", _("Dikirim ke bank")
    PAID = "paid", _("Dibayar")
    FAILED = "failed", _("Gagal")
    RESULT_FLAGGED = "result_flagged", _("Hasil bank ditandai untuk diperiksa")
    RECONCILED = "reconciled", _("Selesai direkonsiliasi")


BATCH = Lifecycle(
    model="payments.PaymentBatch",
    statuses=BatchStatus,
    notes=(
        "Opened prepared by `prepare_batch` (finance of the branch) for a value date: lines added after "
        "`PAYMENT_CUTOFF` in the branch's time zone, or on a weekend or holiday, go to the next working "
        "day's batch. The lines move with their batch."
    ),
    moves=(
        Move("approve", frozenset({BatchStatus.PREPARED}), BatchStatus.APPROVED, FINANCE,
             four_eyes="prepare (the batch's maker, or whoever added a line)",
             when="its totals equal the sum of its lines"),
        Move("cancel", frozenset({BatchStatus.PREPARED}), BatchStatus.CANCELLED, FINANCE, reason=True),
        Move("send", frozenset({BatchStatus.APPROVED}), BatchStatus.SENT, FINANCE,
             when="the transfer file is produced (its SHA-256 kept)"),
        Move("reconcile", frozenset({BatchStatus.SENT}), BatchStatus.RECONCILED, FINANCE,
             when="no line still waits for the bank (on a result import)"),
    ),
)  # fmt: skip

PAYMENT = Lifecycle(
    model="payments.Payment",
    statuses=PaymentStatus,
    notes="Created prepared in its batch, one live payment per claim (a database constraint).",
    moves=(
        Move("approve", frozenset({PaymentStatus.PREPARED}), PaymentStatus.APPROVED, FINANCE,
             four_eyes="prepare (with its batch)"),
        Move("cancel", frozenset({PaymentStatus.PREPARED}), PaymentStatus.CANCELLED, FINANCE,
             when="with its batch"),
        Move("send", frozenset({PaymentStatus.APPROVED}), PaymentStatus.SENT, FINANCE, when="with its batch"),
        Move("confirm", frozenset({PaymentStatus.SENT}), PaymentStatus.PAID, FINANCE,
             when="the bank's result says paid, for the exact net amount; dated by the bank"),
        Move("fail", frozenset({PaymentStatus.SENT}), PaymentStatus.FAILED, FINANCE,
             when="the bank's result says refused or returned"),
    ),
)  # fmt: skip

LIFECYCLES = (BATCH, PAYMENT)

ACTION_OF_MOVE = {
    "approve": PaymentAction.APPROVED,
    "cancel": PaymentAction.CANCELLED,
    "send": PaymentAction.SENT,
    "reconcile": PaymentAction.RECONCILED,
    "confirm": PaymentAction.PAID,
    "fail": PaymentAction.FAILED,
}


def require_checker(batch: PaymentBatch, by) -> None:
    """Maker-checker: whoever opened the batch or added any line to it cannot approve it."""
    if batch.prepared_by_id == by.id or batch.payments.filter(prepared_by=by).exists():
        raise DomainError(
            "four_eyes", _("Batch yang Anda siapkan harus disetujui oleh petugas keuangan lain."), status=403
        )


def move_batches(
    batches: Sequence[PaymentBatch], move: str, *, by, note: str = "", **changes: Any
) -> list[PaymentBatch]:
    """The one writer of a batch's status."""
    if BATCH.move(move).four_eyes:
        for batch in batches:
            require_checker(batch, by)
    if BATCH.move(move).reason and not note.strip():
        raise DomainError("reason_required", _("Alasan wajib diisi."), field="reason")

    def event(batch, old: str, new: str) -> PaymentEvent:
        return PaymentEvent(
            batch=batch, actor=by, action=ACTION_OF_MOVE[move], from_status=old, to_status=new, note=note
        )

    with transaction.atomic():
        return apply_move(BATCH, move, batches, by=by, event=event, changes=changes)  # type: ignore[return-value]


def move_payments(
    payments: Sequence[Payment],
    move: str,
    *,
    by,
    note: str = "",
    data: dict[str, Any] | None = None,
    **changes: Any,
) -> list[Payment]:
    """The one writer of a payment's status; a batch's lines move in one statement."""

    def event(payment, old: str, new: str) -> PaymentEvent:
        return PaymentEvent(
            batch_id=payment.batch_id,
            payment=payment,
            actor=by,
            action=ACTION_OF_MOVE[move],
            from_status=old,
            to_status=new,
            note=note,
            data=data or {},
        )

    with transaction.atomic():
        return apply_move(PAYMENT, move, payments, by=by, event=event, changes=changes)  # type: ignore[return-value]


# A bank result import is a job, not a money state: queued → applying → done, moved only by the worker
# (payments.actions.run_result_import), never by a person, so it has no table of roles; every payment
# it changes moves through move_payments above, with its events.
IMPORT_MOVES: dict[str, frozenset[str]] = {
    ImportStatus.APPLYING: frozenset({ImportStatus.QUEUED}),
    ImportStatus.DONE: frozenset({ImportStatus.APPLYING}),
}


def move_result_import(result: BankResultImport, to: str, **changes: Any) -> bool:
    """The one writer of an import's status: a guarded UPDATE; False when another run moved it first."""
    moved = BankResultImport.objects.filter(pk=result.pk, status__in=IMPORT_MOVES[to]).update(
        status=to, **changes
    )
    return bool(moved)
