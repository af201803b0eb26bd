"""Children's education scholarship, shared by JKM (death) and JKK (death, total disability).

PP 44/2015: a one-off Rp12 jt for one child, paid with the claim (so it is in ``total``).
PP 82/2019 (from 2 Dec 2019): up to two children, yearly by school level, claimed each year with
school proof, first paid from 1 Apr 2021 (Permenaker 5/2021), ending at 23. Those yearly
payments are a *schedule*, never part of ``total``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .dates import add_years
from .errors import RulesInputError
from .messages import label
from .params import ParameterNotDefined, ParameterValue, lookup
from .results import Basis, Item, Message, ScheduleEntry

LEVELS = ("belum_sekolah", "tk", "sd", "smp", "sma", "pt")


@dataclass(frozen=True)
class Child:
    birth_date: date
    level: str


@dataclass(frozen=True)
class ScholarshipOutcome:
    items: tuple[Item, ...] = ()
    schedule: tuple[ScheduleEntry, ...] = ()
    reasons: tuple[Message, ...] = ()
    notes: tuple[Message, ...] = ()


# KUHPerdata ps. 255: a child born within 300 days after the marriage ended (here: the death) is
# still the participant's child; later births cannot be.
POSTHUMOUS_BIRTH_DAYS = 300


def _check_births(children: tuple[Child, ...], event_date: date) -> None:
    latest = event_date + timedelta(days=POSTHUMOUS_BIRTH_DAYS)
    for index, child in enumerate(children):
        if child.birth_date > latest:
            raise RulesInputError(
                f"children.{index}.birth_date",
                f"Anak lahir lebih dari {POSTHUMOUS_BIRTH_DAYS} hari sesudah peristiwa ({event_date}).",
                f"The child was born more than {POSTHUMOUS_BIRTH_DAYS} days after the event ({event_date}).",
            )


def scholarship(
    children: tuple[Child, ...], *, event_date: date, contribution_months: int, min_months_parameter: str
) -> ScholarshipOutcome:
    """The scholarship due for a death or disability on ``event_date`` under the regime of that date."""
    _check_births(children, event_date)
    minimum = lookup(min_months_parameter, event_date)
    if contribution_months < minimum.value:
        reason = Message.of("scholarship_min_months_short", months=contribution_months, minimum=minimum.value)
        return ScholarshipOutcome(reasons=(reason,))
    if not children:
        return ScholarshipOutcome(notes=(Message.of("scholarship_no_children"),))
    reasons = (Message.of("scholarship_min_months_met", months=contribution_months, minimum=minimum.value),)
    max_children = lookup("jkm.scholarship.max_children", event_date)
    counted = children[: max_children.value]
    notes: tuple[Message, ...] = ()
    if len(children) > len(counted):
        notes = (Message.of("scholarship_children_limited", count=max_children.value),)
    try:
        one_off = lookup("jkm.scholarship.lump_sum", event_date)
    except ParameterNotDefined:
        return _yearly(counted, event_date, reasons, notes, (Basis.of(minimum), Basis.of(max_children)))
    code = "scholarship_lump_sum"
    item = Item(
        code, one_off.value, *label(code), (Basis.of(one_off), Basis.of(minimum), Basis.of(max_children))
    )
    return ScholarshipOutcome(items=(item,), reasons=reasons, notes=notes)


def _yearly(
    children: tuple[Child, ...],
    event_date: date,
    reasons: tuple[Message, ...],
    notes: tuple[Message, ...],
    conditions: tuple[Basis, ...],
) -> ScholarshipOutcome:
    table = lookup("jkm.scholarship.yearly_by_level", event_date)
    earliest = lookup("jkm.scholarship.payable_from_earliest", event_date)
    age_limit = lookup("jkm.scholarship.age_limit", event_date)
    entry_age = lookup("jkm.scholarship.school_entry_age", event_date)
    basis = (Basis.of(table), Basis.of(earliest), Basis.of(age_limit), *conditions)
    start = max(event_date, earliest.value)
    schedule: list[ScheduleEntry] = []
    for index, child in enumerate(children, start=1):
        schedule.extend(_child_schedule(index, child, start, table, age_limit.value, entry_age.value, basis))
    maximum_note = Message.of("scholarship_is_maximum", age=age_limit.value)
    return ScholarshipOutcome(schedule=tuple(schedule), reasons=reasons, notes=(*notes, maximum_note))


def _child_schedule(
    index: int,
    child: Child,
    start: date,
    table: ParameterValue,
    age_limit: int,
    entry_age: int,
    basis: tuple[Basis, ...],
) -> list[ScheduleEntry]:
    """One payment a year from ``start``, each level for its full length (an upper estimate)."""
    level = "tk" if child.level == "belum_sekolah" else child.level
    if child.level == "belum_sekolah":
        start = max(start, add_years(child.birth_date, entry_age))
    ends = add_years(child.birth_date, age_limit)
    rows = list(table.value)
    first = next(i for i, row in enumerate(rows) if row["level"] == level)
    entries: list[ScheduleEntry] = []
    year = 0
    for row in rows[first:]:
        for _ in range(row["years"]):
            due = add_years(start, year)
            if due >= ends:
                return entries
            entries.append(
                ScheduleEntry("scholarship_yearly", index, due, row["level"], row["amount"], basis)
            )
            year += 1
    return entries
