"""Issue 14, booking: nearby branches first, one day in one time zone, a confirmation step with the 24-hour
rule, change and cancel only while they can work, officers by display name, one calendar event per claim,
a waitlist only for full days, check-in instructions on the page and in the e-mail."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from lapakasik.booking import actions, nearby
from lapakasik.booking.models import Booking, WaitlistEntry
from lapakasik.booking.notify import ics
from lapakasik.booking.tests.conftest import make_claimant, make_session
from lapakasik.lib.errors import DomainError

NOW = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)  # Monday 08:00 WIB, 25 h before Tuesday 09:00 WIB
TUESDAY, WEDNESDAY = dt.date(2026, 12, 1), dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _listed(page) -> list:
    return [s for g in page.context["day"].groups for s in g.sessions]


def test_branches_rank_home_then_province_then_island_then_time_zone():
    home = nearby.Place("madiun", "Asia/Jakarta", frozenset({"35"}))
    places = [
        nearby.Place("makassar", "Asia/Makassar", frozenset({"73"})),
        nearby.Place("bandung", "Asia/Jakarta", frozenset({"32"})),
        nearby.Place("surabaya", "Asia/Jakarta", frozenset({"35"})),
        nearby.Place("medan", "Asia/Jakarta", frozenset({"12"})),
        home,
    ]
    ranked = [p.code for p in nearby.by_distance(places, home=home, province="35")]
    assert ranked == ["madiun", "surabaya", "bandung", "medan", "makassar"]


def test_a_madiun_participant_sees_madiun_first_one_day_at_a_time_in_wib_only(db, client):
    claim = make_claimant()
    tuesday = make_session(day=TUESDAY, at=dt.time(10))
    wednesday = make_session(day=WEDNESDAY, at=dt.time(9))
    makassar = make_session(day=TUESDAY, at=dt.time(8), branch_code="makassar", officer="cso.makassar")
    client.force_login(claim.claimant)
    page = client.get(f"/jadwal/klaim/{claim.number}/")
    assert page.context["branch"].code == "madiun"
    assert _listed(page) == [tuesday]
    assert "WIB" in page.text and "WITA" not in page.text.replace("Makassar", "")
    assert "Selasa, 1 Desember 2026" in page.text
    assert _listed(client.get(f"/jadwal/klaim/{claim.number}/?tanggal={WEDNESDAY}")) == [wednesday]
    far = client.get(f"/jadwal/klaim/{claim.number}/?cabang=makassar")
    assert _listed(far) == [makassar] and "WITA" in far.text


def test_the_claims_own_channel_is_listed_first(db, client):
    claim = make_claimant()  # an online claim
    offline = make_session(day=TUESDAY, at=dt.time(9))
    online = make_session(day=TUESDAY, at=dt.time(10), channel="online")
    client.force_login(claim.claimant)
    page = client.get(f"/jadwal/klaim/{claim.number}/")
    assert [g.channel for g in page.context["day"].groups] == ["online", "offline"]
    assert _listed(page) == [online, offline]
    assert _listed(client.get(f"/jadwal/klaim/{claim.number}/?kanal=offline")) == [offline]


def test_choosing_a_session_asks_for_confirmation_stating_the_24_hour_rule_before_booking(db, client):
    claim = make_claimant()
    session = make_session(day=TUESDAY, at=dt.time(10))
    client.force_login(claim.claimant)
    chooser = client.get(f"/jadwal/klaim/{claim.number}/")
    assert f'href="/jadwal/klaim/{claim.number}/pesan/?sesi={session.pk}"' in chooser.text
    confirm = client.get(f"/jadwal/klaim/{claim.number}/pesan/?sesi={session.pk}")
    assert confirm.status_code == 200 and not Booking.objects.filter(claim=claim).exists()
    assert "paling lambat 24 jam sebelum dimulai" in confirm.text
    assert "Senin, 30 November 2026 pukul 10.00 WIB" in confirm.text  # the deadline, in the branch's time
    booked = client.post(f"/jadwal/klaim/{claim.number}/pesan/", {"session": session.pk, "request_key": "k"})
    assert booked.status_code == 302 and Booking.objects.get(claim=claim).session == session


def test_a_session_under_24_hours_away_is_booked_knowingly_and_then_offers_no_change(db, client):
    claim = make_claimant()
    session = make_session(day=TUESDAY, at=dt.time(7, 30))  # 23.5 h after now
    client.force_login(claim.claimant)
    confirm = client.get(f"/jadwal/klaim/{claim.number}/pesan/?sesi={session.pk}")
    assert "tidak dapat diubah atau dibatalkan" in confirm.text
    booking = actions.book_seat(session, claim, by=claim.claimant)
    page = client.get(f"/jadwal/{booking.pk}/")
    assert 'data-testid="no-change"' in page.text
    assert 'data-testid="cancel-booking"' not in page.text and 'data-testid="move-booking"' not in page.text
    assert client.get(f"/jadwal/{booking.pk}/batal/").url == f"/jadwal/{booking.pk}/"
    client.post(f"/jadwal/{booking.pk}/batal/")
    assert Booking.objects.get(pk=booking.pk).status == "booked"


def test_cancelling_is_a_secondary_action_that_asks_first(db, client):
    claim = make_claimant()
    booking = actions.book_seat(make_session(day=TUESDAY, at=dt.time(10)), claim, by=claim.claimant)
    client.force_login(claim.claimant)
    page = client.get(f"/jadwal/{booking.pk}/")
    assert f'class="button secondary" href="/jadwal/{booking.pk}/batal/"' in page.text
    question = client.get(f"/jadwal/{booking.pk}/batal/")
    assert "Ya, batalkan jadwal" in question.text and Booking.objects.get(pk=booking.pk).status == "booked"
    done = client.post(f"/jadwal/{booking.pk}/batal/")
    assert done.url == f"/jadwal/{booking.pk}/" and Booking.objects.get(pk=booking.pk).status == "cancelled"


def test_officers_are_shown_by_display_name_never_by_login_name(db, client, cso):
    from lapakasik.accounts.models import User

    nameless = User.objects.create(username="cso.tanpanama", role="cso", branch=cso.branch)
    claim = make_claimant()
    named = make_session(day=TUESDAY, at=dt.time(10), seats=2)
    unnamed = make_session(day=TUESDAY, at=dt.time(11), officer="cso.tanpanama")
    client.force_login(claim.claimant)
    page = client.get(f"/jadwal/klaim/{claim.number}/")
    assert cso.get_full_name() and cso.get_full_name() in page.text
    assert "Petugas Lapak Asik" in page.text
    for login in (cso.username, nameless.username):
        assert f">{login}<" not in page.text
    booking = actions.book_seat(unnamed, claim, by=claim.claimant)
    assert nameless.username not in client.get(f"/jadwal/{booking.pk}/").text
    assert named.pk  # both sessions listed


def test_a_reschedule_replaces_the_calendar_event_and_a_cancellation_cancels_it(db):
    claim = make_claimant()
    first = actions.book_seat(make_session(day=TUESDAY, at=dt.time(10)), claim, by=claim.claimant)
    moved = actions.reschedule_booking(first, make_session(day=WEDNESDAY), by=claim.claimant)
    old = Calendar.from_ical(ics(Booking.objects.get(pk=first.pk))).walk("VEVENT")[0]
    new = Calendar.from_ical(ics(moved)).walk("VEVENT")[0]
    assert str(old["UID"]) == str(new["UID"])
    assert int(new["SEQUENCE"]) > int(old["SEQUENCE"])
    cancelled = actions.cancel_booking(moved, by=claim.claimant)
    gone = Calendar.from_ical(ics(cancelled))
    event = gone.walk("VEVENT")[0]
    assert str(gone["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(new["UID"]) and int(event["SEQUENCE"]) > int(new["SEQUENCE"])


def test_the_waitlist_is_offered_and_accepted_only_for_a_full_day(db, client):
    claim, holder = make_claimant(), make_claimant()
    session = make_session(day=TUESDAY, at=dt.time(10))
    client.force_login(claim.claimant)
    page = client.get(f"/jadwal/klaim/{claim.number}/?kanal=offline")
    assert "Daftar tunggu" not in page.text
    with pytest.raises(DomainError) as refused:
        actions.join_waitlist(
            claim, branch=session.branch, date=TUESDAY, channel="offline", by=claim.claimant
        )
    assert refused.value.code == "day_not_full" and refused.value.field == "date"
    form = {"branch": "madiun", "date": TUESDAY.isoformat(), "channel": "offline"}
    client.post(f"/jadwal/klaim/{claim.number}/tunggu/", form)
    assert not WaitlistEntry.objects.filter(claim=claim).exists()

    actions.book_seat(session, holder, by=holder.claimant)
    full = client.get(f"/jadwal/klaim/{claim.number}/?kanal=offline")
    assert full.context["day"].full and '<h3 id="waitlist-offline">Daftar tunggu</h3>' in full.text
    assert "Penuh" in full.text and 'data-testid="book-' not in full.text
    assert client.post(f"/jadwal/klaim/{claim.number}/tunggu/", form).url == "/jadwal/"
    assert WaitlistEntry.objects.get(claim=claim).status == "waiting"


def test_the_booking_page_and_e_mail_explain_check_in_and_the_originals_to_bring(
    db, client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://lapakasik.example"
    claim = make_claimant()
    session = make_session(day=TUESDAY, at=dt.time(10))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking = actions.book_seat(session, claim, by=claim.claimant)
    body = mail.outbox[-1].body
    assert booking.display_code in body and "4 digit terakhir NIK" in body and "60 menit" in body
    assert "Bawa dokumen asli: e-KTP" in body
    assert f"https://lapakasik.example/jadwal/{booking.pk}/" in body
    client.force_login(claim.claimant)
    page = client.get(f"/jadwal/{booking.pk}/")
    assert "Lapor hadir" in page.text and "4 digit terakhir NIK" in page.text and "e-KTP" in page.text
    assert "Kode pemesanan" in page.text and "Kode booking" not in page.text


def test_check_in_is_explained_and_redirects_to_a_ticket_readable_at_arms_length(db, client):
    claim = make_claimant()
    booking = actions.book_seat(make_session(day=TUESDAY, seats=2), claim, by=claim.claimant)
    form = {"code": booking.display_code, "nik4": claim.participant.nik[-4:]}
    with time_machine.travel(dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC), tick=False):
        page = client.get("/jadwal/hadir/madiun/")
        assert "60 menit sebelum sesi" in page.text and 'inputmode="numeric"' in page.text
        assert "Lapor hadir" in page.text and "Check-in" not in page.text
        posted = client.post("/jadwal/hadir/madiun/", form)
        assert posted.url.startswith("/jadwal/tiket/")  # Post/Redirect/Get
        ticket = client.get(posted.url)
        assert ticket.context["ticket"].queue_number == 1 and "Bilik" in ticket.text
        assert 'class="ticket-number"' in ticket.text
        assert client.get(posted.url).context["ticket"].queue_number == 1  # a reload checks in nobody again
    assert client.get(posted.url[:-3] + "xx/").status_code == 404  # a forged address


def test_the_waiting_room_display_shows_the_booth_and_a_clock_never_a_login_name(db, client, cso):
    claim = make_claimant()
    session = make_session(day=TUESDAY, seats=2)
    booking = actions.book_seat(session, claim, by=claim.claimant)
    with time_machine.travel(dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC), tick=False):
        actions.check_in(session.branch, code=booking.code, nik_last4=claim.participant.nik[-4:])
        actions.call_next(session, by=cso)
        board = client.get("/jadwal/layar/madiun/")
    assert board.context["called"][0][:2] == (1, booking.seat_number)
    assert "08.30 WIB" in board.text and "Bilik" in board.text
    assert cso.username not in board.text.replace("cso.js", "")
    assert '<noscript><meta http-equiv="refresh"' in board.text and "autoplay" not in board.text
