"""Issue 5 in Debian's chromium: four participants book and check in, the officer serves the group of four,
and each claim moves on."""

import contextlib
import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from lapakasik.accounts.tests.browser import log_in, log_out
from lapakasik.booking.models import Booking
from lapakasik.claims.models import Claim
from lapakasik.demo.loader import DEMO_PASSWORD

from .conftest import make_claimant, make_session

pytestmark = pytest.mark.e2e

MADIUN_TZ = zoneinfo.ZoneInfo("Asia/Jakarta")


def _a_working_hour():
    """Check-in opens 60 minutes before a session: the session starts in 20 minutes, on today's date in
    Madiun. Late in the evening the clock is moved (ticking) to 10:00 WIB so the session stays on one day."""
    local = timezone.now().astimezone(MADIUN_TZ)
    if 6 <= local.hour < 22:
        return contextlib.nullcontext()
    return time_machine.travel(local.replace(hour=10, minute=0, second=0, microsecond=0), tick=True)


def _participants_with_claims(n: int) -> list[Claim]:
    claims = []
    for _ in range(n):
        claim = make_claimant(program="JHT", reason="resign", branch_code="madiun")
        claim.claimant.set_password(DEMO_PASSWORD)
        claim.claimant.save(update_fields=["password"])
        claims.append(claim)
    return claims


def _book_and_check_in(page, url: str, claim: Claim, session) -> str:
    log_in(page, url, claim.claimant.username)
    page.goto(f"{url}/jadwal/")
    page.click(f"[data-testid=choose-{claim.number}]")
    page.click(f"[data-testid=book-{session.pk}]")
    page.click("[data-testid=confirm-booking]")  # the confirmation step states the 24-hour rule
    code = page.inner_text("[data-testid=booking-code]")
    assert page.inner_text("[data-testid=booking-status]") == "Dipesan"
    log_out(page)
    # At the branch, from the QR code: no login.
    page.goto(f"{url}/jadwal/hadir/madiun/")
    page.fill("[data-testid=checkin-code]", code)
    page.fill("[data-testid=checkin-nik4]", claim.participant.nik[-4:])
    page.click("[data-testid=checkin-submit]")
    assert page.inner_text("[data-testid=queue-number]").strip().isdigit()
    return code


def test_four_participants_book_and_check_in_and_the_officer_serves_the_group(
    live_server, demo_world, browser_page
):
    page, url = browser_page, live_server.url
    with _a_working_hour():
        now = timezone.now().astimezone(MADIUN_TZ)
        starts = (now + dt.timedelta(minutes=20)).replace(second=0, microsecond=0)
        session = make_session(day=starts.date(), at=starts.time(), seats=4, minutes=60, officer="cso")
        claims = _participants_with_claims(4)

        codes = [_book_and_check_in(page, url, claim, session) for claim in claims]
        bookings = {b.claim_id: b for b in Booking.objects.filter(session=session)}
        assert sorted(b.display_code for b in bookings.values()) == sorted(codes)
        assert {b.status for b in bookings.values()} == {"checked_in"}
        seat = {claim.pk: bookings[claim.pk].seat_number for claim in claims}

        log_in(page, url, "cso")
        page.goto(f"{url}/console/sesi/")
        page.click(f"[data-testid=session-{session.pk}]")
        page.click("[data-testid=call-next]")
        for claim in claims[:3]:
            page.click(f"[data-testid=verdict-{seat[claim.pk]}-verified]")
            assert page.inner_text(f"[data-testid=claim-status-{seat[claim.pk]}]") == "Terverifikasi"
        returned = seat[claims[3].pk]
        page.fill(f"[data-testid=note-{returned}]", "Paklaring asli belum dibawa")
        page.click(f"[data-testid=verdict-{returned}-documents_missing]")
        assert page.inner_text(f"[data-testid=claim-status-{returned}]") == "Dikembalikan: dokumen kurang"

    statuses = [Claim.objects.get(pk=claim.pk).status for claim in claims]
    assert statuses == ["verified", "verified", "verified", "returned_for_documents"]
    assert Claim.objects.get(pk=claims[3].pk).decision_note == "Paklaring asli belum dibawa"
    assert {b.status for b in Booking.objects.filter(session=session)} == {"served"}
