"""Reads of the schedule, each knowing who asks (ARCHITECTURE §3.4)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone

from lapakasik.claims.models import Claim, sees_own_claims_only
from lapakasik.lib import rows
from lapakasik.registry.models import Branch, Participant

from . import calendar
from .actions import OPEN_SESSION, calendar_for, fits
from .models import (
    ACTIVE,
    Booking,
    BookingStatus,
    BranchCalendar,
    Session,
    SessionChannel,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)

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


def waitlist_of(user):
    """The claimant's own places still waiting for a seat."""
    if not user.is_authenticated:
        return WaitlistEntry.objects.none()
    return WaitlistEntry.objects.filter(claim__claimant=user, status=WaitlistStatus.WAITING).select_related(
        "branch", "claim"
    )


def get_waitlist_entry_for(user, pk: int) -> WaitlistEntry:
    """A waitlist place of the user's own claims (staff leave one for a claimant through the action)."""
    if not user.is_authenticated:
        raise Http404
    entry = (
        WaitlistEntry.objects.filter(claim__claimant=user, pk=pk).select_related("branch", "claim").first()
    )
    if entry is None:
        raise Http404
    return entry


def get_claim_for(user, number: str) -> Claim:
    if sees_own_claims_only(user):
        claim = _own_claim(user, number)
    else:
        claim = Claim.objects.visible_to(user).select_related("branch").filter(number=number).first()
    if claim is None:
        raise Http404
    if claim.claimant_id == user.pk:
        claim.claimant = (
            user  # the account asking is already loaded: the confirmation's address is read from it
        )
    return claim


