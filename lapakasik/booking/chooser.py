"""Reads behind the participant's session chooser: nearby branches first, one day at a time.

A day's list comes from one branch, so every time in it is in that branch's time zone (WIB and WITA are
never mixed in one list). A day is *full* when it has sessions for the claim and none has a seat left:
only then does the waitlist make sense.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from lapakasik.claims.models import Claim
from lapakasik.registry.models import Branch

from . import calendar, nearby
from .actions import calendar_for, fits
from .models import Booking, Session, SessionChannel, SessionStatus
from .queries import MAX_DAYS_AHEAD


@dataclass
class Group:
    """One channel's sessions on a day (the home channel's group comes first)."""

    channel: str
    label: str
    sessions: list[Session] = field(default_factory=list)

    @property
    def seats_left(self) -> int:
        return sum(s.seats_left for s in self.sessions)

    @property
    def full(self) -> bool:
        return bool(self.sessions) and self.seats_left == 0


@dataclass
class Day:
    date: dt.date
    groups: list[Group]

    @property
    def seats_left(self) -> int:
        return sum(g.seats_left for g in self.groups)

    @property
    def full(self) -> bool:
        return self.seats_left == 0


def branches_near(claim: Claim) -> list[Branch]:
    """Every branch, the claim's own first, then by distance from the participant's province."""
    branches = {b.code: b for b in Branch.objects.prefetch_related("areas__regencies")}
    places = [
        nearby.Place(
            code=b.code,
            time_zone=b.time_zone,
            provinces=frozenset(r.code[:2] for a in b.areas.all() for r in a.regencies.all()),
        )
        for b in branches.values()
    ]
    home = next(p for p in places if p.code == claim.branch.code)
    province = claim.participant.region_id[:2]
    return [branches[p.code] for p in nearby.by_distance(places, home=home, province=province)]


def home_channel(claim: Claim) -> str:
    """The channel the claim came in by; a collective claim's worker is served online."""
    return claim.channel if claim.channel in SessionChannel.values else SessionChannel.ONLINE


def channels_in_order(claim: Claim, only: str | None = None) -> list[str]:
    """The channels to list: the one asked for, else both with the claim's own channel first."""
    if only in SessionChannel.values:
        return [only]  # type: ignore[list-item]
    home = home_channel(claim)
    return [home, *(c for c in SessionChannel.values if c != home)]


def days(claim: Claim, branch: Branch, channels: list[str], *, now: dt.datetime | None = None) -> list[Day]:
    """The days whose booking window is open, with this claim's sessions at one branch, one group per channel
    in the order given, full sessions included (so that a full day shows as full rather than vanishing)."""
    now = now or timezone.now()
    cal = calendar_for(branch)
    labels = dict(SessionChannel.choices)
    found: dict[dt.date, dict[str, list[Session]]] = {}
    candidates = Session.objects.filter(
        branch=branch,
        channel__in=channels,
        status=SessionStatus.SCHEDULED,
        starts_at__gt=now,
        starts_at__lt=now + dt.timedelta(days=MAX_DAYS_AHEAD),
    ).select_related("branch", "officer")
    for session in candidates.order_by("starts_at", "id"):
        if fits(session, claim) and calendar.is_bookable(
            now,
            session.local_date,
            session.starts_at,
            channel=session.channel,
            days_ahead=cal.days_ahead,
            opens_at=cal.opens_at,
            time_zone=branch.time_zone,
        ):
            found.setdefault(session.local_date, {}).setdefault(session.channel, []).append(session)
    return [
        Day(d, [Group(c, str(labels[c]), found[d][c]) for c in channels if c in found[d]])
        for d in sorted(found)
    ]


def pick_day(all_days: list[Day], wanted: dt.date | None) -> Day | None:
    """The day asked for if listed, else the first day with a seat left, else the first day."""
    for day in all_days:
        if day.date == wanted:
            return day
    return next((d for d in all_days if not d.full), all_days[0] if all_days else None)


def can_change(booking: Booking, *, now: dt.datetime | None = None) -> bool:
    """Whether the participant may still move or cancel: booked, and before the notice deadline."""
    return booking.status == "booked" and (now or timezone.now()) < change_deadline(booking.session)


def change_deadline(session: Session) -> dt.datetime:
    return calendar.change_deadline(session.starts_at, calendar_for(session.branch).min_notice_hours)
