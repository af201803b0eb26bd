"""The participant's pages, the public check-in and display, and the officer's pages."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from lapakasik.booking import actions
from lapakasik.booking.models import Booking

from .conftest import make_claimant, make_session

NOW = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)
TUESDAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_participant_sees_their_own_branch_first_and_books_once_on_a_double_click(db, client):
    claim = make_claimant()
    madiun = make_session(day=TUESDAY, at=dt.time(10), seats=4)
    makassar = make_session(day=TUESDAY, at=dt.time(9), branch_code="makassar", officer="cso.makassar")
    client.force_login(claim.claimant)
    page = client.get(f"/jadwal/klaim/{claim.number}/")
    assert page.status_code == 200 and "Kantor Cabang Makassar" in page.text
    assert [b.code for b in page.context["branches"]][:2] == ["madiun", "makassar"]
    assert [s for g in page.context["day"].groups for s in g.sessions] == [
        madiun
    ]  # Makassar is one choice away
    other = client.get(f"/jadwal/klaim/{claim.number}/?cabang=makassar")
    assert [s for g in other.context["day"].groups for s in g.sessions] == [makassar]
    form = {"session": madiun.pk, "request_key": "abc"}
    first = client.post(f"/jadwal/klaim/{claim.number}/pesan/", form)
    second = client.post(f"/jadwal/klaim/{claim.number}/pesan/", form)
    assert first.url == second.url
    assert Booking.objects.filter(claim=claim).count() == 1
    detail = client.get(first.url)
    assert "WIB" in detail.text and Booking.objects.get(claim=claim).display_code in detail.text


def test_another_participant_cannot_open_my_booking(client, participant):
    claim = make_claimant()
    booking = actions.book_seat(make_session(day=TUESDAY), claim, by=claim.claimant)
    client.force_login(participant)
    assert client.get(f"/jadwal/{booking.pk}/").status_code == 404
    assert client.get(f"/jadwal/{booking.pk}/kalender.ics").status_code == 404


@override_settings(VIDEO_ROOM_URL_TEMPLATE="https://video.example/{room}")
def test_the_video_link_is_on_the_page_only_for_the_owner_after_consent_and_shortly_before(db, client):
    claim = make_claimant()
    session = make_session(day=TUESDAY, channel="online")
    booking = actions.book_seat(session, claim, by=claim.claimant)
    client.force_login(claim.claimant)
    client.post(f"/jadwal/{booking.pk}/setuju-video/")
    assert session.room not in client.get(f"/jadwal/{booking.pk}/").text
    with time_machine.travel(session.starts_at - dt.timedelta(minutes=5), tick=False):
        assert 'data-testid="video-link"' in client.get(f"/jadwal/{booking.pk}/").text
        # The room is reached through the join button, which records the online check-in.
        joined = client.post(f"/jadwal/{booking.pk}/masuk-video/")
        assert joined.url == f"https://video.example/{session.room}"
    assert Booking.objects.get(pk=booking.pk).status == "checked_in"


def test_check_in_with_a_wrong_code_is_refused_and_repeated_guessing_is_locked(db, client, settings):
    settings.LOGIN_ATTEMPTS_LIMIT = 2
    claim = make_claimant()
    booking = actions.book_seat(make_session(day=TUESDAY), claim, by=claim.claimant)
    with time_machine.travel(dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC), tick=False):
        assert client.post("/jadwal/hadir/madiun/", {"code": "WRONGCODE", "nik4": "1234"}).status_code == 404
        nik4 = claim.participant.nik[-4:]
        wrong = {"code": booking.display_code, "nik4": "0000" if nik4 != "0000" else "1111"}
        assert client.post("/jadwal/hadir/madiun/", wrong).status_code == 404
        # The failure that reaches the limit on this code already says how long to wait.
        third = client.post("/jadwal/hadir/madiun/", wrong)
        assert third.status_code == 429 and "coba lagi dalam 1 menit" in third.content.decode()
        right = {"code": booking.display_code, "nik4": nik4}
        assert client.post("/jadwal/hadir/madiun/", right).status_code == 429


def test_check_in_shows_the_queue_number_and_the_display_calls_it(client, cso):
    claim = make_claimant()
    session = make_session(day=TUESDAY, seats=4)
    booking = actions.book_seat(session, claim, by=claim.claimant)
    with time_machine.travel(dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC), tick=False):
        page = client.post(
            "/jadwal/hadir/madiun/", {"code": booking.code, "nik4": claim.participant.nik[-4:]}, follow=True
        )
        assert page.status_code == 200 and page.context["ticket"].queue_number == 1
        actions.call_next(session, by=cso)
        board = client.get("/jadwal/layar/madiun/")
        assert board.context["called"][0][0] == 1


def test_the_officer_sees_the_session_roster_and_an_outsider_does_not(client, cso, outsider):
    claim = make_claimant()
    session = make_session(day=TUESDAY, seats=4)
    actions.book_seat(session, claim, by=claim.claimant)
    client.force_login(cso)
    assert claim.number in client.get(f"/console/sesi/{session.pk}/").text
    assert client.get(f"/console/sesi/?tanggal={TUESDAY}").status_code == 200
    qr = client.get("/console/sesi/qr/madiun.svg").content
    # a standalone image: without the SVG namespace the page's <img> shows its alt text instead
    assert qr.startswith(b"<svg") and b'xmlns="http://www.w3.org/2000/svg"' in qr.split(b">", 1)[0]
    assert client.get("/console/sesi/ukuran/").status_code == 200
    client.force_login(outsider)
    assert client.get(f"/console/sesi/{session.pk}/").status_code == 404


def test_a_supervisor_adds_a_template_and_generates_sessions_but_a_cso_cannot(client, supervisor, cso):
    from lapakasik.booking.models import SessionTemplate

    SessionTemplate.objects.filter(branch__code="madiun").delete()  # the demo's own templates
    client.force_login(cso)
    assert client.get("/console/sesi/templat/").status_code == 404
    client.force_login(supervisor)
    form = {
        "kind": "template",
        "t-channel": "offline",
        "t-officer": cso.pk,
        "t-weekday": 1,
        "t-start": "09:00",
        "t-duration_minutes": 30,
        "t-seats": 5,
        "t-programs": "JHT",
        "t-reasons": "",
    }
    assert client.post("/console/sesi/templat/", form).status_code == 302
    client.post(
        "/console/sesi/templat/", {"kind": "hours", "h-weekday": 1, "h-opens": "08:00", "h-closes": "15:00"}
    )
    client.post("/console/sesi/templat/", {"kind": "generate"})
    assert client.get(f"/console/sesi/?tanggal={TUESDAY}").context["sessions"].count() == 1


def test_the_api_books_once_per_idempotency_key_and_reports_a_full_session(db, client):
    claim, other = make_claimant(), make_claimant()
    session = make_session(day=TUESDAY, seats=1)
    client.force_login(claim.claimant)
    listed = client.get(f"/api/booking/claims/{claim.number}/sessions").json()
    assert session.pk in [s["id"] for s in listed]
    body = {"session_id": session.pk, "claim_number": claim.number}
    first = client.post(
        "/api/booking/bookings", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="x1"
    )
    again = client.post(
        "/api/booking/bookings", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="x1"
    )
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    client.force_login(other.claimant)
    full = client.post(
        "/api/booking/bookings", {**body, "claim_number": other.number}, content_type="application/json"
    )
    assert full.status_code == 409 and full.json()["code"] == "session_full"


def test_healthz_answers_without_login(client):
    assert client.get("/healthz").content == b"ok"


def test_the_periodic_commands_run(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    for job in ("generate-sessions", "send-reminders", "mark-no-shows"):
        call_command("booking", job, stdout=out)
    assert "madiun:" in out.getvalue()
