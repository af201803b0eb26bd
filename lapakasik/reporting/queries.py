"""Aggregates over paid claims. The report reads an indexed GROUP BY, never a loop over claims."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from lapakasik.claims.models import PROGRAM_ORDER, Claim
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Branch


def get_branch(code: str) -> Branch:
    try:
        return Branch.objects.get(code=code)
    except Branch.DoesNotExist:
        raise DomainError("unknown_branch", _("Kantor cabang '%(code)s' tidak dikenal.") % {"code": code},
                          field="branch", status=404)  # fmt: skip


def check_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_from > date_to:
        raise DomainError("bad_period", _("Tanggal awal (from) harus sebelum atau sama dengan tanggal akhir (to)."),
                          field="from")  # fmt: skip


def claims_paid_report(branch: Branch, date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
    """Program × area with cases and rupiah; every cell present, zero cells included."""
    check_period(date_from, date_to)
    cells = (
        Claim.objects.filter(branch=branch, status="paid", paid_on__range=(date_from, date_to))
        .values_list("program", "area_id")
        .annotate(cases=Count("id"), amount=Sum("amount_paid"))
        .order_by()
    )
    by_cell = {(program, area_id): (cases, amount or 0) for program, area_id, cases, amount in cells}
    areas = list(branch.areas.order_by("position"))
    rows = [
        {"program": str(program), "region": area.name,
         "cases": by_cell.get((program, area.id), (0, 0))[0], "amount": by_cell.get((program, area.id), (0, 0))[1]}
        for program in PROGRAM_ORDER
        for area in areas
    ]  # fmt: skip
    return {
        "branch": branch.code,
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "rows": rows,
        "totals": [
            _total([r for r in rows if r["program"] == str(program)], program=str(program))
            for program in PROGRAM_ORDER
        ],  # fmt: skip
        "grand_total": _total(rows),
    }


def _total(rows: list[dict[str, Any]], **labels: str) -> dict[str, Any]:
    return {**labels, "cases": sum(r["cases"] for r in rows), "amount": sum(r["amount"] for r in rows)}
