"""The day itself: generation from templates, check-in, calling, verdicts, no-shows, reminders, video."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from lapakasik.booking import actions, queries
from lapakasik.booking.models import Booking, Closure, OpeningHours, Session, SessionTemplate
from lapakasik.claims.models import Claim
from lapakasik.lib.errors import DomainError

from .conftest import make_claimant, make_session

TUESDAY = dt.date(2026, 12, 1)
BEFORE = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)  # Monday 08:00 WIB
ON_THE_DAY = dt.datetime(2026, 12, 1, 1, 45, tzinfo=dt.UTC)  # Tuesday 08:45 WIB, session at 09:00


def booked(session, claim, when=BEFORE):
    with time_machine.travel(when, tick=False):
        return actions.book_seat(session, claim, by=claim.claimant)


def test_sessions_are_generated_on_open_days_only_and_within_the_daily_quota(db, madiun, cso):
    SessionTemplate.objects.filter(branch=madiun).delete()  # the demo's own templates
    OpeningHours.objects.filter(branch=madiun).delete()
    for weekday in range(5):
        OpeningHours.objects.create(branch=madiun, weekday=weekday, opens=dt.time(8), closes=dt.time(15))
    for weekday in range(7):
        for hour in (9, 10, 11):
            SessionTemplate.objects.create(
                branch=madiun, channel="offline", officer=cso, weekday=weekday, start=dt.time(hour), seats=6
            )
    calendar = actions.calendar_for(madiun)
    calendar.quota_offline = 14
    calendar.save()
    Closure.objects.create(branch=madiun, date=dt.date(2026, 12, 2), reason="Banjir")
    # Mon 21 Dec – Sun 27 Dec 2026: 24 and 25 December are collective leave and Christmas
    created = actions.generate_sessions(madiun, start=dt.date(2026, 12, 21), days=7)
    days = sorted({s.local_date for s in Session.objects.filter(branch=madiun)})
    assert days == [dt.date(2026, 12, 21), dt.date(2026, 12, 22), dt.date(2026, 12, 23)]
    assert created == 9
    assert [s.seats for s in Session.objects.filter(local_date=dt.date(2026, 12, 21))] == [6, 6, 2]
    assert actions.generate_sessions(madiun, start=dt.date(2026, 12, 21), days=7) == 0  # idempotent
    assert actions.generate_sessions(madiun, start=dt.date(2026, 12, 2), days=1) == 0  # closed


def test_generated_sessions_at_a_wita_branch_start_at_its_local_time(db, outsider):
    from lapakasik.registry.models import Branch

    makassar = Branch.objects.get(code="makassar")
    SessionTemplate.objects.filter(branch=makassar).delete()
    OpeningHours.objects.filter(branch=makassar).delete()
    OpeningHours.objects.create(branch=makassar, weekday=1, opens=dt.time(8), closes=dt.time(15))
    SessionTemplate.objects.create(
        branch=makassar, channel="online", officer=outsider, weekday=1, start=dt.time(9)
    )
    actions.generate_sessions(makassar, start=TUESDAY, days=1)
    assert Session.objects.get(branch=makassar).starts_at == dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)


def test_check_in_with_the_code_and_the_last_nik_digits_gives_a_queue_number(db, madiun):
    claim = make_claimant()
    booking = booked(make_session(day=TUESDAY, seats=4), claim)
    with time_machine.travel(ON_THE_DAY, tick=False):
        checked = actions.check_in(
            madiun, code=booking.display_code.lower(), nik_last4=claim.participant.nik[-4:]
        )
        assert checked.status == "checked_in" and checked.queue_number == 1
        assert (
            actions.check_in(madiun, code=booking.code, nik_last4=claim.participant.nik[-4:]).queue_number
            == 1
        )


def test_check_in_with_a_wrong_code_or_wrong_nik_digits_is_refused_without_saying_which(db, madiun):
    claim = make_claimant()
    booking = booked(make_session(day=TUESDAY), claim)
    with time_machine.travel(ON_THE_DAY, tick=False):
        for code, digits in [("ZZZZ-ZZZZ", claim.participant.nik[-4:]), (booking.code, "0000")]:
            with pytest.raises(DomainError) as error:
                actions.check_in(madiun, code=code, nik_last4=digits)
            assert error.value.code == "checkin_failed"
    assert Booking.objects.get(pk=booking.pk).status == "booked"


def test_a_walk_in_gets_a_ticket_when_a_seat_remains_today(db, madiun):
    claim = make_claimant()
    make_session(day=TUESDAY, seats=2)
    with time_machine.travel(ON_THE_DAY, tick=False):
        ticket = actions.walk_in(madiun, claim_number=claim.number, nik_last4=claim.participant.nik[-4:])
    assert ticket.walk_in and ticket.status == "checked_in" and ticket.queue_number == 1


def test_the_officer_serves_a_group_of_four_and_each_claim_moves_on(db, madiun, cso):
    session = make_session(day=TUESDAY, seats=4)
    claims = [make_claimant() for _ in range(4)]
    bookings = [booked(session, c) for c in claims]
    with time_machine.travel(ON_THE_DAY, tick=False):
        for booking, claim in zip(bookings[:3], claims[:3], strict=True):
            actions.check_in(madiun, code=booking.code, nik_last4=claim.participant.nik[-4:])
        assert len(actions.call_next(session, by=cso)) == 3
        actions.record_verdict(bookings[0], "verified", by=cso)
        actions.record_verdict(bookings[1], "documents_missing", by=cso, note="Paklaring belum ada")
        actions.record_verdict(bookings[2], "verified", by=cso)
        actions.record_verdict(bookings[3], "absent", by=cso)
    statuses = [Claim.objects.get(pk=c.pk).status for c in claims]
    assert statuses == ["verified", "returned_for_documents", "verified", "submitted"]
    assert [Booking.objects.get(pk=b.pk).status for b in bookings] == [
        "served",
        "served",
        "served",
        "no_show",
    ]


def test_documents_missing_needs_a_reason_and_changes_nothing_without_one(db, madiun, cso):
    claim = make_claimant()
    booking = booked(make_session(day=TUESDAY), claim)
    with pytest.raises(DomainError):
        actions.record_verdict(booking, "documents_missing", by=cso, note="")
    assert Booking.objects.get(pk=booking.pk).status == "booked"
    assert Claim.objects.get(pk=claim.pk).status == "submitted"


def test_an_officer_of_another_branch_cannot_serve_the_session(db, outsider):
    claim = make_claimant()
    booking = booked(make_session(day=TUESDAY), claim)
    with pytest.raises(DomainError):
        actions.record_verdict(booking, "verified", by=outsider)


def test_no_shows_are_marked_after_the_grace_period_and_counted_for_staff(db):
    claim = make_claimant()
    session = make_session(day=TUESDAY)
    booking = booked(session, claim)
    with time_machine.travel(session.starts_at + dt.timedelta(minutes=10), tick=False):
        assert actions.mark_no_shows() == 0
    with time_machine.travel(session.starts_at + dt.timedelta(minutes=16), tick=False):
        assert actions.mark_no_shows() == 1
    assert Booking.objects.get(pk=booking.pk).status == "no_show"
    assert queries.no_show_counts([claim.participant_id])[claim.participant_id] == 1


def test_reminders_go_out_once_on_h_minus_1_and_on_the_day(db, django_capture_on_commit_callbacks):
    claim = make_claimant()
    booked(make_session(day=TUESDAY), claim)
    mail.outbox.clear()
    # The reminder is queued in the outbox with its claim on the booking and sent once that commits.
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(BEFORE + dt.timedelta(hours=2), tick=False):
            assert actions.send_reminders() == 1
            assert actions.send_reminders() == 0
        with time_machine.travel(ON_THE_DAY - dt.timedelta(hours=1), tick=False):
            assert actions.send_reminders() == 1
    assert len(mail.outbox) == 2


@override_settings(VIDEO_LINK_LEAD_MINUTES=10, VIDEO_ROOM_URL_TEMPLATE="https://video.example/{room}")
def test_the_video_link_appears_only_after_consent_and_from_shortly_before_the_start(db):
    claim = make_claimant()
    session = make_session(day=TUESDAY, channel="online")
    booking = booked(session, claim)
    just_before = session.starts_at - dt.timedelta(minutes=5)
    assert queries.video_link(booking, now=just_before) is None  # no consent yet
    actions.record_video_consent(booking, by=claim.claimant)
    booking.refresh_from_db()
    assert queries.video_link(booking, now=session.starts_at - dt.timedelta(minutes=11)) is None
    assert queries.video_link(booking, now=just_before) == f"https://video.example/{session.room}"
    assert queries.video_link(booking, now=session.ends_at) is None
    assert len(session.room) >= 24


def test_nobody_else_can_consent_for_a_participant(db, participant):
    booking = booked(make_session(day=TUESDAY, channel="online"), make_claimant())
    with pytest.raises(DomainError):
        actions.record_video_consent(booking, by=participant)
