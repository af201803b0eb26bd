"""Builders of the complaints tests: a claim of the persona with a decision taken by a named officer."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from lapakasik.accounts.models import Role, User
from lapakasik.claims.models import Claim, ClaimAction, ClaimEvent, Status
from lapakasik.registry.models import ServiceArea


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def claim_of(user, *, status=Status.SUBMITTED, decided_by=None, branch="madiun") -> Claim:
    """A claim of ``user``'s participant at ``branch``; ``decided_by`` approved (or rejected) it."""
    area = ServiceArea.objects.filter(branch__code=branch).first()
    claim = Claim.objects.create(
        participant=user.participant, program="JHT", reason="resign", channel="online", status=status,
        claimant=user, branch=area.branch, area=area,
    )  # fmt: skip
    if decided_by is not None:
        action = ClaimAction.REJECTED if status == Status.REJECTED else ClaimAction.APPROVED
        ClaimEvent.objects.create(claim=claim, action=action, actor=decided_by, to_status=status)
    return claim


def pdf_upload(name: str = "bukti.pdf") -> SimpleUploadedFile:
    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def html_pretending_to_be_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "bukti.pdf", b"<!doctype html><html><body><script>alert(1)</script></body></html>",
        content_type="application/pdf",
    )  # fmt: skip


@pytest.fixture
def second_supervisor(madiun):
    return User.objects.create(username="supervisor2", role=Role.SUPERVISOR, branch=madiun, email="s2@x.id")


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT / "complaints"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
