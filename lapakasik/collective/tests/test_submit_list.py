"""Submitting a list: its valid rows become collective claims, once, even across a crash."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage

from lapakasik.claims.models import Claim, ClaimDocument, ClaimEvent
from lapakasik.collective import actions
from lapakasik.collective.actions import run_submission, start_batch_verification
from lapakasik.collective.models import ListStatus, MassList, RowStatus
from lapakasik.collective.queries import claims_of, status_counts
from lapakasik.lib.errors import DomainError

from .test_bulk import CHECKLIST

pytestmark = pytest.mark.django_db


def test_the_valid_rows_become_submitted_collective_claims(upload, submit, demo_rows, employer_rep, madiun):
    mass_list = submit(upload(demo_rows))
    assert mass_list.status == ListStatus.SUBMITTED and mass_list.claims_created == 6
    claims = claims_of(mass_list)
    assert claims.count() == 6
    claim = claims.get(participant__nik=demo_rows[2][0])
    assert (claim.program, claim.reason, claim.channel, claim.status) == (
        "JHT",
        "phk",
        "collective",
        "submitted",
    )
    assert claim.branch == madiun and claim.area.name == "Ponorogo" and claim.claimant == employer_rep
    assert claim.employer.npp == "NN0DEMO01" and claim.submitted_on is not None
    assert claim.payout_account.account_number == demo_rows[2][7] and claim.payout_account.name_match == 100
    assert list(claim.events.values_list("action", "to_status")) == [
        ("started", "draft"),
        *[("document_added", "draft")] * len(CHECKLIST),
        ("submitted", "submitted"),
    ]
    assert sorted(claim.documents.values_list("kind", flat=True)) == sorted(CHECKLIST)


def test_rows_with_errors_are_left_out_and_stay_for_correction(upload, submit, laid_off):
    bad = laid_off()
    bad[1] = "1234"
    mass_list = submit(upload([laid_off(), bad]))
    assert mass_list.claims_created == 1
    assert mass_list.rows.get(line=3).status == RowStatus.INVALID


def test_a_list_with_nothing_valid_cannot_be_submitted(upload, laid_off, employer_rep):
    mass_list = upload([laid_off(registered=False)])
    with pytest.raises(DomainError) as error:
        actions.submit_list(mass_list, by=employer_rep)
    assert error.value.code == "nothing_valid"


def test_submitting_twice_creates_nothing_twice(upload, submit, demo_rows, employer_rep):
    mass_list = submit(upload(demo_rows))
    with pytest.raises(DomainError):
        actions.submit_list(mass_list, by=employer_rep)
    run_submission(mass_list.pk)
    assert claims_of(mass_list).count() == 6


def test_a_corrected_list_with_workers_already_claimed_reports_them(upload, submit, demo_rows, laid_off):
    submit(upload(demo_rows[:3]))
    second = upload([*demo_rows[:3], laid_off()])
    assert second.valid_rows == 1 and "sedang diproses" in second.rows.first().error_issues()[0].render()


def test_a_claim_started_between_check_and_submission_is_not_doubled(
    upload, submit, demo_rows, employer_rep, madiun
):
    from lapakasik.claims.actions import start_claim
    from lapakasik.registry.models import Participant

    mass_list = upload(demo_rows)
    start_claim(
        participant=Participant.objects.get(nik=demo_rows[0][0]),
        program="JHT",
        reason="phk",
        channel="online",
        by=employer_rep,
        branch=madiun,
        area=madiun.areas.first(),
    )
    stored = [d["file"] for d in mass_list.rows.get(nik=demo_rows[0][0]).documents]
    mass_list = submit(mass_list)
    assert mass_list.claims_created == 5 and mass_list.error_rows == 1
    refused = mass_list.rows.get(nik=demo_rows[0][0])
    assert "sedang diproses" in refused.error_issues()[0].render()
    # The refused row's checked files go with it: nothing points at them, nothing keeps them.
    assert refused.documents == [] and stored and not any(default_storage.exists(name) for name in stored)


def test_an_import_killed_mid_way_resumes_without_duplicates(upload, submit, laid_off, monkeypatch):
    monkeypatch.setattr(actions, "CLAIM_CHUNK", 4)
    rows = [laid_off() for _ in range(10)]
    mass_list = upload(rows)
    real = actions._write_claim_details
    calls = {"n": 0}

    def dies_on_the_second_chunk(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "_write_claim_details", dies_on_the_second_chunk)
    with pytest.raises(SystemExit):
        submit(mass_list)
    mass_list.refresh_from_db()
    assert mass_list.status == ListStatus.SUBMITTING and mass_list.claims_created == 4
    assert claims_of(mass_list).count() == 4  # the second chunk left nothing half-written
    assert not claims_of(mass_list).filter(payout_account__isnull=True).exists()
    monkeypatch.setattr(actions, "_write_claim_details", real)
    assert actions.resume_list(mass_list, force=True) is True  # enqueues: run it here as a worker would
    mass_list = run_submission(mass_list.pk)
    assert mass_list.status == ListStatus.SUBMITTED and mass_list.claims_created == 10
    assert claims_of(mass_list).count() == 10
    assert ClaimEvent.objects.filter(claim__in=claims_of(mass_list)).count() == 10 * (2 + len(CHECKLIST))
    assert ClaimDocument.objects.filter(claim__in=claims_of(mass_list)).count() == 10 * len(CHECKLIST)


def test_a_resumed_run_skips_claims_written_by_a_run_that_died_before_marking_its_rows(
    upload, submit, demo_rows
):
    mass_list = submit(upload(demo_rows))
    mass_list.rows.update(status=RowStatus.VALID)  # as if the marks were lost
    MassList.objects.filter(pk=mass_list.pk).update(status=ListStatus.SUBMITTING)
    mass_list = run_submission(mass_list.pk)
    assert mass_list.claims_created == 6
    assert (
        Claim.objects.filter(channel="collective", participant__nik__in=[r[0] for r in demo_rows]).count()
        == 6
    )


def test_the_employer_sees_every_workers_claim_status(upload, submit, demo_rows, employer_rep):
    mass_list = submit(upload(demo_rows))
    visible = Claim.objects.visible_to(employer_rep).filter(channel="collective")
    assert set(visible) == set(claims_of(mass_list))
    assert status_counts(mass_list) == {"submitted": 6}


def test_officers_take_the_whole_list_into_verification_as_a_batch(upload, submit, demo_rows, cso, outsider):
    mass_list = submit(upload(demo_rows))
    with pytest.raises(DomainError):
        start_batch_verification(mass_list, by=outsider)
    assert start_batch_verification(mass_list, by=cso) == 6
    assert status_counts(mass_list) == {"in_verification": 6}


def test_collective_claims_get_the_findings_and_estimate_a_single_claim_gets(upload, submit, laid_off):
    from lapakasik.claims.checks import compute_findings
    from lapakasik.claims.models import JhtBalance
    from lapakasik.registry.models import Participant

    rows = [laid_off(), laid_off()]
    JhtBalance.objects.create(
        participant=Participant.objects.get(nik=rows[0][0]), amount=23_450_000, as_of=dt.date(2026, 9, 30)
    )
    mass_list = submit(upload(rows))
    with_balance, without = (claims_of(mass_list).get(participant__nik=row[0]) for row in rows)
    for claim in (with_balance, without):
        stored = list(claim.findings.order_by("id").values_list("code", "level", "message"))
        assert stored == [(f.code, f.level, f.message) for f in compute_findings(claim)]
    assert with_balance.amount_claimed == 23_450_000
    assert without.amount_claimed is None  # no balance in the registry: the officer completes it
    levels = dict(with_balance.findings.values_list("code", "level"))
    assert levels["documents"] == "pass" and levels["eligibility"] == "pass"
    assert levels["open_claim"] == "pass" and levels["bank_account"] == "pass"
    # The joint agreement is the same file in every worker's folder: expected within one employer.
    assert levels["document_reused"] == "pass"
    assert dict(without.findings.values_list("code", "level"))["eligibility"] == "warn"


def test_the_same_joint_agreement_at_another_employer_is_flagged(upload, submit, laid_off):
    from lapakasik.claims.checks import recompute_findings_for
    from lapakasik.registry.models import Employer

    mass_list = submit(upload([laid_off(), laid_off()]))
    first, second = claims_of(mass_list).order_by("pk")
    assert {f.level for f in recompute_findings_for([first.pk])[first.pk] if f.code == "document_reused"} == {
        "pass"
    }
    other = Employer.objects.exclude(pk=first.employer_id).first()
    Claim.objects.filter(pk=second.pk).update(employer=other)  # as if another company sent the same letter
    [reused] = [f for f in recompute_findings_for([first.pk])[first.pk] if f.code == "document_reused"]
    assert reused.level == "fail" and second.number in reused.message


def test_findings_are_stored_in_the_office_language_whoever_set_them_off(upload, submit, laid_off):
    from django.utils import translation

    with translation.override("en"):
        mass_list = submit(upload([laid_off()]))
    claim = claims_of(mass_list).get()
    assert "Tidak ada klaim lain yang masih diproses" in claim.findings.get(code="open_claim").message
