"""The schedule's lifecycles: Booking, Session, WaitlistEntry and QuotaRequest, each with its table of moves and its one writer.

Nothing else writes these statuses or a ``BookingEvent``: ``booking/actions.py`` checks who may act and when
(the rules named in the tables' ``when``), then calls a writer here. Each writer is bulk-first (a single change
is a list of one), checks the table, does the guarded UPDATE that must hit every row in the status its caller
saw (else the one ``changed_meanwhile`` error), writes the events in bulk in the same transaction and leaves
e-mail to ``transaction.on_commit``. A move whose ``sources`` is empty creates the object; its writer is
``create_*`` below, so a new booking, session or waitlist place has its event too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import models

from lapakasik.lib import rows
from lapakasik.lib.lifecycle import Lifecycle, Move, apply_move

from .models import (
    Booking,
    BookingAction,
    BookingEvent,
    BookingStatus,
    QuotaRequest,
    QuotaRequestStatus,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)

A = BookingAction
B = BookingStatus
S = SessionStatus
W = WaitlistStatus
Q = QuotaRequestStatus
STAFF = frozenset({"cso", "supervisor", "branch_head", "admin"})
SUPERVISORS = frozenset({"supervisor", "branch_head", "admin"})
NEW: frozenset[str] = frozenset()  # the move creates the object
CREATES = "An empty *from* means the move creates the object."
OWN_OR_SERVING = "own claim, or staff of the session's branch"
VERDICT_WINDOW = "from 60 min before the start until the branch's midnight ending the session's day"


def _move(
    action: str, sources: frozenset[str], to: str, who: frozenset[str], scope: str, when: str = ""
) -> Move:
    return Move(name=action, sources=sources, to=to, who=who, scope=scope, when=when)


BOOKING = Lifecycle(
    model="booking.Booking",
    statuses=BookingStatus,
    notes=(
        "A booking holds one seat. Staff means cso, supervisor, branch_head or admin of the session's branch; "
        "the claim must be diajukan or sedang diverifikasi to book (a returned claim is re-submitted first). "
        + CREATES
    ),
    moves=(
        _move(A.BOOKED, NEW, B.BOOKED, frozenset({"claimant", *STAFF, "system"}), OWN_OR_SERVING,
              "the day's booking window (H-days_ahead at opens_at until the branch's midnight starting the day "
              "online, until the start offline); walk-in: today from 60 min before the start; system: a seat "
              "freed for the first compatible person waiting"),
        _move(A.CANCELLED, frozenset({B.BOOKED}), B.CANCELLED, frozenset({"claimant", *STAFF}), OWN_OR_SERVING,
              "claimant: until min_notice_hours (24 h) before the start; staff: any time"),
        _move(A.MOVED, frozenset({B.BOOKED}), B.MOVED, frozenset({"claimant", *STAFF}), OWN_OR_SERVING,
              "as cancelled, and the new session is bookable now"),
        _move(A.CHECKED_IN, frozenset({B.BOOKED}), B.CHECKED_IN, frozenset({"person at the branch"}),
              "booking code + last 4 NIK digits at the branch's own check-in page",
              "offline session today, from 60 min before the start until its end"),
        _move(A.JOINED, frozenset({B.BOOKED}), B.CHECKED_IN, frozenset({"claimant"}), "own claim",
              "online session, after video consent, from VIDEO_LINK_LEAD_MINUTES before the start until its end"),
        _move(A.CALLED, frozenset({B.CHECKED_IN}), B.CALLED, STAFF, "session's branch", VERDICT_WINDOW),
        _move(A.VERDICT, frozenset({B.CHECKED_IN, B.CALLED}), B.SERVED, STAFF, "session's branch",
              VERDICT_WINDOW + "; only for who checked in (online: joined)"),
        _move(A.ABSENT, frozenset({B.BOOKED, B.CHECKED_IN, B.CALLED}), B.NO_SHOW, STAFF, "session's branch",
              VERDICT_WINDOW),
        _move(A.NO_SHOW, frozenset({B.BOOKED}), B.NO_SHOW, frozenset({"system"}), "any",
              "offline: start + no_show_grace_minutes; online: end + grace"),
        _move(A.CLOSED, frozenset({B.BOOKED, B.CHECKED_IN, B.CALLED}), B.CANCELLED, SUPERVISORS, "own branch",
              "a closure added for the session's day cancels the session"),
    ),
)  # fmt: skip

SESSION = Lifecycle(
    model="booking.Session",
    statuses=SessionStatus,
    notes=CREATES,
    moves=(
        _move(A.SESSION_GENERATED, NEW, S.SCHEDULED, frozenset({"system", *SUPERVISORS}), "own branch",
              "open days of the booking window, from active templates, within the daily quota per channel"),
        _move(A.SESSION_STARTED, frozenset({S.SCHEDULED}), S.RUNNING, STAFF, "session's branch",
              "the first call, " + VERDICT_WINDOW),
        _move(A.SESSION_FINISHED, frozenset({S.SCHEDULED, S.RUNNING}), S.DONE, STAFF, "session's branch"),
        _move(A.SESSION_CANCELLED, frozenset({S.SCHEDULED}), S.CANCELLED, SUPERVISORS, "own branch",
              "a closure added for the session's day (a running session is left to its officer)"),
    ),
)  # fmt: skip

WAITLIST = Lifecycle(
    model="booking.WaitlistEntry",
    statuses=WaitlistStatus,
    notes=CREATES,
    moves=(
        _move(A.WAITLIST_JOINED, NEW, W.WAITING, frozenset({"claimant", *STAFF}), OWN_OR_SERVING,
              "claim diajukan or sedang diverifikasi, without an active booking, on a day none of whose "
              "sessions for the claim has a seat left"),
        _move(A.WAITLIST_LEFT, frozenset({W.WAITING}), W.LEFT, frozenset({"claimant", *STAFF}), OWN_OR_SERVING),
        _move(A.WAITLIST_PROMOTED, frozenset({W.WAITING}), W.PROMOTED, frozenset({"system"}), "any",
              "a seat of that branch, day and channel freed before the session starts"),
        _move(A.WAITLIST_DROPPED, frozenset({W.WAITING}), W.LEFT, frozenset({"system", *SUPERVISORS}), "any",
              "the claim was booked elsewhere or is no longer bookable; or a closure closed the day"),
    ),
)  # fmt: skip

QUOTA_REQUEST = Lifecycle(
    model="booking.QuotaRequest",
    statuses=QuotaRequestStatus,
    notes="Requests made in the first lottery_minutes after a day's quota opens are drawn, not served "
    "first-come-first-served (booking/lottery.py). " + CREATES,
    moves=(
        _move(A.LOTTERY_ENTERED, NEW, Q.ENTERED, frozenset({"claimant", *STAFF}), OWN_OR_SERVING,
              "within the lottery window of the day; one request per NIK and day"),
        _move(A.LOTTERY_WON, frozenset({Q.ENTERED}), Q.WON, frozenset({"system"}), "any",
              "the draw, after the window: a seat in the session asked for or another of that day and channel"),
        _move(A.LOTTERY_LOST, frozenset({Q.ENTERED}), Q.LOST, frozenset({"system"}), "any",
              "the draw found no seat left: the claim joins that day's waitlist"),
    ),
)  # fmt: skip

LIFECYCLES = (BOOKING, SESSION, WAITLIST, QUOTA_REQUEST)
STATUS_MOVES = frozenset(move.name for lifecycle in LIFECYCLES for move in lifecycle.moves)

EventData = dict[str, Any] | Callable[[Any], dict[str, Any]] | None
Tell = Callable[[Sequence[models.Model], str], None] | None


def _actor(by) -> Any:
    return by if getattr(by, "pk", None) else None


def _data(data: EventData, obj) -> dict[str, Any]:
    if data is None:
        return {}
    return data(obj) if callable(data) else dict(data)


def _created(lifecycle: Lifecycle, action: str) -> str:
    move = lifecycle.move(action)
    if move.sources:
        raise ValueError(f"{lifecycle.model}.{action} moves an existing object; it does not create one")
    return move.to


# ---------------------------------------------------------------- bookings


def move_bookings(
    bookings: Sequence[Booking],
    action: str,
    *,
    by,
    changes: dict[str, Any] | None = None,
    note: str = "",
    data: EventData = None,
    expect: str | None = None,
    tell: Tell = None,
) -> list[Booking]:
    """The one writer of ``Booking.status``."""

    def event(booking, from_status: str, to_status: str) -> BookingEvent:
        return BookingEvent(
            action=action,
            actor=_actor(by),
            booking=booking,
            session_id=booking.session_id,
            claim_id=booking.claim_id,
            from_status=from_status,
            to_status=to_status,
            note=note,
            data=_data(data, booking),
        )

    return apply_move(
        BOOKING,
        action,
        bookings,
        by=by,
        event=event,
        changes=changes,
        expect=expect,
        tell=tell,
    )  # type: ignore[return-value]


def create_booking(*, by, data: dict[str, Any] | None = None, **fields: Any) -> Booking:
    """A new booking in status ``booked`` and its event; the caller holds the seat (``actions._take_seat``).
    Both rows go in one statement on PostgreSQL (issue 19, the booking burst: lib/rows.py)."""
    booking = Booking(status=_created(BOOKING, A.BOOKED), **fields)
    event = BookingEvent(
        action=A.BOOKED,
        actor=_actor(by),
        session_id=booking.session_id,
        claim_id=booking.claim_id,
        to_status=booking.status,
        data=dict(data or {}),
    )
    rows.insert_with_child(booking, event, "booking")
    return booking


# ---------------------------------------------------------------- sessions


def move_sessions(
    sessions: Sequence[Session],
    action: str,
    *,
    by,
    changes: dict[str, Any] | None = None,
    note: str = "",
    data: EventData = None,
    tell: Tell = None,
) -> list[Session]:
    """The one writer of ``Session.status``."""

    def event(session, from_status: str, to_status: str) -> BookingEvent:
        return BookingEvent(
            action=action,
            actor=_actor(by),
            session=session,
            branch_id=session.branch_id,
            from_status=from_status,
            to_status=to_status,
            note=note,
            data=_data(data, session),
        )

    return apply_move(SESSION, action, sessions, by=by, event=event, changes=changes, tell=tell)  # type: ignore[return-value]


def create_session(*, by, data: EventData = None, **fields: Any) -> Session:
    session = Session.objects.create(status=_created(SESSION, A.SESSION_GENERATED), **fields)
    BookingEvent.objects.create(
        action=A.SESSION_GENERATED,
        actor=_actor(by),
        session=session,
        branch_id=session.branch_id,
        to_status=session.status,
        data=_data(data, session),
    )
    return session


# ---------------------------------------------------------------- waitlist


def move_waitlist(
    entries: Sequence[WaitlistEntry],
    action: str,
    *,
    by,
    changes: dict[str, Any] | None = None,
    note: str = "",
    data: EventData = None,
    tell: Tell = None,
) -> list[WaitlistEntry]:
    """The one writer of ``WaitlistEntry.status``: people leave, are promoted or dropped with an event each."""

    def event(entry, from_status: str, to_status: str) -> BookingEvent:
        return BookingEvent(
            action=action,
            actor=_actor(by),
            waitlist_entry=entry,
            claim_id=entry.claim_id,
            branch_id=entry.branch_id,
            from_status=from_status,
            to_status=to_status,
            note=note,
            data={"date": entry.date.isoformat(), "channel": entry.channel, **_data(data, entry)},
        )

    return apply_move(WAITLIST, action, entries, by=by, event=event, changes=changes, tell=tell)  # type: ignore[return-value]


def join_waitlist(*, by, claim, branch, date, channel: str) -> tuple[WaitlistEntry, bool]:
    """The claim's waiting place for that branch, day and channel; a second join finds the first place."""
    entry, created = WaitlistEntry.objects.get_or_create(
        claim=claim, branch=branch, date=date, channel=channel, status=_created(WAITLIST, A.WAITLIST_JOINED)
    )
    if created:
        BookingEvent.objects.create(
            action=A.WAITLIST_JOINED,
            actor=_actor(by),
            waitlist_entry=entry,
            claim=claim,
            branch=branch,
            to_status=entry.status,
            data={"date": date.isoformat(), "channel": channel},
        )
    return entry, created


