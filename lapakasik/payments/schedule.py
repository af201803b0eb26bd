"""Which day's batch a payment goes into: the cut-off in the branch's time zone and working days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from lapakasik.lib.workdays import is_working_day, next_working_day


def cutoff() -> dt.time:
    raw = settings.PAYMENT_CUTOFF
    try:
        return dt.time.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(f"PAYMENT_CUTOFF must be HH:MM, not {raw!r}")


def batch_date(time_zone: str, *, now: dt.datetime | None = None) -> dt.date:
    """Today at the branch if before the cut-off on a working day, else the next working day."""
    local = (now or timezone.now()).astimezone(ZoneInfo(time_zone))
    if is_working_day(local.date()) and local.time() < cutoff():
        return local.date()
    return next_working_day(local.date())
