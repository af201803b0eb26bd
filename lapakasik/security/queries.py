"""Reads of the download record, knowing who asks."""

from __future__ import annotations

from django.db.models import QuerySet

from lapakasik.accounts.models import Role

from .models import DownloadRecord


def downloads_visible_to(user) -> QuerySet[DownloadRecord]:
    """Branch heads see their branch's downloads; administrators see all; nobody else sees any."""
    records = DownloadRecord.objects.select_related("actor", "branch")
    if user.is_admin_role:
        return records
    if user.role == Role.BRANCH_HEAD and user.branch_id:
        return records.filter(branch_id=user.branch_id)
    return records.none()
