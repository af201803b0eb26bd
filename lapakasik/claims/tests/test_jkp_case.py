"""JKP from the registry: the PHK, the wage, the contribution months and the checklist of a JKP claim."""

from __future__ import annotations

import datetime as dt

from lapakasik.claims.cases import PARTICIPANT_CHOICES, Job, assess, jkp_facts
from lapakasik.claims.models import PROGRAM_STARTS, Program, Reason
from lapakasik.registry.models import Employer, Employment, Participant
from lapakasik.rules.params import lookup

BORN = dt.date(1986, 7, 5)


def test_jkp_starts_on_the_first_day_of_its_benefit_parameters():
    assert PROGRAM_STARTS[Program.JKP] == lookup("jkp.cash_benefit.schedule", dt.date(2021, 6, 1)).valid_from


def test_only_a_phk_can_be_claimed_online_for_jkp():
    assert [r for p, r in PARTICIPANT_CHOICES if p == Program.JKP] == [Reason.PHK]


def test_the_phk_is_the_latest_end_and_its_job_gives_the_wage():
    jobs = [
        Job(dt.date(2015, 1, 5), dt.date(2020, 3, 31), "resign", 3_000_000),
        Job(dt.date(2021, 5, 3), dt.date(2026, 11, 13), "phk", 6_000_000),
    ]
    facts = jkp_facts(jobs, BORN)
    assert facts == {
        "registered_age": 34,  # enrolled when JKP began, 2 Feb 2021
        "termination_date": dt.date(2026, 11, 13),
        "contribution_months_last_24": 24,
        "consecutive_months": 24,
        "reason": "phk",
        "monthly_wage": 6_000_000,
    }


def test_months_are_counted_within_the_24_before_the_phk_and_the_run_ends_at_it():
    jobs = [
        Job(dt.date(2024, 1, 2), dt.date(2025, 6, 30), "end_of_contract", None),  # 2024-01 .. 2025-06
        Job(dt.date(2026, 2, 2), dt.date(2026, 8, 14), "phk", None),  # 2026-02 .. 2026-08: 7 months
    ]
    facts = jkp_facts(jobs, BORN)
    # The window is Sep 2024 .. Aug 2026: Sep 2024 .. Jun 2025 (10) + Feb .. Aug 2026 (7).
    assert facts["contribution_months_last_24"] == 17 and facts["consecutive_months"] == 7
    assert "monthly_wage" not in facts


def test_a_worker_still_employed_has_no_phk():
    facts = jkp_facts([Job(dt.date(2019, 1, 7), None, "", 4_000_000)], BORN)
    assert "termination_date" not in facts


def _person(madiun, *, end_reason="phk", wage=6_000_000, end=dt.date(2026, 11, 13)):
    person = Participant.objects.create(
        nik="3519084507860041",
        kpj="18000000041",
        full_name="Rina Puspita",
        birth_date=BORN,
        sex="F",
        region_id="35.19.08",
    )
    Employment.objects.create(
        participant=person,
        employer=Employer.objects.filter(branch=madiun).first(),
        start=dt.date(2019, 1, 7),
        end=end,
        end_reason=end_reason,
        reported_wage=wage,
    )
    return person


def test_a_phk_with_a_reported_wage_is_assessed_with_six_monthly_payments(madiun):
    a = assess(_person(madiun), "JKP", "phk", on=dt.date(2026, 12, 2))
    assert a.eligible and a.monthly and a.total == 18_000_000 and a.tax == 0
    assert [code for code, _label in a.documents] == [
        "kpj_card", "ektp", "phk_proof", "savings_book", "siapkerja_registration",
    ]  # fmt: skip


def test_a_resignation_in_the_registry_does_not_open_jkp(madiun):
    a = assess(_person(madiun, end_reason="resign"), "JKP", "phk", on=dt.date(2026, 12, 2))
    assert not a.eligible and not a.problem and any("PHK" in r for r in a.reasons)


def test_a_resignation_without_a_reported_wage_is_still_refused_not_left_to_the_officer(madiun):
    a = assess(_person(madiun, end_reason="resign", wage=None), "JKP", "phk", on=dt.date(2026, 12, 2))
    assert not a.eligible and not a.problem and not a.can_start and not a.items


def test_without_a_reported_wage_the_officer_computes_it_and_the_checklist_still_shows(madiun):
    a = assess(_person(madiun, wage=None), "JKP", "phk", on=dt.date(2026, 12, 2))
    assert a.problem and a.can_start and not a.items
    assert "phk_proof" in dict(a.documents)


def test_the_demo_has_a_laid_off_worker_who_may_claim_jkp_online(db):
    from lapakasik.demo.loader import DEMO_JKP_NIK

    a = assess(Participant.objects.get(nik=DEMO_JKP_NIK), "JKP", "phk", on=dt.date(2026, 12, 2))
    assert a.eligible and [i["amount"] for i in a.items] == [2_700_000] * 6
