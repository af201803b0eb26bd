"""Filing a complaint: who may, about what, the due date in working days, and bad input refused whole."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from lapakasik.claims.models import Status
from lapakasik.complaints import actions
from lapakasik.complaints.models import Complaint, ComplaintAction, ComplaintAttachment, ComplaintEvent
from lapakasik.lib.errors import DomainError

from .conftest import claim_of, html_pretending_to_be_pdf, pdf_upload, stored_files

TEXT = "Klaim saya sudah dua minggu belum ada kabar."


def file(by, **overrides):
    values = {"kind": "complaint", "category": "claim_delay", "subject": "claim", "text": TEXT}
    return actions.file_complaint(by=by, **{**values, **overrides})


def test_a_participant_files_about_their_claim_and_is_told(participant, django_capture_on_commit_callbacks):
    claim = claim_of(participant)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file(participant, claim=claim, uploads=[pdf_upload()])
    assert complaint.number.startswith("ADU-") and complaint.status == "filed"
    assert complaint.branch == claim.branch and complaint.participant == participant.participant
    assert [e.action for e in complaint.events.all()] == [
        ComplaintAction.FILED,
        ComplaintAction.ATTACHMENT_ADDED,
    ]
    attachment = complaint.attachments.get()
    assert attachment.content_type == "application/pdf" and attachment.file.read().startswith(b"%PDF-")
    assert len(mail.outbox) == 1 and complaint.number in mail.outbox[0].subject
    assert mail.outbox[0].to == [participant.email]


# claim_delay allows 3 working days, claim_decision 10 (rules/params/complaints.yaml).
@pytest.mark.parametrize(
    ("filed", "category", "due"),
    [
        ("2026-12-04T03:00:00Z", "claim_delay", dt.date(2026, 12, 9)),  # Fri + 3 working days: Wed
        (
            "2026-12-21T03:00:00Z",
            "claim_delay",
            dt.date(2026, 12, 28),
        ),  # 24 Dec cuti bersama, 25 Dec Christmas
        ("2026-12-04T03:00:00Z", "claim_decision", dt.date(2026, 12, 18)),  # 10 working days
        ("2026-12-03T18:00:00Z", "claim_delay", dt.date(2026, 12, 9)),  # Thu in UTC, already Fri 01:00 WIB
    ],
)
def test_the_due_date_counts_working_days_at_the_branch(participant, filed, category, due):
    claim = claim_of(participant)
    with time_machine.travel(dt.datetime.fromisoformat(filed.replace("Z", "+00:00")), tick=False):
        complaint = file(participant, claim=claim, category=category)
    assert complaint.due_on == due
    assert complaint.resolution_days == {"claim_delay": 3, "claim_decision": 10}[category]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"text": "   "}, "text", "text_required"),
        ({"text": "jelek"}, "text", "text_too_short"),
        ({"text": "x" * 4001}, "text", "text_too_long"),
        ({"category": "cuaca"}, "category", "unknown_category"),
        ({"kind": "pujian"}, "kind", "unknown_kind"),
        ({"subject": "service"}, "branch", "branch_required"),
        ({"subject": "claim", "claim": None}, "about", "subject_not_found"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(participant, overrides, field, code):
    with pytest.raises(DomainError) as refused:
        file(participant, **{"claim": claim_of(participant), **overrides})
    assert (refused.value.field, refused.value.code) == (field, code)
    assert not Complaint.objects.filter(filed_by=participant).exists()


def test_an_html_file_pretending_to_be_a_pdf_is_refused_and_nothing_is_kept(participant, settings):
    claim = claim_of(participant)
    with pytest.raises(DomainError) as refused:
        file(participant, claim=claim, uploads=[pdf_upload(), html_pretending_to_be_pdf()])
    assert refused.value.field == "attachments" and refused.value.code == "file_type"
    assert not Complaint.objects.filter(filed_by=participant).exists()
    assert not ComplaintAttachment.objects.exists() and stored_files(settings) == []


def test_a_failed_write_removes_the_stored_files(participant, settings, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(ComplaintEvent.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        file(participant, claim=claim_of(participant), uploads=[pdf_upload()])
    assert stored_files(settings) == [] and not Complaint.objects.filter(filed_by=participant).exists()


def test_nobody_complains_about_someone_elses_claim(participant, heir):
    with pytest.raises(DomainError) as refused:
        file(heir, claim=claim_of(participant))
    assert refused.value.code == "subject_not_found"


def test_staff_do_not_file_in_the_persons_name(cso, participant):
    with pytest.raises(DomainError) as refused:
        file(cso, claim=claim_of(participant))
    assert refused.value.status == 403


def test_a_service_complaint_goes_to_the_branch_named(participant, madiun):
    complaint = file(participant, subject="service", category="service", branch=madiun)
    assert complaint.branch == madiun and complaint.claim is None


def test_an_employer_representative_files_about_the_service(employer_rep, madiun):
    complaint = file(employer_rep, subject="service", category="service", branch=madiun)
    assert complaint.participant is None and complaint.filed_by == employer_rep


def test_a_flood_of_open_complaints_is_refused(participant, madiun, monkeypatch):
    monkeypatch.setattr(actions, "MAX_WAITING_PER_PERSON", 2)
    for _ in range(2):
        file(participant, subject="service", category="service", branch=madiun)
    with pytest.raises(DomainError) as refused:
        file(participant, subject="service", category="service", branch=madiun)
    assert refused.value.code == "too_many_open" and refused.value.status == 429


def test_an_objection_needs_a_decided_claim(participant):
    with pytest.raises(DomainError) as refused:
        file(participant, kind="objection", category="claim_decision", claim=claim_of(participant))
    assert refused.value.code == "no_decision" and refused.value.field == "about"


def test_an_objection_remembers_who_decided(participant, supervisor):
    claim = claim_of(participant, status=Status.REJECTED, decided_by=supervisor)
    complaint = file(participant, kind="objection", category="claim_decision", claim=claim)
    assert complaint.decision_by == supervisor
