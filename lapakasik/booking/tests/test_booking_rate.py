"""The opening moment's limit (booking/rate.py): booking attempts per account and per address, per minute."""

import datetime as dt
import threading
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.db import connection, connections
from django.utils import translation

from lapakasik.accounts import throttle
from lapakasik.api.api import api
from lapakasik.booking import actions, rate
from lapakasik.booking.models import Booking, QuotaRequest

from .conftest import make_claimant, make_session

DAY = dt.date(2026, 12, 8)  # a Tuesday: its quota opens Tuesday 1 December 08:00 WIB, drawn at 08:10
LOTTERY = dt.datetime(2026, 12, 1, 1, 2, 5, tzinfo=dt.UTC)  # 08:02:05 WIB: inside the draw's window
NOW = dt.datetime(2026, 12, 1, 2, 0, 5, tzinfo=dt.UTC)  # 09:00:05 WIB: first come, first served
NEXT_MINUTE = NOW + dt.timedelta(seconds=55)  # 09:01:00 WIB: a fresh window


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def full_and_open(db):
    """A session someone else already holds (attempts at it fail without booking) and one with seats."""
    full = make_session(day=DAY, at=dt.time(9), seats=1)
    holder = make_claimant()
    with time_machine.travel(NOW, tick=False):
        actions.book_seat(full, holder, by=holder.claimant)
    return full, make_session(day=DAY, at=dt.time(10), seats=4, officer="supervisor")


def _pesan(client, claim, session, **extra):
    path = f"/jadwal/klaim/{claim.number}/pesan/"
    return client.post(path, {"session": session.pk, "request_key": "k1"}, **extra)


def _api_book(client, claim, session, **extra):
    body = {"session_id": session.pk, "claim_number": claim.number}
    return client.post("/api/booking/bookings", body, content_type="application/json", **extra)


def test_the_eleventh_attempt_of_an_account_in_a_minute_is_refused_and_books_nothing(
    client, full_and_open, clock
):
    full, open_ = full_and_open
    claim = make_claimant()
    client.force_login(claim.claimant)
    for _ in range(10):
        assert _pesan(client, claim, full).status_code == 302  # "session full": counted, nothing booked
    refused = _pesan(client, claim, open_)
    assert refused.status_code == 429 and refused["Retry-After"] == "55"
    assert "Terlalu banyak permintaan dalam waktu singkat. Silakan coba lagi dalam 55 detik." in refused.text
    assert 'data-testid="booking-refused"' in refused.text and 'value="k1"' in refused.text  # same key kept
    assert not Booking.objects.filter(claim=claim).exists()
    open_.refresh_from_db()
    assert open_.seats_taken == 0

    clock.move_to(NEXT_MINUTE)
    booked = _pesan(client, claim, open_)
    assert booked.status_code == 302 and booked.url == f"/jadwal/{Booking.objects.get(claim=claim).pk}/"


def test_page_views_are_not_counted(client, full_and_open, clock):
    _full, open_ = full_and_open
    claim = make_claimant()
    client.force_login(claim.claimant)
    for _ in range(15):
        page = client.get(f"/jadwal/klaim/{claim.number}/pesan/?sesi={open_.pk}")
        assert page.status_code == 200 and 'data-testid="booking-refused"' not in page.text
    assert _pesan(client, claim, open_).status_code == 302
    assert Booking.objects.filter(claim=claim, session=open_).exists()


def test_another_account_at_the_same_address_is_served_until_the_address_limit(
    client, full_and_open, clock, settings
):
    settings.BOOKING_REQUESTS_PER_MINUTE_PER_ADDRESS = 15
    full, open_ = full_and_open
    script, neighbour, elsewhere = make_claimant(), make_claimant(), make_claimant()
    client.force_login(script.claimant)
    for _ in range(10):
        _pesan(client, script, full)
    for _ in range(5):  # refused by its own account's limit: not counted on the address
        assert _pesan(client, script, full).status_code == 429

    client.force_login(neighbour.claimant)
    for _ in range(4):
        assert _pesan(client, neighbour, full).status_code == 302
    assert _pesan(client, neighbour, open_).status_code == 302  # the address's 15th attempt: served
    assert Booking.objects.filter(claim=neighbour).count() == 1
    refused = _pesan(client, neighbour, full)  # its own 6th, the address's 16th
    assert refused.status_code == 429 and "Terlalu banyak permintaan" in refused.text

    client.force_login(elsewhere.claimant)
    assert _pesan(client, elsewhere, open_, REMOTE_ADDR="10.20.30.40").status_code == 302
    assert Booking.objects.filter(claim=elsewhere).count() == 1


