"""Dated legal parameters, loaded once from ``params/*.yaml``.

Every parameter is a list of periods, each with ``value``, ``valid_from``, optional ``valid_to``
(inclusive), ``ref`` (regulation and article) and, where DOMAIN.md marks the figure [U], ``doubt``.
Asking for a date that no period covers raises :class:`ParameterNotDefined`; nothing falls back
to the last known value, because a stale rate silently paid is the failure OpenFisca issues
#437/#629 warn about.

Quoted decimals in YAML (``"7.19"``) are loaded as ``Decimal``; YAML floats are refused so that no
rate ever passes through binary floating point.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, NamedTuple, ParamSpec, TypeVar

import yaml

P = ParamSpec("P")
R = TypeVar("R")

PARAMS_DIR = Path(__file__).resolve().parent / "params"
_DECIMAL_TEXT = re.compile(r"^-?\d+\.\d+$")


class ParameterError(Exception):
    """A parameter file is malformed (overlapping periods, float values, missing reference)."""


class ParameterNotDefined(LookupError):
    """No period of ``name`` covers ``on``: the law for that date is not recorded here."""

    def __init__(self, name: str, on: date, known: str = "") -> None:
        self.name = name
        self.on = on
        detail = f" (recorded periods: {known})" if known else ""
        super().__init__(f"parameter {name!r} has no value in force on {on.isoformat()}{detail}")


@dataclass(frozen=True)
class Period:
    value: Any
    valid_from: date
    valid_to: date | None
    ref: str
    doubt: str | None = None

    def covers(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    periods: tuple[Period, ...]
    # When a person last checked the values against the source (None: never), and when it is due
    # again — OpenFisca's "last value still valid on": a figure nobody re-read is stale, not true.
    confirmed_on: date | None = None
    review_by: date | None = None

    def stale_on(self, on: date) -> bool:
        return self.confirmed_on is None or self.review_by is None or self.review_by < on

    def period_on(self, on: date) -> Period:
        for period in self.periods:
            if period.covers(on):
                return period
        raise ParameterNotDefined(self.name, on, self.describe_periods())

    def describe_periods(self) -> str:
        return ", ".join(f"{p.valid_from}..{p.valid_to or ''}" for p in self.periods)


@dataclass(frozen=True)
class ParameterValue:
    """A value together with where it comes from, so a result line can cite it."""

    name: str
    value: Any
    on: date
    valid_from: date
    valid_to: date | None
    ref: str
    doubt: str | None


def lookup(name: str, on: date) -> ParameterValue:
    """The period of ``name`` in force on ``on``, with its legal reference.

    Remembered per (name, date) for as long as the loaded parameter set stays the same (see
    :func:`_resolved`): an estimate asks a dozen parameters on one law date, and the next estimate of
    that date asks the same ones. A gap is remembered as a gap: it raises a new
    :class:`ParameterNotDefined` every time it is asked.
    """
    key = (name, on)
    resolved = _resolved()
    try:
        answer = resolved[key]
    except KeyError:
        answer = resolved[key] = _resolve(name, on)
    if answer.__class__ is _Gap:
        raise ParameterNotDefined(name, on, answer.known)  # type: ignore[union-attr]
    return answer  # type: ignore[return-value]


def lookup_if_defined(name: str, on: date) -> ParameterValue | None:
    """:func:`lookup`, or None where no period covers ``on`` (for a caller that handles a gap itself)."""
    try:
        answer = _resolved()[(name, on)]
    except KeyError:
        try:
            return lookup(name, on)
        except ParameterNotDefined:
            return None
    return None if answer.__class__ is _Gap else answer  # type: ignore[return-value]


class _Gap(NamedTuple):
    known: str


def _resolve(name: str, on: date) -> ParameterValue | _Gap:
    parameter = _parameter(name)
    for period in parameter.periods:
        if period.covers(on):
            return ParameterValue(
                name, period.value, on, period.valid_from, period.valid_to, period.ref, period.doubt
            )
    return _Gap(parameter.describe_periods())


def value(name: str, on: date) -> Any:
    """The value of ``name`` in force on ``on``; raises :class:`ParameterNotDefined` on a gap."""
    return lookup(name, on).value


# Resolved (name, date) pairs, for the parameter set they were read from: a reload (``load_parameters.
# cache_clear()``) gives a new set, and the first look-up after it starts an empty table, so nothing
# read from the old files survives. Bounded: a process asked about very many dates starts over.
_RESOLVED_LIMIT = 50_000
_resolved_table: dict[tuple[str, date], ParameterValue | _Gap] = {}
_resolved_from: list[object] = [None]


def per_parameter_set(function: Callable[P, R]) -> Callable[P, R]:
    """Remember a function of law-level facts (a reason, dates, yes/no facts) for the loaded parameter set.

    For answers decided by the parameters alone — a JHT eligibility, a document checklist — and asked
    again by every estimate of the same reason and dates. Like :func:`lookup`'s table, the memory ends
    when the parameter set is reloaded, is bounded, and keeps no exception. Positional, hashable
    arguments compared by equality: only for arguments whose equal values read the same (dates,
    codes, booleans, whole numbers), never amounts that end up in a text.
    """
    table: dict[Any, Any] = {}
    read_from: list[object] = [None]
    _REMEMBERED_TABLES.append(table)

    @wraps(function)
    def remembered(*args: P.args, **kwargs: P.kwargs) -> R:
        if kwargs:  # not a key this table knows how to compare: computed, not remembered
            return function(*args, **kwargs)
        parameters = load_parameters()
        if read_from[0] is not parameters or len(table) > _RESOLVED_LIMIT:
            table.clear()
            read_from[0] = parameters
        try:
            return table[args]  # type: ignore[no-any-return]
        except KeyError:
            answer = table[args] = function(*args, **kwargs)
            return answer

    return remembered


_REMEMBERED_TABLES: list[dict[Any, Any]] = []


def forget_resolved() -> None:
    """Start every table of this module afresh (the bench's cold figures; a reload does this by itself)."""
    _resolved_from[0] = None
    for table in _REMEMBERED_TABLES:
        table.clear()


def _resolved() -> dict[tuple[str, date], ParameterValue | _Gap]:
    global _resolved_table
    parameters = load_parameters()
    if _resolved_from[0] is not parameters or len(_resolved_table) > _RESOLVED_LIMIT:
        _resolved_table = {}
        _resolved_from[0] = parameters
    return _resolved_table


def params_on(on: date) -> list[dict[str, Any]]:
    """Every parameter in force on ``on`` (for ``rules params --on``), sorted by name."""
    rows = []
    for name, parameter in sorted(load_parameters().items()):
        period = next((p for p in parameter.periods if p.covers(on)), None)
        if period is not None:
            rows.append(_row(name, parameter, period))
    return rows


def params_missing_on(on: date) -> list[str]:
    """Names of parameters with no value on ``on`` (shown so a gap is visible, not hidden)."""
    return sorted(name for name, p in load_parameters().items() if not any(x.covers(on) for x in p.periods))


def stale_parameters(on: date) -> list[dict[str, Any]]:
    """Parameters past their review date on ``on`` or never confirmed against the source, by review date."""
    rows = [
        {
            "name": name,
            "confirmed_on": parameter.confirmed_on,
            "review_by": parameter.review_by,
            "never_confirmed": parameter.confirmed_on is None,
        }
        for name, parameter in load_parameters().items()
        if parameter.stale_on(on)
    ]
    return sorted(rows, key=lambda row: (row["review_by"] or date.min, row["name"]))


def _row(name: str, parameter: Parameter, period: Period) -> dict[str, Any]:
    return {
        "name": name,
        "value": period.value,
        "unit": parameter.unit,
        "valid_from": period.valid_from,
        "valid_to": period.valid_to,
        "ref": period.ref,
        "doubt": period.doubt,
        "confirmed_on": parameter.confirmed_on,
        "review_by": parameter.review_by,
    }


def _parameter(name: str) -> Parameter:
    try:
        return load_parameters()[name]
    except KeyError:
        raise ParameterError(f"unknown parameter {name!r}") from None


@lru_cache(maxsize=1)
def load_parameters() -> dict[str, Parameter]:
    """Read and check every ``params/*.yaml`` once per process."""
    parameters: dict[str, Parameter] = {}
    for path in sorted(PARAMS_DIR.glob("*.yaml")):
        for name, parameter in parse_parameter_file(path.read_text(encoding="utf-8"), path.name).items():
            if name in parameters:
                raise ParameterError(f"{path.name}: parameter {name!r} is defined twice")
            parameters[name] = parameter
    return parameters


def parse_parameter_file(text: str, source: str = "<string>") -> dict[str, Parameter]:
    try:
        document = _safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ParameterError(f"{source}: not valid YAML: {error}") from error
    if not isinstance(document, dict):
        raise ParameterError(f"{source}: top level must be a mapping of parameter names")
    return {name: _parse_parameter(name, body, source) for name, body in document.items()}


def _safe_load(text: str) -> Any:
    """yaml.safe_load, with libyaml's parser where PyYAML has it: the same values, read ~7× faster (the
    parameter files were ~0.1 s of every process's first request; bench/RESULTS.md, "Dashboard PDF")."""
    if yaml.__with_libyaml__:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    return yaml.safe_load(text)


def _parse_parameter(name: str, body: Any, source: str) -> Parameter:
    where = f"{source}: {name}"
    if not isinstance(body, dict) or not isinstance(body.get("values"), list) or not body["values"]:
        raise ParameterError(f"{where}: needs a non-empty 'values' list")
    unknown = set(body) - {"description", "unit", "values", "confirmed_on", "review_by"}
    if unknown:
        raise ParameterError(f"{where}: unknown keys {sorted(unknown)}")
    periods = tuple(sorted((_parse_period(raw, where) for raw in body["values"]), key=lambda p: p.valid_from))
    _check_no_overlap(periods, where)
    confirmed_on, review_by = _review_dates(body, where)
    return Parameter(
        name, str(body.get("description", "")), str(body.get("unit", "")), periods, confirmed_on, review_by
    )


def _review_dates(body: dict[str, Any], where: str) -> tuple[date | None, date]:
    """``confirmed_on`` (a date, or null for never) and ``review_by`` (a date) are required."""
    if "confirmed_on" not in body or "review_by" not in body:
        raise ParameterError(f"{where}: needs 'confirmed_on' (a date or null) and 'review_by' (a date)")
    confirmed_on, review_by = body["confirmed_on"], body["review_by"]
    if confirmed_on is not None and not isinstance(confirmed_on, date):
        raise ParameterError(f"{where}: 'confirmed_on' must be a date or null")
    if not isinstance(review_by, date) or (confirmed_on is not None and review_by < confirmed_on):
        raise ParameterError(f"{where}: 'review_by' must be a date on or after 'confirmed_on'")
    return confirmed_on, review_by


def _parse_period(raw: Any, where: str) -> Period:
    if not isinstance(raw, dict):
        raise ParameterError(f"{where}: each value must be a mapping")
    unknown = set(raw) - {"value", "valid_from", "valid_to", "ref", "doubt"}
    if unknown:
        raise ParameterError(f"{where}: unknown keys {sorted(unknown)}")
    if "value" not in raw or not isinstance(raw.get("valid_from"), date) or not raw.get("ref"):
        raise ParameterError(f"{where}: each value needs 'value', a 'valid_from' date and a 'ref'")
    valid_to = raw.get("valid_to")
    if valid_to is not None and (not isinstance(valid_to, date) or valid_to < raw["valid_from"]):
        raise ParameterError(f"{where}: 'valid_to' must be a date on or after 'valid_from'")
    converted = _convert(raw["value"], where)
    return Period(converted, raw["valid_from"], valid_to, str(raw["ref"]), raw.get("doubt"))


def _check_no_overlap(periods: tuple[Period, ...], where: str) -> None:
    for earlier, later in zip(periods, periods[1:], strict=False):
        if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
            raise ParameterError(f"{where}: period from {earlier.valid_from} overlaps {later.valid_from}")


def _convert(raw: Any, where: str) -> Any:
    if isinstance(raw, float):
        raise ParameterError(f"{where}: write {raw!r} as a quoted decimal string, floats are not allowed")
    if isinstance(raw, str) and _DECIMAL_TEXT.match(raw):
        return Decimal(raw)
    if isinstance(raw, list):
        return tuple(_convert(item, where) for item in raw)
    if isinstance(raw, dict):
        return {key: _convert(item, where) for key, item in raw.items()}
    return raw
