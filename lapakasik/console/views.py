from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils.translation import gettext as _

from lapakasik.accounts.access import branch_for, staff_required
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError
from lapakasik.reporting.queries import claims_paid_report


def _date_param(request, name: str, default: dt.date, errors: list[str]) -> dt.date:
    raw = request.GET.get(name, "")
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.append(_("Tanggal '%(value)s' tidak sah; gunakan TTTT-BB-HH.") % {"value": raw})
        return default


@staff_required
def claims_report(request):
    branch = branch_for(request.user, request.GET.get("branch"))
    errors: list[str] = []
    today = today_at(branch.time_zone)
    date_from = _date_param(request, "from", today.replace(month=1, day=1), errors)  # year to date
    date_to = _date_param(request, "to", today, errors)
    report = None
    try:
        report = claims_paid_report(branch, date_from, date_to)
    except DomainError as error:
        errors.append(str(error.message))
    context = {
        "branch": branch,
        "date_from": date_from,
        "date_to": date_to,
        "report": report,
        "errors": errors,
    }
    return render(request, "console/claims_report.html", context, status=400 if errors else 200)
