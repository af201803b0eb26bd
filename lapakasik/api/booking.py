"""Booking over HTTP: the earliest sessions for a claim, booking a seat (idempotent), cancelling.

Session authentication; POST needs the CSRF token (header X-CSRFToken) like every unsafe call here.
An `Idempotency-Key` header (or `request_key` in the body) makes a retried request book once.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from lapakasik.booking import actions, lottery, queries, rate
from lapakasik.booking.models import Booking, QuotaRequest, Session
from lapakasik.registry.models import Branch

from .schemas import ERRORS, ErrorOut

BOOKING_ERRORS = {**ERRORS, 403: ErrorOut, 409: ErrorOut}

router = Router(tags=["booking"])


class SessionOut(Schema):
    id: int
    branch: str
    channel: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    seats: int
    seats_left: int


class BookIn(Schema):
    session_id: int
    claim_number: str
    request_key: str | None = None


class BookingOut(Schema):
    id: int
    code: str
    status: str
    seat_number: int
    session: SessionOut


class LotteryEntryOut(Schema):
    """202: the day's quota is being collected for a draw; the request entered it (booking/lottery.py)."""

    status: str  # "lottery"
    request_code: str
    draw_at: dt.datetime
    session: SessionOut


def _session_out(s: Session) -> SessionOut:
    return SessionOut(
        id=s.pk,
        branch=s.branch.code,
        channel=s.channel,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        time_zone=s.branch.time_zone,
        seats=s.seats,
        seats_left=s.seats_left,
    )


def _booking_out(b: Booking) -> BookingOut:
    return BookingOut(
        id=b.pk,
        code=b.display_code,
        status=b.status,
        seat_number=b.seat_number,
        session=_session_out(b.session),
    )


@router.get("/claims/{number}/sessions", response={200: list[SessionOut], **BOOKING_ERRORS})
def earliest_sessions(request, number: str, branch: str | None = None, channel: str | None = None):
    claim = queries.get_claim_for(request.user, number)
    branch_obj = get_object_or_404(Branch, code=branch) if branch else None
    return [_session_out(s) for s in queries.earliest_sessions(claim, branch=branch_obj, channel=channel)]


@router.post("/bookings", response={201: BookingOut, 202: LotteryEntryOut, **BOOKING_ERRORS, 429: ErrorOut})
def book(request, payload: BookIn):
    """201 booked; 202 entered the draw (the lottery window); 429 ``booking_rate_limited`` past the opening
    moment's limit per account or address (booking/rate.py), with ``Retry-After`` in seconds, nothing booked."""
    rate.refuse_a_burst_of(request)
    claim = queries.get_claim_for(request.user, payload.claim_number)
    session = queries.session_to_book(payload.session_id)
    key = payload.request_key or request.headers.get("Idempotency-Key")
    booking = lottery.book_or_enter(
        session, claim, by=request.user, request_key=f"{request.user.pk}:{key[:40]}" if key else None
    )
    if isinstance(booking, QuotaRequest):
        window = actions.lottery_window_of(session)
        entry = LotteryEntryOut(
            status="lottery",
            request_code=booking.display_code,
            draw_at=window[1] if window else session.starts_at,
            session=_session_out(session),
        )
        return 202, entry
    return 201, _booking_out(booking)


@router.get("/bookings/{booking_id}", response={200: BookingOut, **BOOKING_ERRORS})
def booking_detail(request, booking_id: int):
    return _booking_out(queries.get_booking_for(request.user, booking_id))


@router.post("/bookings/{booking_id}/cancel", response={200: BookingOut, **BOOKING_ERRORS})
def cancel(request, booking_id: int):
    return _booking_out(
        actions.cancel_booking(queries.get_booking_for(request.user, booking_id), by=request.user)
    )
