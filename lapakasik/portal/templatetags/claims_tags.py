"""Labels for claim statuses, audit actions and document kinds (portal and console)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from lapakasik.claims.cases import document_label
from lapakasik.claims.models import Status

register = template.Library()

ACTIONS = {
    "started": _("Klaim dibuat"), "submitted": _("Diajukan"), "verification_started": _("Verifikasi dimulai"),
    "verified": _("Diverifikasi"), "returned": _("Dikembalikan untuk dokumen"), "rejected": _("Ditolak"),
    "approved": _("Disetujui"), "cancelled": _("Dibatalkan"), "document_added": _("Dokumen diunggah"),
    "document_removed": _("Dokumen dihapus"), "payout_account_saved": _("Rekening disimpan"), "paid": _("Dibayar"),
    "imported": _("Diimpor dari data lama"),
}  # fmt: skip


@register.filter
def status_label(code: str) -> str:
    try:
        return str(Status(code).label)
    except ValueError:
        return code


@register.filter
def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))


@register.filter
def document_kind_label(code: str) -> str:
    """'ektp' → 'e-KTP' in the reader's language (the rules' document labels)."""
    return document_label(code)
