"""The seams between intake, verification, booking and payments (issue 12), each as the people meet it.

a. staff record a counter claimant's bank account and desk documents; finance sees what stops each payment;
b. an account changed after approval goes back for a second person's recheck, and is not paid before;
c. failing findings block approval unless overridden in writing, and the reason stays in the audit trail;
d. a claim returned for documents keeps a booking only if the session can still take the documents.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from lapakasik.accounts.models import User
from lapakasik.claims import actions
from lapakasik.claims.models import Claim, ClaimEvent, PayoutAccount
from lapakasik.lib.errors import DomainError
from lapakasik.payments.queries import approved_not_ready, ready_claims

from .helpers import jpeg

OVERRIDE = "Berkas asli diperiksa di loket dan cocok."


def counter_claim(name: str) -> Claim:
    """One of the demo's counter (luring) claims: no claimant account, no documents, no bank account."""
    from lapakasik.demo.loader import LIVE_CLAIMS

    nik = next(row[0] for row in LIVE_CLAIMS if row[2] == name)
    return Claim.objects.get(participant__nik=nik, channel="offline")


def approved_counter_claim(supervisor, cso) -> Claim:
    claim = counter_claim("Hendra Gunawan")  # verified by the demo's CSO, Rp62,3 juta, no documents
    return actions.approve_claim(claim, by=supervisor, overrides={"documents": OVERRIDE, "npwp": OVERRIDE})


@pytest.fixture
def second_cso(cso):
    return User.objects.create(username="cso2", role="cso", branch=cso.branch, first_name="Sari")


# ---------------------------------------------------------------- c. findings block approval


def test_a_supervisor_cannot_approve_a_claim_without_documents_in_one_click(supervisor):
    claim = counter_claim("Hendra Gunawan")
    with pytest.raises(DomainError) as refused:
        actions.approve_claim(claim, by=supervisor)
    assert (
        refused.value.code == "findings_not_overridden" and "Dokumen belum lengkap" in refused.value.message
    )
    assert Claim.objects.get(pk=claim.pk).status == "verified"


def test_an_override_needs_a_written_reason_and_is_kept_in_the_audit_trail(supervisor):
    claim = counter_claim("Hendra Gunawan")
    with pytest.raises(DomainError):
        actions.approve_claim(claim, by=supervisor, overrides={"documents": "   "})
    with pytest.raises(DomainError) as refused:  # the NPWP (above the threshold) is missing too
        actions.approve_claim(claim, by=supervisor, overrides={"documents": OVERRIDE})
    assert "NPWP" in refused.value.message and "Dokumen belum lengkap" not in refused.value.message
    actions.approve_claim(
        claim, by=supervisor, overrides={"documents": OVERRIDE, "npwp": "NPWP dilihat di loket"}
    )
    event = ClaimEvent.objects.get(claim=claim, action="finding_overridden", data__code="documents")
    assert event.actor == supervisor and event.note == OVERRIDE
    assert event.data["code"] == "documents" and event.data["reason"] == OVERRIDE
    assert event.data["message"].startswith("Dokumen belum lengkap")


def test_the_verifiers_override_is_shown_to_the_supervisor_and_only_a_supervisor_approves_over_it(
    client, cso, second_cso, supervisor
):
    claim = counter_claim("Dewi Lestari")  # in verification, Rp19,4 juta: below the supervisor threshold
    actions.verify_claim(claim, by=cso, overrides={"documents": OVERRIDE})
    with pytest.raises(DomainError) as refused:
        actions.approve_claim(claim, by=second_cso)
    assert refused.value.code == "supervisor_required"
    client.force_login(supervisor)
    page = client.get(reverse("console:claim", args=[claim.number])).content.decode()
    assert 'data-testid="override-documents"' in page and OVERRIDE in page
    client.post(
        reverse("console:claim_decide", args=[claim.number]),
        {"decision": "approve", "seen_status": "verified"},
    )
    assert Claim.objects.get(pk=claim.pk).status == "approved"


def test_a_finding_that_failed_after_the_override_blocks_approval_again(cso, supervisor):
    claim = counter_claim("Dewi Lestari")
    account = {"bank_code": "BRI", "account_number": "0021010001234"}
    actions.save_payout_account(claim, by=cso, holder_name="Dewi Lestari", **account)
    actions.verify_claim(claim, by=cso, overrides={"documents": OVERRIDE})
    # Meanwhile another person's claim is to be paid to the very same account.
    actions.save_payout_account(
        counter_claim("Agus Prasetyo"), by=cso, holder_name="Agus Prasetyo", **account
    )
    with pytest.raises(DomainError) as refused:
        actions.approve_claim(claim, by=supervisor)
    assert refused.value.code == "findings_not_overridden" and "klaim orang lain" in refused.value.message


# ---------------------------------------------------------------- a. counter claims: account and desk documents


