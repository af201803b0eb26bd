"""How long a person at the branch will wait: people ahead × the branch's measured service times, per officer.

A person is served when their session is called. Their officer first finishes every earlier session of the
day that is still open — its briefing (if not begun) and a check per person present — so the estimate is
the later of the session's start and "now + that work". Service times are the ones the capacity planner
measures from the branch's own last 90 days (defaults where there is no history yet, docs/capacity.md).

The arithmetic (`minutes_ahead`, `estimate`) is pure; `wait_for` reads the queue. Nothing here writes,
except `send_turn_near`, which claims each "your turn is near" e-mail with a guarded UPDATE first.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from lapakasik.capacity.queries import measure_service
from lapakasik.capacity.simulation import ServiceTimes
from lapakasik.lib.dates import today_at

from . import notify
from .models import Booking, BookingStatus, Session, SessionChannel, SessionStatus

log = logging.getLogger(__name__)

PRESENT = (BookingStatus.CHECKED_IN, BookingStatus.CALLED)
SERVICE_CACHE_SECONDS = 600  # measured over 90 days: ten minutes old is as good as fresh


@dataclass(frozen=True)
class WorkAhead:
    """One open session of the officer's, before (or equal to) the person's own."""

    mode: str  # "one_to_one" | "one_to_many"
    started: bool
    kinds: tuple[str, ...]  # "PROGRAM/reason" of each person still to be checked


@dataclass(frozen=True)
class WaitEstimate:
    minutes: int  # rounded up to whole minutes; 0 = being served or next
    people_ahead: int
    called: bool


def minutes_ahead(work: Iterable[WorkAhead], service: ServiceTimes) -> tuple[float, int]:
    """The officer's minutes of work and the number of people before the next session can be called."""
    minutes, people = 0.0, 0
    for item in work:
        if not item.started and item.kinds:
            minutes += service.briefing[item.mode]
        minutes += sum(service.check_for(kind) for kind in item.kinds)
        people += len(item.kinds)
    return minutes, people


def estimate(
    *, now: dt.datetime, starts_at: dt.datetime, work: list[WorkAhead], service: ServiceTimes
) -> WaitEstimate:
    minutes, people = minutes_ahead(work, service)
    ready_at = max(starts_at, now + dt.timedelta(minutes=minutes))
    wait = max(0.0, (ready_at - now).total_seconds() / 60)
    return WaitEstimate(minutes=math.ceil(wait), people_ahead=people, called=False)


def service_times(branch, today: dt.date) -> ServiceTimes:
    key = f"booking:service-times:{branch.pk}:{today.isoformat()}"
    service = cache.get(key)
    if service is None:
        service, _sources = measure_service(branch, until=today)
        cache.set(key, service, SERVICE_CACHE_SECONDS)
    return service


def _work_before(booking: Booking) -> list[WorkAhead]:
    """The officer's open sessions of the day that start before the person's own, with who is still to be
    checked in each. The person's own session is not waiting: a group is called together (booking.actions.
    call_next), and a one-to-one session holds the person alone."""
    session = booking.session
    earlier = list(
        Session.objects.filter(
            branch_id=session.branch_id,
            officer_id=session.officer_id,
            local_date=session.local_date,
            status__in=(SessionStatus.SCHEDULED, SessionStatus.RUNNING),
            starts_at__lt=session.starts_at,
        ).order_by("starts_at", "id")
    )
    present = Booking.objects.filter(session__in=earlier, status__in=PRESENT).values_list(
        "session_id", "claim__program", "claim__reason"
    )
    people: dict[int, list[str]] = {}
    for session_id, program, reason in present:
        people.setdefault(session_id, []).append(f"{program}/{reason}")
    return [
        WorkAhead(
            mode="one_to_many" if item.is_group else "one_to_one",
            started=item.status == SessionStatus.RUNNING,
            kinds=tuple(people.get(item.pk, ())),
        )
        for item in earlier
    ]


def wait_for(booking: Booking, *, now: dt.datetime | None = None) -> WaitEstimate | None:
    """The estimate shown on the ticket, the check-in page and the booking; None where it means nothing
    (online sessions, other days, people already served or gone)."""
    now = now or timezone.now()
    session = booking.session
    branch = session.branch
    if session.channel != SessionChannel.OFFLINE or session.local_date != today_at(branch.time_zone, now=now):
        return None
    if booking.status == BookingStatus.CALLED:
        return WaitEstimate(minutes=0, people_ahead=0, called=True)
    if booking.status not in (BookingStatus.BOOKED, BookingStatus.CHECKED_IN):
        return None
    service = service_times(branch, session.local_date)
    return estimate(now=now, starts_at=session.starts_at, work=_work_before(booking), service=service)


def send_turn_near(*, now: dt.datetime | None = None) -> int:
    """Virtual calling: an e-mail to each checked-in person whose turn is near, once, so they can wait
    outside. The guarded UPDATE claims the message before it is sent: two sweeps never send it twice."""
    now = now or timezone.now()
    near = dt.timedelta(minutes=settings.BOOKING_TURN_NEAR_MINUTES)
    sent = 0
    candidates = Booking.objects.filter(
        status=BookingStatus.CHECKED_IN,
        turn_near_sent_at__isnull=True,
        session__channel=SessionChannel.OFFLINE,
        session__starts_at__lt=now + dt.timedelta(hours=12),
        session__ends_at__gt=now,
    ).select_related("session__branch", "claim__claimant", "claim__participant")
    for booking in candidates:
        wait = wait_for(booking, now=now)
        if wait is None or dt.timedelta(minutes=wait.minutes) > near:
            continue
        with transaction.atomic():  # the claim on the message and the message commit together
            if Booking.objects.filter(pk=booking.pk, turn_near_sent_at__isnull=True).update(
                turn_near_sent_at=now
            ):
                sent += notify.turn_near(booking, wait.minutes)
    if sent:
        log.info("turn-near messages sent: %d", sent)
    return sent
