"""JKP without a wage in the registry: an officer of the claim's branch enters the last reported wage from a
document, the amount is recomputed, the event is kept, and whoever entered it does not approve."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lapakasik.claims import actions
from lapakasik.claims.models import Claim, ClaimEvent
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Employer, Employment, Participant, ServiceArea

PHK = dt.date(2026, 10, 30)
DESK = {"documents": "Dokumen asli diperiksa di loket"}  # the counter's papers, not the point here


@pytest.fixture
def jkp_claim(madiun):
    """A JKP claim handed in at the counter; the employer never reported the worker's wage."""
    person = Participant.objects.create(
        nik="3519084507860051",
        kpj="18000000051",
        full_name="Sri Wahyuni",
        birth_date=dt.date(1986, 7, 5),
        sex="F",
        region_id="35.19.08",
    )
    Employment.objects.create(
        participant=person,
        employer=Employer.objects.filter(branch=madiun).first(),
        start=dt.date(2019, 1, 7),
        end=PHK,
        end_reason="phk",
    )
    return Claim.objects.create(
        program="JKP",
        reason="phk",
        channel="offline",
        status="in_verification",
        participant=person,
        branch=madiun,
        area=ServiceArea.objects.get(branch=madiun, name="Madiun"),
        submitted_on=dt.date(2026, 11, 20),
    )


def test_the_officer_enters_the_wage_and_the_six_payments_follow_from_it(jkp_claim, cso):
    actions.record_jkp_wage(jkp_claim, by=cso, wage="4.500.000", source="Slip gaji Oktober 2026")
    # PP 6/2025: 60% of Rp4.5 jt for six months.
    assert jkp_claim.officer_wage == 4_500_000 and jkp_claim.amount_claimed == 6 * 2_700_000
    event = ClaimEvent.objects.get(claim=jkp_claim, action="wage_recorded")
    assert event.actor == cso and event.note == "Slip gaji Oktober 2026"
    assert event.data["wage"] == 4_500_000 and event.data["amount"] == 16_200_000
    assert event.data["amount_before"] is None
    assert dict(jkp_claim.findings.values_list("code", "level"))["eligibility"] == "pass"


def test_the_wage_cap_still_applies_to_an_entered_wage(jkp_claim, cso):
    actions.record_jkp_wage(jkp_claim, by=cso, wage=9_000_000, source="Surat pemberi kerja")
    assert jkp_claim.amount_claimed == 6 * 3_000_000  # Rp5 jt cap


@pytest.mark.parametrize(
    ("wage", "source", "code"),
    [("", "Slip gaji", "wage_invalid"), ("4,5 juta", "Slip gaji", "wage_invalid"), (0, "Slip", "wage_invalid"),
     ("4500000", "   ", "source_required")],
)  # fmt: skip
def test_a_bad_wage_or_a_missing_source_is_refused_in_indonesian(jkp_claim, cso, wage, source, code):
    with pytest.raises(DomainError) as refused:
        actions.record_jkp_wage(jkp_claim, by=cso, wage=wage, source=source)
    assert refused.value.code == code and refused.value.field in {"wage", "source"}
    assert not ClaimEvent.objects.filter(claim=jkp_claim, action="wage_recorded").exists()


def test_a_wage_the_registry_holds_is_not_replaced_from_the_claim_page(jkp_claim, cso):
    jkp_claim.participant.employments.update(reported_wage=4_000_000)
    with pytest.raises(DomainError) as refused:
        actions.record_jkp_wage(jkp_claim, by=cso, wage=4_500_000, source="Slip gaji")
    assert refused.value.code == "registry_wage_present"
    assert not actions.may_record_jkp_wage(jkp_claim, cso)


def test_only_staff_of_the_claims_own_branch_enter_it(jkp_claim, outsider, finance, cso):
    with pytest.raises(DomainError) as other_branch:
        actions.record_jkp_wage(jkp_claim, by=outsider, wage=4_500_000, source="Slip gaji")
    assert other_branch.value.code == "not_found"
    with pytest.raises(DomainError) as not_an_officer:
        actions.record_jkp_wage(jkp_claim, by=finance, wage=4_500_000, source="Slip gaji")
    assert not_an_officer.value.code == "not_permitted"
    assert actions.may_record_jkp_wage(jkp_claim, cso) and not actions.may_record_jkp_wage(jkp_claim, finance)


def test_whoever_entered_the_wage_does_not_approve_the_claim(jkp_claim, cso, supervisor, branch_head):
    actions.record_jkp_wage(jkp_claim, by=cso, wage=4_500_000, source="Slip gaji")
    actions.verify_claim(jkp_claim, by=supervisor)
    with pytest.raises(DomainError) as refused:
        actions.approve_claim(jkp_claim, by=cso)
    assert refused.value.code == "four_eyes_wage"
    actions.approve_claim(jkp_claim, by=branch_head, overrides=DESK)
    assert Claim.objects.get(pk=jkp_claim.pk).status == "approved"


def test_a_wage_changed_after_approval_sends_the_claim_back_for_a_second_person(
    jkp_claim, cso, supervisor, branch_head
):
    actions.record_jkp_wage(jkp_claim, by=supervisor, wage=4_000_000, source="Slip gaji")
    actions.verify_claim(jkp_claim, by=supervisor)
    actions.approve_claim(jkp_claim, by=branch_head, overrides=DESK)
    actions.record_jkp_wage(
        jkp_claim, by=cso, wage=4_500_000, source="Slip gaji yang benar", expect="approved"
    )
    jkp_claim.refresh_from_db()
    assert jkp_claim.status == "in_verification" and jkp_claim.amount_claimed == 16_200_000
    actions_in_order = list(jkp_claim.events.order_by("at", "pk").values_list("action", flat=True))
    assert actions_in_order[-2:] == ["sent_back_wage_changed", "wage_recorded"]
    actions.verify_claim(jkp_claim, by=supervisor)
    with pytest.raises(DomainError) as refused:
        actions.approve_claim(jkp_claim, by=cso)
    assert refused.value.code in {"four_eyes_wage", "four_eyes"}
    actions.approve_claim(jkp_claim, by=branch_head, overrides=DESK)


def test_another_program_has_no_officer_wage(jkp_claim, cso):
    Claim.objects.filter(pk=jkp_claim.pk).update(program="JHT", reason="resign")
    jkp_claim.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        actions.record_jkp_wage(jkp_claim, by=cso, wage=4_500_000, source="Slip gaji")
    assert refused.value.code == "not_jkp"


def test_the_claim_page_offers_the_form_and_shows_the_recorded_wage(client, jkp_claim, cso):
    client.force_login(cso)
    page = client.get(reverse("console:claim", args=[jkp_claim.number]))
    assert 'data-testid="jkp-wage"' in page.content.decode()
    response = client.post(
        reverse("console:claim_jkp_wage", args=[jkp_claim.number]),
        {"wage": "4.500.000", "source": "Slip gaji Oktober 2026", "seen_status": "in_verification"},
    )
    assert response.status_code == 302
    page = client.get(reverse("console:claim", args=[jkp_claim.number]))
    assert "Rp4.500.000" in page.content.decode() and "Slip gaji Oktober 2026" in page.content.decode()
    bad = client.post(
        reverse("console:claim_jkp_wage", args=[jkp_claim.number]),
        {"wage": "banyak", "source": "Slip", "seen_status": "in_verification"},
    )
    assert bad.status_code == 400 and "Upah harus berupa jumlah rupiah utuh" in bad.content.decode()
