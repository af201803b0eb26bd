"""A JKP claim from the portal to the report: started online, verified, approved, paid in six monthly
instalments over six batches, and counted in the reports once per monthly payment, in the month it was paid."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from lapakasik.accounts.models import User
from lapakasik.claims import actions as claim_actions
from lapakasik.claims.models import Claim
from lapakasik.claims.tests.helpers import upload_checklist
from lapakasik.lib.errors import DomainError
from lapakasik.payments import actions
from lapakasik.payments.models import Payment
from lapakasik.registry.models import Employer, Employment, Participant
from lapakasik.reporting.queries import (
    claims_paid_report,
    claims_paid_report_direct,
    national_report,
    national_report_direct,
)
from lapakasik.reporting.rollup import rebuild_rollups
from lapakasik.rules.dates import add_months

WIB = ZoneInfo("Asia/Jakarta")
APPROVAL_DAY = dt.date(2026, 12, 2)  # a Wednesday


def at_nine(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=WIB)


@pytest.fixture
def laid_off(madiun):
    """A worker laid off (PHK) in November 2026 with a reported wage above JKP's Rp5 jt cap."""
    person = Participant.objects.create(
        nik="3519084507860031",
        kpj="18000000031",
        full_name="Dwi Lestari",
        birth_date=dt.date(1986, 7, 5),
        sex="F",
        region_id="35.19.08",
        email="dwi.lestari@example.id",
    )
    Employment.objects.create(
        participant=person,
        employer=Employer.objects.filter(branch=madiun).first(),
        start=dt.date(2019, 1, 7),
        end=dt.date(2026, 11, 13),
        end_reason="phk",
        reported_wage=6_000_000,
    )
    return User.objects.create_user(
        username="dwi", password="x", role="participant", participant=person, email=person.email
    )


def _start_on_the_portal(client, user) -> Claim:
    client.force_login(user)
    page = client.get(reverse("claims_choose"), {"choice": "JKP:phk"})
    assert page.status_code == 200
    assessment = page.context["assessment"]
    assert assessment.eligible and assessment.monthly
    # PP 6/2025 (PHK after 7 Feb 2025): 60% of the wage capped at Rp5 jt, six times.
    assert [i["amount"] for i in assessment.items] == [3_000_000] * 6
    assert "phk_proof" in dict(assessment.documents)
    assert "Jaminan Kehilangan Pekerjaan" in page.content.decode()
    response = client.post(reverse("claims_choose"), {"choice": "JKP:phk"})
    assert response.status_code == 302
    return Claim.objects.get(participant=user.participant, program="JKP")


def _pay_one_batch(day: dt.date, finance, checker) -> Payment:
    batch = actions.prepare_batch(finance.branch, "BRI", by=finance, now=at_nine(day))
    actions.approve_batch(batch, by=checker)
    actions.mark_batch_sent(batch, by=finance)
    (payment,) = batch.payments.all()
    return actions.confirm_payment(payment, paid_on=batch.value_date, by=finance)


def test_a_jkp_claim_goes_from_the_portal_to_six_paid_instalments_and_the_report(
    client, laid_off, cso, supervisor, finance, checker
):
    with time_machine.travel(at_nine(APPROVAL_DAY), tick=False):
        claim = _start_on_the_portal(client, laid_off)
        upload_checklist(claim, laid_off, claim_actions)
        claim_actions.save_payout_account(
            claim, by=laid_off, bank_code="BRI", account_number="0123-4567-8931", holder_name="DWI LESTARI"
        )
        claim_actions.submit_claim(claim, by=laid_off, require_complete=True)
        claim.refresh_from_db()
        assert claim.amount_claimed == 18_000_000
        findings = dict(claim.findings.values_list("code", "level"))
        assert findings["eligibility"] == "pass" and findings["documents"] == "pass"
        claim_actions.start_verification(claim, by=cso)
        claim_actions.verify_claim(claim, by=cso)
        claim_actions.approve_claim(claim, by=supervisor)

    paid_days = []
    for month in range(1, 7):
        due = add_months(APPROVAL_DAY, month - 1)
        if month > 1:  # the month before its due day: nothing of this claim goes into a batch
            with pytest.raises(DomainError) as early:
                actions.prepare_batch(
                    finance.branch, "BRI", by=finance, now=at_nine(due - dt.timedelta(days=3))
                )
            assert early.value.code == "instalment_not_due"
        payment = _pay_one_batch(due, finance, checker)
        assert (payment.instalment, payment.instalment_count, payment.gross, payment.tax) == (
            month,
            6,
            3_000_000,
            0,
        )
        assert payment.due_on == due and payment.batch.value_date >= due
        paid_days.append(payment.paid_on)
        claim.refresh_from_db()
        assert claim.status == ("paid" if month == 6 else "approved")

    assert claim.amount_paid == 18_000_000 and claim.paid_on == paid_days[-1]
    with pytest.raises(DomainError):  # nothing is owed any more
        actions.prepare_batch(finance.branch, "BRI", by=finance, now=at_nine(dt.date(2027, 6, 2)))

    # Reports count JKP per monthly payment, in the month the bank paid it: December 2026 has the first,
    # 2027 the other five; the rollups, a rebuild from the tables and the direct query agree.
    for start, end, expected in [
        (dt.date(2026, 12, 1), dt.date(2026, 12, 31), {"program": "JKP", "cases": 1, "amount": 3_000_000}),
        (dt.date(2027, 1, 1), dt.date(2027, 12, 31), {"program": "JKP", "cases": 5, "amount": 15_000_000}),
    ]:
        report = claims_paid_report(finance.branch, start, end)
        assert next(t for t in report["totals"] if t["program"] == "JKP") == expected
        assert report == claims_paid_report_direct(finance.branch, start, end)
        assert national_report(start, end) == national_report_direct(start, end)
        rebuild_rollups()
        assert claims_paid_report(finance.branch, start, end) == report
