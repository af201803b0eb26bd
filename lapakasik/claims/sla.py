"""Service levels: how many of its working days a claim has left before the branch's promise is broken.

The clock starts on the day the file was first handed in complete (the claim's first submission, at the
branch's date), counts the branch's working days (weekends, public holidays and cuti bersama are closed:
``lib.workdays``), stops while the claim waits for the participant (returned for documents,
with that as its reason) and runs on from where it stopped when the claim comes back. The allowance is a dated
parameter per program (``rules/params/service.yaml``): JHT's five working days are law; the other programs'
are the branch's own service standard. The rule in force on the day the clock started applies.

Pure rules first (``sla_clock``); the queries below them read a set of claims' events in one query.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lapakasik.lib.dates import as_local, today_at
from lapakasik.lib.workdays import add_working_days, working_days_between

from .models import Claim, ClaimAction, ClaimEvent, Status


class SlaState(models.TextChoices):
    ON_TRACK = "on_track", _("Sesuai jadwal")
    AT_RISK = "at_risk", _("Berisiko terlambat")
    BREACHED = "breached", _("Melewati tenggat")
    PAUSED = "paused", _("Dijeda: menunggu peserta")


# The statuses in which the branch owes the participant a payment date. A draft has not been handed in; paid,
# rejected and cancelled claims are done.
CLOCKED_STATUSES = (
    Status.SUBMITTED,
    Status.IN_VERIFICATION,
    Status.RETURNED_FOR_DOCUMENTS,
    Status.VERIFIED,
    Status.APPROVED,
)
# Why a paused clock waits, as a reason code the API and the portal share.
PAUSE_REASON = "awaiting_documents"


@dataclass(frozen=True)
class Pause:
    start: dt.date
    end: dt.date | None = None  # None: the claim still waits for the participant


@dataclass(frozen=True)
class Clock:
    started_on: dt.date
    allowed: int  # working days
    state: str
    due_on: dt.date | None  # None only while paused: the date moves with the participant
    working_days_left: int | None  # negative once breached; None while paused
    paused_since: dt.date | None = None
    pause_reason: str = ""


# ---------------------------------------------------------------- pure rules


def signed_working_days(today: dt.date, due_on: dt.date) -> int:
    """Working days from today until the due date; negative (working days late) after it."""
    if today <= due_on:
        return working_days_between(today, due_on)
    return -working_days_between(due_on, today)


def sla_clock(
    *, started_on: dt.date, allowed: int, pauses: Sequence[Pause], today: dt.date, at_risk_share: Decimal
) -> Clock:
    """The state of one claim's clock on ``today``.

    At risk once ``at_risk_share`` of the allowance is used (e.g. 0.6 of 5 days: from the third day used);
    breached the working day after the due date (the due date itself is still on time).
    """
    waiting = next((pause for pause in pauses if pause.end is None), None)
    if waiting is not None:
        return Clock(started_on, allowed, SlaState.PAUSED, None, None, waiting.start, PAUSE_REASON)
    paused_days = sum(working_days_between(p.start, p.end) for p in pauses if p.end is not None)
    due_on = add_working_days(started_on, allowed + paused_days)
    left = signed_working_days(today, due_on)
    if left < 0:
        state = SlaState.BREACHED
    elif allowed - left >= at_risk_share * allowed:
        state = SlaState.AT_RISK
    else:
        state = SlaState.ON_TRACK
    return Clock(started_on, allowed, state, due_on, left)


def pauses_from(events: Iterable[tuple[str, dt.date]]) -> tuple[dt.date | None, list[Pause]]:
    """The first submission's date and the pauses, from a claim's (action, local date) events in order."""
    started_on, pauses = None, []
    open_since: dt.date | None = None
    for action, day in events:
        if action == ClaimAction.SUBMITTED:
            if started_on is None:
                started_on = day
            elif open_since is not None:
                pauses.append(Pause(open_since, day))
                open_since = None
        elif action == ClaimAction.RETURNED and started_on is not None:
            open_since = day
    if open_since is not None:
        pauses.append(Pause(open_since))
    return started_on, pauses


# ---------------------------------------------------------------- parameters


def allowed_working_days(program: str, on: dt.date) -> int:
    from lapakasik.rules.params import value

    return int(value(f"service.sla.{program.lower()}", on))


def at_risk_share() -> Decimal:
    return Decimal(settings.SLA_AT_RISK_PERCENT) / 100


# ---------------------------------------------------------------- queries


def _events_by_claim(claims: Sequence[Claim]) -> dict[int, list[tuple[str, dt.date]]]:
    zones = {claim.pk: claim.branch.time_zone for claim in claims}
    rows = (
        ClaimEvent.objects.filter(
            claim_id__in=list(zones), action__in=[ClaimAction.SUBMITTED, ClaimAction.RETURNED]
        )
        .order_by("claim_id", "at", "id")
        .values_list("claim_id", "action", "at")
    )
    events: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for claim_id, action, at in rows:
        events[claim_id].append((action, as_local(at, zones[claim_id]).date()))
    return events


def clocks_for(claims: Sequence[Claim], *, today: dt.date | None = None) -> dict[int, Clock]:
    """Clocks of the claims that have one (handed in, not yet done), by claim id; one query for the events.

    ``today`` defaults to each claim's branch date. The claims need their branch (select_related).
    """
    timed = [claim for claim in claims if claim.status in CLOCKED_STATUSES]
    events = _events_by_claim(timed)
    share = at_risk_share()
    clocks = {}
    for claim in timed:
        first_submitted, pauses = pauses_from(events.get(claim.pk, []))
        # The earlier of the first submission's event and the claim's date: a resubmission moves
        # ``submitted_on`` on, and a claim carried over from the old system has its date but a new event.
        started_on = min(filter(None, (first_submitted, claim.submitted_on)), default=None)
        if started_on is None:
            continue
        on = today or today_at(claim.branch.time_zone)
        pauses = _as_status_says(claim, pauses, on)
        clocks[claim.pk] = sla_clock(
            started_on=started_on,
            allowed=allowed_working_days(claim.program, started_on),
            pauses=pauses,
            today=on,
            at_risk_share=share,
        )
    return clocks


def _as_status_says(claim: Claim, pauses: list[Pause], today: dt.date) -> list[Pause]:
    """The status is the truth about waiting: a returned claim is paused (since today if no event says when),
    any other claim is not."""
    ended = [pause for pause in pauses if pause.end is not None]
    if claim.status != Status.RETURNED_FOR_DOCUMENTS:
        return ended
    waiting = [pause for pause in pauses if pause.end is None]
    return ended + (waiting or [Pause(today)])


def clock_for(claim: Claim, *, today: dt.date | None = None) -> Clock | None:
    return clocks_for([claim], today=today).get(claim.pk)


# ---------------------------------------------------------------- the branch's report and forecast

# The branch's handling rate is measured over this many working days before the report's date.
RATE_WINDOW_WORKING_DAYS = 20
DECIDED_ACTIONS = (ClaimAction.APPROVED, ClaimAction.REJECTED)


def open_claims(branch) -> models.QuerySet[Claim]:
    return Claim.objects.filter(branch=branch, status__in=CLOCKED_STATUSES).select_related("branch")


def handling_rate(branch, on: dt.date) -> Decimal:
    """Claims the branch decided (approved or rejected) per working day over the last working days."""
    from lapakasik.lib.dates import at_local

    since = add_working_days(on, -RATE_WINDOW_WORKING_DAYS)
    decided = ClaimEvent.objects.filter(
        claim__branch=branch,
        action__in=DECIDED_ACTIONS,
        at__gte=at_local(since, dt.time(0), branch.time_zone),
        at__lt=at_local(on, dt.time(0), branch.time_zone),
    ).count()
    return Decimal(decided) / RATE_WINDOW_WORKING_DAYS


def predicted_breaches(clocks: Sequence[tuple[str, Clock]], rate: Decimal, today: dt.date) -> list[str]:
    """Claim numbers that will miss their due date if the branch works its queue, earliest due first, at
    its measured rate. Paused claims wait for the participant, not the branch; with no measured rate (a new
    branch) nothing is predicted rather than everything."""
    if rate <= 0:
        return []
    running = sorted(
        ((number, clock) for number, clock in clocks if clock.due_on is not None),
        key=lambda item: (item[1].due_on, item[0]),
    )
    late = []
    for place, (number, clock) in enumerate(running, start=1):
        finished_on = add_working_days(today, int(-(-Decimal(place) // rate)))  # ceil(place / rate)
        if clock.due_on is not None and finished_on > clock.due_on:
            late.append(number)
    return late


def branch_report(branch, on: dt.date | None = None) -> dict:
    """``python -m lapakasik sla report``: every clocked claim of the branch, at-risk and breached first."""
    on = on or today_at(branch.time_zone)
    claims = list(open_claims(branch))
    clocks = clocks_for(claims, today=on)
    by_id = {claim.pk: claim for claim in claims}
    rows = [
        {
            "number": by_id[pk].number,
            "program": by_id[pk].program,
            "status": by_id[pk].status,
            "due_on": clock.due_on.isoformat() if clock.due_on else None,
            "working_days_left": clock.working_days_left,
            "state": str(clock.state),
        }
        for pk, clock in clocks.items()
    ]
    rows.sort(key=_report_order)
    rate = handling_rate(branch, on)
    summary = {state: sum(row["state"] == state for row in rows) for state in SlaState.values}
    return {
        "as_of": on.isoformat(),
        "branch": branch.code,
        "claims": rows,
        "summary": {
            "total": len(rows),
            **summary,
            "handling_rate_per_working_day": str(rate.quantize(Decimal("0.01"))),
            "predicted_breaches": predicted_breaches(
                [(by_id[pk].number, clock) for pk, clock in clocks.items()], rate, on
            ),
        },
    }


STATE_ORDER = {SlaState.BREACHED: 0, SlaState.AT_RISK: 1, SlaState.ON_TRACK: 2, SlaState.PAUSED: 3}


def _report_order(row: dict) -> tuple:
    return (STATE_ORDER[SlaState(row["state"])], row["due_on"] or "9999-12-31", row["number"])


def urgency(clock: Clock | None) -> tuple:
    """Sort key: breached, then at risk, then on track, each by due date; paused and unclocked last."""
    if clock is None:
        return (len(STATE_ORDER), dt.date.max)
    return (STATE_ORDER[SlaState(clock.state)], clock.due_on or dt.date.max)
