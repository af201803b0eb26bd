"""Payments: disbursement batches, payment lines, bank result imports and their audit trail.

The account a claim is paid to is intake's `claims.PayoutAccount`; a payment keeps a snapshot of it.

A claim is paid at most once: the database holds at most one live or paid payment per claim and
instalment (`one_live_payment_per_instalment`), and the claim's own move approved → paid is a guarded
UPDATE. A lump sum is instalment 1 of 1; JKP is paid in six monthly instalments (payments/instalments.py).
Batches and payments move only through payments/lifecycle.py.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapakasik.lib.codes import random_code
from lapakasik.lib.lifecycle import AuditEvent


class Bank(models.TextChoices):
    BRI = "BRI", "Bank Rakyat Indonesia (BRI)"
    MANDIRI = "MANDIRI", "Bank Mandiri"
    BNI = "BNI", "Bank Negara Indonesia (BNI)"
    BCA = "BCA", "Bank Central Asia (BCA)"
    BSI = "BSI", "Bank Syariah Indonesia (BSI)"
    BTN = "BTN", "Bank Tabungan Negara (BTN)"


# Bank Indonesia clearing codes (sandi bank), as they appear in transfer files.
BI_CODES: dict[str, str] = {
    Bank.BRI: "002",
    Bank.MANDIRI: "008",
    Bank.BNI: "009",
    Bank.BCA: "014",
    Bank.BTN: "200",
    Bank.BSI: "451",
}


def mask_account(number: str) -> str:
    """Only the last four digits leave the finance console (advice letters, events, logs)."""
    return "•" * max(len(number) - 4, 0) + number[-4:]


class BatchStatus(models.TextChoices):
    PREPARED = "prepared", _("Disiapkan")
    APPROVED = "approved", _("Disetujui")
    SENT = "sent", _("Dikirim ke bank")
    RECONCILED = "reconciled", _("Selesai direkonsiliasi")
    CANCELLED = "cancelled", _("Dibatalkan")


# The moves of a batch and of a payment, and their one writer each: payments/lifecycle.py.


class PaymentBatchQuerySet(models.QuerySet["PaymentBatch"]):
    def visible_to(self, user) -> PaymentBatchQuerySet:
        """Batches carry account numbers: finance and the branch head of the branch, and admins."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin_role:
            return self
        if user.role in PAYMENT_VIEWER_ROLES:
            return self.filter(branch_id=user.branch_id)
        return self.none()


PAYMENT_VIEWER_ROLES = frozenset({"finance", "branch_head"})


