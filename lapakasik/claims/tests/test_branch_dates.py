"""Dates in claims queries are the branch's dates: a WITA branch's day starts an hour before Jakarta's."""

from __future__ import annotations

import datetime as dt

import pytest

from lapakasik.claims.models import Claim, ClaimEvent
from lapakasik.claims.queries import decisions_by_officer
from lapakasik.lib.dates import at_local
from lapakasik.registry.models import Participant, ServiceArea

pytestmark = pytest.mark.django_db


def test_a_decision_just_after_midnight_at_a_wita_branch_counts_for_that_day(outsider):
    area = ServiceArea.objects.select_related("branch").filter(branch__code="makassar").first()
    claim = Claim.objects.create(
        participant=Participant.objects.first(),
        program="JHT",
        reason="resign",
        channel="offline",
        status="approved",
        branch=area.branch,
        area=area,
    )
    day = dt.date(2026, 12, 2)
    # 00:30 WITA on 2 December is still 23:30 on 1 December in Jakarta (and 16:30 UTC).
    event = ClaimEvent.objects.create(claim=claim, actor=outsider, action="verified")
    ClaimEvent.objects.filter(pk=event.pk).update(at=at_local(day, dt.time(0, 30), "Asia/Makassar"))

    rows = decisions_by_officer(outsider, area.branch, since=day)

    assert [(r["actor__username"], r["verified"]) for r in rows] == [("cso.makassar", 1)]
    assert decisions_by_officer(outsider, area.branch, since=day + dt.timedelta(days=1)) == []
