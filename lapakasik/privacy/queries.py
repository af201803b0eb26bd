"""Reads of the privacy app, knowing who asks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lapakasik.accounts.models import Role
from lapakasik.claims.models import Claim

from .models import DataRequest, Incident, IncidentStatus

BREACH_ROLES = frozenset({Role.BRANCH_HEAD})


def may_keep_breach_register(user) -> bool:
    return user.is_authenticated and (user.is_admin_role or user.role in BREACH_ROLES)


def incidents_visible_to(user) -> QuerySet[Incident]:
    """Branch heads see their branch's incidents; administrators all (including those of no branch)."""
    incidents = Incident.objects.select_related("branch", "recorded_by")
    if user.is_admin_role:
        return incidents
    if may_keep_breach_register(user) and user.branch_id:
        return incidents.filter(branch_id=user.branch_id)
    return incidents.none()


def get_incident_for(user, pk: int) -> Incident:
    return get_object_or_404(incidents_visible_to(user), pk=pk)


def requests_visible_to(user) -> QuerySet[DataRequest]:
    """Staff see the requests of participants with a claim at their branch; administrators all."""
    requests = DataRequest.objects.select_related("participant", "checked_by")
    if user.is_admin_role:
        return requests
    if user.is_branch_staff and user.branch_id:
        here = Claim.objects.filter(participant=OuterRef("participant_id"), branch_id=user.branch_id)
        return requests.filter(Exists(here))
    return requests.none()


@dataclass(frozen=True)
class Clock:
    """Where an incident stands against the 3 × 24-hour notice duty."""

    incident: Incident
    hours_left: float  # negative: overdue

    @property
    def state(self) -> str:
        i = self.incident
        if i.status == IncidentStatus.CLOSED:
            return "closed"
        if i.notified:
            return "notified"
        return "overdue" if self.hours_left < 0 else "running"


def clocks(incidents, now: dt.datetime | None = None) -> list[Clock]:
    now = now or timezone.now()
    return [Clock(i, round((i.notify_by - now).total_seconds() / 3600, 1)) for i in incidents]
