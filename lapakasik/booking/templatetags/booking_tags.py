"""Times shown in the branch's own time zone, with its abbreviation (WIB/WITA/WIT), in one date format:
"Selasa, 1 Desember 2026 pukul 09.00 WIB" (lib/idtext.py's babel long form)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lapakasik.lib.dates import as_local
from lapakasik.lib.idtext import format_clock, format_day

register = template.Library()


def _language() -> str:
    return get_language() or "id"


@register.filter
def branch_time(instant, branch) -> str:
    if not instant:
        return ""
    local = as_local(instant, branch.time_zone)
    return _("%(day)s pukul %(time)s %(zone)s") % {
        "day": format_day(local.date(), _language()),
        "time": format_clock(local, _language()),
        "zone": local.tzname(),
    }


@register.filter
def local_start(session) -> str:
    return branch_time(session.starts_at, session.branch)


@register.filter
def local_end(session) -> str:
    local = as_local(session.ends_at, session.branch.time_zone)
    return f"{format_clock(local, _language())} {local.tzname()}"


@register.filter
def clock(session) -> str:
    """A session's start and end on the branch's clock, "09.00–09.30" (the day and zone are said once)."""
    start = as_local(session.starts_at, session.branch.time_zone)
    end = as_local(session.ends_at, session.branch.time_zone)
    return f"{format_clock(start, _language())}–{format_clock(end, _language())}"


@register.filter
def long_date(day: dt.date | None) -> str:
    return format_day(day, _language()) if day else ""


@register.filter
def zone_name(branch) -> str:
    """The branch's zone abbreviation today (WIB, WITA or WIT)."""
    return as_local(dt.datetime.now(dt.UTC), branch.time_zone).tzname() or branch.time_zone


@register.filter
def officer_name(user) -> str:
    """An officer as the public sees them: the display name, never the login name."""
    name = user.get_full_name().strip() if user else ""
    return name or _("Petugas Lapak Asik")


@register.filter
def branch_clock(instant, branch) -> str:
    """The branch's wall clock, "09.41 WIB" (the waiting-room screen's clock before its script ticks)."""
    local = as_local(instant, branch.time_zone)
    return f"{format_clock(local, _language())} {local.tzname()}"
