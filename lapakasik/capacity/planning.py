"""Comparing ways of serving a day and recommending one, as session templates (pure: no Django).

The recommendation is the fewest officers who serve everyone before closing with a mean wait at most the
target; among the ways of serving that manage it with that many officers, the shortest mean wait. Its
sessions are back-to-back slots through the opening hours, each as long as the officer's expected time
with one full group (briefing + each person's check + the expected extra for incomplete files), rounded
up to 5 minutes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from .simulation import Scenario, Summary, replicate

WAYS = (("one_to_one", 1), ("one_to_many", 4), ("one_to_many", 5), ("one_to_many", 6))
COMPARED = (("one_to_one", 1), ("one_to_many", 2), ("one_to_many", 3), *WAYS[1:])
MAX_OFFICERS = 8
TARGET_WAIT_MINUTES = 15.0


@dataclass(frozen=True)
class Option:
    mode: str
    group_size: int
    officers: int
    summary: Summary

    @property
    def label(self) -> str:
        return "1:1" if self.mode == "one_to_one" else f"1:{self.group_size}"


def _with(base: Scenario, mode: str, group_size: int, officers: int) -> Scenario:
    booths = base.booths if base.booths is None or base.booths >= group_size else None
    return dataclasses.replace(base, mode=mode, group_size=group_size, officers=officers, booths=booths)


def compare(base: Scenario, *, seed: int, replications: int, ways=COMPARED) -> list[Option]:
    """Each way of serving with the scenario's officers; one seed, so all see the same people."""
    return [
        Option(
            mode,
            k,
            base.officers,
            replicate(_with(base, mode, k, base.officers), seed=seed, replications=replications),
        )
        for mode, k in ways
        if base.booths is None or base.booths >= k
    ]


def good_enough(option: Option, target_wait: float) -> bool:
    s = option.summary
    return s["unserved"].mean < 0.5 and s["wait_mean"].mean <= target_wait


def recommend(
    base: Scenario, *, seed: int, replications: int = 5, target_wait: float = TARGET_WAIT_MINUTES
) -> Option | None:
    for officers in range(1, MAX_OFFICERS + 1):
        options = [
            Option(
                mode,
                k,
                officers,
                replicate(_with(base, mode, k, officers), seed=seed, replications=replications),
            )
            for mode, k in WAYS
            if base.booths is None or base.booths >= k
        ]
        fitting = [o for o in options if good_enough(o, target_wait)]
        if fitting:
            return min(fitting, key=lambda o: (o.summary["wait_mean"].mean, -o.group_size))
    return None


@dataclass(frozen=True)
class Slot:
    officer_number: int  # 1 … officers
    start: dt.time
    minutes: int
    seats: int


def group_minutes(base: Scenario, mode: str, group_size: int) -> int:
    """The expected time of one full group, rounded up to 5 minutes."""
    service, mix = base.service, base.kind_mix
    total = sum(weight for _, weight in mix) or 1
    check = sum(service.check_for(kind) * weight for kind, weight in mix) / total
    extra = base.behaviour.incomplete_rate * service.incomplete_extra
    minutes = service.briefing[mode] + group_size * (check + extra)
    return max(5, 5 * math.ceil(minutes / 5))


def session_slots(base: Scenario, option: Option, opens: dt.time) -> list[Slot]:
    length = group_minutes(base, option.mode, option.group_size)
    count = int(base.day_minutes // length)
    day = dt.datetime.combine(dt.date(2000, 1, 1), opens)
    return [
        Slot(officer, (day + dt.timedelta(minutes=i * length)).time(), length, option.group_size)
        for officer in range(1, option.officers + 1)
        for i in range(count)
    ]


def seats_offered(slots: Sequence[Slot]) -> int:
    return sum(s.seats for s in slots)
