"""`privacy purge-documents`: scans of closed claims past retention go; nothing still needed is touched."""

from __future__ import annotations

import datetime as dt
import io
import os

from django.core.management import call_command
from django.utils import timezone

from lapakasik.claims.models import ClaimDocument, ClaimEvent, Status
from lapakasik.privacy.models import PrivacyAction, PrivacyEvent
from lapakasik.privacy.retention import purge_documents

from .conftest import claim_with_documents


def _world(participant, settings):
    settings.PRIVACY_DOCUMENT_RETENTION_DAYS = 365
    old, recent = timezone.now() - dt.timedelta(days=400), timezone.now() - dt.timedelta(days=30)
    person = participant.participant
    return {
        "old_paid": claim_with_documents(person, by=participant, status=Status.PAID, closed_at=old),
        "old_rejected": claim_with_documents(person, by=participant, status=Status.REJECTED, closed_at=old),
        "recent_paid": claim_with_documents(person, by=participant, status=Status.PAID, closed_at=recent),
        "old_open": claim_with_documents(person, by=participant, status=Status.VERIFIED, closed_at=old),
    }


def test_a_dry_run_reports_and_removes_nothing(participant, settings):
    claims = _world(participant, settings)
    out = io.StringIO()
    call_command("privacy", "purge-documents", "--dry-run", stdout=out)
    text = out.getvalue()
    assert claims["old_paid"].number in text and claims["old_rejected"].number in text
    assert claims["recent_paid"].number not in text and claims["old_open"].number not in text
    assert ClaimDocument.objects.filter(claim__in=claims.values()).count() == 8
    assert not PrivacyEvent.objects.filter(action=PrivacyAction.DOCUMENTS_PURGED).exists()


def test_the_purge_removes_old_closed_claims_scans_and_leaves_the_rest(
    participant, settings, django_capture_on_commit_callbacks
):
    claims = _world(participant, settings)
    paths = [d.file.path for d in claims["old_paid"].documents.all()]
    with django_capture_on_commit_callbacks(execute=True):
        report = purge_documents()
    assert sorted(c.number for c in report.claims) == sorted(
        [claims["old_paid"].number, claims["old_rejected"].number]
    )
    assert report.documents == 4
    assert not ClaimDocument.objects.filter(claim__in=[claims["old_paid"], claims["old_rejected"]]).exists()
    assert ClaimDocument.objects.filter(claim=claims["recent_paid"]).count() == 2
    assert ClaimDocument.objects.filter(claim=claims["old_open"]).count() == 2
    assert not any(os.path.exists(p) for p in paths)
    removed = ClaimEvent.objects.get(claim=claims["old_paid"], action="document_removed")
    assert removed.data["retention"] and len(removed.data["documents"]) == 2
    run = PrivacyEvent.objects.get(action=PrivacyAction.DOCUMENTS_PURGED)
    assert run.data["documents"] == 4 and claims["old_paid"].number in run.data["claims"]
    assert purge_documents().documents == 0  # a second run finds nothing


def test_a_payment_under_way_keeps_the_scans(participant, settings, finance):
    from lapakasik.payments.models import Payment, PaymentBatch

    claims = _world(participant, settings)
    batch = PaymentBatch.objects.create(
        number="T-1",
        branch=claims["old_paid"].branch,
        bank_code="BRI",
        value_date=dt.date.today(),
        prepared_by=finance,
    )
    Payment.objects.create(
        claim=claims["old_paid"], batch=batch, bank_code="BRI", account_number="1", holder_name="Sri",
        gross=10, tax=0, net=10, prepared_by=finance, status="sent",
    )  # fmt: skip
    report = purge_documents()
    assert claims["old_paid"].number not in [c.number for c in report.claims]
