import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from lapakasik.lib.errors import DomainError
from lapakasik.payments import actions
from lapakasik.payments.models import Payment, PaymentEvent
from lapakasik.payments.queries import lines_total

from .conftest import WEDNESDAY_MORNING


def test_a_finance_officer_puts_ready_claims_into_the_day_s_batch_for_their_bank(
    approved_claim, madiun, finance
):
    first, second = approved_claim(gross=68_450_000), approved_claim(gross=10_000_000)
    approved_claim(bank="BNI")
    batch = actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)
    assert batch.number == "MADIUN-BRI-20261125-1" and batch.status == "prepared"
    lines = {p.claim_id: p for p in batch.payments.all()}
    assert set(lines) == {first.pk, second.pk}
    assert (lines[first.pk].gross, lines[first.pk].tax, lines[first.pk].net) == (
        68_450_000,
        922_500,
        67_527_500,
    )
    assert lines[first.pk].account_number == "0123456789012345"  # a snapshot of the account
    assert PaymentEvent.objects.filter(batch=batch, action="prepared").count() == 2


def test_the_totals_of_a_batch_equal_the_sum_of_its_lines(approved_claim, madiun, finance):
    approved_claim(gross=68_450_000)
    actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)
    approved_claim(gross=75_000_000)
    batch = actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)  # same open batch
    stored = {k: getattr(batch, k) for k in ("line_count", "total_gross", "total_tax", "total_net")}
    assert (
        stored
        == lines_total(batch)
        == {
            "line_count": 2,
            "total_gross": 143_450_000,
            "total_tax": 922_500 + 1_250_000,
            "total_net": 143_450_000 - 2_172_500,
        }
    )


def test_after_the_cut_off_the_payment_goes_into_the_next_working_day_s_batch(
    approved_claim, madiun, finance
):
    approved_claim()
    late = WEDNESDAY_MORNING.replace(hour=15)
    assert actions.prepare_batch(madiun, "BRI", by=finance, now=late).value_date == dt.date(2026, 11, 26)


def test_a_claim_already_in_a_batch_is_not_taken_again(approved_claim, madiun, finance):
    approved_claim()
    actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)
    with pytest.raises(DomainError) as refused:
        actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)
    assert refused.value.code == "nothing_to_pay"


def test_the_database_refuses_a_second_live_payment_for_one_claim(approved_claim, madiun, finance):
    claim = approved_claim()
    batch = actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)
    first = batch.payments.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            claim=claim,
            batch=batch,
            bank_code="BRI",
            account_number="1",
            holder_name="x",
            gross=first.gross,
            tax=0,
            net=first.gross,
            prepared_by=finance,
        )


def test_a_claim_that_is_not_approved_is_not_paid(approved_claim, madiun, finance):
    claim = approved_claim()
    type(claim).objects.filter(pk=claim.pk).update(status="verified")
    with pytest.raises(DomainError) as refused:
        actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)
    assert refused.value.code == "nothing_to_pay"


def test_only_finance_of_the_branch_prepares_batches(approved_claim, madiun, cso, outsider):
    approved_claim()
    for user, code in [(cso, "not_permitted"), (outsider, "not_found")]:
        with pytest.raises(DomainError) as refused:
            actions.prepare_batch(madiun, "BRI", by=user, now=WEDNESDAY_MORNING)
        assert refused.value.code == code
