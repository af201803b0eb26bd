"""The dashboard's headline figures for a period, beside the same figures for the period just before it
and for the same dates a year earlier, and the default period a dashboard opens on.

Counts, rupiah and the online share read the day rollup (PaidDaily); the median waiting time needs the
distribution of waits, which the rollup keeps only in bands, so it reads grouped queries over the period's
paid lines (reporting/lines.py; claim_report_idx: branch, paid_on): one row per distinct number of days,
never the claims themselves. Open claims at SLA risk are today's state from ``claims.sla.branch_report``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Max, Q, Sum

from lapakasik.claims.models import Channel
from lapakasik.registry.models import Branch
from lapakasik.reporting.replica import report_read

from .dashboard import Filters
from .lines import branch_lines
from .models import PaidCell, PaidDaily, PaidOffice


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1


@dataclass(frozen=True)
class Figures:
    cases: int
    amount: int
    median_days: float | None = None  # calendar days from submission to payment, as the wait bands count
    online_share: float | None = None  # percent of the cases paid that came through the online channel


def previous_period(period: Period) -> Period:
    """The period of the same length that ends the day before this one starts."""
    end = period.date_from - dt.timedelta(days=1)
    return Period(end - dt.timedelta(days=period.days - 1), end)


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February: the year before has no such day
        return day.replace(year=day.year - 1, day=28)


def same_period_last_year(period: Period) -> Period:
    return Period(_year_before(period.date_from), _year_before(period.date_to))


def comparisons(period: Period) -> dict[str, Period]:
    return {
        "current": period,
        "previous": previous_period(period),
        "last_year": same_period_last_year(period),
    }


def branch_figures(branch: Branch, filters: Filters) -> Figures:
    rows = PaidDaily.objects.filter(filters.daily(branch))
    sums = rows.aggregate(
        paid=Sum("cases"), rupiah=Sum("amount"), online=Sum("cases", filter=Q(channel=Channel.ONLINE))
    )
    cases = sums["paid"] or 0
    return Figures(
        cases=cases,
        amount=sums["rupiah"] or 0,
        median_days=median_wait(branch, filters) if cases else None,
        online_share=round(100 * (sums["online"] or 0) / cases, 1) if cases else None,
    )


def median_wait(branch: Branch, filters: Filters) -> float | None:
    """Over the paid lines behind the figures (reporting/lines.py): a JKP claim's wait once, with its first
    monthly payment, as the rollups' wait bands count it."""
    return median_of(branch_lines(branch, filters).waits())


def median_of(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}; the mean of the two middle values for an even count."""
    total = sum(histogram.values())
    if not total:
        return None
    middle, seen = ((total - 1) // 2, total // 2), 0
    found: list[int] = []
    for value in sorted(histogram):
        seen += histogram[value]
        while len(found) < 2 and seen > middle[len(found)]:
            found.append(value)
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2


@report_read
def branch_headline(branch: Branch, filters: Filters) -> dict[str, Figures]:
    return {
        name: branch_figures(branch, replace(filters, date_from=p.date_from, date_to=p.date_to))
        for name, p in comparisons(Period(filters.date_from, filters.date_to)).items()
    }


@report_read
def cross_branch_headline(report_for, period: Period) -> dict[str, Figures]:
    """National or regional figures (cases and rupiah only: the office rollup keeps no channel or wait)."""
    figures = {}
    for name, p in comparisons(period).items():
        total: dict[str, Any] = report_for(p.date_from, p.date_to)["grand_total"]
        figures[name] = Figures(total["cases"], total["amount"])
    return figures


def sla_risk(branch: Branch) -> dict[str, int]:
    """Open claims whose service-level clock is at risk or already breached, today, as the SLA report has it."""
    summary = sla_report(branch)["summary"]
    return {"at_risk": summary["at_risk"], "breached": summary["breached"]}


def sla_report(branch: Branch) -> dict[str, Any]:
    from lapakasik.claims.sla import branch_report

    return branch_report(branch)


def latest_paid_day(branch: Branch | None, office: str = "") -> dt.date | None:
    """The last day anything was paid in the scope: one row from a rollup's leading index."""
    if branch is not None:
        return PaidDaily.objects.filter(branch=branch).aggregate(day=Max("paid_on"))["day"]
    if office:
        cells = PaidCell.objects.filter(grain="D", branch__regional_office=office)
        return cells.aggregate(day=Max("period_start"))["day"]
    return PaidOffice.objects.filter(grain="D").aggregate(day=Max("period_start"))["day"]


def default_period(today: dt.date, latest: dt.date | None) -> tuple[Period, bool]:
    """This year up to today; when nothing was paid this year yet, the latest year with payments, from
    1 January to its last paid day. The flag says the period was moved back to where the data is."""
    this_year = Period(today.replace(month=1, day=1), today)
    if latest is None or latest >= this_year.date_from:
        return this_year, False
    return Period(latest.replace(month=1, day=1), latest), True
