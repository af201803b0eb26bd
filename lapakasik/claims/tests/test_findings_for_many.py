"""Findings for a whole set of claims at once (the collective channel): the same as claim by claim."""

from __future__ import annotations

import hashlib
import itertools
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lapakasik.claims import actions, cases
from lapakasik.claims.cases import assess
from lapakasik.claims.checks import compute_findings, recompute_findings_for
from lapakasik.claims.models import Claim, ClaimDocument, ClaimFinding, PayoutAccount
from lapakasik.registry.models import Heir, Participant, ServiceArea
from lapakasik.rules.errors import RulesInputError

from .helpers import upload_checklist

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)


def _claim(
    participant,
    *,
    program="JHT",
    reason="resign",
    status="submitted",
    channel="offline",
    heir=None,
    amount=None,
) -> Claim:
    area = ServiceArea.objects.select_related("branch").get(branch__code="madiun", name="Madiun")
    submitted_on = None if status == "draft" else timezone.localdate()
    return Claim.objects.create(
        participant=participant,
        program=program,
        reason=reason,
        channel=channel,
        status=status,
        heir=heir,
        branch=area.branch,
        area=area,
        submitted_on=submitted_on,
        amount_claimed=amount,
    )


def _document(claim: Claim, kind: str, *, by, content: str | None = None) -> str:
    sha256 = hashlib.sha256((content or f"scan {next(_serial)}").encode()).hexdigest()
    ClaimDocument.objects.create(
        claim=claim,
        kind=kind,
        file=f"claims/test/{sha256[:16]}.jpg",
        sha256=sha256,
        size=1000,
        content_type="image/jpeg",
        uploaded_by=by,
    )
    return sha256


def _account(claim: Claim, number: str, *, bank: str = "BRI", name_match: int = 100) -> None:
    PayoutAccount.objects.create(
        claim=claim, bank_code=bank, account_number=number, holder_name="X", name_match=name_match
    )


def _person(nik: str) -> Participant:
    return Participant.objects.get(nik=nik)


def _unclaimed(count: int, *, besides) -> list[Participant]:
    people = Participant.objects.filter(claims__isnull=True, deceased_on__isnull=True).exclude(pk__in=besides)
    return list(people.order_by("pk")[:count])


@pytest.fixture
def varied_claims(cso, participant) -> list[Claim]:
    """Claims of every program but JKK (no online case), reason and status, and each kind of trouble."""
    history = {}
    for claim in Claim.objects.exclude(program="JKK").order_by("pk"):
        history.setdefault((claim.program, claim.reason, claim.status, claim.channel), claim)
    sri, bambang = participant.participant, _person("3577011203750002")
    other, twice, no_balance = _unclaimed(3, besides=[sri.pk, bambang.pk])
    widow = Heir.objects.get(participant=bambang)
    strangers_heir = Heir.objects.exclude(participant=bambang).first()

    # Sri's online claim is complete; another participant reuses her account number and her KTP scan.
    sris = _claim(sri, channel="online", status="draft")
    for code, _label in assess(sri, "JHT", "resign", on=timezone.localdate()).documents:
        _document(sris, code, by=cso, content=f"sri {code}")
    _account(sris, "012345678901")
    copycat = _claim(other, reason="phk", channel="online")
    _document(copycat, "ektp", by=cso, content="sri ektp")
    _document(copycat, "paklaring", by=cso)
    _account(copycat, "012345678901", name_match=88)
    # The same account number at another bank is a different account.
    _account(_claim(no_balance, reason="end_of_contract"), "012345678901", bank="BNI", name_match=95)

    # Two open JHT claims of one participant (a collective list crossing an online claim).
    first = _claim(twice, reason="phk", channel="collective")
    _account(first, "998877665544")
    _claim(twice, reason="phk", channel="collective", status="in_verification")

    # A deceased participant's heir claims JHT (balance above the NPWP threshold), JKM and JP; a stranger's
    # heir on a claim is a mismatch; a death claim for someone alive is another.
    jht_death = _claim(bambang, reason="death", heir=widow)
    _document(jht_death, "npwp", by=cso)
    _claim(bambang, program="JKM", reason="death", heir=widow)
    _claim(bambang, program="JP", reason="death", heir=widow, status="returned_for_documents")
    _claim(_person("3519111402900005"), program="JKM", reason="death", heir=strangers_heir, status="draft")
    return [*history.values(), *Claim.objects.filter(created_at__gte=sris.created_at).order_by("pk")]


