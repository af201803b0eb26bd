"""The one strict parser of request parameters (query strings, form fields, JSON values).

Pages, the API and the command line read what a client sends through these functions, so hostile
input (a NUL byte that PostgreSQL refuses, a date in year 1 or 9999, ``session=abc`` where an id is
expected) is answered with a 400 that names the field instead of reaching the database and answering
500. Each function takes the raw value (``None`` when the parameter is absent) and the field's name,
and returns a clean Python value or raises :class:`InvalidParameter`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from .errors import DomainError

# Years outside this window are no date of this service: BPJS Ketenagakerjaan's history starts with
# Jamsostek (1977) and nothing is planned past 2100. Bounding here keeps date arithmetic (a day after
# 9999-12-31) and the databases' own ranges out of reach.
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2100, 12, 31)
LARGEST_ID = 2**63 - 1  # a BigAutoField
# C0 control characters other than tab, line feed and carriage return: never typed by a person, and NUL
# is refused by PostgreSQL (a 500 before this helper existed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DIGITS = re.compile(r"[0-9]{1,19}")


class InvalidParameter(DomainError):
    """A request parameter that cannot be read: 400 with the field named, in pages and in the API."""

    def __init__(self, field: str, message: Any) -> None:
        super().__init__("invalid_parameter", message, field=field, status=400)


def text(raw: str | None, field: str, *, max_length: int | None = None, default: str = "") -> str:
    if raw is None:
        return default
    if _CONTROL.search(raw):
        raise InvalidParameter(
            field, _("%(field)s berisi karakter kendali yang tidak sah.") % {"field": field}
        )
    if max_length is not None and len(raw) > max_length:
        raise InvalidParameter(
            field,
            _("%(field)s terlalu panjang (paling banyak %(max)d karakter).")
            % {"field": field, "max": max_length},
        )
    return raw


def choice(raw: str | None, field: str, allowed: Collection[str], *, default: str = "") -> str:
    """One of ``allowed``; absent or empty means ``default`` (a filter left blank)."""
    value = text(raw, field)
    if value == "":
        return default
    if value not in allowed:
        raise InvalidParameter(field, _("%(field)s: nilai tidak dikenal.") % {"field": field})
    return value


def object_id(raw: str | None, field: str) -> int | None:
    """A database id: digits only, within a big integer; absent or empty is ``None``."""
    value = text(raw, field).strip()
    if value == "":
        return None
    if not _DIGITS.fullmatch(value) or not 0 < int(value) <= LARGEST_ID:
        raise InvalidParameter(field, _("%(field)s harus berupa nomor.") % {"field": field})
    return int(value)


def day(
    raw: str | None, field: str, *, earliest: dt.date = EARLIEST_DAY, latest: dt.date = LATEST_DAY
) -> dt.date | None:
    """A calendar date written YYYY-MM-DD within [earliest, latest]; absent or empty is ``None``."""
    value = text(raw, field).strip()
    if value == "":
        return None
    try:
        parsed = dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidParameter(
            field, _("%(field)s bukan tanggal yang sah; gunakan TTTT-BB-HH.") % {"field": field}
        )
    return within(parsed, field, earliest=earliest, latest=latest)


def within(
    value: dt.date, field: str, *, earliest: dt.date = EARLIEST_DAY, latest: dt.date = LATEST_DAY
) -> dt.date:
    if not earliest <= value <= latest:
        raise InvalidParameter(
            field,
            _("%(field)s harus di antara %(earliest)s dan %(latest)s.")
            % {"field": field, "earliest": earliest.isoformat(), "latest": latest.isoformat()},
        )
    return value


def period(
    start: dt.date,
    end: dt.date,
    *,
    start_field: str = "from",
    end_field: str = "to",
    max_days: int | None = None,
) -> tuple[dt.date, dt.date]:
    """A report period: both ends within the service's dates, in order, and not longer than ``max_days``."""
    within(start, start_field)
    within(end, end_field)
    if start > end:
        raise InvalidParameter(
            end_field, _("%(to)s tidak boleh sebelum %(from)s.") % {"to": end_field, "from": start_field}
        )
    if max_days is not None and (end - start).days + 1 > max_days:
        raise InvalidParameter(end_field, _("Periode paling panjang %(days)d hari.") % {"days": max_days})
    return start, end


def first_control_character(values: Any, path: str = "") -> str | None:
    """The path of the first string (or key) in a JSON value holding a control character, else ``None``."""
    for where, value in _strings(values, path):
        if _CONTROL.search(value):
            return where or "body"
    return None


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            yield where, str(key)
            yield from _strings(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}" if path else str(index))
