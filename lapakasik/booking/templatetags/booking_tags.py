"""Times shown in the branch's own time zone, with its abbreviation (WIB/WITA/WIT)."""

from __future__ import annotations

from django import template
from django.utils import formats

from lapakasik.lib.dates import as_local

register = template.Library()


@register.filter
def branch_time(instant, branch) -> str:
    if not instant:
        return ""
    local = as_local(instant, branch.time_zone)
    return f"{formats.date_format(local, 'l, j F Y H:i')} {local.tzname()}"


@register.filter
def local_start(session) -> str:
    return branch_time(session.starts_at, session.branch)


@register.filter
def local_end(session) -> str:
    local = as_local(session.ends_at, session.branch.time_zone)
    return f"{local:%H:%M} {local.tzname()}"
