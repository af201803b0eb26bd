"""JKP's monthly instalments: amounts that add up to the approved amount, due days, one at a time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lapakasik.claims.models import ClaimEvent
from lapakasik.lib.errors import DomainError
from lapakasik.payments import actions, notify
from lapakasik.payments.instalments import Instalment, monthly_amounts, next_instalment, split
from lapakasik.payments.models import Payment
from lapakasik.payments.queries import approved_not_ready, next_instalment_of, ready_by_bank

from .conftest import WEDNESDAY_MORNING


def test_a_total_is_split_in_proportion_and_the_last_share_takes_the_rounding():
    assert split(10_000_000, [60] * 6) == [1_666_667] * 5 + [1_666_665]
    shares = split(12_000_000, [45, 45, 45, 25, 25, 25])
    assert shares == [2_571_429] * 3 + [1_428_571] * 3 and sum(shares) == 12_000_000


def test_a_lump_sum_is_one_payment_due_at_once(approved_claim):
    claim = approved_claim(gross=7_500_000)
    assert next_instalment(claim, 0) == Instalment(1, 1, 7_500_000, None)


@pytest.mark.parametrize(
    ("left_on", "expected"),
    [
        # PP 6/2025 (PHK from 7 Feb 2025): 60% for six months, equal parts.
        (dt.date(2026, 9, 30), [1_666_667] * 5 + [1_666_665]),
        # PP 37/2021: 45% for months 1-3, 25% for months 4-6.
        (dt.date(2024, 5, 31), [2_571_429] * 3 + [1_428_571] * 3),
    ],
)
def test_without_the_rules_items_the_approved_amount_follows_the_schedule_of_the_phk_date(
    approved_claim, left_on, expected
):
    # No reported wage in the registry: the officer set the amount; the regime's shape shares it.
    claim = approved_claim(
        program="JKP", reason="phk", gross=10_000_000 if left_on.year == 2026 else 12_000_000, left_on=left_on
    )
    assert monthly_amounts(claim) == expected


def test_the_rules_items_are_the_instalments_when_they_add_up_to_the_approved_amount(approved_claim):
    claim = approved_claim(program="JKP", reason="phk", gross=18_000_000)
    claim.participant.employments.update(end_reason="phk", reported_wage=7_000_000)
    assert monthly_amounts(claim) == [3_000_000] * 6


def test_month_k_falls_due_k_minus_one_months_after_the_approval_day(approved_claim):
    claim = approved_claim(program="JKP", reason="phk", gross=18_000_000)
    ClaimEvent.objects.create(
        claim=claim, action="approved", from_status="verified", to_status="approved",
        at=dt.datetime(2027, 1, 31, 2, 0, tzinfo=dt.UTC),
    )  # fmt: skip
    assert [next_instalment(claim, paid).due_on for paid in range(6)] == [
        dt.date(2027, 1, 31), dt.date(2027, 2, 28), dt.date(2027, 3, 31),
        dt.date(2027, 4, 30), dt.date(2027, 5, 31), dt.date(2027, 6, 30),
    ]  # fmt: skip
    assert next_instalment(claim, 3).number == 4 and next_instalment(claim, 3).count == 6


@time_machine.travel(WEDNESDAY_MORNING, tick=False)
def test_only_one_instalment_is_under_way_and_the_next_waits_for_its_due_day(
    approved_claim, madiun, finance, checker
):
    claim = approved_claim(program="JKP", reason="phk", gross=18_000_000)
    batch = actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)
    (first,) = batch.payments.all()
    assert (first.instalment, first.instalment_count, first.gross, first.tax) == (1, 6, 3_000_000, 0)
    assert first.due_on == WEDNESDAY_MORNING.date()
    with pytest.raises(DomainError):  # month 1 is under way: month 2 is not prepared beside it
        actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)
    actions.approve_batch(batch, by=checker)
    actions.mark_batch_sent(batch, by=finance)
    first.refresh_from_db()
    actions.confirm_payment(first, paid_on=batch.value_date, by=finance)
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.amount_paid is None
    assert "bulan ke-1 dari 6" in notify.render_advice({"payment": first.pk}, "email").body
    week_later = WEDNESDAY_MORNING + dt.timedelta(days=7)
    assert all(row["count"] == 0 for row in ready_by_bank(madiun, now=week_later) if row["bank"] == "BRI")
    due = ready_by_bank(madiun, now=WEDNESDAY_MORNING + dt.timedelta(days=33))
    assert {row["bank"]: (row["count"], row["amount"]) for row in due}["BRI"] == (1, 3_000_000)
    with pytest.raises(DomainError) as early:  # month 2 falls due on 25 Dec
        actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING + dt.timedelta(days=7))
    assert early.value.code == "instalment_not_due"
    assert "bulan ke-2 dari 6 belum jatuh tempo; jatuh tempo Jumat, 25 Desember 2026" in str(
        early.value.message
    )
    later = actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING + dt.timedelta(days=33))
    assert later.payments.get().instalment == 2
    assert Payment.objects.filter(claim=claim).count() == 2


def _pay_first_month(claim, madiun, finance, checker):
    batch = actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)
    actions.approve_batch(batch, by=checker)
    actions.mark_batch_sent(batch, by=finance)
    first = batch.payments.get(claim=claim)
    actions.confirm_payment(first, paid_on=batch.value_date, by=finance)


@time_machine.travel(WEDNESDAY_MORNING, tick=False)
def test_a_month_not_yet_due_is_held_back_from_a_batch_with_the_reason_recorded(
    approved_claim, madiun, finance, checker
):
    claim = approved_claim(program="JKP", reason="phk", gross=18_000_000)
    _pay_first_month(claim, madiun, finance, checker)
    lump_sum = approved_claim(gross=7_500_000)
    batch = actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING + dt.timedelta(days=7))
    assert list(batch.payments.values_list("claim_id", flat=True)) == [lump_sum.pk]
    held = batch.events.get(action="lines_held")
    assert held.data == {"held": [{"claim": claim.number, "instalment": 2, "due_on": "2026-12-25"}]}
    assert held.note == f"{claim.number}: Angsuran JKP bulan ke-2 dari 6 belum jatuh tempo; jatuh tempo " + (
        "Jumat, 25 Desember 2026."
    )


@time_machine.travel(WEDNESDAY_MORNING, tick=False)
def test_finance_sees_which_month_waits_and_when_it_falls_due(
    approved_claim, madiun, finance, checker, client
):
    claim = approved_claim(program="JKP", reason="phk", gross=18_000_000)
    _pay_first_month(claim, madiun, finance, checker)
    (waiting,) = [row for row in approved_not_ready(madiun) if row.claim == claim]
    assert waiting.blockers == ["not_due"] and waiting.next_instalment.due_on == dt.date(2026, 12, 25)
    assert waiting.reasons == [
        "Angsuran JKP bulan ke-2 dari 6 belum jatuh tempo; jatuh tempo Jumat, 25 Desember 2026."
    ]
    client.force_login(finance)
    page = client.get(reverse("console:payments:home")).content.decode()
    assert f'data-testid="not-ready-{claim.number}"' in page and "jatuh tempo Jumat, 25 Desember 2026" in page
    assert next_instalment_of(claim) == Instalment(2, 6, 3_000_000, dt.date(2026, 12, 25))


def test_a_lump_sum_or_an_unapproved_claim_has_no_next_month(approved_claim):
    assert next_instalment_of(approved_claim(gross=7_500_000)) is None