def _own_claim(user, number: str) -> Claim | None:
    """A participant's or heir's own claim with its branch and participant (whom the booking's message
    goes to), in one plain statement: the booking burst's first read (issue 19; lib/rows.py says why)."""
    sql = (
        f"SELECT {rows.columns(Claim, 'c')}, {rows.columns(Branch, 'b')}, {rows.columns(Participant, 'p')} "  # noqa: S608
        f"FROM {Claim._meta.db_table} c JOIN {Branch._meta.db_table} b ON b.id = c.branch_id "
        f"JOIN {Participant._meta.db_table} p ON p.id = c.participant_id "
        "WHERE c.number = %s AND c.claimant_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [number, user.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    claim = rows.build(Claim, row)
    claim.branch = rows.build(Branch, row, rows.width(Claim))
    claim.participant = rows.build(Participant, row, rows.width(Claim) + rows.width(Branch))
    return claim


def session_to_book(pk: int) -> Session:
    """The session a booking asks for, with its branch and the branch's calendar (the rules read both), in
    one plain statement (issue 19); 404 when there is none. Any signed-in person may ask for any session:
    what they may do with it is the booking action's to decide."""
    sql = (
        f"SELECT {rows.columns(Session, 's')}, {rows.columns(Branch, 'b')}, {rows.columns(BranchCalendar, 'k')} "  # noqa: S608
        f"FROM {Session._meta.db_table} s JOIN {Branch._meta.db_table} b ON b.id = s.branch_id "
        f"LEFT JOIN {BranchCalendar._meta.db_table} k ON k.branch_id = b.id WHERE s.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    session = rows.build(Session, row)
    session.branch = rows.build(Branch, row, rows.width(Session))
    cal = rows.build(BranchCalendar, row, rows.width(Session) + rows.width(Branch))
    if cal.pk is not None:  # a branch without one gets it made on first use (actions.calendar_for)
        session.branch.calendar = cal
    return session


def earliest_sessions(
    claim: Claim, *, now: dt.datetime | None = None, branch=None, channel: str | None = None, limit: int = 12
) -> list[Session]:
    """The earliest sessions this claim may book now, at any branch (the national rule since July 2020).

    Partly filled one-to-many sessions of the claim's own group come first within the same hour,
    so groups fill up before new ones start.
    """
    now = now or timezone.now()
    candidates = (
        Session.objects.filter(
            status=SessionStatus.SCHEDULED,
            starts_at__gt=now,
            starts_at__lt=now + dt.timedelta(days=MAX_DAYS_AHEAD),
            seats_taken__lt=F("seats"),
        )
        .filter(Q(programs="") | Q(programs__contains=claim.program))
        .select_related("branch", "officer")
    )
    if branch is not None:
        candidates = candidates.filter(branch=branch)
    if channel:
        candidates = candidates.filter(channel=channel)
    calendars = {c.branch_id: c for c in BranchCalendar.objects.all()}
    found = []
    for session in candidates.order_by("starts_at", "id")[:500]:
        cal = calendars.get(session.branch_id) or calendar_for(session.branch)
        if fits(session, claim) and calendar.is_bookable(
            now,
            session.local_date,
            session.starts_at,
            channel=session.channel,
            days_ahead=cal.days_ahead,
            opens_at=cal.opens_at,
            time_zone=session.branch.time_zone,
        ):
            found.append(session)
        if len(found) >= limit * 3:
            break
    found.sort(key=lambda s: (s.starts_at.replace(minute=0, second=0), -s.seats_taken, s.starts_at))
    return found[:limit]


def ticket_booking(pk: int) -> Booking:
    """A queue ticket's booking (the caller has checked the ticket's signature)."""
    booking = (
        Booking.objects.select_related("session__branch", "session__officer", "claim")
        .filter(pk=pk, queue_number__isnull=False)
        .first()
    )
    if booking is None:
        raise Http404
    return booking


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


# What the officer compares with the person on the call: shown as pictures, the rest as links.
FACE_DOCUMENTS = ("photo", "ektp")
_LEVEL_ORDER = {"fail": 0, "warn": 1, "pass": 2}


def roster(session: Session) -> list[Booking]:
    """The session's people with what the call needs: each claim's documents and findings (failed first),
    fetched for the whole roster at once."""
    bookings = list(
        session.bookings.exclude(status__in=[BookingStatus.CANCELLED, BookingStatus.MOVED])
        .select_related("claim__participant", "claim__heir")
        .prefetch_related("claim__documents", "claim__findings")
        .order_by("queue_number", "seat_number")
    )
    counts = no_show_counts(b.claim.participant_id for b in bookings)
    for booking in bookings:
        booking.no_shows = counts.get(  # type: ignore[attr-defined]
            booking.claim.participant_id, 0
        )
        documents = list(booking.claim.documents.all())
        faces = [d for d in documents if d.kind in FACE_DOCUMENTS and d.content_type != "application/pdf"]
        booking.faces = faces  # type: ignore[attr-defined]
        booking.claim_documents = documents  # type: ignore[attr-defined]
        booking.claim_findings = sorted(  # type: ignore[attr-defined]
            booking.claim.findings.all(), key=lambda f: (_LEVEL_ORDER.get(f.level, 9), f.id)
        )
    return bookings


def officer_video_link(session: Session) -> str | None:
    """The officer's way into an online session's room: from the session page until the session ends."""
    if session.channel != SessionChannel.ONLINE or session.status in (
        SessionStatus.DONE,
        SessionStatus.CANCELLED,
    ):
        return None
    return settings.VIDEO_ROOM_URL_TEMPLATE.format(room=session.room)


def sessions_of_day(branch, day: dt.date):
    return (
        Session.objects.filter(branch=branch, local_date=day)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("officer")
        .order_by("starts_at", "id")
    )


def display_board(branch, day: dt.date) -> dict:
    """What the waiting-room screen shows: numbers being called now (with the booth, never an officer's
    login name) and how many still wait."""
    today = Booking.objects.filter(
        session__branch=branch, session__local_date=day, queue_number__isnull=False
    )
    called = today.filter(status=BookingStatus.CALLED).order_by("-called_at", "queue_number")[:12]
    return {
        "called": [(b.queue_number, b.seat_number, b.called_at) for b in called],
        "waiting": today.filter(status=BookingStatus.CHECKED_IN).count(),
    }


def open_sessions_today(branch, now: dt.datetime):
    from lapakasik.lib.dates import today_at

    return Session.objects.filter(
        branch=branch,
        local_date=today_at(branch.time_zone, now=now),
        status__in=OPEN_SESSION,
        ends_at__gt=now,
    )


def _mean_minutes(pairs) -> float | None:
    spans = [(b - a).total_seconds() / 60 for a, b in pairs if a and b and b >= a]
    return round(sum(spans) / len(spans), 1) if spans else None


def measures(branch, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """Per day at a branch: bookings, no-show rate, waiting and service times, seats used per session,
    people served per officer-hour one-to-many vs one-to-one. Bounded by one branch's days."""
    sessions = Session.objects.filter(branch=branch, local_date__range=(date_from, date_to)).exclude(
        status=SessionStatus.CANCELLED
    )
    per_day: dict[dt.date, dict] = {}
    for s in sessions.annotate(
        used=Count(
            "bookings", filter=Q(bookings__status__in=["booked", "checked_in", "called", "served", "no_show"])
        ),
        served=Count("bookings", filter=Q(bookings__status=BookingStatus.SERVED)),
    ):
        day = per_day.setdefault(
            s.local_date,
            {
                "date": s.local_date,
                "sessions": 0,
                "seats": 0,
                "used": 0,
                "hours": {True: 0.0, False: 0.0},
                "served_by": {True: 0, False: 0},
            },
        )
        day["sessions"] += 1
        day["seats"] += s.seats
        day["used"] += s.used
        day["hours"][s.is_group] += (s.ends_at - s.starts_at).total_seconds() / 3600
        day["served_by"][s.is_group] += s.served
    bookings = Booking.objects.filter(session__in=sessions).exclude(status__in=["cancelled", "moved"])
    rows = bookings.values_list(
        "session__local_date",
        "status",
        "booked_at",
        "checked_in_at",
        "called_at",
        "served_at",
        "done_at",
        "session__starts_at",
    )
    stamps: dict[dt.date, list] = {}
    for row in rows:
        stamps.setdefault(row[0], []).append(row)
    result = []
    for date in sorted(per_day):
        day, rows_of_day = per_day[date], stamps.get(date, [])
        decided = [r for r in rows_of_day if r[1] in ("served", "no_show")]
        no_shows = sum(1 for r in decided if r[1] == "no_show")
        result.append(
            {
                "date": date,
                "sessions": day["sessions"],
                "bookings": len(rows_of_day),
                "no_show_rate": round(100 * no_shows / len(decided), 1) if decided else None,
                "wait_minutes": _mean_minutes((r[3] or r[7], r[4]) for r in rows_of_day),
                "service_minutes": _mean_minutes((r[5], r[6]) for r in rows_of_day if r[1] == "served"),
                "seats_used_per_session": round(day["used"] / day["sessions"], 2),
                "per_hour_group": _rate(day["served_by"][True], day["hours"][True]),
                "per_hour_single": _rate(day["served_by"][False], day["hours"][False]),
            }
        )
    return result


def _rate(people: int, hours: float) -> float | None:
    return round(people / hours, 2) if hours else None
