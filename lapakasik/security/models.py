"""The record of who took personal data out of the system: every export and document download."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DownloadKind(models.TextChoices):
    CLAIMS_EXPORT = "claims_export", _("Ekspor klaim dibayar")
    REPORT_EXPORT = "report_export", _("Ekspor laporan")
    CLAIM_DOCUMENT = "claim_document", _("Dokumen klaim")
    POWER_OF_ATTORNEY = "power_of_attorney", _("Surat kuasa")
    TRANSFER_FILE = "transfer_file", _("Berkas transfer bank")
    RECONCILIATION = "reconciliation", _("Ekspor rekonsiliasi")
    TAX_SLIP = "tax_slip", _("Bukti potong pajak")
    COLLECTIVE_REPORT = "collective_report", _("Laporan daftar kolektif")
    PRIVACY_EXPORT = "privacy_export", _("Salinan data pribadi (UU PDP)")
    COMPLAINT_ATTACHMENT = "complaint_attachment", _("Lampiran pengaduan")


class DownloadRecord(models.Model):
    """One download: who, what (kind + subject: a claim number, a batch, a period), when, from which branch.

    ``identifiers`` says whether full NIK/KPJ left in it, so the branch head can see who took them.
    """

    # None: the command line (`privacy export` run by an operator on the server, without --by).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=DownloadKind.choices)
    subject = models.CharField(max_length=200)
    branch = models.ForeignKey(
        "registry.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_format = models.CharField(max_length=10, blank=True)
    identifiers = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["branch", "-at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"
