"""Issue 14 in Debian's chromium: every participant page at 390x844 (and the narrowest phones, 320 px) has no
sideways scrolling and no serious or critical WCAG 2.1 A/AA violation that axe-core finds; the queue ticket
and the waiting-room screen are measured. Screenshots go to /tmp/shots-h14/ for a person to look at."""

import contextlib
import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from lapakasik.accounts.tests.browser import log_in, log_out
from lapakasik.booking import actions
from lapakasik.booking.tests.conftest import make_claimant, make_session
from lapakasik.claims import actions as claim_actions
from lapakasik.claims.tests.helpers import upload_checklist
from lapakasik.demo.loader import DEMO_PASSWORD
from lapakasik.registry.models import Branch, ServiceArea

pytestmark = pytest.mark.e2e

MADIUN_TZ = zoneinfo.ZoneInfo("Asia/Jakarta")
SHOTS = Path("/tmp/shots-h14")
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# The innermost elements reaching past the right edge, to say what to fix when a page scrolls sideways.
WIDEST = """(width) => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > width + 0.5 && e.children.length === 0)
  .slice(0, 4).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))"""
PHONE, NARROW = {"width": 390, "height": 844}, {"width": 320, "height": 640}
TASK_PAGES = [
    ("data-diri/", "task-identity"),
    ("pilihan/", "task-choice"),
    ("dokumen/", "task-documents"),
    ("rekening/", "task-account"),
    ("periksa/", "check-answers"),
    ("batalkan/", "cancel-claim"),
]


def _a_working_hour():
    """The ticket needs a check-in, open from 60 minutes before a session on the branch's date."""
    local = timezone.now().astimezone(MADIUN_TZ)
    if 6 <= local.hour < 21:
        return contextlib.nullcontext()
    return time_machine.travel(local.replace(hour=10, minute=0, second=0, microsecond=0), tick=True)


def _problems(page, name: str) -> list[str]:
    """Sideways scrolling and serious/critical axe findings on the page now shown; a screenshot beside."""
    SHOTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    found = []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        wide = page.evaluate(WIDEST, width)
        found.append(f"{name}: scrollWidth {scroll} > {width}: {wide}")
    if width == PHONE["width"]:
        results = Axe().run(page, options=WCAG_21_AA)
        for v in results.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in v["nodes"]][:3]
                found.append(f"{name}: {v['id']} ({v['impact']}) {targets}")
    return found


def _visit(page, url: str, name: str) -> list[str]:
    """The page at 390x844 (layout and axe), then narrowed to 320 px (layout) without reloading."""
    page.set_viewport_size(PHONE)
    page.goto(url)
    found = _problems(page, name)
    page.set_viewport_size(NARROW)
    return found + _problems(page, name)


def _draft_for_sri():
    from lapakasik.accounts.models import User

    sri = User.objects.get(username="peserta")
    madiun = Branch.objects.get(code="madiun")
    return claim_actions.start_claim(
        participant=sri.participant,
        program="JHT",
        reason="resign",
        channel="online",
        by=sri,
        branch=madiun,
        area=ServiceArea.objects.get(branch=madiun, name="Madiun"),
    )


