"""Builders for the booking tests: submitted claims of distinct participants and sessions at a branch."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from lapakasik.lib.dates import at_local

_serial = itertools.count(1)


def make_claimant(
    *, program: str = "JHT", reason: str = "resign", branch_code: str = "madiun", nik_tail: str = ""
):
    """A participant with a login and a submitted claim (intake's documents are not this module's concern,
    so the claim is moved to `submitted` by the claims' own writer, `claims.lifecycle.move`)."""
    from lapakasik.accounts.models import User
    from lapakasik.claims import actions as claim_actions
    from lapakasik.claims import lifecycle as claim_lifecycle
    from lapakasik.registry.models import Branch, Participant

    n = next(_serial)
    branch = Branch.objects.get(code=branch_code)
    participant = Participant.objects.create(
        nik=f"351908{n:06d}" + (nik_tail or f"{n % 10000:04d}"),
        kpj=f"77{n:09d}",
        full_name=f"Peserta Uji {n}",
        birth_date=dt.date(1985, 1, 1),
        sex="F",
        region_id="35.19.08",
        email=f"uji{n}@example.id",
    )
    user = User.objects.create(
        username=f"uji{n}", role="participant", participant=participant, email=participant.email
    )
    claim = claim_actions.start_claim(
        participant=participant,
        program=program,
        reason=reason,
        channel="online",
        by=user,
        branch=branch,
        area=branch.areas.first(),
    )
    claim_lifecycle.move([claim], "submitted", by=user)
    return claim


def make_session(
    *,
    branch_code: str = "madiun",
    day: dt.date,
    at: dt.time = dt.time(9, 0),
    seats: int = 1,
    channel: str = "offline",
    minutes: int = 30,
    programs: str = "",
    officer: str = "cso",
):
    from lapakasik.accounts.models import User
    from lapakasik.booking.models import Session
    from lapakasik.registry.models import Branch

    branch = Branch.objects.get(code=branch_code)
    starts = at_local(day, at, branch.time_zone)
    return Session.objects.create(
        branch=branch,
        channel=channel,
        officer=User.objects.get(username=officer),
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=minutes),
        local_date=day,
        seats=seats,
        programs=programs,
    )


@pytest.fixture
def claimant_claim(db):
    return make_claimant()
