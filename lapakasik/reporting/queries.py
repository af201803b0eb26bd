"""Reports over paid claims. They read the rollup tables (reporting.models), whose size depends on the
number of days and cells in the period, never on the number of claims. The direct aggregates over the
claims table are kept beside them: the tests and the benchmark compare the two."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from lapakasik.claims.models import programs_reported
from lapakasik.lib import params
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Branch
from lapakasik.reporting.replica import report_read

from .lines import paid_lines
from .models import PaidCell, PaidOffice


def get_branch(code: str) -> Branch:
    try:
        return Branch.objects.get(code=code)
    except Branch.DoesNotExist:
        raise DomainError(
            "unknown_branch",
            _("Kantor cabang '%(code)s' tidak dikenal.") % {"code": code},
            field="branch",
            status=404,
        )


def check_period(date_from: dt.date, date_to: dt.date) -> None:
    # Year 1 to 9999 would split into 120,000 months (and overflow past 9999-12): the service's dates only.
    params.within(date_from, "from")
    params.within(date_to, "to")
    if date_from > date_to:
        raise DomainError(
            "bad_period",
            _("Tanggal awal (from) harus sebelum atau sama dengan tanggal akhir (to)."),
            field="from",
        )


def split_period(date_from: dt.date, date_to: dt.date) -> tuple[list[dt.date], list[tuple[dt.date, dt.date]]]:
    """The whole months inside [from, to] and the day ranges left at either edge."""
    months, days = [], []
    first_month = date_from if date_from.day == 1 else _next_month(date_from)
    month = first_month
    while _next_month(month) - dt.timedelta(days=1) <= date_to:
        months.append(month)
        month = _next_month(month)
    if not months:
        return [], [(date_from, date_to)]
    if date_from < months[0]:
        days.append((date_from, months[0] - dt.timedelta(days=1)))
    if month <= date_to:
        days.append((month, date_to))
    return months, days


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def period_filter(date_from: dt.date, date_to: dt.date) -> Q:
    """Rows of a day/month rollup that together cover [from, to] exactly once."""
    months, days = split_period(date_from, date_to)
    condition = Q(grain="M", period_start__in=months) if months else Q(pk__in=[])
    for start, end in days:
        condition |= Q(grain="D", period_start__range=(start, end))
    return condition


@report_read
def claims_paid_report(branch: Branch, date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
    """Program × area with cases and rupiah; every cell present, zero cells included."""
    check_period(date_from, date_to)
    cells = (
        PaidCell.objects.filter(period_filter(date_from, date_to), branch=branch)
        .values_list("program", "area_id")
        .annotate(cases=Sum("cases"), amount=Sum("amount"))
        .order_by()
    )
    return _report(branch, date_from, date_to, cells)


def claims_paid_report_direct(branch: Branch, date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
    """The same report aggregated straight from the claims table (tests and benchmark compare the two)."""
    check_period(date_from, date_to)
    return _report(branch, date_from, date_to, _direct_cells("area_id", date_from, date_to, branch=branch))


def _direct_cells(unit: str, date_from: dt.date, date_to: dt.date, **where: Any) -> list[tuple]:
    """(program, unit, cases, amount) straight from the tables, counted as the rollups count (rollup.PAID_ROWS):
    a paid claim once, JKP paid through payments once per monthly payment, in the month the bank paid it
    (the paid lines of reporting/lines.py, which the exports, the median and the drill-down read too)."""
    lines = paid_lines(date_from, date_to, **where)
    claims = (
        lines.claims.values_list("program", unit)
        .annotate(cases=Count("id"), amount=Sum("amount_paid"))
        .order_by()
    )
    paid_months = (
        lines.instalments.values_list("claim__program", f"claim__{unit}")
        .annotate(cases=Count("id"), amount=Sum("gross"))
        .order_by()
    )
    cells: dict[tuple, list[int]] = {}
    for program, key, cases, amount in [*claims, *paid_months]:
        cell = cells.setdefault((program, key), [0, 0])
        cell[0] += cases or 0
        cell[1] += amount or 0
    return [(program, key, cases, amount) for (program, key), (cases, amount) in cells.items()]


def _report(branch: Branch, date_from: dt.date, date_to: dt.date, cells) -> dict[str, Any]:
    by_cell = {(program, area_id): (cases or 0, amount or 0) for program, area_id, cases, amount in cells}
    programs = programs_reported(date_to, found={program for program, _area in by_cell})
    areas = list(branch.areas.order_by("position"))
    rows = [
        {
            "program": str(program),
            "region": area.name,
            "cases": by_cell.get((program, area.id), (0, 0))[0],
            "amount": by_cell.get((program, area.id), (0, 0))[1],
        }
        for program in programs
        for area in areas
    ]
    return {
        "branch": branch.code,
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "rows": rows,
        "totals": [
            _total([r for r in rows if r["program"] == str(program)], program=str(program))
            for program in programs
        ],
        "grand_total": _total(rows),
    }


def _total(rows: list[dict[str, Any]], **labels: str) -> dict[str, Any]:
    return {**labels, "cases": sum(r["cases"] for r in rows), "amount": sum(r["amount"] for r in rows)}


NO_OFFICE = "-"  # branches not yet assigned to a regional office


def offices() -> list[str]:
    return sorted(
        {office or NO_OFFICE for office in Branch.objects.values_list("regional_office", flat=True)}
    )


@report_read
def national_report(date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
    """Program × regional office for the whole country, from the office rollup."""
    check_period(date_from, date_to)
    cells = (
        PaidOffice.objects.filter(period_filter(date_from, date_to))
        .values_list("program", "regional_office")
        .annotate(cases=Sum("cases"), amount=Sum("amount"))
        .order_by()
    )
    return _cross_branch_report(
        "national", date_from, date_to, cells, [o if o != NO_OFFICE else "" for o in offices()]
    )


def national_report_direct(date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
    check_period(date_from, date_to)
    cells = _direct_cells("branch__regional_office", date_from, date_to)
    return _cross_branch_report(
        "national", date_from, date_to, cells, [o if o != NO_OFFICE else "" for o in offices()]
    )


@report_read
def office_report(office: str, date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
    """Program × branch for the branches of one regional office, from the branch cells."""
    check_period(date_from, date_to)
    branches = list(Branch.objects.filter(regional_office=office).order_by("name"))
    if not branches:
        raise DomainError(
            "unknown_office",
            _("Kantor wilayah '%(office)s' tidak dikenal.") % {"office": office},
            field="office",
            status=404,
        )
    cells = (
        PaidCell.objects.filter(period_filter(date_from, date_to), branch__in=branches)
        .values_list("program", "branch_id")
        .annotate(cases=Sum("cases"), amount=Sum("amount"))
        .order_by()
    )
    names = {b.id: b.name for b in branches}
    named = [(program, names[branch_id], cases, amount) for program, branch_id, cases, amount in cells]
    return _cross_branch_report(office, date_from, date_to, named, [b.name for b in branches])


def _cross_branch_report(
    scope: str, date_from: dt.date, date_to: dt.date, cells, units: list[str]
) -> dict[str, Any]:
    by_cell = {(program, unit or ""): (cases or 0, amount or 0) for program, unit, cases, amount in cells}
    programs = programs_reported(date_to, found={program for program, _unit in by_cell})
    rows = [
        {
            "program": str(program),
            "region": unit or NO_OFFICE,
            "cases": by_cell.get((program, unit), (0, 0))[0],
            "amount": by_cell.get((program, unit), (0, 0))[1],
        }
        for program in programs
        for unit in units
    ]
    return {
        "scope": scope,
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "rows": rows,
        "totals": [_total([r for r in rows if r["program"] == str(p)], program=str(p)) for p in programs],
        "grand_total": _total(rows),
    }