@pytest.mark.timeout(900)  # some 26 pages, each checked by axe: minutes on a busy machine
def test_every_participant_page_fits_a_phone_and_passes_axe(live_server, demo_world, browser_page):
    page, url = browser_page, live_server.url
    found: list[str] = []
    with _a_working_hour():
        now = timezone.now().astimezone(MADIUN_TZ)
        soon = (now + dt.timedelta(minutes=20)).replace(second=0, microsecond=0)
        today = make_session(day=soon.date(), at=soon.time(), seats=4, minutes=60)
        later = now.date() + dt.timedelta(days=3)
        for hour in (9, 10):
            make_session(day=later, at=dt.time(hour), seats=2)
        make_session(day=later, at=dt.time(11), channel="online")
        claim = make_claimant()
        claim.claimant.set_password(DEMO_PASSWORD)
        claim.claimant.save(update_fields=["password"])
        waiting = make_claimant()
        draft = _draft_for_sri()

        # Public pages.
        found += _visit(page, f"{url}/", "home")
        found += _visit(page, f"{url}/perkiraan-manfaat/", "estimator")
        found += _visit(page, f"{url}/perkiraan-manfaat/?program=JHT", "estimator-jht")
        found += _visit(page, f"{url}/klaim/identifikasi/", "identify")
        found += _visit(page, f"{url}/jadwal/hadir/madiun/", "check-in")
        found += _visit(page, f"{url}/jadwal/undian/madiun/{later}/", "lottery-result")

        # The participant with a draft claim: claim start and the draft's documents page.
        log_in(page, url, "peserta")
        found += _visit(page, f"{url}/klaim/baru/", "claim-start")
        found += _visit(page, f"{url}/klaim/baru/?choice=JHT:resign", "claim-start-verdict")
        # The draft's task list and each task's page (the task list pattern), then check answers.
        found += _visit(page, f"{url}/klaim/{draft.number}/", "draft-claim")
        for path, name in TASK_PAGES:
            found += _visit(page, f"{url}/klaim/{draft.number}/{path}", name)
        page.set_viewport_size(PHONE)
        page.goto(f"{url}/klaim/{draft.number}/rekening/")
        page.fill("#id_account_number", "")
        page.click("button:has-text('Simpan rekening')")  # the error summary, focused
        found += _problems(page, "task-account-error")
        upload_checklist(draft, draft.claimant, claim_actions)
        claim_actions.save_payout_account(
            draft,
            by=draft.claimant,
            bank_code="BRI",
            account_number="012345678901",
            holder_name="Sri Wahyuni",
        )
        found += _visit(page, f"{url}/klaim/{draft.number}/", "draft-claim-ready")
        found += _visit(page, f"{url}/klaim/{draft.number}/periksa/", "check-answers-ready")
        found += _visit(page, f"{url}/klaim/", "my-claims")
        log_out(page)

        # The participant with a submitted claim: chooser, confirmation, booking, cancel question, schedule.
        log_in(page, url, claim.claimant.username)
        found += _visit(page, f"{url}/klaim/{claim.number}/terkirim/", "claim-submitted")
        found += _visit(page, f"{url}/jadwal/klaim/{claim.number}/?tanggal={later}", "session-chooser")
        session = today
        found += _visit(
            page, f"{url}/jadwal/klaim/{claim.number}/pesan/?sesi={session.pk}", "confirm-booking"
        )
        page.click("[data-testid=confirm-booking]")
        booking_url = page.url
        found += _visit(page, booking_url, "booking")
        found += _visit(page, f"{url}/jadwal/", "my-schedule")
        log_out(page)

        # Another claim waiting for a seat sees the cancel question on a booking more than 24 h away.
        other = actions.book_seat(make_session(day=later, at=dt.time(13)), waiting, by=waiting.claimant)
        waiting.claimant.set_password(DEMO_PASSWORD)
        waiting.claimant.save(update_fields=["password"])
        log_in(page, url, waiting.claimant.username)
        found += _visit(page, f"{url}/jadwal/{other.pk}/batal/", "cancel-booking")
        log_out(page)

        # At the branch: check in, then the ticket.
        page.set_viewport_size(PHONE)
        page.goto(f"{url}/jadwal/hadir/madiun/")
        booking = claim.bookings.get()
        page.fill("[data-testid=checkin-code]", booking.display_code)
        page.fill("[data-testid=checkin-nik4]", claim.participant.nik[-4:])
        page.click("[data-testid=checkin-submit]")
        number = page.locator("[data-testid=queue-number]")
        assert number.inner_text().strip() == "1"
        # Readable at arm's length: the number is at least 96 px high on a 390 px phone.
        assert number.bounding_box()["height"] >= 96
        found += _problems(page, "ticket")
        page.set_viewport_size(NARROW)
        found += _problems(page, "ticket")

    assert found == []


def test_the_waiting_room_screen_is_legible_across_a_room(live_server, demo_world, browser_page, cso):
    page, url = browser_page, live_server.url
    with _a_working_hour():
        now = timezone.now().astimezone(MADIUN_TZ)
        soon = (now + dt.timedelta(minutes=20)).replace(second=0, microsecond=0)
        session = make_session(day=soon.date(), at=soon.time(), seats=4, minutes=60)
        claim = make_claimant()
        booking = actions.book_seat(session, claim, by=claim.claimant)
        actions.check_in(session.branch, code=booking.code, nik_last4=claim.participant.nik[-4:])
        actions.call_next(session, by=cso)

        page.set_viewport_size({"width": 1920, "height": 1080})
        page.goto(f"{url}/jadwal/layar/madiun/")
        called = page.locator("[data-testid=called-number]").first
        height = called.bounding_box()["height"]
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "display-1920.png"))
        assert height >= 0.08 * 1080, f"called number {height:.0f} px high"
        text = page.inner_text("body")
        assert "Bilik" in text and cso.username not in text
        clock = page.inner_text("[data-testid=display-clock]")
        assert clock.endswith("WIB") and clock[:2].isdigit()
        # Sound only after a tap: the page plays nothing by itself, and the button turns it on.
        sound = page.locator("[data-sound]")
        assert sound.get_attribute("aria-pressed") == "false"
        sound.click()
        assert sound.get_attribute("aria-pressed") == "true"
        results = Axe().run(page, options=WCAG_21_AA)
        serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == []
