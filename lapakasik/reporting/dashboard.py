"""The branch head's dashboard: every section read from the rollups (or an indexed aggregate), with
the filters of the page. One dict per section, each with the rows its table and its chart show."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapakasik.accounts.models import STAFF_ROLES
from lapakasik.claims.models import (
    OPEN_STATUSES,
    Channel,
    Claim,
    ClaimEvent,
    Reason,
    Status,
    programs_reported,
)
from lapakasik.complaints.queries import figures as complaint_figures
from lapakasik.registry.models import Branch
from lapakasik.reporting.replica import report_read

from .models import WAIT_BANDS, PaidDaily, PaidOffice
from .queries import check_period

# The queue shows claims handed in and not yet final: a participant's unsent draft is not the branch's work.
QUEUE_STATUSES = tuple(status for status in OPEN_STATUSES if status != Status.DRAFT)
WAIT_LABELS = {
    "wait_0_5": _("0–5 hari"),
    "wait_6_10": _("6–10 hari"),
    "wait_11_20": _("11–20 hari"),
    "wait_21_30": _("21–30 hari"),
    "wait_31_up": _("lebih dari 30 hari"),
}
REASON_GROUPS = (("phk", _("PHK")), ("resign", _("Mengundurkan diri")), ("other", _("Lainnya")))


@dataclass(frozen=True)
class Filters:
    date_from: dt.date
    date_to: dt.date
    program: str = ""
    area_id: int | None = None
    channel: str = ""

    def daily(self, branch: Branch) -> Q:
        q = Q(branch=branch, paid_on__range=(self.date_from, self.date_to))
        if self.program:
            q &= Q(program=self.program)
        if self.area_id:
            q &= Q(area_id=self.area_id)
        if self.channel:
            q &= Q(channel=self.channel)
        return q


@report_read
def branch_dashboard(branch: Branch, filters: Filters) -> dict[str, Any]:
    check_period(filters.date_from, filters.date_to)
    rows = PaidDaily.objects.filter(filters.daily(branch))
    days = _by_day(rows.values_list("paid_on").annotate(Sum("cases"), Sum("amount")).order_by())
    return {
        "matrix": program_by_area(branch, rows, filters.date_to),
        "channels": _labelled(rows, "channel", Channel),
        "reasons": _labelled(rows, "reason", Reason),
        "reason_trend": reason_trend(rows),
        "weekly": weekly(days),
        "monthly": monthly(days),
        "wait": waiting_time(rows),
        "officers": officer_productivity(branch, filters),
        "queue": queue(branch, filters),
        "complaints": complaint_figures(branch, filters.date_from, filters.date_to),
    }


def program_by_area(branch: Branch, rows, date_to: dt.date) -> dict[str, Any]:
    cells = {
        (p, a): (c, m)
        for p, a, c, m in rows.values_list("program", "area_id")
        .annotate(Sum("cases"), Sum("amount"))
        .order_by()
    }
    programs = programs_reported(date_to, found={p for p, _a in cells})
    areas = list(branch.areas.order_by("position"))
    table = [
        {
            "program": str(p),
            "region": a.name,
            "area_id": a.id,
            "cases": cells.get((p, a.id), (0, 0))[0],
            "amount": cells.get((p, a.id), (0, 0))[1],
        }
        for p in programs
        for a in areas
    ]
    totals = [
        {
            "program": str(p),
            "cases": sum(r["cases"] for r in table if r["program"] == p),
            "amount": sum(r["amount"] for r in table if r["program"] == p),
        }
        for p in programs
    ]
    return {
        "rows": table,
        "totals": totals,
        "areas": [a.name for a in areas],
        "grand_total": {"cases": sum(t["cases"] for t in totals), "amount": sum(t["amount"] for t in totals)},
    }


def _labelled(rows, field: str, choices) -> list[dict[str, Any]]:
    """Every channel is listed (a zero is news); reasons only when some claim had them."""
    found = {
        k: (c, m) for k, c, m in rows.values_list(field).annotate(Sum("cases"), Sum("amount")).order_by()
    }
    return [
        {
            "key": value,
            "label": str(label),
            "cases": found.get(value, (0, 0))[0],
            "amount": found.get(value, (0, 0))[1],
        }
        for value, label in choices.choices
        if value in found or field == "channel"
    ]


def reason_group(reason: str) -> str:
    return reason if reason in ("phk", "resign") else "other"


def reason_trend(rows) -> list[dict[str, Any]]:
    """Cases per month by PHK / resignation / other: the pandemic's layoffs show as the PHK column."""
    months: dict[dt.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(("phk", "resign", "other"), 0))
    for day, reason, cases in rows.values_list("paid_on", "reason").annotate(Sum("cases")).order_by():
        months[day.replace(day=1)][reason_group(reason)] += cases
    return [{"period": m, **v} for m, v in sorted(months.items())]


def _by_day(values) -> dict[dt.date, tuple[int, int]]:
    return {day: (cases, amount) for day, cases, amount in values}


def weekly(days: dict[dt.date, tuple[int, int]]) -> list[dict[str, Any]]:
    weeks: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for day, (cases, amount) in days.items():
        start = day - dt.timedelta(days=day.weekday())  # ISO weeks start on Monday
        weeks[start][0] += cases
        weeks[start][1] += amount
    return [{"period": w, "cases": c, "amount": a} for w, (c, a) in sorted(weeks.items())]


def monthly(days: dict[dt.date, tuple[int, int]]) -> list[dict[str, Any]]:
    months: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for day, (cases, amount) in days.items():
        months[day.replace(day=1)][0] += cases
        months[day.replace(day=1)][1] += amount
    return [{"period": m, "cases": c, "amount": a} for m, (c, a) in sorted(months.items())]


