from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from lapakasik.accounts.access import current_branch, staff_required
from lapakasik.lib import params
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError
from lapakasik.reporting.queries import claims_paid_report


def _date_param(request, name: str, default: dt.date, errors: list[str]) -> dt.date:
    try:
        return params.day(request.GET.get(name), name) or default
    except params.InvalidParameter as error:
        errors.append(str(error.message))
        return default


@staff_required
def claims_report(request):
    branch = current_branch(request)
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


@staff_required
def pick_branch(request):
    """The administrator's branch picker in the menu: remember the branch, go back to the page."""
    current_branch(request)  # an explicit ?branch= is remembered (and checked) there
    back = urlsplit(request.GET.get("next", ""))
    if not back.path or not url_has_allowed_host_and_scheme(back.path, allowed_hosts={request.get_host()}):
        return redirect("console:claims_queue")
    # The page's own ?branch= would undo the pick on the way back.
    query = urlencode([(k, v) for k, v in parse_qsl(back.query) if k != "branch"])
    return redirect(back.path + (f"?{query}" if query else ""))