class PaymentBatch(models.Model):
    """The transfers of one branch to one bank for one value date (a day may have several batches)."""

    number = models.CharField(max_length=40, unique=True)
    branch = models.ForeignKey("registry.Branch", on_delete=models.PROTECT, related_name="payment_batches")
    bank_code = models.CharField(_("bank"), max_length=20)
    value_date = models.DateField(_("tanggal valuta"))
    sequence = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=BatchStatus.choices, default=BatchStatus.PREPARED)
    line_count = models.PositiveIntegerField(default=0)
    total_gross = models.BigIntegerField(default=0)
    total_tax = models.BigIntegerField(default=0)
    total_net = models.BigIntegerField(default=0)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)

    objects = PaymentBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-value_date", "bank_code", "-sequence"]
        indexes = [models.Index(fields=["branch", "value_date"], name="batch_branch_day_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "bank_code", "value_date", "sequence"], name="batch_sequence_unique"
            ),
            # New lines for a bank and day go into the one batch still being prepared.
            models.UniqueConstraint(
                fields=["branch", "bank_code", "value_date"],
                condition=models.Q(status="prepared"),
                name="one_open_batch_per_bank_and_day",
            ),
            # Maker-checker, held by the database too: nobody approves the batch they prepared.
            models.CheckConstraint(
                name="batch_checker_is_not_maker",
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("prepared_by")),
            ),
            models.CheckConstraint(
                name="batch_net_is_gross_minus_tax",
                condition=models.Q(total_net=models.F("total_gross") - models.F("total_tax")),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class PaymentStatus(models.TextChoices):
    PREPARED = "prepared", _("Disiapkan")
    APPROVED = "approved", _("Disetujui")
    SENT = "sent", _("Dikirim ke bank")
    PAID = "paid", _("Dibayar")
    FAILED = "failed", _("Gagal")
    CANCELLED = "cancelled", _("Dibatalkan")


# A claim may hold one payment per instalment in any of these: the "never paid twice" rule.
LIVE_STATUSES = (PaymentStatus.PREPARED, PaymentStatus.APPROVED, PaymentStatus.SENT, PaymentStatus.PAID)
# A payment in one of these has not had the bank's answer yet: a claim has at most one at a time.
UNDER_WAY_STATUSES = (PaymentStatus.PREPARED, PaymentStatus.APPROVED, PaymentStatus.SENT)


def new_reference() -> str:
    """ "LA" + 10 characters of an unambiguous alphabet: fits any bank's remark field, never sequential."""
    return "LA" + random_code(10)


class PaymentQuerySet(models.QuerySet["Payment"]):
    def visible_to(self, user) -> PaymentQuerySet:
        """Finance and the branch head see their branch's payments; a claimant sees their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin_role:
            return self
        if user.role in PAYMENT_VIEWER_ROLES:
            return self.filter(batch__branch_id=user.branch_id)
        if user.is_branch_staff:
            return self.none()
        return self.filter(claim__claimant=user)


class Payment(models.Model):
    """One transfer for one claim. Account fields are a snapshot of what was approved and sent."""

    reference = models.CharField(max_length=16, unique=True, default=new_reference)
    claim = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, related_name="payments")
    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="payments")
    bank_code = models.CharField(max_length=20)
    account_number = models.CharField(max_length=30)
    holder_name = models.CharField(max_length=150)
    gross = models.BigIntegerField(_("bruto"))
    tax = models.BigIntegerField(_("PPh 21"))
    net = models.BigIntegerField(_("netto"))
    tax_detail = models.JSONField(default=dict, blank=True)  # the rules' bracket lines and legal basis
    # Which of the claim's payments this is: 1 of 1 for a lump sum; 1..6 of 6 for JKP's monthly benefit,
    # each put into the first batch on or after the day it falls due (``due_on``).
    instalment = models.PositiveSmallIntegerField(_("pembayaran ke"), default=1)
    instalment_count = models.PositiveSmallIntegerField(_("dari"), default=1)
    due_on = models.DateField(_("jatuh tempo"), null=True, blank=True)
    status = models.CharField(max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.PREPARED)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    paid_on = models.DateField(_("tanggal dibayar (bank)"), null=True, blank=True)
    bank_reference = models.CharField(max_length=40, blank=True)
    failure_code = models.CharField(max_length=40, blank=True)
    failure_reason = models.CharField(max_length=255, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "id"]
        indexes = [models.Index(fields=["batch", "status"], name="payment_batch_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "instalment"],
                condition=models.Q(status__in=[s.value for s in LIVE_STATUSES]),
                name="one_live_payment_per_instalment",
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=models.Q(status__in=[s.value for s in UNDER_WAY_STATUSES]),
                name="one_payment_under_way_per_claim",
            ),
            models.CheckConstraint(
                name="instalment_within_count",
                condition=models.Q(instalment__gte=1, instalment__lte=models.F("instalment_count")),
            ),
            models.CheckConstraint(
                name="payment_net_is_gross_minus_tax",
                condition=models.Q(gross__gt=0, tax__gte=0, net=models.F("gross") - models.F("tax")),
            ),
            models.CheckConstraint(
                name="paid_payments_have_a_bank_date",
                condition=~models.Q(status="paid") | models.Q(paid_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def masked_number(self) -> str:
        return mask_account(self.account_number)

    @property
    def slip_number(self) -> str:
        """Bukti potong number: year of payment, branch, payment id — stable, one per payment."""
        year = self.paid_on.year if self.paid_on else 0
        return f"BP/{year}/{self.batch.branch.code.upper()}/{self.pk:07d}"


class PaymentEvent(AuditEvent):
    """The audit trail of payments and batches, written in the same transaction as the change.

    The shape is lib/lifecycle's AuditEvent; actions are payments.lifecycle.PaymentAction.
    """

    batch = models.ForeignKey(
        PaymentBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(AuditEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.payment_id} {self.action}"


class ResultFormat(models.TextChoices):
    CSV = "csv", _("CSV Lapak Asik")
    MT940 = "mt940", _("MT940 (rekening koran)")


# A worker renews an import's lease with every line; one silent for this long has died (kill -9, a
# reboot) or none runs: the worker's sweep queues the import again, and its page says so.
RESULT_STALE_AFTER = dt.timedelta(minutes=2)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu giliran")
    APPLYING = "applying", _("Sedang diterapkan")
    DONE = "done", _("Selesai")


def _result_path(instance: BankResultImport, filename: str) -> str:
    # A random name: nothing the bank or the officer chose reaches the file system.
    return f"pembayaran/hasil/{random_code(24)}"


class BankResultImport(models.Model):
    """One bank result file, imported once (its SHA-256 is unique per branch).

    The request stores the checked file and queues it; the worker applies it line by line
    (payments.actions.run_result_import). ``lines_done`` is both the progress and the resume point:
    a line is applied in the same transaction that moves it from n to n + 1, so no line is applied twice.
    ``heartbeat_at`` is the worker's lease.
    """

    branch = models.ForeignKey("registry.Branch", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=8, choices=ResultFormat.choices)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    line_count = models.PositiveIntegerField(default=0)
    paid_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    flagged_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    file = models.FileField(upload_to=_result_path, max_length=200, blank=True)
    lines_done = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "file_sha256"], name="result_file_imported_once")
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_working(self) -> bool:
        return self.status != ImportStatus.DONE

    @property
    def lease_expired(self) -> bool:
        """No worker renewed the lease for RESULT_STALE_AFTER: none runs, or the one that did died."""
        stale = self.heartbeat_at is not None and timezone.now() - self.heartbeat_at > RESULT_STALE_AFTER
        return self.is_working and stale

    @property
    def percent_done(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        return int(100 * self.lines_done / self.line_count) if self.line_count else 0


class IssueKind(models.TextChoices):
    UNKNOWN = "unknown", _("Referensi tidak dikenal")
    AMOUNT_MISMATCH = "amount_mismatch", _("Nominal tidak sama")
    DUPLICATE = "duplicate", _("Baris ganda")
    CONFLICT = "conflict", _("Bertentangan dengan hasil sebelumnya")
    NOT_SENT = "not_sent", _("Pembayaran belum dikirim")


class ResultIssue(models.Model):
    """A result line that was not applied: kept for a finance officer to resolve with the bank."""

    result_import = models.ForeignKey(BankResultImport, on_delete=models.CASCADE, related_name="issues")
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="issues"
    )
    line = models.PositiveIntegerField()
    reference = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=IssueKind.choices)
    outcome = models.CharField(max_length=10)
    amount = models.BigIntegerField(null=True, blank=True)
    expected_amount = models.BigIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["result_import", "line"]

    def __str__(self) -> str:
        return f"{self.result_import_id}:{self.line} {self.kind}"
