"""The collective (kolektif) channel: an employer's mandate, its mass-termination lists and their rows."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lapakasik.lib.lifecycle import AuditEvent

from .parse import Issue


def _private_path(folder: str, filename: str) -> str:
    # Never the user's filename: a random name, so nothing can be guessed or traverse a path.
    extension = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"kolektif/{folder}/{secrets.token_hex(16)}{extension[:6]}"


def _poa_path(instance, filename: str) -> str:
    return _private_path("kuasa", filename)


def _list_path(instance, filename: str) -> str:
    return _private_path("daftar", filename)


class MandateStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu persetujuan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    REVOKED = "revoked", _("Dicabut")


class Mandate(models.Model):
    """The employer's power of attorney to one representative, approved by the employer's branch."""

    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="mandates")
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mandates"
    )
    status = models.CharField(max_length=10, choices=MandateStatus.choices, default=MandateStatus.PENDING)
    power_of_attorney = models.FileField(_("surat kuasa"), upload_to=_poa_path, max_length=200)
    poa_sha256 = models.CharField(max_length=64)
    poa_content_type = models.CharField(max_length=40)
    statement_accepted_at = models.DateTimeField(_("pernyataan tidak menyalahgunakan disetujui"))
    valid_from = models.DateField(_("berlaku mulai"))
    valid_until = models.DateField(_("berlaku sampai"))
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="mandate_period_ordered", condition=models.Q(valid_until__gte=models.F("valid_from"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} → {self.representative_id} ({self.status})"

    def is_active_on(self, day: dt.date) -> bool:
        return self.status == MandateStatus.APPROVED and self.valid_from <= day <= self.valid_until


class ListStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima, sedang diperiksa")
    VALIDATED = "validated", _("Sudah diperiksa")
    DUPLICATE = "duplicate", _("Sama dengan daftar sebelumnya")
    REJECTED = "rejected", _("Berkas tidak dapat dibaca")
    SUBMITTING = "submitting", _("Sedang dibuat klaimnya")
    SUBMITTED = "submitted", _("Sudah diajukan")  # not "claims made": every row may have been refused


class MassList(models.Model):
    """One uploaded mass-termination list (with its documents ZIP) and its import's progress."""

    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="mass_lists")
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="lists")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=120)  # shown to people, never used as a path
    list_file = models.FileField(upload_to=_list_path, max_length=200)
    documents_file = models.FileField(upload_to=_list_path, max_length=200, blank=True)
    # The bytes as uploaded (a second upload of the very same files returns this list), and the
    # content after normalisation (the same workers written differently are still the same list).
    file_sha256 = models.CharField(max_length=64)
    content_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=12, choices=ListStatus.choices, default=ListStatus.RECEIVED)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_error = models.JSONField(default=list, blank=True)  # [msgid, params] when the file is unreadable
    notices = models.JSONField(default=list, blank=True)  # list-level Issues (extra columns, stray files)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    flagged_rows = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)  # progress of the current stage
    rows_to_do = models.PositiveIntegerField(default=0)
    claims_created = models.PositiveIntegerField(default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # a stale heartbeat means a crashed worker

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "file_sha256"], name="list_file_once_per_employer")
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def percent_done(self) -> int:
        if self.status in (ListStatus.VALIDATED, ListStatus.SUBMITTED, ListStatus.DUPLICATE):
            return 100
        return int(100 * self.rows_done / self.rows_to_do) if self.rows_to_do else 0

    @property
    def is_working(self) -> bool:
        return self.status in (ListStatus.RECEIVED, ListStatus.SUBMITTING)

    def notice_issues(self) -> list[Issue]:
        return [Issue.from_json(raw) for raw in self.notices]


class RowStatus(models.TextChoices):
    VALID = "valid", _("Siap diajukan")
    INVALID = "invalid", _("Ada kesalahan")
    CLAIMED = "claimed", _("Klaim dibuat")


class ListRow(models.Model):
    """One worker in a list: the cells as typed, the values read from them, and what is wrong."""

    mass_list = models.ForeignKey(MassList, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    cells = models.JSONField(default=dict)
    nik = models.CharField(max_length=16, blank=True)
    kpj = models.CharField(max_length=11, blank=True)
    full_name = models.CharField(max_length=150, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    termination_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=20, blank=True)
    program = models.CharField(max_length=3, default="JHT")  # JHT, or JKP for a worker laid off (PHK)
    bank = models.CharField(max_length=20, blank=True)
    account_number = models.CharField(max_length=30, blank=True)
    holder_name = models.CharField(max_length=150, blank=True)
    documents = models.JSONField(
        default=list, blank=True
    )  # checked files: name, kind, stored file, sha256, …
    participant = models.ForeignKey("registry.Participant", null=True, blank=True, on_delete=models.PROTECT)
    area = models.ForeignKey("registry.ServiceArea", null=True, blank=True, on_delete=models.PROTECT)
    errors = models.JSONField(default=list, blank=True)  # [[column, msgid, params], …]
    warnings = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=8, choices=RowStatus.choices, default=RowStatus.INVALID)
    # The claim this row became: Claim.import_key, unique, so a resumed import cannot create it twice.
    claim_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["line"]
        constraints = [models.UniqueConstraint(fields=["mass_list", "line"], name="list_row_line_unique")]
        indexes = [models.Index(fields=["mass_list", "status", "line"], name="list_row_status_idx")]

    def __str__(self) -> str:
        return f"{self.mass_list_id}:{self.line}"

    def error_issues(self) -> list[Issue]:
        return [Issue.from_json(raw) for raw in self.errors]

    def warning_issues(self) -> list[Issue]:
        return [Issue.from_json(raw) for raw in self.warnings]


class CollectiveEvent(AuditEvent):
    """The audit trail of mandates and lists: who did what, when (claims have their own ClaimEvent).

    The shape is lib/lifecycle's AuditEvent; actions are collective.lifecycle.CollectiveAction.
    """

    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="+")
    mandate = models.ForeignKey(
        Mandate, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    mass_list = models.ForeignKey(
        MassList, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(AuditEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
