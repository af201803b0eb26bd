"""Fair release of a day's quota: the first minutes after it opens are drawn by lottery, not raced.

When a day opens for booking (BranchCalendar.days_ahead at opens_at, local time), everyone who asks in the
next ``lottery_minutes`` enters a draw instead of getting the seat their connection happened to win: one
request per NIK and day, for the session they chose. After the window the draw runs once (the first
of: the worker's minute sweep, a later booking for that day, the published result page): a random seed,
recorded and published, orders the requests; each in turn gets the session asked for, or else the first
other suitable session of that day and channel, or else a place on that day's waitlist. Requests after the
draw are served in order, as on any other day. Anyone can check the order: it is ``drawn_order`` of the
published codes with the published seed.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from lapakasik.claims.models import Claim
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Branch

from . import actions, lifecycle, notify
from .models import (
    Booking,
    BookingAction,
    QuotaDraw,
    QuotaRequest,
    QuotaRequestStatus,
    Session,
    SessionStatus,
)

log = logging.getLogger(__name__)


def drawn_order(codes: list[str], seed: str) -> list[str]:
    """The lottery itself, pure: the request codes sorted, then shuffled by a generator seeded with the
    published seed (random.Random is deterministic for a given seed on every platform and version)."""
    order = sorted(codes)
    random.Random(seed).shuffle(order)  # noqa: S311 (fairness needs a published seed, not secrecy)
    return order


# ---------------------------------------------------------------- asking


def book_or_enter(
    session: Session, claim: Claim, *, by, request_key: str | None = None, now: dt.datetime | None = None
) -> Booking | QuotaRequest:
    """What "Pesan" does: inside the lottery window a request enters the draw; otherwise (after drawing
    any draw that is due) the seat is booked at once."""
    now = now or timezone.now()
    window = actions.lottery_window_of(session)
    if window and window[0] <= now < window[1]:
        return actions.enter_lottery(session, claim, by=by, now=now)
    try:
        return actions.book_seat(session, claim, by=by, request_key=request_key, now=now)
    except DomainError as refused:
        # Requests collected and not drawn yet (no worker ran since the window closed): draw (or wait for
        # the process drawing it, on the unique draw row), then book as anyone after the draw.
        if refused.code != "lottery_pending":
            raise
    draw_due_for(session.branch, session.local_date, session.channel, now=now)
    return actions.book_seat(session, claim, by=by, request_key=request_key, now=now)


# ---------------------------------------------------------------- drawing


def draw_due(*, now: dt.datetime | None = None) -> list[QuotaDraw]:
    """Every draw whose window has closed (the worker's minute sweep)."""
    now = now or timezone.now()
    days = (
        QuotaRequest.objects.filter(status=QuotaRequestStatus.ENTERED)
        .values_list("branch_id", "date", "channel")
        .distinct()
    )
    drawn = []
    for branch_id, date, channel in days:
        draw = draw_due_for(Branch.objects.get(pk=branch_id), date, channel, now=now)
        if draw:
            drawn.append(draw)
    return drawn


def draw_due_for(branch, date: dt.date, channel: str, *, now: dt.datetime) -> QuotaDraw | None:
    sample = Session.objects.filter(branch=branch, local_date=date, channel=channel).first()
    window = actions.lottery_window_of(sample) if sample else None
    if window is None or now < window[1]:
        return None
    day = {"branch": branch, "date": date, "channel": channel}
    if QuotaDraw.objects.filter(**day).exists():
        return None
    if not QuotaRequest.objects.filter(**day, status=QuotaRequestStatus.ENTERED).exists():
        return None
    try:
        with transaction.atomic():
            draw = QuotaDraw.objects.create(**day, seed=secrets.token_hex(16), drawn_at=now)
            _allocate(draw, now=now)
    except IntegrityError:  # another process is drawing (or drew) this day: its result stands
        return None
    log.info("quota draw %s: %s entries, %s seats", draw.pk, draw.entries, draw.won)
    return draw


def _allocate(draw: QuotaDraw, *, now: dt.datetime) -> None:
    requests = {
        r.code: r
        for r in QuotaRequest.objects.select_for_update()
        .filter(branch=draw.branch, date=draw.date, channel=draw.channel, status=QuotaRequestStatus.ENTERED)
        .select_related("claim", "session")
    }
    for position, code in enumerate(drawn_order(list(requests), draw.seed), start=1):
        request = requests[code]
        booking = _first_seat(request, now=now)
        if booking:
            request.booking = booking
            lifecycle.move_quota_requests(
                [request],
                BookingAction.LOTTERY_WON,
                changes={"position": position, "booking": booking},
                data={"position": position, "draw": draw.pk},
            )
            draw.won += 1
        else:
            lifecycle.join_waitlist(
                by=None, claim=request.claim, branch=draw.branch, date=draw.date, channel=draw.channel
            )
            lifecycle.move_quota_requests(
                [request],
                BookingAction.LOTTERY_LOST,
                changes={"position": position},
                data={"position": position, "draw": draw.pk},
                tell=lambda moved, _to: notify.lottery_lost(moved[0].pk),
            )
    draw.entries = len(requests)
    draw.save(update_fields=["entries", "won"])
    lifecycle.record(
        BookingAction.LOTTERY_DRAWN,
        by=None,
        branch=draw.branch,
        data={
            "draw": draw.pk,
            "date": draw.date.isoformat(),
            "channel": draw.channel,
            "seed": draw.seed,
            "entries": draw.entries,
            "won": draw.won,
        },
    )


def _first_seat(request: QuotaRequest, *, now: dt.datetime) -> Booking | None:
    """The session asked for, else the day's other suitable sessions of that channel, earliest first."""
    others = Session.objects.filter(
        branch_id=request.branch_id,
        local_date=request.date,
        channel=request.channel,
        status=SessionStatus.SCHEDULED,
    ).exclude(pk=request.session_id)
    for session in [request.session, *others.order_by("starts_at", "id")]:
        try:
            with transaction.atomic():  # a savepoint: a full session leaves nothing behind
                return actions.book_drawn_seat(session, request.claim, now=now)
        except DomainError:
            continue
    return None


# ---------------------------------------------------------------- reading


def requests_of(user):
    return (
        QuotaRequest.objects.filter(claim__claimant=user, status=QuotaRequestStatus.ENTERED)
        .select_related("branch", "session")
        .order_by("date")
    )


def publication(branch, date: dt.date) -> list[dict]:
    """Per channel: the draw (seed, time, counts) and the order — codes and outcomes, never names."""
    out = []
    for draw in QuotaDraw.objects.filter(branch=branch, date=date).order_by("channel"):
        rows = QuotaRequest.objects.filter(branch=branch, date=date, channel=draw.channel).exclude(
            position__isnull=True
        )
        out.append({"draw": draw, "rows": rows.order_by("position")})
    return out
