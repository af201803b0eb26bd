import pytest

from lapakasik.claims import actions
from lapakasik.claims.models import Claim, ClaimEvent
from lapakasik.claims.tests.helpers import online_jht_draft
from lapakasik.lib.errors import DomainError


@pytest.fixture
def draft(participant, madiun):
    return online_jht_draft(participant, madiun)


OVERRIDE = {"documents": "Dokumen asli diperiksa di loket"}


def test_a_claim_goes_from_draft_to_approved_with_an_event_per_step(draft, participant, cso, supervisor):
    actions.submit_claim(draft, by=participant, amount_claimed=12_000_000)
    actions.start_verification(draft, by=cso)
    actions.verify_claim(draft, by=cso, overrides=OVERRIDE)
    actions.approve_claim(draft, by=supervisor)
    assert draft.status == "approved" and draft.approved_by == supervisor
    assert list(ClaimEvent.objects.filter(claim=draft).values_list("action", flat=True)) == [
        "started",
        "submitted",
        "verification_started",
        "finding_overridden",
        "verified",
        "approved",
    ]


def test_a_second_open_claim_of_the_same_program_is_refused(draft, participant, madiun):
    with pytest.raises(DomainError) as caught:
        actions.start_claim(
            participant=participant.participant,
            program="JHT",
            reason="resign",
            channel="online",
            by=participant,
            branch=madiun,
            area=draft.area,
        )
    assert caught.value.code == "open_claim_exists"


def test_a_transition_outside_the_table_is_refused(draft, cso):
    with pytest.raises(DomainError) as caught:
        actions.verify_claim(draft, by=cso)  # still a draft
    assert caught.value.code == "transition_not_allowed"


def test_the_verifier_cannot_approve_and_large_claims_need_a_supervisor(
    draft, participant, cso, supervisor, db
):
    from lapakasik.accounts.models import User

    other_cso = User.objects.create(username="cso2", role="cso", branch=cso.branch)
    actions.submit_claim(draft, by=participant, amount_claimed=60_000_000)
    actions.start_verification(draft, by=cso)
    actions.verify_claim(draft, by=cso, overrides=OVERRIDE)
    for user, code in [(cso, "four_eyes"), (other_cso, "supervisor_required")]:
        with pytest.raises(DomainError) as caught:
            actions.approve_claim(draft, by=user)
        assert caught.value.code == code
    assert actions.approve_claim(draft, by=supervisor).status == "approved"


def test_a_stale_decision_loses(draft, participant, cso):
    actions.submit_claim(draft, by=participant)
    stale_copy = Claim.objects.get(pk=draft.pk)
    actions.start_verification(draft, by=cso)
    actions.return_for_documents(draft, by=cso, reason="Paklaring belum diunggah")
    stale_copy.status = "in_verification"  # what the second officer's page still shows
    with pytest.raises(DomainError) as caught:
        actions.verify_claim(Claim.objects.get(pk=draft.pk), by=cso)
    assert caught.value.code == "transition_not_allowed"
    with pytest.raises(DomainError) as caught:
        actions.verify_claim(stale_copy, by=cso)
    assert caught.value.code == "changed_meanwhile"


def test_an_officer_of_another_branch_cannot_touch_the_claim(draft, participant, outsider):
    actions.submit_claim(draft, by=participant)
    with pytest.raises(DomainError) as caught:
        actions.start_verification(draft, by=outsider)
    assert caught.value.code == "not_found"


def test_rejection_needs_a_code_and_a_reason(draft, participant, cso):
    actions.submit_claim(draft, by=participant)
    actions.start_verification(draft, by=cso)
    with pytest.raises(DomainError):
        actions.reject_claim(draft, by=cso, code="not_eligible", note="  ")
    assert (
        actions.reject_claim(draft, by=cso, code="not_eligible", note="Masa tunggu belum lewat").status
        == "rejected"
    )


def test_claim_numbers_are_ten_unambiguous_symbols_and_do_not_repeat():
    from lapakasik.claims.models import CLAIM_NUMBER_ALPHABET, new_claim_number

    numbers = {new_claim_number() for _ in range(5000)}
    assert len(numbers) == 5000
    assert all(
        n.startswith("KLM-") and len(n) == 14 and set(n[4:]) <= set(CLAIM_NUMBER_ALPHABET) for n in numbers
    )
