"""Every change of a payment or a batch, one function each (ARCHITECTURE §3.2).

Each runs in one transaction, re-checks state with a guarded UPDATE that must hit the rows it
expects (two finance officers acting at once: one wins, the other is told), refuses with a
DomainError, and writes a PaymentEvent (and a ClaimEvent where the claim is concerned) in the
same transaction.

    prepare_batch  (maker)   approved claims → payment lines in the open batch of the value date
    approve_batch  (checker) a different finance user; totals must equal the sum of the lines
    reject_batch             a prepared batch is cancelled; its claims are ready again
    mark_batch_sent          the transfer file is produced and the batch is sent
    import_bank_result       each result line → confirm_payment / fail_payment, or a flagged issue
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapakasik.accounts.models import Role
from lapakasik.claims.models import Claim, ClaimEvent, Status
from lapakasik.lib.errors import DomainError

from . import bankfiles, notify
from .models import (
    BI_CODES,
    LIVE_STATUSES,
    BankResultImport,
    BatchStatus,
    IssueKind,
    Payment,
    PaymentBatch,
    PaymentEvent,
    PaymentStatus,
    ResultIssue,
)
from .queries import lines_total, ready_claims
from .schedule import batch_date
from .withholding import withholding_for

NOT_FOUND = DomainError("not_found", _("Tidak ditemukan."), status=404)


def _batch_changed() -> DomainError:
    return DomainError(
        "batch_changed",
        _("Batch ini baru saja diubah oleh petugas lain. Muat ulang halaman untuk melihat keadaannya."),
        status=409,
    )


def _require_finance(branch_id: int, by) -> None:
    # Another branch's batch does not exist for this officer (404, not 403).
    if not by.can_see_branch(branch_id):
        raise NOT_FOUND
    if not (by.role == Role.FINANCE or by.is_admin_role):
        raise DomainError("not_permitted", _("Hanya petugas keuangan yang dapat melakukan ini."), status=403)


def _require_move(batch: PaymentBatch, to: str) -> None:
    if not batch.can_move_to(to):
        raise DomainError(
            "transition_not_allowed",
            _("Batch berstatus '%(status)s' tidak dapat diubah menjadi '%(to)s'.")
            % {"status": BatchStatus(batch.status).label, "to": BatchStatus(to).label},
            status=409,
        )


def _move_batch(batch: PaymentBatch, to: str, *, by, action: str, note: str = "", **changes) -> None:
    """Guarded UPDATE from the status the caller saw; the caller holds the transaction."""
    _require_move(batch, to)
    if PaymentBatch.objects.filter(pk=batch.pk, status=batch.status).update(status=to, **changes) != 1:
        raise _batch_changed()
    PaymentEvent.objects.create(batch=batch, actor=by, action=action, from_status=batch.status, to_status=to,
                                note=note)  # fmt: skip


def _move_lines(batch: PaymentBatch, old: str, new: str, *, by, action: str, **changes) -> int:
    payments = list(batch.payments.filter(status=old).values_list("id", flat=True))
    moved = Payment.objects.filter(id__in=payments, status=old).update(status=new, **changes)
    if moved != len(payments):
        raise _batch_changed()
    PaymentEvent.objects.bulk_create(
        [PaymentEvent(batch=batch, payment_id=pk, actor=by, action=action, from_status=old, to_status=new)
         for pk in payments]
    )  # fmt: skip
    return moved


# ── maker ─────────────────────────────────────────────────────────────────────────────────────


def prepare_batch(branch, bank_code: str, *, by, now: dt.datetime | None = None) -> PaymentBatch:
    """Put every claim ready for payment to `bank_code` into the open batch of its value date."""
    _require_finance(branch.id, by)
    value_date = batch_date(branch.time_zone, now=now)
    with transaction.atomic():
        candidates = list(
            ready_claims(branch).filter(payout_account__bank_code=bank_code).values_list("pk", flat=True)
        )
        # Lock the claims, then re-check under the lock: two makers at once cannot both take a claim.
        claims = list(
            Claim.objects.select_for_update().filter(pk__in=candidates, status=Status.APPROVED).order_by("pk")
        )
        taken = set(
            Payment.objects.filter(claim__in=claims, status__in=LIVE_STATUSES).values_list(
                "claim_id", flat=True
            )
        )
        claims = [claim for claim in claims if claim.pk not in taken]
        if not claims:
            raise DomainError(
                "nothing_to_pay", _("Tidak ada klaim yang siap dibayar ke bank ini."), status=409
            )
        batch = _open_batch(branch, bank_code, value_date, by)
        payments = [_new_payment(claim, batch, by, value_date) for claim in claims]
        try:
            with transaction.atomic():
                Payment.objects.bulk_create(payments)
        except IntegrityError:  # the one-live-payment constraint: someone else took a claim meanwhile
            raise _batch_changed()
        PaymentBatch.objects.filter(pk=batch.pk).update(
            line_count=F("line_count") + len(payments),
            total_gross=F("total_gross") + sum(p.gross for p in payments),
            total_tax=F("total_tax") + sum(p.tax for p in payments),
            total_net=F("total_net") + sum(p.net for p in payments),
        )
        PaymentEvent.objects.bulk_create(
            [PaymentEvent(batch=batch, payment=p, actor=by, action="prepared", to_status=PaymentStatus.PREPARED,
                          data={"gross": p.gross, "tax": p.tax, "net": p.net}) for p in payments]
            + [PaymentEvent(batch=batch, actor=by, action="lines_added", data={"count": len(payments)})]
        )  # fmt: skip
    batch.refresh_from_db()
    return batch


def _open_batch(branch, bank_code: str, value_date: dt.date, by) -> PaymentBatch:
    open_batch = (
        PaymentBatch.objects.select_for_update()
        .filter(branch=branch, bank_code=bank_code, value_date=value_date, status=BatchStatus.PREPARED)
        .first()
    )
    if open_batch:
        return open_batch
    last = PaymentBatch.objects.filter(branch=branch, bank_code=bank_code, value_date=value_date).aggregate(
        last=Max("sequence")
    )["last"]
    sequence = (last or 0) + 1
    number = f"{branch.code.upper()}-{bank_code}-{value_date:%Y%m%d}-{sequence}"
    try:
        with transaction.atomic():
            batch = PaymentBatch.objects.create(
                number=number, branch=branch, bank_code=bank_code, value_date=value_date, sequence=sequence,
                prepared_by=by,
            )  # fmt: skip
    except IntegrityError:  # another maker opened the same day's batch a moment ago
        raise _batch_changed()
    PaymentEvent.objects.create(batch=batch, actor=by, action="batch_opened", to_status=BatchStatus.PREPARED)
    return batch


def _new_payment(claim: Claim, batch: PaymentBatch, by, value_date: dt.date) -> Payment:
    account = claim.payout_account
    gross = claim.amount_claimed or 0
    withholding = withholding_for(claim, gross, paid_on=value_date)
    return Payment(
        claim=claim, batch=batch, bank_code=account.bank_code, account_number=account.account_number,
        holder_name=account.holder_name, gross=gross, tax=withholding.tax, net=gross - withholding.tax,
        tax_detail=withholding.detail, prepared_by=by,
    )  # fmt: skip


# ── checker ───────────────────────────────────────────────────────────────────────────────────


def approve_batch(batch: PaymentBatch, *, by) -> PaymentBatch:
    """Maker-checker: a finance user who prepared the batch, or any line of it, cannot approve it."""
    _require_finance(batch.branch_id, by)
    if batch.prepared_by_id == by.id or batch.payments.filter(prepared_by=by).exists():
        raise DomainError(
            "four_eyes", _("Batch yang Anda siapkan harus disetujui oleh petugas keuangan lain."), status=403
        )
    with transaction.atomic():
        _move_batch(batch, BatchStatus.APPROVED, by=by, action="approved", approved_by=by,
                    approved_at=timezone.now())  # fmt: skip
        stored = PaymentBatch.objects.values("line_count", "total_gross", "total_tax", "total_net").get(
            pk=batch.pk
        )
        if lines_total(batch) != stored:
            raise DomainError(
                "batch_totals_mismatch",
                _("Jumlah batch tidak sama dengan jumlah barisnya; batch tidak disetujui."),
            )
        _move_lines(batch, PaymentStatus.PREPARED, PaymentStatus.APPROVED, by=by, action="approved")
    batch.refresh_from_db()
    return batch


def reject_batch(batch: PaymentBatch, *, by, reason: str) -> PaymentBatch:
    """A prepared batch is cancelled; its claims become ready for a new batch."""
    _require_finance(batch.branch_id, by)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("Alasan wajib diisi."), field="reason")
    with transaction.atomic():
        _move_batch(batch, BatchStatus.CANCELLED, by=by, action="cancelled", note=reason)
        _move_lines(batch, PaymentStatus.PREPARED, PaymentStatus.CANCELLED, by=by, action="cancelled")
    batch.refresh_from_db()
    return batch


# ── bank files ────────────────────────────────────────────────────────────────────────────────


def transfer_lines(batch: PaymentBatch) -> list[bankfiles.TransferLine]:
    payments = batch.payments.exclude(status=PaymentStatus.CANCELLED).select_related("claim").order_by("id")
    return [
        bankfiles.TransferLine(
            reference=p.reference,
            bank_code=BI_CODES.get(p.bank_code, ""),
            account_number=p.account_number,
            holder_name=p.holder_name,
            amount=p.net,
            value_date=batch.value_date,
            claim_number=p.claim.number,
        )  # fmt: skip
        for p in payments
    ]


def transfer_file(batch: PaymentBatch) -> bytes:
    """The file for the bank; the same bytes every time it is downloaded again."""
    if batch.status not in (BatchStatus.APPROVED, BatchStatus.SENT, BatchStatus.RECONCILED):
        raise DomainError("batch_not_approved", _("Berkas transfer hanya untuk batch yang sudah disetujui."))
    return bankfiles.transfer_csv(transfer_lines(batch), bank=batch.bank_code)


def mark_batch_sent(batch: PaymentBatch, *, by) -> bytes:
    """Produce the transfer file and record that it went to the bank (with the file's SHA-256)."""
    _require_finance(batch.branch_id, by)
    _require_move(batch, BatchStatus.SENT)
    content = transfer_file(batch)
    with transaction.atomic():
        _move_batch(batch, BatchStatus.SENT, by=by, action="sent", sent_by=by, sent_at=timezone.now(),
                    file_sha256=hashlib.sha256(content).hexdigest())  # fmt: skip
        _move_lines(batch, PaymentStatus.APPROVED, PaymentStatus.SENT, by=by, action="sent")
    batch.refresh_from_db()
    return content


# ── the bank's answer ─────────────────────────────────────────────────────────────────────────


def confirm_payment(payment: Payment, *, paid_on: dt.date, by, bank_reference: str = "") -> Payment:
    """The bank paid: the payment and its claim become paid, dated by the bank (the date reports use)."""
    with transaction.atomic():
        hit = Payment.objects.filter(pk=payment.pk, status=PaymentStatus.SENT).update(
            status=PaymentStatus.PAID, paid_on=paid_on, bank_reference=bank_reference[:40]
        )
        if hit != 1:
            raise DomainError(
                "payment_changed", _("Pembayaran ini tidak lagi menunggu hasil bank."), status=409
            )
        # Tax withheld goes to the tax office on the participant's behalf: the benefit paid is the gross.
        hit = Claim.objects.filter(pk=payment.claim_id, status=Status.APPROVED).update(
            status=Status.PAID, paid_on=paid_on, amount_paid=payment.gross
        )
        if hit != 1:
            raise DomainError("claim_not_payable", _("Klaim ini tidak lagi berstatus disetujui."), status=409)
        data = {"reference": payment.reference, "gross": payment.gross, "tax": payment.tax, "net": payment.net,
                "batch": payment.batch.number, "paid_on": paid_on.isoformat()}  # fmt: skip
        ClaimEvent.objects.create(claim_id=payment.claim_id, actor=by, action="paid", from_status=Status.APPROVED,
                                  to_status=Status.PAID, data=data)  # fmt: skip
        PaymentEvent.objects.create(batch_id=payment.batch_id, payment=payment, actor=by, action="paid",
                                    from_status=PaymentStatus.SENT, to_status=PaymentStatus.PAID, data=data)  # fmt: skip
        _record_in_rollups(payment.claim_id)
        transaction.on_commit(lambda: notify.payment_advice(payment.pk))
    payment.refresh_from_db()
    return payment


def _record_in_rollups(claim_id: int) -> None:
    """The one call site that adds a claim paid here to the report rollups (issue 8)."""
    from lapakasik.reporting.rollup import record_paid

    record_paid(Claim.objects.filter(pk=claim_id))


def fail_payment(payment: Payment, *, reason_code: str, reason: str, by) -> Payment:
    """The bank refused or returned the transfer: the claim stays approved and is told why."""
    reason = (reason or reason_code or "").strip()[:255] or str(_("Ditolak bank tanpa keterangan"))
    with transaction.atomic():
        hit = Payment.objects.filter(pk=payment.pk, status=PaymentStatus.SENT).update(
            status=PaymentStatus.FAILED, failure_code=reason_code[:40], failure_reason=reason,
            failed_at=timezone.now(),
        )  # fmt: skip
        if hit != 1:
            raise DomainError(
                "payment_changed", _("Pembayaran ini tidak lagi menunggu hasil bank."), status=409
            )
        data = {"reference": payment.reference, "reason_code": reason_code, "batch": payment.batch.number}
        ClaimEvent.objects.create(claim_id=payment.claim_id, actor=by, action="payment_failed", note=reason,
                                  from_status=Status.APPROVED, to_status=Status.APPROVED, data=data)  # fmt: skip
        PaymentEvent.objects.create(batch_id=payment.batch_id, payment=payment, actor=by, action="failed",
                                    from_status=PaymentStatus.SENT, to_status=PaymentStatus.FAILED, note=reason,
                                    data=data)  # fmt: skip
        transaction.on_commit(lambda: notify.payment_failed(payment.pk))
    payment.refresh_from_db()
    return payment


def import_bank_result(branch, *, content: bytes, file_name: str, file_format: str, by) -> BankResultImport:
    """Apply a bank result file. Every line is applied or flagged; a malformed file changes nothing."""
    _require_finance(branch.id, by)
    parsed = bankfiles.parse_result(content, file_format)
    if parsed.errors:
        details = "; ".join(f"{e.line}: {e.message}" for e in parsed.errors[:5])
        raise DomainError("bad_result_file", _("Berkas hasil bank tidak dapat dibaca: %(details)s") % {
            "details": details}, field="file")  # fmt: skip
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                result = BankResultImport.objects.create(
                    branch=branch, file_name=file_name[:200], file_sha256=digest, format=file_format, imported_by=by,
                    line_count=len(parsed.lines),
                )  # fmt: skip
        except IntegrityError:
            raise DomainError("file_already_imported", _("Berkas ini sudah pernah diimpor."), field="file",
                              status=409)  # fmt: skip
        counts = _apply_lines(result, parsed.lines, branch, by)
        BankResultImport.objects.filter(pk=result.pk).update(**counts)
        _close_finished_batches(branch, by)
    result.refresh_from_db()
    return result


def _apply_lines(
    result: BankResultImport, lines: Iterable[bankfiles.ResultLine], branch, by
) -> dict[str, int]:
    lines = list(lines)
    payments = {
        p.reference: p
        for p in Payment.objects.select_for_update()
        .filter(batch__branch=branch, reference__in={line.reference for line in lines})
        .select_related("batch")
    }
    counts = {"paid_count": 0, "failed_count": 0, "flagged_count": 0}
    seen: set[str] = set()
    for line in lines:
        payment = payments.get(line.reference)
        kind, detail = _judge(line, payment, seen)
        seen.add(line.reference)
        if kind is None and payment is not None:
            try:
                with transaction.atomic():
                    _apply(line, payment, by)
                counts["paid_count" if line.outcome == "paid" else "failed_count"] += 1
                continue
            except DomainError as error:
                kind, detail = IssueKind.CONFLICT, str(error.message)
        counts["flagged_count"] += 1
        assert kind is not None
        ResultIssue.objects.create(
            result_import=result, payment=payment, line=line.line, reference=line.reference[:40], kind=kind,
            outcome=line.outcome, amount=line.amount, expected_amount=payment.net if payment else None,
            detail=(detail or line.reason)[:255],
        )  # fmt: skip
        if payment is not None:
            PaymentEvent.objects.create(batch_id=payment.batch_id, payment=payment, actor=by, action="result_flagged",
                                        data={"kind": kind, "line": line.line, "import": result.pk})  # fmt: skip
    return counts


def _judge(line: bankfiles.ResultLine, payment: Payment | None, seen: set[str]) -> tuple[str | None, str]:
    """Why a line must not be applied, or (None, "") when it may be."""
    if line.reference in seen:
        return IssueKind.DUPLICATE, "reference appears more than once in this file"
    if payment is None:
        return IssueKind.UNKNOWN, ""
    if payment.status in (PaymentStatus.PAID, PaymentStatus.FAILED):
        same = (payment.status == PaymentStatus.PAID) == (line.outcome == "paid")
        return (IssueKind.DUPLICATE if same else IssueKind.CONFLICT), f"payment already {payment.status}"
    if payment.status != PaymentStatus.SENT:
        return IssueKind.NOT_SENT, f"payment is {payment.status}"
    if line.outcome == "paid" and line.amount != payment.net:
        return IssueKind.AMOUNT_MISMATCH, ""
    return None, ""


def _apply(line: bankfiles.ResultLine, payment: Payment, by) -> None:
    if line.outcome == "paid":
        confirm_payment(payment, paid_on=line.value_date, by=by, bank_reference=line.bank_reference)
    else:
        fail_payment(payment, reason_code=line.reason_code, reason=line.reason, by=by)


def _close_finished_batches(branch, by) -> None:
    """A sent batch with no line left waiting for the bank is reconciled."""
    finished = PaymentBatch.objects.filter(branch=branch, status=BatchStatus.SENT).exclude(
        payments__status=PaymentStatus.SENT
    )
    for batch in finished:
        _move_batch(batch, BatchStatus.RECONCILED, by=by, action="reconciled")
