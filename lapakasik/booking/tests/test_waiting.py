"""The estimated wait at the branch (people ahead × measured service times, per officer) and virtual calling."""

import datetime as dt

import time_machine
from django.core import mail

from lapakasik.booking import actions, waiting
from lapakasik.booking.models import Booking
from lapakasik.capacity.simulation import ServiceTimes

from .conftest import make_claimant, make_session

TUESDAY = dt.date(2026, 12, 1)
BEFORE = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)  # Monday 08:00 WIB
AT_0845 = dt.datetime(2026, 12, 1, 1, 45, tzinfo=dt.UTC)  # Tuesday 08:45 WIB
SERVICE = ServiceTimes(
    briefing={"one_to_one": 5.0, "one_to_many": 12.0}, check={"*": 7.0, "JHT": 6.0}, incomplete_extra=5.0
)


def _book(session, claim):
    with time_machine.travel(BEFORE, tick=False):
        return actions.book_seat(session, claim, by=claim.claimant)


def _checked_in(madiun, session, count):
    claims = [make_claimant() for _ in range(count)]
    bookings = [_book(session, claim) for claim in claims]
    with time_machine.travel(AT_0845, tick=False):
        for booking, claim in zip(bookings, claims, strict=True):
            actions.check_in(madiun, code=booking.code, nik_last4=claim.participant.nik[-4:])
    return bookings


def test_work_ahead_counts_a_briefing_only_for_sessions_not_yet_begun():
    work = [
        waiting.WorkAhead("one_to_many", True, ("JHT/resign", "JHT/phk")),
        waiting.WorkAhead("one_to_many", False, ("JHT/resign", "JKM/death", "JHT/phk")),
        waiting.WorkAhead("one_to_one", False, ()),  # nobody came: no briefing either
    ]
    assert waiting.minutes_ahead(work, SERVICE) == (6 + 6 + 12 + 6 + 7 + 6, 5)


def test_the_wait_is_the_later_of_the_session_start_and_the_officer_being_free():
    now = dt.datetime(2026, 12, 1, 1, 45, tzinfo=dt.UTC)
    starts = now + dt.timedelta(minutes=15)
    free_early = waiting.estimate(now=now, starts_at=starts, work=[], service=SERVICE)
    assert (free_early.minutes, free_early.people_ahead) == (15, 0)
    busy = [waiting.WorkAhead("one_to_many", False, ("JHT/resign",) * 4)]
    late = waiting.estimate(now=now, starts_at=starts, work=busy, service=SERVICE)
    assert (late.minutes, late.people_ahead) == (12 + 4 * 6, 4)


def test_a_checked_in_person_waits_for_the_officers_earlier_groups_but_not_another_officers(db, madiun, cso):
    running = make_session(day=TUESDAY, at=dt.time(8, 0), seats=4, minutes=90)
    scheduled = make_session(day=TUESDAY, at=dt.time(8, 30), seats=4, minutes=60)
    elsewhere = make_session(day=TUESDAY, at=dt.time(8, 30), seats=4, minutes=60, officer="supervisor")
    mine = make_session(day=TUESDAY, at=dt.time(9, 0), seats=4)
    served_first, *still_called = _checked_in(madiun, running, 3)
    with time_machine.travel(AT_0845, tick=False):
        actions.call_next(running, by=cso)
        actions.record_verdict(served_first, "verified", by=cso)
    _checked_in(madiun, scheduled, 3)
    _checked_in(madiun, elsewhere, 4)
    (me,) = _checked_in(madiun, mine, 1)
    with time_machine.travel(AT_0845, tick=False):
        wait = waiting.wait_for(Booking.objects.get(pk=me.pk))
        service = waiting.service_times(madiun, TUESDAY)
    jht = service.check_for("JHT/resign")
    expected = 2 * jht + service.briefing["one_to_many"] + 3 * jht  # two still in the call, three waiting
    assert wait.people_ahead == 5
    assert wait.minutes == max(15, -(-int(expected * 60) // 60))


def test_no_estimate_for_online_sessions_or_another_day_and_called_says_so(db, madiun, cso):
    online = _book(make_session(day=TUESDAY, channel="online"), make_claimant())
    tomorrow = _book(make_session(day=TUESDAY + dt.timedelta(days=1)), make_claimant())
    session = make_session(day=TUESDAY, at=dt.time(9, 0), seats=4)
    (called,) = _checked_in(madiun, session, 1)
    with time_machine.travel(AT_0845, tick=False):
        actions.call_next(session, by=cso)
        assert waiting.wait_for(online) is None
        assert waiting.wait_for(tomorrow) is None
        assert waiting.wait_for(Booking.objects.get(pk=called.pk)).called


def test_virtual_calling_emails_once_when_the_turn_is_near_and_not_before(
    db, madiun, settings, django_capture_on_commit_callbacks
):
    settings.BOOKING_TURN_NEAR_MINUTES = 15
    far_session = make_session(day=TUESDAY, at=dt.time(9, 30), seats=4)
    near_session = make_session(day=TUESDAY, at=dt.time(9, 0), seats=4, officer="supervisor")
    (far,) = _checked_in(madiun, far_session, 1)
    (near,) = _checked_in(madiun, near_session, 1)
    mail.outbox.clear()
    # Queued in the outbox with its claim on the booking; sent once that commits.
    with time_machine.travel(AT_0845, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert waiting.send_turn_near() == 1
        assert waiting.send_turn_near() == 0  # once only
    (message,) = mail.outbox
    assert message.to == [near.claim.claimant.email] and str(near.queue_number or "") in message.body
    assert "15 menit" in message.body
    assert Booking.objects.get(pk=far.pk).turn_near_sent_at is None


def test_check_in_leads_to_a_ticket_page_with_the_wait_that_a_reload_does_not_repeat(client, madiun):
    claim = make_claimant()
    booking = _book(make_session(day=TUESDAY, at=dt.time(9, 0), seats=4), claim)
    with time_machine.travel(AT_0845, tick=False):
        answer = client.post(
            "/jadwal/hadir/madiun/", {"code": booking.code, "nik4": claim.participant.nik[-4:]}
        )
        assert answer.status_code == 302 and answer.url.startswith("/jadwal/tiket/")
        ticket = client.get(answer.url)
        assert ticket.status_code == 200
        assert 'data-testid="estimated-wait"' in ticket.text and "15 menit" in ticket.text
        assert '<meta http-equiv="refresh" content="30">' in ticket.text
        assert client.get(answer.url[:-3] + "xx/").status_code == 404  # a forged ticket address
        assert client.get("/jadwal/tiket/" + str(booking.pk) + "/").status_code == 404
    assert Booking.objects.get(pk=booking.pk).queue_number == 1


def test_the_participants_booking_page_shows_the_wait_on_the_day(client, madiun):
    claim = make_claimant()
    booking = _book(make_session(day=TUESDAY, at=dt.time(9, 0), seats=4), claim)
    client.force_login(claim.claimant)
    with time_machine.travel(AT_0845, tick=False):
        assert "sekitar 15 menit" in client.get(f"/jadwal/{booking.pk}/").text
    with time_machine.travel(BEFORE, tick=False):
        assert 'data-testid="estimated-wait"' not in client.get(f"/jadwal/{booking.pk}/").text