def _stored(claim_ids) -> dict[int, list[tuple[str, str, str]]]:
    stored: dict[int, list[tuple[str, str, str]]] = {pk: [] for pk in claim_ids}
    for claim_id, code, level, message in (
        ClaimFinding.objects.filter(claim_id__in=claim_ids)
        .order_by("id")
        .values_list("claim_id", "code", "level", "message")
    ):
        stored[claim_id].append((code, level, message))
    return stored


def test_the_findings_of_many_claims_are_those_of_each_claim_alone(varied_claims):
    ids = [c.pk for c in varied_claims]
    alone = {pk: compute_findings(Claim.objects.get(pk=pk)) for pk in ids}

    together = recompute_findings_for(ids)

    assert together == alone
    assert _stored(ids) == {pk: [(f.code, f.level, f.message) for f in alone[pk]] for pk in ids}


def test_the_varied_claims_meet_every_kind_of_trouble(varied_claims):
    """Guards the test above: its claims must reach every failing branch, not only the passing ones."""
    findings = recompute_findings_for([c.pk for c in varied_claims])
    failed = {f.code for claim_findings in findings.values() for f in claim_findings if f.level == "fail"}
    assert failed >= {
        "registry_match",
        "open_claim",
        "deceased",
        "bank_account",
        "document_reused",
        "documents",
    }
    levels = {(f.code, f.level) for claim_findings in findings.values() for f in claim_findings}
    assert {
        ("eligibility", "pass"),
        ("eligibility", "warn"),
        ("npwp", "pass"),
        ("bank_account", "warn"),
    } <= levels


def test_a_shared_account_and_a_reused_scan_name_the_other_claim_on_both_sides(varied_claims):
    accounts = PayoutAccount.objects.filter(bank_code="BRI", account_number="012345678901").order_by(
        "claim_id"
    )
    sris, copycat = [account.claim for account in accounts]
    findings = recompute_findings_for([sris.pk, copycat.pk])
    for claim, other in ((sris, copycat), (copycat, sris)):
        by_code = {f.code: f for f in findings[claim.pk]}
        assert by_code["bank_account"].level == "fail" and other.number in by_code["bank_account"].message
        assert (
            by_code["document_reused"].level == "fail" and other.number in by_code["document_reused"].message
        )


def test_amount_claimed_is_filled_where_missing_and_computable(varied_claims):
    before = {c.pk: c.amount_claimed for c in varied_claims}
    recompute_findings_for(list(before))
    for claim in Claim.objects.filter(pk__in=list(before)).select_related("participant", "heir", "branch"):
        if before[claim.pk] is not None:
            assert claim.amount_claimed == before[claim.pk]
            continue
        on = claim.submitted_on or timezone.localdate()
        assessment = assess(claim.participant, claim.program, claim.reason, on=on, heir=claim.heir)
        assert claim.amount_claimed == (None if assessment.problem else assessment.total)
    assert Claim.objects.filter(pk__in=list(before), amount_claimed__gt=0).count() > sum(
        1 for amount in before.values() if amount
    )