def test_staff_record_a_counter_claimants_account_and_desk_documents_on_the_claim_page(client, cso):
    claim = counter_claim("Dewi Lestari")  # in verification
    client.force_login(cso)
    response = client.post(
        reverse("console:claim_desk_account", args=[claim.number]),
        {"bank_code": "BRI", "account_number": "0021-0100-0999-5", "holder_name": "DEWI LESTARI"},
    )
    assert response.status_code == 302
    account = PayoutAccount.objects.get(claim=claim)
    assert account.account_number == "0021010009995" and account.status == "entered"
    assert account.changed_by == cso
    response = client.post(
        reverse("console:claim_desk_document", args=[claim.number]), {"kind": "ektp", "file": jpeg()}
    )
    assert response.status_code == 302
    assert claim.documents.get().uploaded_by == cso
    actions_written = list(ClaimEvent.objects.filter(claim=claim).values_list("action", flat=True))
    assert actions_written[-2:] == ["payout_account_saved", "document_added"]


def test_a_desk_document_gets_the_portals_upload_checks_and_a_wrong_account_names_its_field(client, cso):
    from django.core.files.uploadedfile import SimpleUploadedFile

    claim = counter_claim("Dewi Lestari")
    client.force_login(cso)
    fake = SimpleUploadedFile("ktp.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    page = client.post(
        reverse("console:claim_desk_document", args=[claim.number]), {"kind": "ektp", "file": fake}
    )
    assert page.status_code == 400 and not claim.documents.exists()
    page = client.post(
        reverse("console:claim_desk_account", args=[claim.number]),
        {"bank_code": "BRI", "account_number": "12", "holder_name": "Dewi Lestari"},
    )
    assert page.status_code == 400 and "Nomor rekening" in page.context["error"]
    assert not PayoutAccount.objects.filter(claim=claim).exists()


def test_finance_sees_every_approved_claim_and_what_still_stops_its_payment(client, cso, supervisor, finance):
    claim = approved_counter_claim(supervisor, cso)
    client.force_login(finance)
    page = client.get(reverse("console:payments:home")).content.decode()
    assert f'data-testid="not-ready-{claim.number}"' in page and "Belum ada rekening" in page
    [row] = [row for row in approved_not_ready(claim.branch) if row.claim.pk == claim.pk]
    assert row.blockers == ["no_account"]


# ---------------------------------------------------------------- b. an account changed after approval


def test_an_account_entered_after_approval_sends_the_claim_back_and_its_changer_cannot_reapprove(
    client, cso, second_cso, supervisor
):
    claim = approved_counter_claim(supervisor, cso)
    actions.save_payout_account(
        claim, by=supervisor, bank_code="BNI", account_number="0451239999", holder_name="Hendra Gunawan"
    )
    claim.refresh_from_db()
    account = PayoutAccount.objects.get(claim=claim)
    assert (
        claim.status == "in_verification" and account.status == "recheck" and account.changed_by == supervisor
    )
    assert ClaimEvent.objects.filter(
        claim=claim, action="sent_back_for_recheck", to_status="in_verification"
    ).exists()
    assert not ready_claims(claim.branch).filter(pk=claim.pk).exists()
    [row] = [row for row in approved_not_ready(claim.branch) if row.claim.pk == claim.pk]
    assert row.blockers == ["account_recheck"]
    actions.verify_claim(claim, by=cso)
    client.force_login(supervisor)
    page = client.get(reverse("console:claim", args=[claim.number])).content.decode()
    assert 'value="approve"' not in page  # not offered to the account's changer, who would be refused
    with pytest.raises(DomainError) as refused:
        actions.approve_claim(claim, by=supervisor)  # changed the account: not the one to re-check it
    assert refused.value.code == "four_eyes_account"
    assert not ready_claims(claim.branch).filter(pk=claim.pk).exists()
    head = User.objects.get(username="kepalacabang")
    client.force_login(head)
    assert 'value="approve"' in client.get(reverse("console:claim", args=[claim.number])).content.decode()
    actions.approve_claim(claim, by=head)
    assert PayoutAccount.objects.get(claim=claim).status == "checked"
    assert ready_claims(claim.branch).filter(pk=claim.pk).exists()
    assert ClaimEvent.objects.filter(claim=claim, action="payout_account_rechecked", actor=head).exists()


