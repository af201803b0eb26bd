"""Fair quota release: the first minutes after a day opens are drawn by a seeded, published lottery."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from lapakasik.booking import actions, calendar, lottery
from lapakasik.booking.models import (
    Booking,
    BookingEvent,
    QuotaDraw,
    QuotaRequest,
    WaitlistEntry,
)
from lapakasik.claims.models import Claim, new_claim_number
from lapakasik.lib.errors import DomainError

from .conftest import make_claimant, make_session

DAY = dt.date(2026, 12, 8)  # a Tuesday: its quota opens H-7, Tuesday 1 December 08:00 WIB (01:00 UTC)
IN_WINDOW = dt.datetime(2026, 12, 1, 1, 2, tzinfo=dt.UTC)
AFTER_WINDOW = dt.datetime(2026, 12, 1, 1, 11, tzinfo=dt.UTC)  # lottery_minutes = 10 (the default)


def test_the_draw_is_a_permutation_that_anyone_can_recompute_from_the_published_seed():
    codes = [f"C{n:03d}" for n in range(50)]
    order = lottery.drawn_order(list(reversed(codes)), "ab12")
    assert sorted(order) == codes and order != codes
    assert lottery.drawn_order(codes, "ab12") == order  # the order the codes came in does not matter
    assert lottery.drawn_order(codes, "cd34") != order


def test_the_lottery_window_is_the_first_minutes_after_the_day_opens_and_can_be_switched_off():
    opens, closes = calendar.lottery_window(
        DAY, days_ahead=7, opens_at=dt.time(8, 0), time_zone="Asia/Jakarta", minutes=10
    )
    assert (opens, closes) == (
        dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC),
        AFTER_WINDOW - dt.timedelta(minutes=1),
    )
    assert (
        calendar.lottery_window(DAY, days_ahead=7, opens_at=dt.time(8), time_zone="Asia/Jakarta", minutes=0)
        is None
    )


@pytest.fixture
def day_sessions(db):
    return make_session(day=DAY, at=dt.time(9, 0), seats=2, minutes=45), make_session(
        day=DAY, at=dt.time(10, 0), seats=1, minutes=30, officer="supervisor"
    )


def _enter(session, claim, when=IN_WINDOW):
    with time_machine.travel(when, tick=False):
        return lottery.book_or_enter(session, claim, by=claim.claimant)


def test_requests_in_the_window_enter_the_draw_and_nobody_books_past_them(day_sessions):
    first, _second = day_sessions
    claims = [make_claimant() for _ in range(3)]
    entries = [_enter(first, claim) for claim in claims]
    assert all(isinstance(e, QuotaRequest) and e.status == "entered" for e in entries)
    assert _enter(first, claims[0]).pk == entries[0].pk  # a double click is one request
    assert Booking.objects.filter(session__local_date=DAY).count() == 0
    with time_machine.travel(IN_WINDOW, tick=False), pytest.raises(DomainError) as refused:
        actions.book_seat(first, make_claimant(), by=None)  # the plain path may not race the draw either
    assert refused.value.code in {"lottery_pending", "not_found"}
    assert BookingEvent.objects.filter(action="lottery_entered").count() == 3


def test_one_request_per_nik_and_day_even_with_two_claims(day_sessions):
    first, second = day_sessions
    claim = make_claimant()
    other = Claim.objects.get(pk=claim.pk)
    # A second submitted claim of the same person, under a number no claim has (a changed last symbol could
    # be the same symbol: the number ends in any of the alphabet's symbols).
    other.pk, other.number = None, next(n for n in iter(new_claim_number, "") if n != claim.number)
    other.save()
    _enter(first, claim)
    with pytest.raises(DomainError) as refused:
        _enter(second, other)
    assert refused.value.code == "lottery_one_per_nik"


def test_after_the_window_the_draw_runs_once_seats_go_in_drawn_order_and_the_rest_wait(
    day_sessions, django_capture_on_commit_callbacks
):
    first, second = day_sessions
    claims = [make_claimant() for _ in range(5)]
    for claim in claims:
        _enter(first, claim)
    late = make_claimant()
    mail.outbox.clear()
    with (
        time_machine.travel(AFTER_WINDOW, tick=False),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError) as full,
    ):
        lottery.book_or_enter(first, late, by=late.claimant)  # the draw runs first, then the late request
    assert full.value.code == "session_full"
    draw = QuotaDraw.objects.get()
    assert (draw.entries, draw.won) == (5, 3)
    requests = {r.code: r for r in QuotaRequest.objects.all()}
    order = lottery.drawn_order(list(requests), draw.seed)
    assert [requests[code].position for code in order] == [1, 2, 3, 4, 5]
    outcomes = [requests[code].status for code in order]
    assert outcomes == ["won", "won", "won", "lost", "lost"]
    sessions = [requests[code].booking.session_id for code in order[:3]]
    assert sessions == [first.pk, first.pk, second.pk]  # the session asked for, then the day's other one
    losers = [requests[code].claim_id for code in order[3:]]
    assert set(WaitlistEntry.objects.filter(date=DAY).values_list("claim_id", flat=True)) == set(losers)
    subjects = sorted(m.subject for m in mail.outbox)
    assert sum("undian" in s for s in subjects) == 2 and len(subjects) == 5
    assert BookingEvent.objects.filter(action="lottery_drawn", data__seed=draw.seed).count() == 1
    with time_machine.travel(AFTER_WINDOW + dt.timedelta(minutes=1), tick=False):
        assert lottery.draw_due() == []  # drawn once


def test_the_worker_sweep_draws_a_closed_window_and_the_result_is_published_without_names(
    client, day_sessions
):
    first, _second = day_sessions
    claims = [make_claimant() for _ in range(2)]
    for claim in claims:
        _enter(first, claim)
    with time_machine.travel(IN_WINDOW, tick=False):
        assert lottery.draw_due() == []  # still collecting
    with time_machine.travel(AFTER_WINDOW, tick=False):
        (draw,) = lottery.draw_due()
        page = client.get(f"/jadwal/undian/madiun/{DAY.isoformat()}/").text
    assert draw.seed in page
    for request in QuotaRequest.objects.all():
        assert request.display_code in page
    assert not any(claim.participant.full_name in page for claim in claims)
    assert client.get("/jadwal/undian/madiun/2026-02-31/").status_code == 400


def test_pesan_in_the_window_says_it_entered_the_draw_and_the_schedule_lists_it(client, day_sessions):
    first, _second = day_sessions
    claim = make_claimant()
    client.force_login(claim.claimant)
    with time_machine.travel(IN_WINDOW, tick=False):
        answer = client.post(f"/jadwal/klaim/{claim.number}/pesan/", {"session": first.pk}, follow=True)
    request = QuotaRequest.objects.get(claim=claim)
    assert answer.redirect_chain[-1][0] == "/jadwal/" and "undian" in answer.text
    assert f'data-testid="lottery-{request.code}"' in answer.text


def test_the_api_answers_202_with_the_request_code_in_the_window(client, day_sessions):
    first, _second = day_sessions
    claim = make_claimant()
    client.force_login(claim.claimant)
    with time_machine.travel(IN_WINDOW, tick=False):
        answer = client.post(
            "/api/booking/bookings",
            {"session_id": first.pk, "claim_number": claim.number},
            content_type="application/json",
        )
    assert answer.status_code == 202
    body = answer.json()
    assert body["status"] == "lottery" and body["request_code"] == QuotaRequest.objects.get().display_code
    assert body["draw_at"].startswith("2026-12-01T01:10")


def test_a_booking_after_the_window_costs_a_bounded_number_of_queries(
    client, db, django_assert_max_num_queries, settings
):
    """The quota burst's path (issue 19): session and user, claim, session with its branch and calendar,
    one read for an earlier booking of the request key or an active one, the undrawn-lottery check, then
    the seat take (one UPDATE … RETURNING, the seat numbers in use, the booking and its event), and the
    confirmation queued in the outbox in the same transaction (the participant for its address — the
    claimant is the account asking, already loaded —, the message in a savepoint of its own: 4 queries).
    The opening
    moment's limit (booking/rate.py) still counts this attempt, in a cache outside the database here, as
    on Redis in production; its cost on the embedded default's database cache is bounded on its own
    (test_booking_rate.py)."""
    settings.THROTTLE_CACHE = "default"
    session = make_session(day=DAY, seats=6)
    claim = make_claimant()
    client.force_login(claim.claimant)
    with time_machine.travel(AFTER_WINDOW, tick=False), django_assert_max_num_queries(16):
        answer = client.post(
            "/api/booking/bookings",
            {"session_id": session.pk, "claim_number": claim.number},
            content_type="application/json",
        )
    assert answer.status_code == 201


def test_once_nothing_waits_for_a_draw_a_process_stops_asking_on_every_booking(db, django_assert_num_queries):
    """Issue 19: the undrawn-lottery check is one query per booking of the day; a minute after the window
    closed, "nothing waits for a draw" cannot change any more, so it is remembered (the process's own cache).
    Inside that minute a late request of a process with a slower clock may still land: asked every time."""
    session = make_session(day=DAY, seats=6)
    cal = actions.calendar_for(session.branch)
    just_closed = dt.datetime(2026, 12, 1, 1, 10, 30, tzinfo=dt.UTC)
    for _ in range(2):
        with django_assert_num_queries(1):
            assert not actions.lottery_pending(session, just_closed, cal)
    with django_assert_num_queries(1):
        assert not actions.lottery_pending(session, AFTER_WINDOW, cal)
    with django_assert_num_queries(0):
        assert not actions.lottery_pending(session, AFTER_WINDOW, cal)


def test_requests_waiting_for_their_draw_are_never_remembered_as_settled(db):
    session = make_session(day=DAY, seats=6)
    claim = make_claimant()
    actions.enter_lottery(session, claim, by=claim.claimant, now=IN_WINDOW)
    later = AFTER_WINDOW + dt.timedelta(minutes=5)
    assert actions.lottery_pending(session, later)
    assert actions.lottery_pending(session, later)  # still asked: the draw has not run
