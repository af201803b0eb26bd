"""A demo day at Madiun, recorded the way a real one is: through the booking app's own actions, each at
its own instant (booking, check-in, calling the group, one verdict after another, no-shows).

The day is what an officer's day looks like, drawn from a seeded random generator: one CSO, one-to-many
sessions of six every 45 minutes from 08:00, one kind of claim per session; one in ten booked people do not
come, some come late, most a little early; the officer calls a session's group at its start or when the
previous group is done, briefs it once, then checks each person in turn, longer for a death claim and for
anyone whose documents are incomplete. People who come after their group was called are called next.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from lapakasik.booking import actions
from lapakasik.booking.models import Session
from lapakasik.booking.tests.conftest import make_claimant, make_session
from lapakasik.lib.dates import at_local

KINDS = [("JHT", "resign", 6.0), ("JHT", "phk", 7.0), ("JKM", "death", 11.0)]
BRIEFING_MINUTES = 12.0
INCOMPLETE_EXTRA = 5.0
NO_SHOW, LATE, INCOMPLETE = 0.10, 0.15, 0.20


@dataclass
class _Seat:
    claim: object
    booking: object
    arrives: dt.datetime | None  # None: does not come
    incomplete: bool


def _lognormal(rng: random.Random, mean: float, cv: float = 0.4) -> float:
    sigma2 = math.log(1 + cv**2)
    return rng.lognormvariate(math.log(mean) - sigma2 / 2, math.sqrt(sigma2))


def record_day(
    madiun, officer, day: dt.date, *, sessions: int = 9, seats: int = 6, seed: int = 17
) -> list[Session]:
    rng = random.Random(seed)
    booked_on = at_local(day - dt.timedelta(days=3), dt.time(9), madiun.time_zone)
    plan = []
    for i in range(sessions):
        start = (dt.datetime.combine(day, dt.time(8)) + dt.timedelta(minutes=45 * i)).time()
        session = make_session(day=day, at=start, seats=seats, minutes=45, officer=officer.username)
        program, reason, check = KINDS[i % len(KINDS)]
        people = []
        for _ in range(seats):
            claim = make_claimant(program=program, reason=reason)
            booking = actions.book_seat(session, claim, by=claim.claimant, now=booked_on)
            arrives = (
                None
                if rng.random() < NO_SHOW
                else session.starts_at
                + dt.timedelta(minutes=rng.uniform(0, 20) if rng.random() < LATE else -rng.uniform(0, 15))
            )
            people.append(_Seat(claim, booking, arrives, rng.random() < INCOMPLETE))
        plan.append((session, people, check))
    _serve(madiun, officer, plan, rng)
    return [session for session, _, _ in plan]


def _serve(madiun, officer, plan, rng: random.Random) -> None:
    """One officer works through the sessions in order; late people are called after their group."""
    free_at = plan[0][0].starts_at
    for session, people, check in plan:
        remaining = sorted((s for s in people if s.arrives), key=lambda s: s.arrives)
        while remaining:
            call_at = max(session.starts_at, free_at, remaining[0].arrives)
            group = [s for s in remaining if s.arrives <= call_at]
            for seat in group:  # check-in happens before the call, at each person's own instant
                actions.check_in(
                    madiun,
                    code=seat.booking.code,
                    nik_last4=seat.claim.participant.nik[-4:],
                    now=seat.arrives,
                )
            session.refresh_from_db()
            actions.call_next(session, by=officer, now=call_at)
            free_at = call_at + dt.timedelta(minutes=_lognormal(rng, BRIEFING_MINUTES))
            for seat in group:
                minutes = _lognormal(rng, check + (INCOMPLETE_EXTRA if seat.incomplete else 0))
                free_at += dt.timedelta(minutes=minutes)
                verdict = "documents_missing" if seat.incomplete else "verified"
                actions.record_verdict(
                    seat.booking, verdict, by=officer, note="Paklaring belum ada", now=free_at
                )
            remaining = [s for s in remaining if s not in group]
        actions.finish_session(session, by=officer, now=free_at)
    actions.mark_no_shows(now=free_at + dt.timedelta(hours=1))