# ---------------------------------------------------------------- lottery requests


def create_quota_request(*, by, **fields: Any) -> QuotaRequest:
    request = QuotaRequest.objects.create(status=_created(QUOTA_REQUEST, A.LOTTERY_ENTERED), **fields)
    BookingEvent.objects.create(
        action=A.LOTTERY_ENTERED,
        actor=_actor(by),
        quota_request=request,
        session_id=request.session_id,
        claim_id=request.claim_id,
        branch_id=request.branch_id,
        to_status=request.status,
        data={"date": request.date.isoformat(), "channel": request.channel},
    )
    return request


def move_quota_requests(
    requests: Sequence[QuotaRequest],
    action: str,
    *,
    changes: dict[str, Any] | None = None,
    data: EventData = None,
    tell: Tell = None,
) -> list[QuotaRequest]:
    """The one writer of ``QuotaRequest.status`` (the draw is the system's act)."""

    def event(request, from_status: str, to_status: str) -> BookingEvent:
        return BookingEvent(
            action=action,
            quota_request=request,
            claim_id=request.claim_id,
            branch_id=request.branch_id,
            booking_id=request.booking_id,
            from_status=from_status,
            to_status=to_status,
            data=_data(data, request),
        )

    return apply_move(QUOTA_REQUEST, action, requests, by=None, event=event, changes=changes, tell=tell)  # type: ignore[return-value]


# ---------------------------------------------------------------- beside a status


def record(
    action: str,
    *,
    by,
    booking: Booking | None = None,
    session: Session | None = None,
    claim=None,
    branch=None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> BookingEvent:
    """The event of a change that moves no status (consent, dropbox, calendar edits). A status move
    goes through its writer above, never through here."""
    if action in STATUS_MOVES:
        raise ValueError(f"{action} moves a status: use its writer")
    session = session or (booking.session if booking else None)
    return BookingEvent.objects.create(
        action=action,
        actor=_actor(by),
        booking=booking,
        session=session,
        claim=claim or (booking.claim if booking else None),
        branch=branch or (session.branch if session else None),
        note=note,
        data=data or {},
    )
