"""An objection to a claim's decision goes to a supervisor who did not take it."""

from __future__ import annotations

import pytest

from lapakasik.claims.models import Status
from lapakasik.complaints import actions
from lapakasik.complaints.models import ComplaintStatus, Outcome
from lapakasik.lib.errors import DomainError

from .conftest import claim_of

S = ComplaintStatus


@pytest.fixture
def objection(participant, supervisor):
    claim = claim_of(participant, status=Status.REJECTED, decided_by=supervisor)
    return actions.file_complaint(
        by=participant, kind="objection", category="claim_decision", subject="claim", claim=claim,
        text="Saya keberatan: masa kepesertaan saya sudah cukup.",
    )  # fmt: skip


def test_it_goes_to_the_other_supervisor(objection, cso, supervisor, second_supervisor):
    actions.escalate(objection, by=cso)
    objection.refresh_from_db()
    assert objection.status == S.WITH_SUPERVISOR and objection.assigned_to == second_supervisor
    actions.decide(objection, by=second_supervisor, upheld=True, reason="Masa kepesertaan terbukti 10 tahun.")
    objection.refresh_from_db()
    assert objection.status == S.DECIDED and objection.outcome == Outcome.UPHELD
    actions.close(objection, by=cso, reason="Klaim diproses ulang")
    assert [e.action for e in objection.events.all()] == [
        "filed", "escalated", "objection_upheld", "closed",
    ]  # fmt: skip


def test_naming_the_supervisor_who_decided_is_refused(objection, cso, supervisor, second_supervisor):
    with pytest.raises(DomainError) as refused:
        actions.escalate(objection, by=cso, supervisor=supervisor)
    assert refused.value.code == "same_person" and refused.value.field == "supervisor"


def test_without_another_supervisor_it_is_refused_clearly(objection, cso):
    with pytest.raises(DomainError) as refused:
        actions.escalate(objection, by=cso)
    assert refused.value.code == "no_reviewer"


def test_the_decider_cannot_decide_the_objection(objection, cso, supervisor, second_supervisor, branch_head):
    actions.escalate(objection, by=cso, supervisor=second_supervisor)
    with pytest.raises(DomainError) as refused:
        actions.decide(objection, by=supervisor, upheld=False, reason="Keputusan sudah benar.")
    assert refused.value.code == "same_person"


def test_only_the_assigned_supervisor_or_the_branch_head_decides(
    objection, cso, second_supervisor, branch_head, madiun
):
    from lapakasik.accounts.models import User

    third = User.objects.create(username="supervisor3", role="supervisor", branch=madiun)
    actions.escalate(objection, by=cso, supervisor=second_supervisor)
    with pytest.raises(DomainError) as refused:
        actions.decide(objection, by=third, upheld=False, reason="Keputusan sudah benar.")
    assert refused.value.code == "not_assigned"
    actions.decide(objection, by=branch_head, upheld=False, reason="Keputusan sudah sesuai aturan.")
    objection.refresh_from_db()
    assert objection.outcome == Outcome.REJECTED and objection.answered_by == branch_head


def test_a_cso_cannot_decide(objection, cso, second_supervisor):
    actions.escalate(objection, by=cso)
    with pytest.raises(DomainError) as refused:
        actions.decide(objection, by=cso, upheld=True, reason="Saya setuju dengan peserta.")
    assert refused.value.status == 403


def test_a_decision_needs_a_reason(objection, cso, second_supervisor):
    actions.escalate(objection, by=cso)
    with pytest.raises(DomainError) as refused:
        actions.decide(objection, by=second_supervisor, upheld=True, reason="")
    assert refused.value.field == "reason"


def test_an_objection_is_not_answered_like_a_complaint(objection, cso):
    with pytest.raises(DomainError) as refused:
        actions.answer(objection, by=cso, text="Jawaban biasa untuk keberatan.")
    assert refused.value.code == "wrong_kind"
