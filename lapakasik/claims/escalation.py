"""Escalation of claims whose service level is at risk or broken: an event on each claim and one e-mail per
branch to its supervisors and head, each claim escalated once per state (at risk, then breached).

Run by ``python -m lapakasik sla escalate`` and by the worker every hour. Idempotent: a second run the same
day finds the events and sends nothing new.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from lapakasik.accounts.models import Role, User
from lapakasik.lib.dates import today_at

from . import lifecycle
from .models import Claim, ClaimAction, ClaimEvent
from .notify import absolute_url
from .sla import SlaState, clocks_for, handling_rate, open_claims, predicted_breaches

log = logging.getLogger(__name__)

ESCALATED_STATES = (SlaState.AT_RISK, SlaState.BREACHED)
ESCALATION_ROLES = (Role.SUPERVISOR, Role.BRANCH_HEAD)


@dataclass(frozen=True)
class Escalated:
    number: str
    program: str
    state: str
    due_on: dt.date
    working_days_left: int
    url: str

    @property
    def working_days_late(self) -> int:
        return -self.working_days_left


def _already_escalated(claim_ids: list[int]) -> set[tuple[int, str]]:
    events = ClaimEvent.objects.filter(claim_id__in=claim_ids, action=ClaimAction.SLA_ESCALATED)
    return {(claim_id, data.get("state", "")) for claim_id, data in events.values_list("claim_id", "data")}


def escalate_branch(branch, *, on: dt.date | None = None) -> list[Escalated]:
    """Escalate the branch's newly at-risk or breached claims; returns them (empty when nothing is new)."""
    on = on or today_at(branch.time_zone)
    claims = {claim.pk: claim for claim in open_claims(branch)}
    clocks = clocks_for(list(claims.values()), today=on)
    due = {pk: clock for pk, clock in clocks.items() if clock.state in ESCALATED_STATES}
    done = _already_escalated(list(due))
    escalated = []
    with transaction.atomic():
        for pk, clock in sorted(due.items(), key=lambda item: (item[1].due_on, item[0])):
            if (pk, clock.state) in done:
                continue
            claim = claims[pk]
            data = {"state": str(clock.state), "due_on": clock.due_on.isoformat() if clock.due_on else None}
            lifecycle.record(claim, ClaimAction.SLA_ESCALATED, by=None, data=data)
            escalated.append(_escalated(claim, clock))
    if escalated:
        numbers = [(claims[pk].number, clock) for pk, clock in clocks.items()]
        forecast = predicted_breaches(numbers, handling_rate(branch, on), on)
        transaction.on_commit(lambda: _mail_branch(branch, escalated, forecast))
    return escalated


def _escalated(claim: Claim, clock) -> Escalated:
    return Escalated(
        claim.number,
        claim.program,
        str(clock.state),
        clock.due_on,
        clock.working_days_left,
        absolute_url(reverse("console:claim", args=[claim.number])),
    )


def _mail_branch(branch, escalated: list[Escalated], forecast: list[str]) -> None:
    recipients = list(
        User.objects.filter(branch=branch, role__in=ESCALATION_ROLES, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    with translation.override("id"):
        context = {
            "branch": branch,
            "breached": [e for e in escalated if e.state == SlaState.BREACHED],
            "at_risk": [e for e in escalated if e.state == SlaState.AT_RISK],
            "forecast": forecast,
            "total": len(escalated),
        }
        subject = render_to_string("claims/email_sla_subject.txt", context).strip()
        body = render_to_string("claims/email_sla.txt", context)
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # noqa: BLE001 — the events are written; the next digest is tomorrow's
        log.exception("service-level e-mail for branch %s not sent", branch.code)


def escalate_all() -> int:
    from lapakasik.registry.models import Branch

    return sum(len(escalate_branch(branch)) for branch in Branch.objects.all())
