"""Booking a seat, double clicks, full sessions, groups, cancel/reschedule notice and the waitlist."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from lapakasik.booking import actions
from lapakasik.booking.models import Booking, BookingEvent, Session, WaitlistEntry
from lapakasik.lib.errors import DomainError

from .conftest import make_claimant, make_session

NOW = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)  # Monday 08:00 WIB: the window for Tuesday is open
TUESDAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def claimant(claim):
    return claim.claimant


def test_a_submitted_claim_books_one_seat_with_a_printable_code_and_an_ics_confirmation(
    db, django_capture_on_commit_callbacks
):
    claim = make_claimant()
    session = make_session(day=TUESDAY, seats=1)
    with django_capture_on_commit_callbacks(execute=True):
        booking = actions.book_seat(session, claim, by=claim.claimant)
    session.refresh_from_db()
    assert session.seats_taken == 1 and booking.seat_number == 1
    assert len(booking.code) == 8 and booking.display_code[4] == "-"
    assert BookingEvent.objects.filter(booking=booking, action="booked").exists()
    assert mail.outbox[-1].attachments[0][0].endswith(".ics")
    assert (
        b"BEGIN:VEVENT" in mail.outbox[-1].attachments[0][1].encode()
        if isinstance(mail.outbox[-1].attachments[0][1], str)
        else mail.outbox[-1].attachments[0][1]
    )


def test_a_double_click_or_a_retried_request_books_once(db):
    claim = make_claimant()
    session = make_session(day=TUESDAY, seats=4)
    first = actions.book_seat(session, claim, by=claim.claimant, request_key="k-1")
    again = actions.book_seat(session, claim, by=claim.claimant, request_key="k-1")
    click = actions.book_seat(session, claim, by=claim.claimant)
    assert first.pk == again.pk == click.pk
    session.refresh_from_db()
    assert session.seats_taken == 1


def test_a_claim_with_a_booking_cannot_take_a_second_session(db):
    claim = make_claimant()
    actions.book_seat(make_session(day=TUESDAY), claim, by=claim.claimant)
    with pytest.raises(DomainError) as error:
        actions.book_seat(make_session(day=TUESDAY, at=dt.time(10)), claim, by=claim.claimant)
    assert error.value.code == "already_booked"


def test_the_last_seat_goes_to_one_claim_and_the_next_is_told_the_session_is_full(db):
    session = make_session(day=TUESDAY, seats=1)
    first, second = make_claimant(), make_claimant()
    actions.book_seat(session, first, by=first.claimant)
    with pytest.raises(DomainError) as error:
        actions.book_seat(session, second, by=second.claimant)
    assert error.value.code == "session_full"


def test_a_draft_claim_cannot_book(db, participant):
    from lapakasik.claims.models import Claim

    claim = make_claimant()
    Claim.objects.filter(pk=claim.pk).update(status="draft")
    claim.refresh_from_db()
    with pytest.raises(DomainError) as error:
        actions.book_seat(make_session(day=TUESDAY), claim, by=claim.claimant)
    assert error.value.code == "claim_not_bookable"


def test_someone_elses_claim_cannot_be_booked(db, participant):
    claim = make_claimant()
    with pytest.raises(DomainError) as error:
        actions.book_seat(make_session(day=TUESDAY), claim, by=participant)
    assert error.value.code == "not_found"


def test_a_one_to_many_session_is_filled_only_with_claims_of_the_same_program_and_reason(db):
    session = make_session(day=TUESDAY, seats=4)
    resign, other_resign, phk = make_claimant(), make_claimant(), make_claimant(reason="phk")
    actions.book_seat(session, resign, by=resign.claimant)
    actions.book_seat(session, other_resign, by=other_resign.claimant)
    with pytest.raises(DomainError) as error:
        actions.book_seat(session, phk, by=phk.claimant)
    assert error.value.code == "session_not_suitable"


def test_online_bookings_close_at_the_branch_midnight_before_the_day(db):
    claim = make_claimant()
    session = make_session(day=TUESDAY, channel="online")
    midnight = dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)  # 00:00 WIB on Tuesday
    with time_machine.travel(midnight, tick=False), pytest.raises(DomainError) as error:
        actions.book_seat(session, claim, by=claim.claimant)
    assert error.value.code == "window_closed"


def test_a_wita_branch_refuses_an_online_booking_at_2330_jakarta_time_the_day_before(db):
    jakarta, makassar = make_claimant(), make_claimant()
    madiun = make_session(day=TUESDAY, channel="online")
    wita = make_session(day=TUESDAY, channel="online", branch_code="makassar", officer="cso.makassar")
    with time_machine.travel(dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC), tick=False):
        assert actions.book_seat(madiun, jakarta, by=jakarta.claimant)
        with pytest.raises(DomainError):
            actions.book_seat(wita, makassar, by=makassar.claimant)


def test_a_day_beyond_the_window_cannot_be_booked_yet(db):
    claim = make_claimant()
    with pytest.raises(DomainError) as error:
        actions.book_seat(make_session(day=dt.date(2026, 12, 10)), claim, by=claim.claimant)
    assert error.value.code == "window_closed"


def test_the_participant_cancels_before_the_notice_and_the_seat_returns(db):
    claim = make_claimant()
    session = make_session(day=TUESDAY)
    booking = actions.book_seat(session, claim, by=claim.claimant)
    actions.cancel_booking(booking, by=claim.claimant)
    session.refresh_from_db()
    assert session.seats_taken == 0
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"


def test_the_participant_cannot_cancel_within_the_minimum_notice_but_staff_can(db, cso):
    claim = make_claimant()
    booking = actions.book_seat(make_session(day=TUESDAY), claim, by=claim.claimant)
    late = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)  # 23 h before 09:00 WIB Tuesday
    with time_machine.travel(late, tick=False):
        with pytest.raises(DomainError) as error:
            actions.cancel_booking(booking, by=claim.claimant)
        assert error.value.code == "notice_too_short"
        actions.cancel_booking(booking, by=cso)


def test_reschedule_moves_the_seat_and_keeps_the_old_one_when_the_new_session_is_full(db):
    claim, other = make_claimant(), make_claimant()
    old, new, full = (
        make_session(day=TUESDAY),
        make_session(day=TUESDAY, at=dt.time(10)),
        make_session(day=TUESDAY, at=dt.time(11)),
    )
    booking = actions.book_seat(old, claim, by=claim.claimant)
    actions.book_seat(full, other, by=other.claimant)
    with pytest.raises(DomainError):
        actions.reschedule_booking(booking, full, by=claim.claimant)
    assert Booking.objects.get(pk=booking.pk).status == "booked"
    moved = actions.reschedule_booking(booking, new, by=claim.claimant)
    assert moved.session == new and Booking.objects.get(pk=booking.pk).status == "moved"
    assert Session.objects.get(pk=old.pk).seats_taken == 0


def test_a_freed_seat_goes_to_the_next_person_on_the_waitlist_who_is_told(
    db, django_capture_on_commit_callbacks
):
    session = make_session(day=TUESDAY)
    holder, first, second = make_claimant(), make_claimant(), make_claimant()
    booking = actions.book_seat(session, holder, by=holder.claimant)
    actions.join_waitlist(first, branch=session.branch, date=TUESDAY, channel="offline", by=first.claimant)
    actions.join_waitlist(second, branch=session.branch, date=TUESDAY, channel="offline", by=second.claimant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_booking(booking, by=holder.claimant)
    promoted = Booking.objects.get(claim=first, status="booked")
    assert promoted.session == session
    assert WaitlistEntry.objects.get(claim=first).status == "promoted"
    assert WaitlistEntry.objects.get(claim=second).status == "waiting"
    assert [m.to for m in mail.outbox] == [[first.claimant.email]]
