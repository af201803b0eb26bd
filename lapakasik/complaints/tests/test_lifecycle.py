"""A complaint's steps: triage, answer, close with a reason; each audited and told to the person."""

from __future__ import annotations

import pytest
from django.core import mail

from lapakasik.complaints import actions
from lapakasik.complaints.lifecycle import COMPLAINT
from lapakasik.complaints.models import WAITING_STATUSES, Complaint, ComplaintStatus
from lapakasik.lib.errors import DomainError

from .conftest import claim_of

S = ComplaintStatus


@pytest.fixture
def complaint(participant):
    return actions.file_complaint(
        by=participant, kind="complaint", category="claim_delay", subject="claim",
        claim=claim_of(participant), text="Sudah lama tidak ada kabar tentang klaim saya.",
    )  # fmt: skip


def test_triage_answer_close(complaint, cso, participant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.triage(complaint, by=cso, expect=S.FILED)
        actions.answer(complaint, by=cso, text="Klaim Anda sudah diverifikasi dan menunggu persetujuan.")
        actions.close(complaint, by=cso, reason="Terjawab")
    complaint.refresh_from_db()
    assert complaint.status == S.CLOSED and complaint.assigned_to == cso
    assert complaint.answer.startswith("Klaim Anda") and complaint.answered_by == cso
    assert complaint.close_reason == "Terjawab" and complaint.closed_at is not None
    trail = [(e.action, e.from_status, e.to_status, e.actor) for e in complaint.events.all()]
    assert trail == [
        ("filed", "", "filed", participant),
        ("triaged", "filed", "triaged", cso),
        ("answered", "triaged", "answered", cso),
        ("closed", "answered", "closed", cso),
    ]
    assert len(mail.outbox) == 3 and all(m.to == [participant.email] for m in mail.outbox)
    assert "Klaim Anda sudah diverifikasi" in mail.outbox[1].body


def test_closing_needs_a_reason(complaint, cso):
    with pytest.raises(DomainError) as refused:
        actions.close(complaint, by=cso, reason="  ")
    assert refused.value.field == "reason"
    assert Complaint.objects.get(pk=complaint.pk).status == S.FILED


def test_an_empty_answer_is_refused(complaint, cso):
    with pytest.raises(DomainError) as refused:
        actions.answer(complaint, by=cso, text="")
    assert refused.value.field == "answer"


def test_a_closed_complaint_does_not_move_again(complaint, cso):
    actions.close(complaint, by=cso, reason="Pengaduan ganda")
    with pytest.raises(DomainError) as refused:
        actions.triage(complaint, by=cso)
    assert refused.value.code == "transition_not_allowed"


def test_a_stale_page_loses(complaint, cso, supervisor):
    actions.triage(complaint, by=cso)
    with pytest.raises(DomainError) as refused:
        actions.close(complaint, by=supervisor, reason="Ganda", expect=S.FILED)
    assert refused.value.code == "transition_not_allowed"


def test_a_complaint_is_not_escalated_as_an_objection(complaint, cso):
    with pytest.raises(DomainError) as refused:
        actions.escalate(complaint, by=cso)
    assert refused.value.code == "wrong_kind"


def test_the_person_cannot_answer_their_own_complaint(complaint, participant):
    with pytest.raises(DomainError) as refused:
        actions.answer(complaint, by=participant, text="Sudah beres sendiri ya.")
    assert refused.value.status == 403


def test_waiting_statuses_are_those_before_an_answer():
    assert set(WAITING_STATUSES) < set(COMPLAINT.open_statuses())
    assert S.CLOSED not in COMPLAINT.open_statuses()
