"""Writes of the security app: the download record (ASVS V7/V8: who took personal data, and when)."""

from __future__ import annotations

from lapakasik.accounts.models import Role

from .models import DownloadRecord

# Who needs a participant's full NIK and KPJ in a bulk export: finance matches payments against the bank's
# records by them. Everyone else gets them masked (reports count claims; they do not identify people).
IDENTIFIER_ROLES = frozenset({Role.FINANCE, Role.ADMIN})


def sees_identifiers(user) -> bool:
    return user.role in IDENTIFIER_ROLES or user.is_superuser


def record_download(
    user, kind: str, subject: str, *, branch=None, file_format: str = "", identifiers: bool = False
):
    """Called by every view that hands out an export or a document, before the bytes leave."""
    return DownloadRecord.objects.create(
        actor=user,
        kind=kind,
        subject=subject[:200],
        branch=branch,
        file_format=file_format[:10],
        identifiers=identifiers,
    )
