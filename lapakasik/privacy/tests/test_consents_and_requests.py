"""Consents, deletion requests and correction requests, through the actions and the participant's page."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from lapakasik.claims.models import ClaimDocument, ClaimEvent, Status
from lapakasik.lib.errors import DomainError
from lapakasik.privacy import actions
from lapakasik.privacy.models import Consent, PrivacyAction, PrivacyEvent, RequestStatus

from .conftest import claim_with_documents


def test_giving_twice_keeps_one_consent_and_withdrawing_keeps_the_history(participant):
    person = participant.participant
    first = actions.give_consent(person, "sms", by=participant, how="portal")
    assert actions.give_consent(person, "sms", by=participant, how="portal") == first
    actions.withdraw_consent(person, "sms", by=participant, how="portal")
    actions.give_consent(person, "sms", by=participant, how="counter")
    rows = Consent.objects.filter(participant=person, purpose="sms").order_by("given_at", "pk")
    assert [(c.given_how, c.withdrawn_how) for c in rows] == [("portal", "portal"), ("counter", "")]
    assert actions.has_consent(person.pk, "sms")
    events = PrivacyEvent.objects.filter(participant=person).values_list("action", flat=True)
    assert list(events) == ["consent_given", "consent_withdrawn", "consent_given"]


def test_nobody_records_a_consent_for_someone_else(participant, heir):
    with pytest.raises(DomainError):
        actions.give_consent(participant.participant, "whatsapp", by=heir, how="portal")
    with pytest.raises(DomainError):
        actions.give_consent(participant.participant, "telepati", by=participant, how="portal")


def test_the_participant_gives_and_withdraws_consent_on_the_account_page(client, participant):
    client.force_login(participant)
    page = client.get(reverse("privacy_home"))
    assert page.status_code == 200 and "Pencocokan wajah" in page.text
    client.post(reverse("privacy_consent"), {"purpose": "face_check", "give": "1"})
    assert actions.has_consent(participant.participant_id, "face_check")
    assert "Tarik persetujuan" in client.get(reverse("privacy_home")).text
    client.post(reverse("privacy_consent"), {"purpose": "face_check", "give": "0"})
    assert not actions.has_consent(participant.participant_id, "face_check")


def test_deletion_keeps_claims_with_the_legal_reason_and_stops_consent_based_processing(
    participant, django_capture_on_commit_callbacks
):
    person = participant.participant
    paid = claim_with_documents(person, by=participant, status=Status.PAID)
    cancelled = claim_with_documents(person, by=participant, status=Status.CANCELLED)
    cancelled_files = [d.file.path for d in cancelled.documents.all()]
    actions.give_consent(person, "whatsapp", by=participant, how="portal")

    with django_capture_on_commit_callbacks(execute=True):
        request = actions.request_deletion(person, by=participant, text="hapus semua")

    assert request.status == RequestStatus.PARTLY_HONOURED
    kept = {line["category"]: line for line in request.outcome if line["outcome"] == "kept"}
    assert "UU 8/1997" in kept["claims"]["reason"] and "UU 24/2011" in kept["registry"]["reason"]
    assert not actions.has_consent(person.pk, "whatsapp")
    assert ClaimDocument.objects.filter(claim=paid).count() == 2  # a paid claim's scans stay
    assert not ClaimDocument.objects.filter(claim=cancelled).exists()
    assert ClaimEvent.objects.filter(claim=cancelled, action="document_removed").exists()
    assert not any(os.path.exists(path) for path in cancelled_files)
    assert PrivacyEvent.objects.filter(request=request, action=PrivacyAction.DELETION_DECIDED).exists()


def test_deletion_with_nothing_deletable_is_refused_with_reasons(client, participant):
    claim_with_documents(participant.participant, by=participant, status=Status.REJECTED)
    client.force_login(participant)
    response = client.post(reverse("privacy_delete"), {"hapus-text": ""}, follow=True)
    assert "Ditolak" in response.text and "UU 24/2011" in response.text


def test_a_correction_needs_two_people(participant, cso, supervisor):
    request = actions.request_correction(participant.participant, by=participant, text="Nama ibu salah eja")
    with pytest.raises(DomainError):
        actions.confirm_correction(request, by=supervisor)  # not checked yet
    actions.check_correction(request, by=supervisor, note="Sesuai KK: Siti Aminah")
    with pytest.raises(DomainError) as same:
        actions.confirm_correction(request, by=supervisor)
    assert same.value.code == "four_eyes"
    with pytest.raises(DomainError):
        actions.confirm_correction(request, by=cso)  # a CSO checks, a supervisor confirms
    request.refresh_from_db()
    done = actions.confirm_correction(request, by=_other_supervisor(supervisor))
    assert done.status == RequestStatus.CORRECTED


def _other_supervisor(supervisor):
    from lapakasik.accounts.models import User

    return User.objects.create_user("supervisor2", role="supervisor", branch=supervisor.branch)


def test_an_empty_correction_request_is_refused_on_the_page(client, participant):
    client.force_login(participant)
    response = client.post(reverse("privacy_correct"), {"perbaiki-text": "  "})
    assert response.status_code == 400
