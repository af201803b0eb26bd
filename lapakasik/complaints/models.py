"""Complaints (pengaduan) and objections (keberatan) about a claim, a payment or the service (UU 24/2011 ps. 48).

Statuses move only through complaints/lifecycle.py's one writer, which writes a ``ComplaintEvent`` (the one
audit shape of lib/lifecycle.py) in the same transaction and tells the person who filed on commit. Each
category's resolution time is a dated parameter (rules/params/complaints.yaml), counted in working days.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapakasik.lib.codes import random_code
from lapakasik.lib.lifecycle import AuditEvent


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Pengaduan")
    OBJECTION = "objection", _("Keberatan atas keputusan")


class Category(models.TextChoices):
    """What the complaint is about; each has its own resolution time (rules/params/complaints.yaml)."""

    CLAIM_DELAY = "claim_delay", _("Klaim lambat diproses")
    CLAIM_DECISION = "claim_decision", _("Keputusan klaim")
    PAYMENT = "payment", _("Pembayaran atau pajak")
    DOCUMENTS = "documents", _("Dokumen dan persyaratan")
    SERVICE = "service", _("Pelayanan petugas atau kanal")
    PERSONAL_DATA = "personal_data", _("Data pribadi")
    OTHER = "other", _("Lainnya")


class Subject(models.TextChoices):
    CLAIM = "claim", _("Klaim")
    PAYMENT = "payment", _("Pembayaran")
    SERVICE = "service", _("Layanan")


class ComplaintStatus(models.TextChoices):
    FILED = "filed", _("Diterima")
    TRIAGED = "triaged", _("Sedang ditangani")
    ANSWERED = "answered", _("Dijawab")
    WITH_SUPERVISOR = "with_supervisor", _("Diperiksa supervisor")
    DECIDED = "decided", _("Diputuskan")
    CLOSED = "closed", _("Ditutup")


# Not yet answered or decided: the resolution clock still runs (the queue's "overdue" counts these).
WAITING_STATUSES: tuple[str, ...] = (
    ComplaintStatus.FILED,
    ComplaintStatus.TRIAGED,
    ComplaintStatus.WITH_SUPERVISOR,
)


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("Keberatan diterima")
    REJECTED = "rejected", _("Keberatan ditolak")


class ComplaintAction(models.TextChoices):
    """Every action the complaints app records, named once (a status move's action is the move's name)."""

    FILED = "filed", _("Pengaduan diajukan")
    TRIAGED = "triaged", _("Diterima petugas untuk ditangani")
    ANSWERED = "answered", _("Dijawab")
    ESCALATED = "escalated", _("Diteruskan ke supervisor")
    UPHELD = "objection_upheld", _("Keberatan diterima")
    REJECTED = "objection_rejected", _("Keberatan ditolak")
    CLOSED = "closed", _("Ditutup")
    ATTACHMENT_ADDED = "attachment_added", _("Lampiran diunggah")


def new_complaint_number() -> str:
    """ "ADU-" + 8 unambiguous symbols (40 random bits): read over the phone to the call centre, not guessable."""
    return "ADU-" + random_code(8)


class Complaint(models.Model):
    number = models.CharField(max_length=20, unique=True, default=new_complaint_number)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("tentang"), max_length=10, choices=Subject.choices)
    claim = models.ForeignKey(
        "claims.Claim", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    payment = models.ForeignKey(
        "payments.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints"
    )
    participant = models.ForeignKey(
        "registry.Participant", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    # The branch that answers: the claim's (or the payment's claim's) branch, or the branch whose service it is.
    branch = models.ForeignKey("registry.Branch", on_delete=models.PROTECT, related_name="complaints")
    text = models.TextField(_("isi pengaduan"))
    status = models.CharField(max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.FILED)
    filed_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolution_days = models.PositiveSmallIntegerField()  # the category's parameter on the filing day
    due_on = models.DateField(_("batas waktu"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An objection: who took the decision objected to (from the claim's events); never its reviewer.
    decision_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("jawaban"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.TextField(_("alasan penutupan"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        indexes = [
            models.Index(fields=["branch", "status", "due_on"], name="complaint_queue_idx"),
            models.Index(fields=["filed_by", "filed_at"], name="complaint_filer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="complaint_subject_matches",
                condition=(
                    models.Q(subject="claim") & models.Q(claim__isnull=False) & models.Q(payment__isnull=True)
                )
                | (models.Q(subject="payment") & models.Q(payment__isnull=False))
                | (
                    models.Q(subject="service")
                    & models.Q(claim__isnull=True)
                    & models.Q(payment__isnull=True)
                ),
            ),
            models.CheckConstraint(
                name="objection_is_about_a_decision",
                condition=~models.Q(kind="objection") | ~models.Q(subject="service"),
            ),
        ]

    def __str__(self) -> str:
        return self.number


def _attachment_path(instance: ComplaintAttachment, filename: str) -> str:
    # Never the user's filename: a random name under the complaint's branch (no path traversal, no guessing).
    return (
        f"complaints/{instance.complaint.branch_id}/{secrets.token_hex(16)}{filename[filename.rfind('.') :]}"
    )


class ComplaintAttachment(models.Model):
    """One file sent with a complaint, through the same checks as claim scans (claims/uploads.py)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(max_length=120, blank=True)  # shown to people, never used as a path
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.original_name}"


class ComplaintEvent(AuditEvent):
    """The audit trail of a complaint: every step, who took it, and the note shown to the person."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40, choices=ComplaintAction.choices)

    class Meta(AuditEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action} {self.from_status}→{self.to_status}"
