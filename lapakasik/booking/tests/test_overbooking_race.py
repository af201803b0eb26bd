"""No overbooking under concurrency: 60 threads race for the last seat on PostgreSQL."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, connections

from lapakasik.booking import actions
from lapakasik.booking.models import Booking, Session
from lapakasik.lib.errors import DomainError

from .conftest import make_claimant, make_session

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is proven on PostgreSQL"),
]

NOW = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)
ATTEMPTS = 60


def race(target, args_list):
    barrier = threading.Barrier(len(args_list))
    results: list = []

    def run(*args):
        try:
            barrier.wait()
            results.append(target(*args))
        except DomainError as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_sixty_claims_racing_for_the_last_seat_leave_exactly_one_booking(demo_world):
    with time_machine.travel(NOW, tick=False):
        session = make_session(day=dt.date(2026, 12, 1), seats=6)
        early = [make_claimant() for _ in range(5)]
        for claim in early:
            actions.book_seat(session, claim, by=claim.claimant)
        racers = [make_claimant() for _ in range(ATTEMPTS)]
        results = race(
            lambda c: actions.book_seat(Session.objects.get(pk=session.pk), c, by=c.claimant),
            [(c,) for c in racers],
        )
    winners = [r for r in results if isinstance(r, Booking)]
    assert len(winners) == 1
    assert results.count("session_full") == ATTEMPTS - 1
    session.refresh_from_db()
    assert session.seats_taken == 6 == Booking.objects.filter(session=session, status="booked").count()
    assert sorted(Booking.objects.filter(session=session).values_list("seat_number", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


@pytest.mark.django_db(transaction=True)
def test_one_claim_clicking_sixty_times_at_once_books_once(demo_world):
    with time_machine.travel(NOW, tick=False):
        session = make_session(day=dt.date(2026, 12, 1), seats=6)
        claim = make_claimant()
        results = race(
            lambda: actions.book_seat(Session.objects.get(pk=session.pk), claim, by=claim.claimant),
            [() for _ in range(ATTEMPTS)],
        )
    assert {r.pk for r in results} == {Booking.objects.get(claim=claim).pk}
    session.refresh_from_db()
    assert session.seats_taken == 1


@pytest.mark.django_db(transaction=True)
def test_ten_processes_drawing_the_same_closed_lottery_at_once_draw_it_once(demo_world):
    from lapakasik.booking import lottery
    from lapakasik.booking.models import QuotaDraw, QuotaRequest

    day = dt.date(2026, 12, 8)  # opens Tuesday 1 December 08:00 WIB; drawn after 08:10
    session = make_session(day=day, seats=4, minutes=45)
    with time_machine.travel(dt.datetime(2026, 12, 1, 1, 2, tzinfo=dt.UTC), tick=False):
        for claim in [make_claimant() for _ in range(6)]:
            lottery.book_or_enter(session, claim, by=claim.claimant)
    with time_machine.travel(dt.datetime(2026, 12, 1, 1, 11, tzinfo=dt.UTC), tick=False):
        results = race(
            lambda: lottery.draw_due_for(session.branch, day, "offline", now=dt.datetime.now(dt.UTC)),
            [() for _ in range(10)],
        )
    assert len([r for r in results if r is not None]) == 1
    assert QuotaDraw.objects.count() == 1
    assert sorted(QuotaRequest.objects.values_list("status", flat=True)) == ["lost"] * 2 + ["won"] * 4
    assert Booking.objects.filter(session=session, status="booked").count() == 4