def test_amount_claimed_is_what_submit_claim_sets(participant, madiun):
    area = ServiceArea.objects.get(branch=madiun, name="Madiun")
    draft = actions.start_claim(
        participant=participant.participant,
        program="JHT",
        reason="resign",
        channel="online",
        by=participant,
        branch=madiun,
        area=area,
    )
    upload_checklist(draft, participant, actions)
    actions.save_payout_account(
        draft, by=participant, bank_code="BRI", account_number="0123-4567-8901", holder_name="SRI WAHJUNI"
    )
    submitted = actions.submit_claim(draft, by=participant, require_complete=True)
    Claim.objects.filter(pk=draft.pk).update(amount_claimed=None)

    recompute_findings_for([draft.pk])

    draft.refresh_from_db()
    assert draft.amount_claimed == submitted.amount_claimed == 46_250_000


def _mass_layoff(count: int, by) -> list[int]:
    """Claims of every program, each with an account (some shared) and scans (some reused)."""
    claims = []
    for program, share in (("JHT", 0.6), ("JKM", 0.2), ("JP", 0.2)):
        claims += list(Claim.objects.filter(program=program).order_by("pk")[: round(count * share)])
    for i, claim in enumerate(claims):
        _account(claim, f"77{i // 2:010d}")  # two claims per account
        _document(claim, "ektp", by=by, content=f"ektp {i // 3}")  # three claims per scan
        _document(claim, "kartu_keluarga", by=by)
    Claim.objects.filter(pk__in=[c.pk for c in claims[::4]]).update(amount_claimed=None)
    return [c.pk for c in claims]


def test_the_number_of_queries_does_not_grow_with_the_claims(cso, django_assert_max_num_queries):
    ids = _mass_layoff(50, cso)
    few, many = ids[::10], ids
    assert len(few) == 5
    reads = {}
    for claim_ids in (few, many):
        # Writes: one DELETE, the INSERTs (Django splits them at 999 parameters on SQLite), one UPDATE.
        with django_assert_max_num_queries(15), CaptureQueriesContext(connection) as queries:
            recompute_findings_for(claim_ids)
        reads[len(claim_ids)] = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads[5]) == len(reads[50]) <= 9  # 9: the JKM claims' named children, one query for all


def test_one_run_asks_the_rules_once_per_distinct_case_and_remembers_a_refusal_too(monkeypatch):
    asked = []

    def estimate(case):
        asked.append(case)
        if "balance" not in case:
            raise RulesInputError("balance", "Saldo wajib diisi.", "Balance is required.", code="required")
        return {"total": case["balance"]}

    monkeypatch.setattr(cases, "estimate", estimate)
    remembered = cases.memoised_estimate()
    assert remembered({"balance": 1}) is remembered({"balance": 1})
    assert remembered({"balance": 2}) == {"total": 2}
    for _twice in range(2):
        with pytest.raises(RulesInputError) as refusal:
            remembered({})
        assert refusal.value.code == "required"
    assert asked == [{"balance": 1}, {"balance": 2}, {}]


def test_priming_asks_the_rules_once_for_all_distinct_cases_and_answers_as_estimate(monkeypatch):
    from lapakasik.rules.api import estimate as real_estimate

    batches = []

    def estimate_many(cases_asked):
        batches.append(list(cases_asked))
        return [
            RulesInputError("balance", "-", "-") if c["program"] == "JHT" else real_estimate(c)
            for c in cases_asked
        ]

    monkeypatch.setattr(cases, "estimate_many", estimate_many)
    monkeypatch.setattr(cases, "estimate", lambda case: pytest.fail(f"asked one at a time: {case}"))
    case = {"program": "JKM", "death_date": date(2020, 6, 1), "contribution_months": 48}
    remembered = cases.memoised_estimate()
    remembered.prime([case, dict(case), {"program": "JHT"}])
    remembered.prime([case])  # already answered: not asked again
    assert batches == [[case, {"program": "JHT"}]]
    assert remembered(dict(case)) == real_estimate(case)
    with pytest.raises(RulesInputError):
        remembered({"program": "JHT"})
