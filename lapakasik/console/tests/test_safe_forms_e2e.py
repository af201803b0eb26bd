"""Issue 13's safety findings, replayed in Debian's chromium at 1366×768: Enter in a reason field, the
confirmation dialog on irreversible steps, distinct verdict buttons and a message after each action."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from lapakasik.accounts.tests.browser import confirm, log_in
from lapakasik.booking import actions as booking_actions
from lapakasik.booking.models import Booking
from lapakasik.booking.tests.conftest import make_claimant, make_session
from lapakasik.booking.tests.test_booking_e2e import MADIUN_TZ, _a_working_hour
from lapakasik.claims.models import Claim
from lapakasik.payments.models import PaymentBatch

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("LAPAKASIK_SHOTS", "/tmp/shots-h13safety"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _flash(page) -> str:
    return " ".join(page.locator(".flash").all_inner_texts())


def _prepared_batch(bank: str) -> PaymentBatch:
    from lapakasik.accounts.models import User
    from lapakasik.payments import actions
    from lapakasik.payments.tests.conftest import make_approved_claim
    from lapakasik.registry.models import Branch

    madiun = Branch.objects.get(code="madiun")
    make_approved_claim(madiun, gross=15_000_000, bank=bank)
    return actions.prepare_batch(madiun, bank, by=User.objects.get(username="keuangan"))


def test_enter_in_the_cancellation_reason_asks_to_cancel_and_never_approves(
    live_server, demo_world, browser_page
):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    batch = _prepared_batch("BNI")
    log_in(page, live_server.url, "keuangan2")
    page.goto(f"{live_server.url}/console/payments/batches/{batch.number}/")
    page.fill("[data-testid=cancel-reason]", "Rekening peserta salah ketik")
    page.press("[data-testid=cancel-reason]", "Enter")
    dialog = page.locator("#confirm-dialog")
    dialog.wait_for(state="visible")
    assert "Batalkan batch" in dialog.inner_text()
    _shot(page, "batch-enter-in-reason-asks-to-cancel")
    page.click("[data-testid=confirm-no]")  # changed their mind: nothing happens
    assert not dialog.is_visible()
    batch.refresh_from_db()
    assert batch.status == "prepared"

    page.click("[data-testid=approve]")
    assert "Setujui batch" in dialog.inner_text()
    page.keyboard.press("Escape")
    assert PaymentBatch.objects.get(pk=batch.pk).status == "prepared"

    page.press("[data-testid=cancel-reason]", "Enter")
    with page.expect_navigation():
        confirm(page)
    assert PaymentBatch.objects.get(pk=batch.pk).status == "cancelled"
    assert "Batch dibatalkan" in _flash(page)
    assert page.locator("[role=alert]").count() == 0  # no "total does not match" alarm on a cancelled batch
    _shot(page, "batch-cancelled-no-alarm")


def test_the_checker_approves_downloads_the_transfer_file_then_marks_it_sent(
    live_server, demo_world, browser_page
):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    batch = _prepared_batch("BRI")
    log_in(page, live_server.url, "keuangan2")
    page.goto(f"{live_server.url}/console/payments/batches/{batch.number}/")
    page.click("[data-testid=approve]")
    with page.expect_navigation():
        confirm(page)
    assert "Batch disetujui" in _flash(page)
    _shot(page, "batch-approved-two-steps")
    page.click("[data-testid=send]")  # before the download: refused with the way forward
    with page.expect_navigation():
        confirm(page)
    assert "Unduh berkas transfer dahulu" in _flash(page)
    with page.expect_download() as download:
        page.click("[data-testid=transfer-file]")
    assert download.value.suggested_filename == f"{batch.number}.csv"
    page.reload()
    page.click("[data-testid=send]")
    with page.expect_navigation():
        confirm(page)
    assert page.inner_text("[data-testid=batch-status]") == "Dikirim ke bank"
    assert "ditandai terkirim" in _flash(page)


def test_the_officer_s_verdicts_differ_in_colour_enter_in_the_note_returns_and_no_show_asks_first(
    live_server, demo_world, browser_page
):
    page, url = browser_page, live_server.url
    page.set_viewport_size({"width": 1366, "height": 768})
    with _a_working_hour():
        now = timezone.now().astimezone(MADIUN_TZ)
        starts = (now + dt.timedelta(minutes=20)).replace(second=0, microsecond=0)
        session = make_session(day=starts.date(), at=starts.time(), seats=4, minutes=60, officer="cso")
        first, second, third = make_claimant(), make_claimant(), make_claimant()
        bookings = [booking_actions.book_seat(session, c, by=c.claimant) for c in (first, second, third)]
        for booking, claim in zip(bookings[:2], (first, second), strict=True):
            booking_actions.check_in(session.branch, code=booking.code, nik_last4=claim.participant.nik[-4:])
        seat = {b.claim_id: b.seat_number for b in bookings}

        log_in(page, url, "cso")
        page.goto(f"{url}/console/sesi/{session.pk}/")
        page.click("[data-testid=call-next]")
        colours = {
            verdict: page.eval_on_selector(
                f"[data-testid=verdict-{seat[first.pk]}-{verdict}]",
                "b => getComputedStyle(b).backgroundColor",
            )
            for verdict in ("verified", "documents_missing", "absent")
        }
        assert len(set(colours.values())) == 3, colours
        _shot(page, "session-verdicts")

        note = f"[data-testid=note-{seat[second.pk]}]"
        page.fill(note, "Paklaring asli belum dibawa")
        with page.expect_navigation():
            page.press(note, "Enter")  # Enter in the note records "documents missing", never "verified"
        assert Claim.objects.get(pk=second.pk).status == "returned_for_documents"
        assert "Dokumen kurang" in _flash(page)

        page.click(f"[data-testid=verdict-{seat[first.pk]}-verified]")
        assert "Terverifikasi" in _flash(page)

        page.click(f"[data-testid=verdict-{seat[third.pk]}-absent]")
        assert "tidak hadir" in page.inner_text("#confirm-dialog").lower()
        _shot(page, "session-no-show-asks-first")
        with page.expect_navigation():
            confirm(page)
        assert "Tidak hadir" in _flash(page)
    assert Claim.objects.get(pk=first.pk).status == "verified"
    assert Booking.objects.get(pk=bookings[2].pk).status == "no_show"


def test_enter_in_the_mandate_refusal_reason_asks_to_refuse(live_server, demo_world, browser_page):
    from django.core.files.base import ContentFile

    from lapakasik.accounts.models import User
    from lapakasik.collective.models import Mandate
    from lapakasik.lib.dates import today_at

    rep = User.objects.get(username="pemberikerja")
    today = today_at(rep.employer.branch.time_zone)
    mandate = Mandate.objects.create(
        employer=rep.employer,
        representative=rep,
        power_of_attorney=ContentFile(b"%PDF-1.4\n%%EOF\n", name="kuasa.pdf"),
        poa_sha256="x",
        poa_content_type="application/pdf",
        statement_accepted_at=timezone.now(),
        valid_from=today,
        valid_until=today + dt.timedelta(days=30),
    )
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/console/kolektif/")
    page.fill("[data-testid=mandate-reject-note]", "Tanda tangan direksi tidak ada")
    page.press("[data-testid=mandate-reject-note]", "Enter")
    assert "Tolak surat kuasa" in page.inner_text("#confirm-dialog")
    _shot(page, "mandate-enter-asks-to-refuse")
    with page.expect_navigation():
        confirm(page)
    mandate.refresh_from_db()
    assert mandate.status == "rejected"
    assert "ditolak" in _flash(page)
