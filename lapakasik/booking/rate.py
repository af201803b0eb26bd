"""Protect the opening moment of a day's quota (issue 17): booking attempts per account and per address.

Whoever books — the portal's "Pesan" (a lottery request inside the draw's window included), a move to another
session, ``POST /api/booking/bookings`` — first passes ``refuse_a_burst``: at most
``BOOKING_REQUESTS_PER_MINUTE`` attempts per account and ``BOOKING_REQUESTS_PER_MINUTE_PER_ADDRESS`` per source
address in each fixed one-minute window. A refused attempt is answered 429 before the booking is tried, so
nothing is written, and the answer names the time left in the window.

Fixed windows (not a sliding log, not a growing wait as for log-ins): the limit is about pace, not guessing,
so a person who hit it needs only to know when the next minute starts, and each attempt costs one read and at
most one atomic add in the shared throttle cache (on PostgreSQL both in one statement) (accounts/throttle.py: the database cache on the embedded
default, Redis when ``REDIS_URL`` is set — every process counts on the same slots).

The account is checked first and a refused account is not counted on its address: one script at an office's
shared address cannot use up the address's minute for the people behind it.
"""

from __future__ import annotations

from django.conf import settings

from lapakasik.accounts import throttle
from lapakasik.lib.errors import DomainError

WINDOW_SECONDS = 60


class BurstRefused(DomainError):
    """A booking attempt over the minute's limit: 429, and the seconds until the window ends."""

    def __init__(self, seconds: int) -> None:
        super().__init__("booking_rate_limited", throttle.rate_message(seconds), status=429)
        self.retry_after = seconds


def refuse_a_burst(user, address: str) -> None:
    """Count one booking attempt of ``user`` from ``address``; raise BurstRefused when either is over."""
    wait = throttle.over_rate(
        f"booking:account:{user.pk}", settings.BOOKING_REQUESTS_PER_MINUTE, WINDOW_SECONDS
    ) or throttle.over_rate(
        f"booking:address:{address}", settings.BOOKING_REQUESTS_PER_MINUTE_PER_ADDRESS, WINDOW_SECONDS
    )
    if wait:
        raise BurstRefused(wait)


def refuse_a_burst_of(request) -> None:
    """``refuse_a_burst`` for the request's account and client address (the throttle's own helper)."""
    refuse_a_burst(request.user, throttle.client_address(request))