def test_a_claimant_replacing_the_account_of_an_approved_claim_is_not_paid_before_a_recheck(
    participant, madiun, cso, second_cso, supervisor, django_capture_on_commit_callbacks
):
    from lapakasik.registry.models import ServiceArea

    claim = actions.start_claim(
        participant=participant.participant,
        program="JHT",
        reason="resign",
        channel="online",
        by=participant,
        branch=madiun,
        area=ServiceArea.objects.get(branch=madiun, name="Madiun"),
    )
    name = participant.participant.full_name
    actions.save_payout_account(
        claim, by=participant, bank_code="BRI", account_number="0021010001", holder_name=name
    )
    actions.submit_claim(claim, by=participant, amount_claimed=9_000_000)
    actions.start_verification(claim, by=cso)
    actions.verify_claim(claim, by=cso, overrides={"documents": OVERRIDE})
    actions.approve_claim(claim, by=supervisor)
    assert ready_claims(madiun).filter(pk=claim.pk).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_payout_account(
            claim, by=participant, bank_code="BCA", account_number="7770001112", holder_name=name
        )
    claim.refresh_from_db()
    assert claim.status == "in_verification" and not ready_claims(madiun).filter(pk=claim.pk).exists()
    assert any("Sedang diverifikasi" in m.body for m in mail.outbox)  # the claimant is told
    actions.verify_claim(claim, by=second_cso)
    actions.approve_claim(claim, by=supervisor)  # the claimant changed it: any second officer re-checks
    assert ready_claims(madiun).filter(pk=claim.pk).exists()


# ---------------------------------------------------------------- d. a returned claim and its booking


def _returned_with_booking(session_day: dt.date, channel: str, cso):
    from lapakasik.booking import actions as booking_actions
    from lapakasik.booking.tests.conftest import make_claimant, make_session

    claim = make_claimant()
    session = make_session(day=session_day, channel=channel)
    with time_machine.travel(dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC), tick=False):  # Monday 08:00 WIB
        booking = booking_actions.book_seat(session, claim, by=claim.claimant)
    actions.start_verification(claim, by=cso)
    return claim, booking


@pytest.mark.parametrize(
    ("returned_at", "channel", "kept"),
    [
        (
            dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC),
            "online",
            True,
        ),  # Monday: documents due by Monday night
        (
            dt.datetime(2026, 12, 1, 0, 30, tzinfo=dt.UTC),
            "online",
            False,
        ),  # Tuesday 07:30 WIB: too late online
        (
            dt.datetime(2026, 12, 1, 0, 30, tzinfo=dt.UTC),
            "offline",
            True,
        ),  # at the branch: handed to the officer
    ],
    ids=["online, a day ahead", "online, on the day", "at the branch, on the day"],
)
def test_a_returned_claim_keeps_its_booking_only_if_the_session_can_still_take_the_documents(
    db, cso, returned_at, channel, kept, django_capture_on_commit_callbacks
):
    claim, booking = _returned_with_booking(dt.date(2026, 12, 1), channel, cso)
    mail.outbox.clear()
    with time_machine.travel(returned_at, tick=False), django_capture_on_commit_callbacks(execute=True):
        actions.return_for_documents(claim, by=cso, reason="Paklaring belum ada")
    booking.refresh_from_db()
    assert booking.status == ("booked" if kept else "cancelled")
    told = [m for m in mail.outbox if "dibatalkan" in m.subject]
    if kept:
        assert not told
    else:
        assert booking.events.filter(action="cancelled", note="Paklaring belum ada", actor=cso).exists()
        assert len(told) == 1 and "Paklaring belum ada" in told[0].body
        assert booking.session.__class__.objects.get(pk=booking.session_id).seats_taken == 0


def test_the_officer_resubmits_a_counter_claim_once_the_desk_documents_are_in(client, cso):
    claim = counter_claim("Rina Marlina")  # returned for documents, no claimant account
    client.force_login(cso)
    client.post(
        reverse("console:claim_desk_document", args=[claim.number]), {"kind": "paklaring", "file": jpeg()}
    )
    client.post(
        reverse("console:claim_decide", args=[claim.number]),
        {"decision": "submit", "seen_status": claim.status},
    )
    assert Claim.objects.get(pk=claim.pk).status == "submitted"


# ---------------------------------------------------------------- one start, one assessment date


def test_the_portal_and_the_api_refuse_the_same_online_claim_alike(client, participant):
    client.force_login(participant)
    api = client.post("/api/claims/", {"program": "JKM", "reason": "death"}, content_type="application/json")
    assert api.status_code == 400 and api.json()["code"] == "reason_not_for_program"
    with pytest.raises(DomainError) as refused:
        actions.start_online_claim(
            by=participant, participant=participant.participant, program="JKM", reason="death"
        )
    assert refused.value.code == "reason_not_for_program" and refused.value.message == api.json()["message"]


def test_an_open_claim_is_assessed_on_the_day_it_was_submitted_wherever_it_is_shown(client, cso):
    from lapakasik.claims.cases import assessment_date

    claim = counter_claim("Agus Prasetyo")  # submitted seven working days ago
    assert assessment_date(claim) == claim.submitted_on
    client.force_login(cso)
    shown = client.get(reverse("console:claim", args=[claim.number])).context["assessment"]
    from lapakasik.claims.cases import assess

    assert shown == assess(claim.participant, "JHT", claim.reason, on=claim.submitted_on)
