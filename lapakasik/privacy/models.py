"""Personal-data rights (UU 27/2022 "PDP"): consents, requests of the data subject, the breach register.

Each change is written by privacy/actions.py with a ``PrivacyEvent`` in the same transaction (the one audit
shape of lib/lifecycle.py); statuses move through privacy/lifecycle.py's tables.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapakasik.lib.lifecycle import AuditEvent

# UU PDP ps. 46(1): the subjects and the authority are told of a breach within 3 × 24 hours.
BREACH_NOTICE_HOURS = 72


class Purpose(models.TextChoices):
    """What a participant consents to: processing with consent as its only lawful basis."""

    WHATSAPP = "whatsapp", _("Pesan WhatsApp")
    SMS = "sms", _("Pesan SMS")
    VIDEO_RECORDING = "video_recording", _("Perekaman panggilan video")
    FACE_CHECK = "face_check", _("Pencocokan wajah (biometrik)")


class ConsentMethod(models.TextChoices):
    """How a consent was given or withdrawn: what an auditor asks for first."""

    PORTAL = "portal", _("Portal (akun peserta)")
    COUNTER = "counter", _("Di loket, dicatat petugas")
    PAPER = "paper", _("Formulir kertas bertanda tangan")
    VIDEO_CALL = "video_call", _("Lisan dalam panggilan video")
    REQUEST = "request", _("Permintaan penghapusan data")


class Consent(models.Model):
    """One consent, from its giving to its withdrawal. Giving again makes a new row: the history stays."""

    participant = models.ForeignKey("registry.Participant", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("untuk"), max_length=20, choices=Purpose.choices)
    given_at = models.DateTimeField(_("diberikan"), default=timezone.now)
    given_how = models.CharField(_("cara memberi"), max_length=12, choices=ConsentMethod.choices)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("ditarik"), null=True, blank=True)
    withdrawn_how = models.CharField(
        _("cara menarik"), max_length=12, choices=ConsentMethod.choices, blank=True
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["participant", "purpose", "-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_live_consent_per_purpose",
            ),
            models.CheckConstraint(
                name="consent_withdrawn_after_given",
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.purpose}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class RequestKind(models.TextChoices):
    DELETION = "deletion", _("Penghapusan data")
    CORRECTION = "correction", _("Perbaikan data")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Menunggu petugas")
    CHECKED = "checked", _("Diperiksa, menunggu persetujuan kedua")
    HONOURED = "honoured", _("Dipenuhi")
    PARTLY_HONOURED = "partly_honoured", _("Dipenuhi sebagian")
    REFUSED = "refused", _("Ditolak")
    CORRECTED = "corrected", _("Diperbaiki")
    REJECTED = "rejected", _("Tidak diperbaiki")


class DataRequest(models.Model):
    """A data subject's request: deletion (decided at once by the retention rules) or correction (staff)."""

    participant = models.ForeignKey("registry.Participant", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=RequestKind.choices)
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    text = models.TextField(_("isi permintaan"), blank=True)
    # The decision per category of data: [{"category", "outcome": "deleted"|"kept", "reason"}] (privacy/erasure.py).
    outcome = models.JSONField(default=list, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Correction, first pair of eyes: who checked it and what must change; the second person confirms.
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    check_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["kind", "status"], name="data_request_queue_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.participant_id} {self.status}"


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    CLOSED = "closed", _("Ditutup")


class Incident(models.Model):
    """A personal-data breach. Recording it starts the 3 × 24-hour clock of UU PDP ps. 46."""

    branch = models.ForeignKey(
        "registry.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("judul"), max_length=150)
    description = models.TextField(_("uraian"))
    aware_at = models.DateTimeField(_("diketahui sejak"), default=timezone.now)
    affected_count = models.PositiveIntegerField(_("jumlah orang terdampak"))
    data_categories = models.CharField(_("jenis data"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    authority_notified_at = models.DateTimeField(null=True, blank=True)
    subjects_notified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-aware_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def notify_by(self) -> dt.datetime:
        return self.aware_at + dt.timedelta(hours=BREACH_NOTICE_HOURS)

    @property
    def notified(self) -> bool:
        return self.authority_notified_at is not None and self.subjects_notified_at is not None


class PrivacyAction(models.TextChoices):
    """Every action the privacy app records, named once."""

    CONSENT_GIVEN = "consent_given", _("Persetujuan diberikan")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Persetujuan ditarik")
    DATA_EXPORTED = "data_exported", _("Salinan data dibuat")
    DELETION_REQUESTED = "deletion_requested", _("Penghapusan data diminta")
    DELETION_DECIDED = "deletion_decided", _("Permintaan penghapusan diputuskan")
    CORRECTION_REQUESTED = "correction_requested", _("Perbaikan data diminta")
    CORRECTION_CHECKED = "correction_checked", _("Perbaikan data diperiksa")
    CORRECTION_CORRECTED = "corrected", _("Data diperbaiki")
    CORRECTION_REJECTED = "correction_rejected", _("Perbaikan data tidak dilakukan")
    DOCUMENTS_PURGED = "documents_purged", _("Dokumen dimusnahkan (masa simpan habis)")
    INCIDENT_RECORDED = "incident_recorded", _("Insiden dicatat")
    AUTHORITY_NOTIFIED = "authority_notified", _("Lembaga PDP diberi tahu")
    SUBJECTS_NOTIFIED = "subjects_notified", _("Orang terdampak diberi tahu")
    INCIDENT_CLOSED = "incident_closed", _("Insiden ditutup")


class PrivacyEvent(AuditEvent):
    """The audit trail of personal-data rights. Nothing here holds a document's content or a full NIK."""

    action = models.CharField(max_length=40, choices=PrivacyAction.choices)
    participant = models.ForeignKey(
        "registry.Participant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    claim = models.ForeignKey(
        "claims.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    request = models.ForeignKey(
        DataRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(AuditEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.action} {self.participant_id or self.incident_id or ''}"
