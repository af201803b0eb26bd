"""Reads of live claims for the portal, the console and the API — always through ``visible_to``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import holidays
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from lapakasik.lib.dates import today_at

from .models import Claim, ClaimDocument, Status

OVERDUE_WORKING_DAYS = 5
QUEUE_STATUSES = [Status.SUBMITTED, Status.IN_VERIFICATION, Status.RETURNED_FOR_DOCUMENTS, Status.VERIFIED]


def get_claim_for(user, number: str) -> Claim:
    """The claim with this number if ``user`` may see it; otherwise 404 (never 403: nothing to probe)."""
    claim = (
        Claim.objects.visible_to(user)
        .select_related("participant", "heir", "branch", "claimant", "verified_by", "approved_by")
        .filter(number=number)
        .first()
    )
    if claim is None:
        raise Http404
    return claim


def get_document_for(user, number: str, document_id: int) -> ClaimDocument:
    claim = get_claim_for(user, number)
    document = ClaimDocument.objects.filter(claim=claim, pk=document_id).first()
    if document is None:
        raise Http404
    return document


@lru_cache(maxsize=16)
def _holidays(year: int) -> frozenset[dt.date]:
    # Public holidays and cuti bersama (the government category) close the branch alike.
    return frozenset(holidays.Indonesia(years=year, categories=("public", "government")).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 on the same day)."""
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        days += is_working_day(day)
    return days


def overdue_since(today: dt.date, working_days: int = OVERDUE_WORKING_DAYS) -> dt.date:
    """Claims submitted before this date have waited more than ``working_days`` working days."""
    day, counted = today, 0
    while counted < working_days:
        counted += is_working_day(day)
        day -= dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class QueueFilter:
    program: str = ""
    status: str = ""
    channel: str = ""
    age: str = ""  # "" | "overdue"


def work_queue(user, branch, f: QueueFilter) -> QuerySet[Claim]:
    claims = Claim.objects.visible_to(user).filter(branch=branch).select_related("participant", "heir")
    claims = claims.filter(status=f.status) if f.status else claims.filter(status__in=QUEUE_STATUSES)
    if f.program:
        claims = claims.filter(program=f.program)
    if f.channel:
        claims = claims.filter(channel=f.channel)
    if f.age == "overdue":
        claims = claims.filter(submitted_on__lt=overdue_since(today_at(branch.time_zone)))
    return claims.order_by("submitted_at", "id")


def waiting_for_approval(user, branch) -> QuerySet[Claim]:
    return (
        Claim.objects.visible_to(user)
        .filter(branch=branch, status=Status.VERIFIED)
        .select_related("participant", "verified_by")
        .order_by("submitted_at")
    )


def overdue_claims(user, branch) -> QuerySet[Claim]:
    return work_queue(user, branch, QueueFilter(age="overdue"))


def decisions_by_officer(user, branch, since: dt.date) -> list[Any]:
    """Per officer since ``since``: claims verified, returned, rejected and approved (from the audit trail)."""
    from .models import ClaimEvent

    events = ClaimEvent.objects.filter(
        claim__in=Claim.objects.visible_to(user).filter(branch=branch),
        at__date__gte=since,
        action__in=["verified", "returned", "rejected", "approved"],
        actor__isnull=False,
    )
    rows = events.values("actor__username", "actor__first_name", "actor__last_name").annotate(
        verified=Count("id", filter=Q(action="verified")),
        returned=Count("id", filter=Q(action="returned")),
        rejected=Count("id", filter=Q(action="rejected")),
        approved=Count("id", filter=Q(action="approved")),
    )
    return list(rows.order_by("actor__username"))


def age_in_working_days(claim: Claim) -> int | None:
    if claim.submitted_on is None:
        return None
    return working_days_between(claim.submitted_on, today_at(claim.branch.time_zone))
