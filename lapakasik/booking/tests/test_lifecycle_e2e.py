"""Issue 12's booking seams in Debian's chromium, as the people concerned click them: the officer can record
only "Tidak hadir" for someone who never checked in; a returned claim is not bookable until re-submitted;
a participant leaves the waitlist from their schedule page after confirming."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from lapakasik.accounts.models import User
from lapakasik.accounts.tests.browser import confirm, log_in
from lapakasik.booking import actions
from lapakasik.booking.models import Booking, WaitlistEntry
from lapakasik.claims import actions as claim_actions
from lapakasik.claims import lifecycle as claim_lifecycle
from lapakasik.claims.models import Claim
from lapakasik.demo.loader import DEMO_PASSWORD

from .conftest import make_claimant, make_session
from .test_booking_e2e import _a_working_hour

pytestmark = pytest.mark.e2e

MADIUN_TZ = zoneinfo.ZoneInfo("Asia/Jakarta")


def _claimant_who_can_log_in() -> Claim:
    claim = make_claimant(program="JHT", reason="resign", branch_code="madiun")
    claim.claimant.set_password(DEMO_PASSWORD)
    claim.claimant.save(update_fields=["password"])
    return claim


def _flash(page) -> str:
    return " ".join(page.locator(".flash").all_inner_texts())


def test_the_officer_verifies_who_checked_in_and_can_only_mark_absent_who_did_not(
    live_server, demo_world, browser_page
):
    page, url = browser_page, live_server.url
    with _a_working_hour():
        now = timezone.now().astimezone(MADIUN_TZ)
        starts = (now + dt.timedelta(minutes=20)).replace(second=0, microsecond=0)
        session = make_session(day=starts.date(), at=starts.time(), seats=4, minutes=60, officer="cso")
        came, stayed_home = make_claimant(), make_claimant()
        present = actions.book_seat(session, came, by=came.claimant)
        absent = actions.book_seat(session, stayed_home, by=stayed_home.claimant)
        actions.check_in(session.branch, code=present.code, nik_last4=came.participant.nik[-4:])

        log_in(page, url, "cso")
        page.goto(f"{url}/console/sesi/{session.pk}/")
        page.click("[data-testid=call-next]")
        assert page.locator(f"[data-testid=verdict-{absent.seat_number}-verified]").count() == 0
        assert "Belum check-in" in page.inner_text(f"[data-testid=not-present-{absent.seat_number}]")
        page.click(f"[data-testid=verdict-{present.seat_number}-verified]")
        assert page.inner_text(f"[data-testid=claim-status-{present.seat_number}]") == "Terverifikasi"
        page.click(f"[data-testid=verdict-{absent.seat_number}-absent]")
        with page.expect_navigation():
            confirm(page)

    assert Claim.objects.get(pk=came.pk).status == "verified"
    assert Claim.objects.get(pk=stayed_home.pk).status == "submitted"
    assert Booking.objects.get(pk=absent.pk).status == "no_show"


def test_a_returned_claim_is_booked_only_after_it_is_resubmitted(live_server, demo_world, browser_page):
    page, url = browser_page, live_server.url
    cso = User.objects.get(username="cso")
    claim = _claimant_who_can_log_in()
    claim = claim_actions.return_for_documents(
        claim_actions.start_verification(claim, by=cso), by=cso, reason="Paklaring belum ada"
    )
    day = timezone.now().astimezone(MADIUN_TZ).date() + dt.timedelta(days=2)
    session = make_session(day=day, at=dt.time(10), seats=4)

    log_in(page, url, claim.claimant.username)
    page.goto(f"{url}/jadwal/")
    assert "Paklaring belum ada" in page.inner_text(f"[data-testid=returned-{claim.number}]")
    assert page.locator(f"[data-testid=choose-{claim.number}]").count() == 0
    page.goto(f"{url}/jadwal/klaim/{claim.number}/")  # an old bookmark still reaches the list
    page.click(f"[data-testid=book-{session.pk}]")
    page.click("[data-testid=confirm-booking]")  # the confirmation step states the 24-hour rule
    assert "ajukan ulang" in _flash(page)
    assert not Booking.objects.filter(claim=claim).exists()

    claim_lifecycle.move([claim], "submitted", by=claim.claimant)  # documents re-sent
    page.goto(f"{url}/jadwal/")
    page.click(f"[data-testid=choose-{claim.number}]")
    page.click(f"[data-testid=book-{session.pk}]")
    page.click("[data-testid=confirm-booking]")  # the confirmation step states the 24-hour rule
    assert page.inner_text("[data-testid=booking-status]") == "Dipesan"


def test_the_participant_leaves_the_waitlist_after_confirming(live_server, demo_world, browser_page):
    page, url = browser_page, live_server.url
    claim = _claimant_who_can_log_in()
    day = timezone.now().astimezone(MADIUN_TZ).date() + dt.timedelta(days=2)
    entry = actions.join_waitlist(claim, branch=claim.branch, date=day, channel="offline", by=claim.claimant)

    log_in(page, url, claim.claimant.username)
    page.goto(f"{url}/jadwal/")
    page.click(f"[data-testid=leave-waitlist-{entry.pk}]")
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "waiting"  # asked, not yet confirmed
    page.click("[data-testid=leave-waitlist-confirm]")
    assert "keluar dari daftar tunggu" in _flash(page)
    assert page.locator(f"[data-testid=leave-waitlist-{entry.pk}]").count() == 0
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "left"