def test_the_default_limits_are_ten_per_account_and_a_hundred_and_twenty_per_address(db, settings, clock):
    assert (settings.BOOKING_REQUESTS_PER_MINUTE, settings.BOOKING_REQUESTS_PER_MINUTE_PER_ADDRESS) == (
        10,
        120,
    )
    people = [SimpleNamespace(pk=n) for n in range(1, 14)]
    for person in people[:12]:
        for _ in range(10):
            rate.refuse_a_burst(person, "192.0.2.7")
    with pytest.raises(rate.BurstRefused) as by_account:
        rate.refuse_a_burst(people[0], "198.51.100.1")  # the account's 11th, from another address
    assert (by_account.value.code, by_account.value.status, by_account.value.retry_after) == (
        "booking_rate_limited",
        429,
        55,
    )
    with pytest.raises(rate.BurstRefused):
        rate.refuse_a_burst(people[12], "192.0.2.7")  # a fresh account: the address's 121st
    rate.refuse_a_burst(people[12], "198.51.100.1")  # the same account from elsewhere


def test_a_limit_of_zero_refuses_nothing_and_the_window_is_fixed(db, clock):
    assert not any(throttle.over_rate("k", 0, 60) for _ in range(50))
    start = NOW.timestamp()
    assert [throttle.over_rate("k", 2, 60, now=start + s) for s in (0, 1, 2, 54)] == [0, 0, 53, 1]
    assert throttle.over_rate("k", 2, 60, now=start + 55) == 0  # 09:01:00: a new window, whatever came before


def test_a_limit_past_one_read_of_slots_counts_on_in_the_next_read(db, clock):
    limit = throttle.RATE_CHUNK * 2 + 3
    assert not any(throttle.over_rate("many", limit, 60) for _ in range(limit))
    assert throttle.over_rate("many", limit, 60) == 55


def test_the_message_is_english_in_english():
    with translation.override("en"):
        assert (
            throttle.rate_message(55) == "Too many requests in a short time. Please try again in 55 seconds."
        )


def test_lottery_requests_are_limited_the_same_way(client, db):
    session = make_session(day=DAY, at=dt.time(9), seats=2, minutes=45)
    claim = make_claimant()
    client.force_login(claim.claimant)
    with time_machine.travel(LOTTERY, tick=False):
        for _ in range(10):  # attempts at a session that does not exist: counted, nothing entered
            assert client.post(f"/jadwal/klaim/{claim.number}/pesan/", {"session": 999999}).status_code == 404
        refused = _pesan(client, claim, session)
        answered = _api_book(client, claim, session)
    assert refused.status_code == 429 and answered.status_code == 429
    assert not QuotaRequest.objects.filter(claim=claim).exists()


def test_the_api_answers_429_in_the_error_schema_and_declares_it(client, full_and_open, clock):
    full, open_ = full_and_open
    claim = make_claimant()
    client.force_login(claim.claimant)
    for _ in range(10):
        assert _api_book(client, claim, full).status_code == 409
    refused = _api_book(client, claim, open_, HTTP_IDEMPOTENCY_KEY="once")
    assert refused.status_code == 429 and refused["Retry-After"] == "55"
    assert refused.json() == {
        "code": "booking_rate_limited",
        "message": "Terlalu banyak permintaan dalam waktu singkat. Silakan coba lagi dalam 55 detik.",
        "field": None,
    }
    assert not Booking.objects.filter(claim=claim).exists()
    responses = api.get_openapi_schema(path_prefix="/api/")["paths"]["/api/booking/bookings"]["post"][
        "responses"
    ]
    assert responses[429]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }

    clock.move_to(NEXT_MINUTE)
    assert _api_book(client, claim, open_, HTTP_IDEMPOTENCY_KEY="once").status_code == 201


def test_on_the_database_cache_the_limit_costs_few_queries_and_a_refusal_fewer(
    client, full_and_open, clock, django_assert_max_num_queries, django_assert_num_queries
):
    """The embedded default counts in the database cache: per counter one read of the window's slots and one
    add, a single statement (accounts/cache.py; once in CULL_EVERY adds of a thread, one more to count the
    table for culling). A refused attempt is one read and nothing written."""
    full, open_ = full_and_open
    claim = make_claimant()
    client.force_login(claim.claimant)
    with django_assert_max_num_queries(16 + 5):  # the booking path's 16 (test_lottery.py) + two counters
        assert _api_book(client, claim, open_).status_code == 201
    for _ in range(9):
        _api_book(client, claim, full)
    with django_assert_num_queries(3):  # the web session, its user, the account's slots
        assert _api_book(client, claim, full).status_code == 429


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is proven on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_thirty_attempts_of_one_account_at_once_in_several_connections_let_exactly_ten_through():
    at = NOW.timestamp()
    barrier, results = threading.Barrier(30), []

    def attempt():
        try:
            barrier.wait()
            results.append(throttle.over_rate("booking:account:race", 10, 60, now=at))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert sorted(results) == [0] * 10 + [55] * 20
    finally:
        caches[settings.THROTTLE_CACHE].clear()  # a transactional test's flush leaves the cache table alone
