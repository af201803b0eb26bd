"""Served at any branch (the national rule since July 2020): the serving officer verifies, the home branch decides."""

import datetime as dt

import pytest
import time_machine

from lapakasik.booking import actions
from lapakasik.claims import actions as claim_actions
from lapakasik.claims.models import Claim
from lapakasik.lib.errors import DomainError

from .conftest import make_claimant, make_session

TUESDAY = dt.date(2026, 12, 1)
BEFORE = dt.datetime(2026, 11, 29, 1, 0, tzinfo=dt.UTC)  # Sunday 09:00 WITA: H-2, still movable
ON_THE_DAY = dt.datetime(2026, 12, 1, 0, 45, tzinfo=dt.UTC)  # Tuesday 08:45 WITA, session at 09:00 WITA


def _booked_in_makassar(claim, seats: int = 4):
    session = make_session(day=TUESDAY, seats=seats, branch_code="makassar", officer="cso.makassar")
    with time_machine.travel(BEFORE, tick=False):
        return actions.book_seat(session, claim, by=claim.claimant)


def _checked_in(booking):
    with time_machine.travel(ON_THE_DAY, tick=False):
        return actions.check_in(
            booking.session.branch, code=booking.code, nik_last4=booking.claim.participant.nik[-4:]
        )


def test_a_makassar_officer_verifies_a_madiun_claim_booked_in_a_makassar_session(db, madiun, outsider):
    claim = make_claimant(branch_code="madiun")
    area = claim.area
    booking = _checked_in(_booked_in_makassar(claim))
    assert Claim.objects.visible_to(outsider).filter(pk=claim.pk).count() == 1
    with time_machine.travel(ON_THE_DAY, tick=False):
        actions.call_next(booking.session, by=outsider)
        actions.record_verdict(booking, "verified", by=outsider, note="KTP dan paklaring asli cocok")
    claim.refresh_from_db()
    assert claim.status == "verified" and claim.verified_by == outsider
    # Still Madiun's claim, reported under its own region, and gone from Makassar's view once served.
    assert claim.branch == madiun and claim.area == area and area.branch == madiun
    assert not Claim.objects.visible_to(outsider).filter(pk=claim.pk).exists()


def test_the_serving_officer_can_return_the_claim_for_documents(db, outsider):
    claim = make_claimant(branch_code="madiun")
    booking = _checked_in(_booked_in_makassar(claim))
    with time_machine.travel(ON_THE_DAY, tick=False):  # verdicts are taken on the session's day only
        actions.record_verdict(booking, "documents_missing", by=outsider, note="Paklaring belum ada")
    assert Claim.objects.get(pk=claim.pk).status == "returned_for_documents"


def test_approval_and_rejection_stay_with_the_home_branch(db, outsider, cso):
    claim = make_claimant(branch_code="madiun")
    _checked_in(_booked_in_makassar(claim))
    claim = claim_actions.start_verification(claim, by=outsider)
    for decide in (
        lambda: claim_actions.approve_claim(claim, by=outsider),
        lambda: claim_actions.reject_claim(claim, by=outsider, code="not_eligible", note="Tidak memenuhi"),
    ):
        with pytest.raises(DomainError) as caught:
            decide()
        assert caught.value.code == "home_branch_only" and caught.value.status == 403
    assert claim_actions.verify_claim(claim, by=cso).status == "verified"  # the home branch may too


def test_a_madiun_claim_without_a_booking_in_makassar_stays_hidden_from_makassar(db, outsider):
    claim = make_claimant(branch_code="madiun")
    other = make_claimant(branch_code="madiun")
    madiun_session = make_session(day=TUESDAY, seats=4)
    with time_machine.travel(BEFORE, tick=False):
        actions.book_seat(madiun_session, other, by=other.claimant)
    for unseen in (claim, other):
        assert not Claim.objects.visible_to(outsider).filter(pk=unseen.pk).exists()
        with pytest.raises(DomainError) as caught:
            claim_actions.start_verification(unseen, by=outsider)
        assert caught.value.code == "not_found" and caught.value.status == 404


def test_a_cancelled_booking_no_longer_opens_the_claim_to_the_serving_branch(db, outsider):
    claim = make_claimant(branch_code="madiun")
    booking = _booked_in_makassar(claim)
    with time_machine.travel(BEFORE, tick=False):
        actions.cancel_booking(booking, by=claim.claimant)
    with pytest.raises(DomainError) as caught:
        claim_actions.start_verification(claim, by=outsider)
    assert caught.value.code == "not_found"


def test_a_claim_appears_once_in_the_serving_branch_list(db, outsider):
    claim = make_claimant(branch_code="madiun")
    booking = _booked_in_makassar(claim)
    with time_machine.travel(BEFORE, tick=False):
        # a moved booking leaves an inactive row behind; the new one is the active booking
        later = make_session(
            day=TUESDAY, at=dt.time(10), seats=4, branch_code="makassar", officer="cso.makassar"
        )
        actions.reschedule_booking(booking, later, by=claim.claimant)
    assert list(Claim.objects.visible_to(outsider).filter(number=claim.number)) == [claim]


def test_the_serving_officer_opens_the_claim_page_in_the_console(client, outsider):
    claim = make_claimant(branch_code="madiun")
    _booked_in_makassar(claim)
    client.force_login(outsider)
    assert client.get(f"/console/klaim/{claim.number}/").status_code == 200
    other = make_claimant(branch_code="madiun")
    assert client.get(f"/console/klaim/{other.number}/").status_code == 404
