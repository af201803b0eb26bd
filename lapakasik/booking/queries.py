"""Reads of the schedule, each knowing who asks (ARCHITECTURE §3.4)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone

from lapakasik.claims.models import Claim

from . import calendar
from .actions import OPEN_SESSION, calendar_for, fits
from .models import ACTIVE, Booking, BookingStatus, BranchCalendar, Session, SessionChannel, SessionStatus

MAX_DAYS_AHEAD = 31


def sessions_visible_to(user):
    if not user.is_authenticated:
        return Session.objects.none()
    if user.is_admin_role:
        return Session.objects.all()
    if user.is_branch_staff:
        return Session.objects.filter(branch_id=user.branch_id)
    return Session.objects.none()


def get_session_for(user, pk: int) -> Session:
    session = sessions_visible_to(user).select_related("branch", "officer").filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def bookings_visible_to(user):
    if not user.is_authenticated:
        return Booking.objects.none()
    if user.is_admin_role:
        return Booking.objects.all()
    if user.is_branch_staff:
        return Booking.objects.filter(session__branch_id=user.branch_id)
    return Booking.objects.filter(claim__claimant=user)


def get_booking_for(user, pk: int) -> Booking:
    booking = (
        bookings_visible_to(user)
        .select_related("session__branch", "claim__participant")
        .filter(pk=pk)
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def get_claim_for(user, number: str) -> Claim:
    claim = Claim.objects.visible_to(user).select_related("branch").filter(number=number).first()
    if claim is None:
        raise Http404
    return claim


def earliest_sessions(
    claim: Claim, *, now: dt.datetime | None = None, branch=None, channel: str | None = None, limit: int = 12
) -> list[Session]:
    """The earliest sessions this claim may book now, at any branch (the national rule since July 2020).

    Partly filled one-to-many sessions of the claim's own group come first within the same hour,
    so groups fill up before new ones start.
    """
    now = now or timezone.now()
    candidates = Session.objects.filter(
        status=SessionStatus.SCHEDULED, starts_at__gt=now, starts_at__lt=now + dt.timedelta(days=MAX_DAYS_AHEAD),
        seats_taken__lt=F("seats"),
    ).filter(Q(programs="") | Q(programs__contains=claim.program)).select_related("branch", "officer")  # fmt: skip
    if branch is not None:
        candidates = candidates.filter(branch=branch)
    if channel:
        candidates = candidates.filter(channel=channel)
    calendars = {c.branch_id: c for c in BranchCalendar.objects.all()}
    found = []
    for session in candidates.order_by("starts_at", "id")[:500]:
        cal = calendars.get(session.branch_id) or calendar_for(session.branch)
        if fits(session, claim) and calendar.is_bookable(
            now, session.local_date, session.starts_at, channel=session.channel, days_ahead=cal.days_ahead,
            opens_at=cal.opens_at, time_zone=session.branch.time_zone,
        ):  # fmt: skip
            found.append(session)
        if len(found) >= limit * 3:
            break
    found.sort(key=lambda s: (s.starts_at.replace(minute=0, second=0), -s.seats_taken, s.starts_at))
    return found[:limit]


def active_booking(claim: Claim) -> Booking | None:
    return Booking.objects.filter(claim=claim, status__in=ACTIVE).select_related("session__branch").first()


def video_link(booking: Booking, *, now: dt.datetime | None = None) -> str | None:
    """Only for an online session, only once consent is recorded, only from shortly before it starts."""
    session = booking.session
    now = now or timezone.now()
    lead = dt.timedelta(minutes=settings.VIDEO_LINK_LEAD_MINUTES)
    if (
        session.channel != SessionChannel.ONLINE
        or booking.status not in ACTIVE
        or booking.video_consent_at is None
    ):
        return None
    if not (session.starts_at - lead <= now < session.ends_at):
        return None
    return settings.VIDEO_ROOM_URL_TEMPLATE.format(room=session.room)


def video_link_opens_at(booking: Booking) -> dt.datetime:
    return booking.session.starts_at - dt.timedelta(minutes=settings.VIDEO_LINK_LEAD_MINUTES)


def no_show_counts(participant_ids) -> Counter:
    rows = (
        Booking.objects.filter(claim__participant_id__in=list(participant_ids), status=BookingStatus.NO_SHOW)
        .values_list("claim__participant_id")
        .annotate(n=Count("id"))
    )
    return Counter(dict(rows))


def roster(session: Session) -> list[Booking]:
    bookings = list(
        session.bookings.exclude(status__in=[BookingStatus.CANCELLED, BookingStatus.MOVED])
        .select_related("claim__participant", "claim__heir")
        .order_by("queue_number", "seat_number")
    )
    counts = no_show_counts(b.claim.participant_id for b in bookings)
    for booking in bookings:
        booking.no_shows = counts.get(  # type: ignore[attr-defined]
            booking.claim.participant_id, 0
        )
    return bookings


def sessions_of_day(branch, day: dt.date):
    return (
        Session.objects.filter(branch=branch, local_date=day)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("officer")
        .order_by("starts_at", "id")
    )


def display_board(branch, day: dt.date) -> dict:
    """What the waiting-room screen shows: numbers being called now and how many still wait."""
    today = Booking.objects.filter(
        session__branch=branch, session__local_date=day, queue_number__isnull=False
    )
    called = today.filter(status=BookingStatus.CALLED).order_by("-called_at", "queue_number")[:12]
    return {
        "called": [(b.queue_number, b.seat_number, b.session.officer.get_full_name() or b.session.officer.username)
                   for b in called.select_related("session__officer")],
        "waiting": today.filter(status=BookingStatus.CHECKED_IN).count(),
    }  # fmt: skip


def open_sessions_today(branch, now: dt.datetime):
    from lapakasik.lib.dates import today_at

    return Session.objects.filter(
        branch=branch,
        local_date=today_at(branch.time_zone, now=now),
        status__in=OPEN_SESSION,
        ends_at__gt=now,
    )
