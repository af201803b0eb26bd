"""Builders of the privacy tests: a claim of the participant persona with real stored scans."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

import pytest
from django.core.files.base import ContentFile

from lapakasik.claims.models import Claim, ClaimDocument, ClaimEvent, Status
from lapakasik.registry.models import ServiceArea

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def claim_with_documents(participant, *, by, status=Status.PAID, closed_at=None, documents=2) -> Claim:
    """A claim in ``status`` whose last event is at ``closed_at``, with ``documents`` stored scans."""
    area = ServiceArea.objects.filter(branch__code="madiun").first()
    extra = {"paid_on": dt.date(2020, 3, 2), "amount_paid": 1_000_000} if status == Status.PAID else {}
    claim = Claim.objects.create(
        participant=participant, program="JHT", reason="resign", channel="online", status=status,
        claimant=by, branch=area.branch, area=area, **extra,
    )  # fmt: skip
    for i in range(documents):
        content = f"scan {next(_serial)}".encode()
        document = ClaimDocument(
            claim=claim, kind="ktp" if i == 0 else f"doc{i}", original_name=f"scan{i}.jpg",
            sha256=hashlib.sha256(content).hexdigest(), size=len(content), content_type="image/jpeg",
            uploaded_by=by,
        )  # fmt: skip
        document.file.save("scan.jpg", ContentFile(content), save=False)
        document.save()
    if closed_at is not None:
        ClaimEvent.objects.create(claim=claim, action="started", at=closed_at, to_status=status)
    return claim
