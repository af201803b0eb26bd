import pytest
from django.core import mail

from lapakasik.claims import actions
from lapakasik.claims.models import ClaimDocument, ClaimEvent, PayoutAccount
from lapakasik.lib.errors import DomainError

from .helpers import jpeg, online_jht_draft, upload_checklist


@pytest.fixture
def draft(participant, madiun):
    return online_jht_draft(participant, madiun)


def _ready(draft, participant):
    upload_checklist(draft, participant, actions)
    actions.save_payout_account(
        draft, by=participant, bank_code="BRI", account_number="0123-4567-8901", holder_name="SRI WAHJUNI"
    )
    return draft


def test_an_online_claim_cannot_be_submitted_without_its_documents(draft, participant):
    with pytest.raises(DomainError) as caught:
        actions.submit_claim(draft, by=participant, require_complete=True)
    assert caught.value.code == "documents_incomplete"


def test_a_complete_claim_is_submitted_with_the_rules_estimate_and_findings(draft, participant):
    actions.submit_claim(_ready(draft, participant), by=participant, require_complete=True)
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.amount_claimed == 46_250_000
    levels = dict(draft.findings.values_list("code", "level"))
    assert (
        levels["documents"] == "pass"
        and levels["eligibility"] == "pass"
        and levels["registry_match"] == "pass"
    )


def test_every_status_change_mails_the_claimant_after_commit(
    draft, participant, cso, django_capture_on_commit_callbacks
):
    _ready(draft, participant)
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_claim(draft, by=participant, require_complete=True)
        actions.start_verification(draft, by=cso)
    assert [m.to for m in mail.outbox] == [["sri.wahyuni@example.id"]] * 2
    assert draft.number in mail.outbox[0].subject


def test_a_document_not_on_the_checklist_is_refused(draft, participant):
    with pytest.raises(DomainError) as caught:
        actions.add_document(draft, by=participant, kind="death_certificate", upload=jpeg())
    assert caught.value.code == "document_kind"


def test_a_stored_document_has_a_random_name_its_hash_and_an_event(draft, participant):
    document = actions.add_document(draft, by=participant, kind="ektp", upload=jpeg("../../etc/passwd.jpg"))
    assert "passwd" not in document.file.name and document.file.name.startswith("claims/")
    assert len(document.sha256) == 64 and document.original_name == "passwd.jpg"
    assert ClaimEvent.objects.filter(claim=draft, action="document_added").exists()


def test_an_account_in_another_persons_name_is_refused(draft, participant):
    with pytest.raises(DomainError) as caught:
        actions.save_payout_account(
            draft, by=participant, bank_code="BRI", account_number="0123456789", holder_name="Budi Santoso"
        )
    assert caught.value.code == "account_holder_mismatch"
    assert not PayoutAccount.objects.filter(claim=draft).exists()


def test_the_holder_name_score_is_kept(draft, participant):
    account = actions.save_payout_account(
        draft, by=participant, bank_code="bni", account_number="9988776655", holder_name="Sri Wahyuni"
    )
    assert account.name_match == 100 and account.bank_code == "BNI"


def test_after_submission_the_participant_can_no_longer_change_documents(draft, participant):
    actions.submit_claim(_ready(draft, participant), by=participant, require_complete=True)
    with pytest.raises(DomainError) as caught:
        actions.add_document(draft, by=participant, kind="ektp", upload=jpeg(color="blue"))
    assert caught.value.code == "claim_not_editable"


def test_a_returned_claim_takes_a_new_document_and_goes_back_in(draft, participant, cso):
    actions.submit_claim(_ready(draft, participant), by=participant, require_complete=True)
    actions.start_verification(draft, by=cso)
    actions.return_for_documents(draft, by=cso, reason="Foto KTP buram")
    actions.add_document(draft, by=participant, kind="ektp", upload=jpeg(color="green"))
    assert actions.submit_claim(draft, by=participant, require_complete=True).status == "submitted"
    assert ClaimDocument.objects.filter(claim=draft, kind="ektp").count() == 2


def test_the_claimant_may_cancel_before_verification_but_not_after(draft, participant, cso):
    actions.submit_claim(_ready(draft, participant), by=participant, require_complete=True)
    actions.start_verification(draft, by=cso)
    with pytest.raises(DomainError) as caught:
        actions.cancel_claim(draft, by=participant)
    assert caught.value.code == "transition_not_allowed"
