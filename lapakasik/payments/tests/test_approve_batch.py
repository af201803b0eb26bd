import pytest

from lapakasik.lib.errors import DomainError
from lapakasik.payments import actions
from lapakasik.payments.models import PaymentBatch, PaymentEvent
from lapakasik.payments.queries import ready_claims

from .conftest import WEDNESDAY_MORNING


@pytest.fixture
def batch(approved_claim, madiun, finance):
    approved_claim(gross=68_450_000)
    approved_claim(gross=20_000_000)
    return actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)


def test_a_second_finance_user_approves_the_batch_and_its_lines(batch, checker):
    actions.approve_batch(batch, by=checker)
    assert batch.status == "approved" and batch.approved_by == checker
    assert set(batch.payments.values_list("status", flat=True)) == {"approved"}
    assert PaymentEvent.objects.filter(batch=batch, payment__isnull=True, action="approved").count() == 1


def test_the_maker_cannot_approve_their_own_batch(batch, finance):
    with pytest.raises(DomainError) as refused:
        actions.approve_batch(batch, by=finance)
    assert refused.value.code == "four_eyes"


def test_whoever_added_lines_cannot_approve_the_batch_either(batch, approved_claim, madiun, checker):
    approved_claim()
    actions.prepare_batch(madiun, "BRI", by=checker, now=WEDNESDAY_MORNING)  # adds to the same open batch
    with pytest.raises(DomainError) as refused:
        actions.approve_batch(batch, by=checker)
    assert refused.value.code == "four_eyes"


def test_a_batch_cannot_be_approved_twice(batch, checker):
    stale = PaymentBatch.objects.get(pk=batch.pk)
    actions.approve_batch(batch, by=checker)
    with pytest.raises(DomainError) as refused:
        actions.approve_batch(PaymentBatch.objects.get(pk=batch.pk), by=checker)
    assert refused.value.code == "transition_not_allowed"
    with pytest.raises(DomainError) as refused:
        actions.approve_batch(stale, by=checker)  # the page that still shows "prepared"
    assert refused.value.code == "changed_meanwhile"  # the one code for a stale page, whatever the model


def test_a_batch_whose_totals_do_not_match_its_lines_is_not_approved(batch, checker):
    PaymentBatch.objects.filter(pk=batch.pk).update(total_gross=1, total_net=1 - batch.total_tax)
    with pytest.raises(DomainError) as refused:
        actions.approve_batch(batch, by=checker)
    assert refused.value.code == "batch_totals_mismatch"
    assert PaymentBatch.objects.get(pk=batch.pk).status == "prepared"


def test_a_rejected_batch_gives_its_claims_back_for_a_new_batch(batch, checker, madiun):
    with pytest.raises(DomainError):
        actions.reject_batch(batch, by=checker, reason=" ")
    actions.reject_batch(batch, by=checker, reason="Nominal perlu dicek ulang")
    assert batch.status == "cancelled"
    assert ready_claims(madiun).filter(payout_account__bank_code="BRI").count() == 2


def test_the_transfer_file_exists_only_once_the_batch_is_approved(batch, checker, finance):
    with pytest.raises(DomainError):
        actions.mark_batch_sent(batch, by=finance)
    actions.approve_batch(batch, by=checker)
    content = actions.mark_batch_sent(batch, by=finance)
    assert batch.status == "sent" and len(content.splitlines()) == 3
    assert set(batch.payments.values_list("status", flat=True)) == {"sent"}
    assert actions.transfer_file(batch) == content  # a re-download is the same file
