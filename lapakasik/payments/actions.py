"""Every change of a payment or a batch, one function each (ARCHITECTURE §3.2).

Each runs in one transaction and moves batches and payments only through payments/lifecycle.py's
writers (table check, guarded UPDATE that must hit the rows it expects — two finance officers acting
at once: one wins, the other is told "changed meanwhile" — and the PaymentEvents), refuses with a
DomainError, and moves the claim through its own writer (claims/lifecycle.py) in the same transaction.

    prepare_batch  (maker)   approved claims → payment lines in the open batch of the value date (a lump
                             sum, or the next JKP instalment due by then: payments/instalments.py)
    approve_batch  (checker) a different finance user; totals must equal the sum of the lines
    reject_batch             a prepared batch is cancelled; its claims are ready again
    mark_batch_sent          the transfer file is produced and the batch is sent
    import_bank_result       a checked result file is stored and queued for the worker
    run_result_import        (worker) each line → confirm_payment / fail_payment, or a flagged issue
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import partial

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from lapakasik.accounts.models import Role
from lapakasik.claims import lifecycle as claim_lifecycle
from lapakasik.claims.models import Claim, ClaimAction, Program, Status
from lapakasik.lib.errors import DomainError
from lapakasik.lib.lifecycle import changed_meanwhile, not_allowed

from . import bankfiles, notify
from .instalments import Instalment, held_back_text, split_due
from .lifecycle import BATCH, PAYMENT, PaymentAction, move_batches, move_payments, move_result_import
from .models import (
    BI_CODES,
    RESULT_STALE_AFTER,
    UNDER_WAY_STATUSES,
    BankResultImport,
    BatchStatus,
    ImportStatus,
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


def _require_finance(branch_id: int, by) -> None:
    # Another branch's batch does not exist for this officer (404, not 403).
    if not by.can_see_branch(branch_id):
        raise NOT_FOUND
    if not (by.role == Role.FINANCE or by.is_admin_role):
        raise DomainError("not_permitted", _("Hanya petugas keuangan yang dapat melakukan ini."), status=403)


def offered_moves(batch: PaymentBatch, user) -> frozenset[str]:
    """The batch moves this user's page shows: the table's role and status, the branch, and four eyes."""
    if not user.can_see_branch(batch.branch_id):
        return frozenset()
    offered = {move.name for move in BATCH.moves if BATCH.offers(move.name, batch.status, user)}
    if "approve" in offered and (
        batch.prepared_by_id == user.id or batch.payments.filter(prepared_by=user).exists()
    ):
        offered.discard("approve")  # maker-checker (lifecycle.require_checker refuses it anyway)
    return frozenset(offered)


def _move_lines(batch: PaymentBatch, move: str, *, by) -> None:
    """A batch's lines follow it: every line still in the move's source status, in one statement."""
    sources = PAYMENT.move(move).sources
    move_payments(
        list(batch.payments.filter(status__in=sources).only("id", "status", "batch_id")), move, by=by
    )


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
            Payment.objects.filter(claim__in=claims, status__in=UNDER_WAY_STATUSES).values_list(
                "claim_id", flat=True
            )
        )
        due, held = split_due([claim for claim in claims if claim.pk not in taken], value_date)
        if not due and held:  # only JKP months that are not due yet: say when they are
            raise DomainError("instalment_not_due", held_back_text(held), status=409)
        if not due:
            raise DomainError(
                "nothing_to_pay", _("Tidak ada klaim yang siap dibayar ke bank ini."), status=409
            )
        batch = _open_batch(branch, bank_code, value_date, by)
        payments = [_new_payment(claim, instalment, batch, by, value_date) for claim, instalment in due]
        try:
            with transaction.atomic():
                Payment.objects.bulk_create(payments)
        except IntegrityError:  # the one-live-payment constraints: someone else took a claim meanwhile
            raise changed_meanwhile()
        PaymentBatch.objects.filter(pk=batch.pk).update(
            line_count=F("line_count") + len(payments),
            total_gross=F("total_gross") + sum(p.gross for p in payments),
            total_tax=F("total_tax") + sum(p.tax for p in payments),
            total_net=F("total_net") + sum(p.net for p in payments),
        )
        PaymentEvent.objects.bulk_create(
            [
                PaymentEvent(
                    batch=batch,
                    payment=p,
                    actor=by,
                    action=PaymentAction.PREPARED,
                    to_status=PaymentStatus.PREPARED,
                    data={"gross": p.gross, "tax": p.tax, "net": p.net},
                )
                for p in payments
            ]
            + [
                PaymentEvent(
                    batch=batch, actor=by, action=PaymentAction.LINES_ADDED, data={"count": len(payments)}
                )
            ]
            + ([_held_event(batch, held, by)] if held else [])
        )
    batch.refresh_from_db()
    return batch


def _held_event(batch: PaymentBatch, held: list[tuple[Claim, Instalment]], by) -> PaymentEvent:
    """The JKP months left out of this batch because they are not due by its value date, for the audit."""
    return PaymentEvent(
        batch=batch,
        actor=by,
        action=PaymentAction.LINES_HELD,
        note=held_back_text(held),
        data={
            "held": [
                {"claim": c.number, "instalment": i.number, "due_on": i.due_on.isoformat()}
                for c, i in held
                if i.due_on is not None
            ]
        },
    )


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
                number=number,
                branch=branch,
                bank_code=bank_code,
                value_date=value_date,
                sequence=sequence,
                prepared_by=by,
            )
    except IntegrityError:  # another maker opened the same day's batch a moment ago
        raise changed_meanwhile()
    PaymentEvent.objects.create(
        batch=batch, actor=by, action=PaymentAction.BATCH_OPENED, to_status=BatchStatus.PREPARED
    )
    return batch


def _new_payment(
    claim: Claim, instalment: Instalment, batch: PaymentBatch, by, value_date: dt.date
) -> Payment:
    account = claim.payout_account
    gross = instalment.amount
    withholding = withholding_for(claim, gross, paid_on=value_date)
    return Payment(
        claim=claim,
        instalment=instalment.number,
        instalment_count=instalment.count,
        due_on=instalment.due_on,
        batch=batch,
        bank_code=account.bank_code,
        account_number=account.account_number,
        holder_name=account.holder_name,
        gross=gross,
        tax=withholding.tax,
        net=gross - withholding.tax,
        tax_detail=withholding.detail,
        prepared_by=by,
    )


# ── checker ───────────────────────────────────────────────────────────────────────────────────


def approve_batch(batch: PaymentBatch, *, by) -> PaymentBatch:
    """Maker-checker: a finance user who prepared the batch, or any line of it, cannot approve it."""
    _require_finance(batch.branch_id, by)
    with transaction.atomic():
        move_batches([batch], "approve", by=by, approved_by=by, approved_at=timezone.now())
        stored = PaymentBatch.objects.values("line_count", "total_gross", "total_tax", "total_net").get(
            pk=batch.pk
        )
        if lines_total(batch) != stored:
            raise DomainError(
                "batch_totals_mismatch",
                _("Jumlah batch tidak sama dengan jumlah barisnya; batch tidak disetujui."),
            )
        _move_lines(batch, "approve", by=by)
    batch.refresh_from_db()
    return batch


def reject_batch(batch: PaymentBatch, *, by, reason: str) -> PaymentBatch:
    """A prepared batch is cancelled; its claims become ready for a new batch."""
    _require_finance(batch.branch_id, by)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("Alasan wajib diisi."), field="reason")
    with transaction.atomic():
        move_batches([batch], "cancel", by=by, note=reason)
        _move_lines(batch, "cancel", by=by)
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
        )
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
    if not BATCH.can("send", batch.status):
        raise not_allowed(BatchStatus(batch.status).label, BatchStatus.SENT.label)
    content = transfer_file(batch)
    with transaction.atomic():
        move_batches(
            [batch],
            "send",
            by=by,
            sent_by=by,
            sent_at=timezone.now(),
            file_sha256=hashlib.sha256(content).hexdigest(),
        )
        _move_lines(batch, "send", by=by)
    batch.refresh_from_db()
    return content


# ── the bank's answer ─────────────────────────────────────────────────────────────────────────


def confirm_payment(payment: Payment, *, paid_on: dt.date, by, bank_reference: str = "") -> Payment:
    """The bank paid: the payment becomes paid, dated by the bank (the date reports use); with the claim's
    last instalment (a lump sum's only one) the claim becomes paid, with the sum of its instalments."""
    data = {
        "reference": payment.reference,
        "gross": payment.gross,
        "tax": payment.tax,
        "net": payment.net,
        "batch": payment.batch.number,
        "paid_on": paid_on.isoformat(),
    }
    if payment.instalment_count > 1:
        data["instalment"] = payment.instalment
        data["instalment_count"] = payment.instalment_count
    with transaction.atomic():
        move_payments(
            [payment], "confirm", by=by, data=data, paid_on=paid_on, bank_reference=bank_reference[:40]
        )
        claim = Claim.objects.get(pk=payment.claim_id)
        if claim.status != Status.APPROVED:
            raise DomainError("claim_not_payable", _("Klaim ini tidak lagi berstatus disetujui."), status=409)
        if claim.program == Program.JKP:  # reports count each month paid, in the month it is paid
            payment.refresh_from_db(fields=["paid_on"])
            _record_instalment_in_rollups(payment, claim)
        if payment.instalment == payment.instalment_count:
            _claim_paid(claim, paid_on, by=by, data=data)
        notify.payment_advice(payment)  # the outbox, in the paying transaction
    payment.refresh_from_db()
    return payment


def _claim_paid(claim: Claim, paid_on: dt.date, *, by, data: dict) -> None:
    """The claim's move to paid, with every instalment's gross (tax withheld goes to the tax office on the
    participant's behalf: the benefit paid is the gross), dated by the last one's bank date."""
    total = Payment.objects.filter(claim=claim, status=PaymentStatus.PAID).aggregate(total=Sum("gross"))[
        "total"
    ]
    claim_lifecycle.move(
        [claim],
        ClaimAction.PAID,
        by=by,
        expect=Status.APPROVED,
        data=data,
        changes={"paid_on": paid_on, "amount_paid": total or 0},
    )
    if claim.program != Program.JKP:  # JKP's months were counted one by one as the bank paid them
        _record_in_rollups(claim.pk)


def _record_in_rollups(claim_id: int) -> None:
    """The one call site that adds a claim paid here to the report rollups (issue 8)."""
    from lapakasik.reporting.rollup import record_paid

    record_paid(Claim.objects.filter(pk=claim_id))


def _record_instalment_in_rollups(payment: Payment, claim: Claim) -> None:
    """JKP: the month just paid, in the report rollups (reports count JKP per monthly payment)."""
    from lapakasik.reporting.rollup import instalment_paid, record_paid

    record_paid([instalment_paid(payment, claim)])


def fail_payment(payment: Payment, *, reason_code: str, reason: str, by) -> Payment:
    """The bank refused or returned the transfer: the claim stays approved and is told why."""
    reason = (reason or reason_code or "").strip()[:255] or str(_("Ditolak bank tanpa keterangan"))
    data = {"reference": payment.reference, "reason_code": reason_code, "batch": payment.batch.number}
    with transaction.atomic():
        move_payments(
            [payment],
            "fail",
            by=by,
            note=reason,
            data=data,
            failure_code=reason_code[:40],
            failure_reason=reason,
            failed_at=timezone.now(),
        )
        # The claim stays approved (the table's payment_failed move): the claimant replaces the account,
        # which sends the claim back for a second person's recheck before it is paid again.
        claim_lifecycle.move(
            [Claim.objects.get(pk=payment.claim_id)],
            ClaimAction.PAYMENT_FAILED,
            by=by,
            note=reason,
            data=data,
        )
        notify.payment_failed(payment)
    payment.refresh_from_db()
    return payment


def import_bank_result(branch, *, content: bytes, file_name: str, file_format: str, by) -> BankResultImport:
    """Check a bank result file, store it and queue it for the worker (run_result_import).

    A malformed file (every problem at once, a bank date that has not come yet) and a file imported
    before are refused here and nothing is stored; the request never applies a line, so it holds no
    lock on payments however long the file is (issue 18 finding 13).
    """
    _require_finance(branch.id, by)
    parsed = bankfiles.parse_result(content, file_format)
    if parsed.errors:
        details = "; ".join(f"{e.line}: {e.text(str)}" for e in parsed.errors[:5])
        raise DomainError(
            "bad_result_file",
            _("Berkas hasil bank tidak dapat dibaca: %(details)s") % {"details": details},
            field="file",
        )
    digest = hashlib.sha256(content).hexdigest()
    if BankResultImport.objects.filter(branch=branch, file_sha256=digest).exists():
        raise _already_imported()
    result = BankResultImport(
        branch=branch,
        file_name=file_name[:200],
        file_sha256=digest,
        format=file_format,
        imported_by=by,
        line_count=len(parsed.lines),
        status=ImportStatus.QUEUED,
        heartbeat_at=timezone.now(),
    )
    result.file.save("hasil", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            result.save()
            transaction.on_commit(lambda: apply_result_task.enqueue(result.pk))
    except IntegrityError:  # the same file, uploaded twice at once: the other request stored it
        result.file.delete(save=False)
        raise _already_imported()
    return result


def _already_imported() -> DomainError:
    return DomainError(
        "file_already_imported", _("Berkas ini sudah pernah diimpor."), field="file", status=409
    )


@task()
def apply_result_task(import_id: int) -> None:
    run_result_import(import_id)


def run_result_import(import_id: int) -> BankResultImport:
    """Apply the lines not applied yet, each in its own short transaction; safe to run again or twice at
    once (a rerun after a crash continues where the last committed line left off)."""
    result = BankResultImport.objects.select_related("branch", "imported_by").get(pk=import_id)
    if result.status == ImportStatus.DONE:
        return result
    move_result_import(result, ImportStatus.APPLYING, heartbeat_at=timezone.now())
    with result.file.open("rb") as stream:
        lines = bankfiles.parse_result(stream.read(), result.format).lines
    first_line_of: dict[str, int] = {}
    for index, line in enumerate(lines):
        first_line_of.setdefault(line.reference, index)
    index = BankResultImport.objects.get(pk=result.pk).lines_done
    while index < len(lines) and _apply_one(result, lines[index], index, first_line_of):
        index += 1
    if index >= len(lines):
        _finish(result)
    result.refresh_from_db()
    return result


def _apply_one(
    result: BankResultImport, line: bankfiles.ResultLine, index: int, first_line_of: dict[str, int]
) -> bool:
    """Line ``index`` in one transaction that also moves ``lines_done`` from index to index + 1.

    The guarded UPDATE comes first: a second worker on the same import waits for this one's row lock,
    then finds ``lines_done`` moved on and stops (False) — a line is never applied twice. The payment
    is locked only while its own line is applied.
    """
    by = result.imported_by
    with transaction.atomic():
        taken = BankResultImport.objects.filter(
            pk=result.pk, status=ImportStatus.APPLYING, lines_done=index
        ).update(lines_done=index + 1, heartbeat_at=timezone.now())
        if not taken:
            return False
        payment = (
            Payment.objects.select_for_update(of=("self",))  # the payment only, not its batch's row
            .select_related("batch")
            .filter(batch__branch_id=result.branch_id, reference=line.reference)
            .first()
        )
        kind, detail = _judge(line, payment, duplicate=first_line_of[line.reference] < index)
        if kind is None and payment is not None:
            try:
                with transaction.atomic():
                    _apply(line, payment, by)
            except DomainError as error:
                kind, detail = IssueKind.CONFLICT, str(error.message)
            else:
                counter = "paid_count" if line.outcome == "paid" else "failed_count"
                BankResultImport.objects.filter(pk=result.pk).update(**{counter: F(counter) + 1})
                return True
        assert kind is not None
        _flag(result, line, payment, kind, detail, by)
    return True


def _flag(result: BankResultImport, line: bankfiles.ResultLine, payment, kind: str, detail: str, by) -> None:
    ResultIssue.objects.create(
        result_import=result,
        payment=payment,
        line=line.line,
        reference=line.reference[:40],
        kind=kind,
        outcome=line.outcome,
        amount=line.amount,
        expected_amount=payment.net if payment else None,
        detail=(detail or line.reason)[:255],
    )
    BankResultImport.objects.filter(pk=result.pk).update(flagged_count=F("flagged_count") + 1)
    if payment is not None:
        PaymentEvent.objects.create(
            batch_id=payment.batch_id,
            payment=payment,
            actor=by,
            action=PaymentAction.RESULT_FLAGGED,
            data={"kind": kind, "line": line.line, "import": result.pk},
        )


def _finish(result: BankResultImport) -> None:
    with transaction.atomic():
        now = timezone.now()
        if move_result_import(
            result, ImportStatus.DONE, finished_at=now, heartbeat_at=now
        ):  # of two runs reaching the end, one closes the batches
            _close_finished_batches(result.branch, result.imported_by)


def resume_stalled_imports(*, now: dt.datetime | None = None) -> list[int]:
    """Queue again every import whose worker stopped renewing its lease (the worker's sweep calls this).

    The takeover is a guarded UPDATE on the heartbeat that was read, so of two sweeping workers one
    queues it. An import queued while no worker ran is queued a second time by the first sweep; the
    second run finds it done (or, beside the first, finds each line taken) and does nothing.
    """
    now = now or timezone.now()
    stalled = BankResultImport.objects.filter(
        status__in=[ImportStatus.QUEUED, ImportStatus.APPLYING], heartbeat_at__lt=now - RESULT_STALE_AFTER
    )
    resumed = []
    for result in stalled:
        taken = BankResultImport.objects.filter(pk=result.pk, heartbeat_at=result.heartbeat_at)
        if taken.update(heartbeat_at=now):
            transaction.on_commit(partial(apply_result_task.enqueue, result.pk))
            resumed.append(result.pk)
    return resumed


def _judge(line: bankfiles.ResultLine, payment: Payment | None, *, duplicate: bool) -> tuple[str | None, str]:
    """Why a line must not be applied, or (None, "") when it may be."""
    if duplicate:
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
    move_batches(list(finished), "reconcile", by=by)