def waiting_time(rows) -> dict[str, Any]:
    names = [name for name, _, _ in WAIT_BANDS]
    sums = rows.aggregate(
        wait_cases=Sum("wait_cases"), wait_days=Sum("wait_days"), **{n: Sum(n) for n in names}
    )
    cases = sums["wait_cases"] or 0
    return {
        "bands": [{"key": n, "label": str(WAIT_LABELS[n]), "cases": sums[n] or 0} for n in names],
        "cases": cases,
        "mean_days": round((sums["wait_days"] or 0) / cases, 1) if cases else None,
        "within_5_share": round(100 * (sums["wait_0_5"] or 0) / cases, 1) if cases else None,
    }


def _local_range(branch: Branch, filters: Filters) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(branch.time_zone)
    start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def officer_productivity(branch: Branch, filters: Filters) -> list[dict[str, Any]]:
    """Per officer: days worked, distinct claims handled (audit events they made), and, once the
    booking module is installed, sessions held, people served and one-to-many vs one-to-one."""
    start, end = _local_range(branch, filters)
    per_day = (
        ClaimEvent.objects.filter(
            at__gte=start, at__lt=end, claim__branch=branch, actor__role__in=STAFF_ROLES
        )
        .annotate(day=TruncDate("at", tzinfo=ZoneInfo(branch.time_zone)))
        .values_list("actor_id", "actor__username", "day")
        .annotate(claims=Count("claim", distinct=True))
        .order_by()
    )
    officers: dict[int, dict[str, Any]] = {}
    for actor_id, username, _day, claims in per_day:
        row = officers.setdefault(actor_id, {"officer": username, "days": 0, "claims": 0, **_no_sessions()})
        row["days"] += 1
        row["claims"] += claims
    for actor_id, measures in _session_measures(branch, filters).items():
        officers.setdefault(actor_id, {"officer": measures.pop("officer"), "days": 0, "claims": 0}).update(
            measures
        )
    for row in officers.values():
        row["per_day"] = round(row["claims"] / row["days"], 1) if row["days"] else None
    return sorted(officers.values(), key=lambda r: (-r["claims"], r["officer"]))


def _no_sessions() -> dict[str, Any]:
    return {"sessions": None, "served": None, "one_to_many": None, "one_to_one": None}


def _session_measures(branch: Branch, filters: Filters) -> dict[int, dict[str, Any]]:
    """Sessions from the booking module when it is installed (it plugs in here and nowhere else)."""
    if not apps.is_installed("lapakasik.booking"):
        return {}
    session_model = apps.get_model("booking", "Session")
    sessions = (
        session_model.objects.filter(branch=branch, local_date__range=(filters.date_from, filters.date_to))
        .exclude(status="cancelled")
        .values_list("officer_id", "officer__username")
        .annotate(
            sessions=Count("id", distinct=True),
            served=Count("bookings", filter=Q(bookings__status="served")),
            one_to_many=Count("id", filter=Q(seats__gt=1), distinct=True),
            one_to_one=Count("id", filter=Q(seats=1), distinct=True),
        )
        .order_by()
    )
    return {
        officer: {"officer": name, "sessions": s, "served": p, "one_to_many": m, "one_to_one": o}
        for officer, name, s, p, m, o in sessions
    }


def queue(branch: Branch, filters: Filters) -> dict[str, Any]:
    """Claims waiting now, by status, with the age of the oldest (claim_queue_idx: branch, status)."""
    claims = Claim.objects.filter(branch=branch, status__in=QUEUE_STATUSES)
    if filters.program:
        claims = claims.filter(program=filters.program)
    if filters.area_id:
        claims = claims.filter(area_id=filters.area_id)
    if filters.channel:
        claims = claims.filter(channel=filters.channel)
    found = {
        s: (n, oldest)
        for s, n, oldest in claims.values_list("status").annotate(Count("id"), Min("submitted_on")).order_by()
    }
    today = timezone.localdate(timezone=ZoneInfo(branch.time_zone))
    rows = [
        {
            "status": str(Status(s).label),
            "cases": found.get(s, (0, None))[0],
            "oldest_days": (today - found[s][1]).days if s in found and found[s][1] else None,
        }
        for s in QUEUE_STATUSES
    ]
    return {"rows": rows, "total": sum(r["cases"] for r in rows), **_booking_queue(branch, filters)}


def _booking_queue(branch: Branch, filters: Filters) -> dict[str, Any]:
    if not apps.is_installed("lapakasik.booking"):
        return {"bookings": None}
    booking_model = apps.get_model("booking", "Booking")
    counts = dict(
        booking_model.objects.filter(
            session__branch=branch, session__local_date__range=(filters.date_from, filters.date_to)
        )
        .values_list("status")
        .annotate(Count("id"))
        .order_by()
    )
    booked = sum(counts.values())
    return {
        "bookings": {
            "booked": booked,
            "served": counts.get("served", 0),
            "no_show": counts.get("no_show", 0),
            "cancelled": counts.get("cancelled", 0),
        }
    }


@report_read
def national_trend(date_from: dt.date, date_to: dt.date, program: str = "") -> dict[str, Any]:
    """Weekly and monthly trend across all branches, from the office rollup's day rows."""
    rows = PaidOffice.objects.filter(grain="D", period_start__range=(date_from, date_to))
    if program:
        rows = rows.filter(program=program)
    days = _by_day(rows.values_list("period_start").annotate(Sum("cases"), Sum("amount")).order_by())
    return {"weekly": weekly(days), "monthly": monthly(days)}
