"""A branch day as a discrete-event simulation (SimPy). Pure: plain values in, plain values out, no Django.

The model (docs/capacity.md says why each choice was made):

- People come from the day's bookings (each may not show, or come late; the rest come a little early) and
  as walk-ins (Poisson), or — for a what-if — as a Poisson stream at a given rate that replaces both.
- A booked person can be called from their slot's start, never before (the officer calls a session's group
  when it starts); a walk-in can be called on arrival.
- Officers are pooled: a free officer calls the person who has been eligible longest and, one-to-many,
  everyone else of the same kind (channel, program, reason) who is waiting, up to the group size. The
  officer never waits for a group to fill: waiting to fill only adds waiting.
- An officer's time with a group = one briefing (per mode) + each person's check in turn (per program and
  reason) + extra time for each person whose documents are incomplete. Times are drawn from a log-normal
  (or exponential) distribution around the measured means.
- Offline people sit in a booth while they are served; a group waits for enough free booths.
- Officers call nobody after closing time; whoever is still waiting then is counted as unserved.

Every random draw comes from streams seeded by (seed, replication), so a run is reproducible and two
scenarios with one seed see the same people (common random numbers make comparisons sharper).
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import simpy

MODES = ("one_to_one", "one_to_many")
MAX_GROUP_SIZE = 6  # a session has 1–6 seats (booking.Session)
MAX_REPLICATIONS = 200
DISTRIBUTIONS = ("lognormal", "exponential")


class ScenarioError(ValueError):
    """A scenario that cannot be simulated; `code` and `field` let the caller word the message."""

    def __init__(self, code: str, field: str, **params: object) -> None:
        super().__init__(f"{field}: {code} {params}")
        self.code = code
        self.field = field
        self.params = params


@dataclass(frozen=True)
class Person:
    """Someone expected at the branch. `kind` is "PROGRAM/reason"; times are minutes from opening."""

    kind: str
    eligible_at: float  # a booking's slot start; ignored for walk-ins (eligible on arrival)
    booked: bool = True
    channel: str = "offline"


@dataclass(frozen=True)
class ServiceTimes:
    """Mean minutes of the officer's work. `check` is keyed by "PROGRAM/reason", "PROGRAM" or "*"."""

    briefing: Mapping[str, float]  # per mode: explained once per group (one-to-one: once per person)
    check: Mapping[str, float]
    incomplete_extra: float  # a missing document: the officer explains what to bring, notes it
    cv: float = 0.5  # coefficient of variation of each draw (log-normal)
    distribution: str = "lognormal"

    def check_for(self, kind: str) -> float:
        program = kind.split("/", 1)[0]
        for key in (kind, program, "*"):
            if key in self.check:
                return self.check[key]
        raise ScenarioError("no_service_time", "service", kind=kind)


@dataclass(frozen=True)
class Behaviour:
    no_show_rate: float = 0.10
    late_rate: float = 0.15
    late_max_minutes: float = 20.0  # late people come uniformly 0..this after their slot starts
    early_max_minutes: float = 15.0  # the others come uniformly 0..this before it
    incomplete_rate: float = 0.20
    walk_ins_per_hour: float = 0.0


@dataclass(frozen=True)
class Scenario:
    day_minutes: float  # opening to closing
    officers: int
    mode: str
    group_size: int
    service: ServiceTimes
    behaviour: Behaviour = field(default_factory=Behaviour)
    booked: Sequence[Person] = ()
    arrivals_per_hour: float | None = None  # a what-if stream that replaces bookings and walk-ins
    kind_mix: Sequence[tuple[str, float]] = (("JHT/resign", 1.0),)  # for walk-ins and what-if arrivals
    booths: int | None = None  # None: one per seat, never a constraint
    warmup_minutes: float = 0.0  # people arriving earlier are served but not counted (steady-state checks)


@dataclass(frozen=True)
class DayResult:
    """One replication of one day."""

    arrivals: int
    booked: int
    no_shows: int
    walk_ins: int
    late: int
    incomplete: int
    served: int
    unserved: int
    waits: tuple[float, ...]  # minutes from arrival to being called, of counted people who were served
    busy_minutes: float
    groups: int
    last_end: float
    officers: int
    day_minutes: float

    @property
    def wait_mean(self) -> float:
        return statistics.fmean(self.waits) if self.waits else 0.0

    @property
    def wait_p90(self) -> float:
        return percentile(self.waits, 0.9)

    @property
    def officer_utilisation(self) -> float:
        return self.busy_minutes / (self.officers * max(self.day_minutes, self.last_end))

    @property
    def served_per_officer_hour(self) -> float:
        return self.served / (self.officers * self.day_minutes / 60)

    @property
    def mean_group_size(self) -> float:
        return self.served / self.groups if self.groups else 0.0

    @property
    def overtime_minutes(self) -> float:
        return max(0.0, self.last_end - self.day_minutes)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (the value a share q of people waited at most)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def validate(scenario: Scenario, replications: int = 1) -> None:
    s = scenario
    if s.officers < 1:
        raise ScenarioError("no_officers", "officers", officers=s.officers)
    if s.mode not in MODES:
        raise ScenarioError("unknown_mode", "mode", mode=s.mode)
    if s.mode == "one_to_one" and s.group_size != 1:
        raise ScenarioError("group_size_one_to_one", "group_size", group_size=s.group_size)
    if s.mode == "one_to_many" and not 2 <= s.group_size <= MAX_GROUP_SIZE:
        raise ScenarioError("group_size_range", "group_size", group_size=s.group_size, most=MAX_GROUP_SIZE)
    if s.booths is not None and s.booths < s.group_size:
        raise ScenarioError("too_few_booths", "booths", booths=s.booths, group_size=s.group_size)
    if s.day_minutes <= 0:
        raise ScenarioError("empty_day", "day", minutes=s.day_minutes)
    if s.arrivals_per_hour is not None and not 0 <= s.arrivals_per_hour <= 10_000:
        raise ScenarioError("bad_rate", "arrivals_per_hour", value=s.arrivals_per_hour)
    _validate_behaviour(s.behaviour)
    if s.service.distribution not in DISTRIBUTIONS:
        raise ScenarioError("unknown_distribution", "service", distribution=s.service.distribution)
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise ScenarioError("replications_range", "replications", value=replications, most=MAX_REPLICATIONS)


def _validate_behaviour(b: Behaviour) -> None:
    for name in ("no_show_rate", "late_rate", "incomplete_rate"):
        value = getattr(b, name)
        if not 0 <= value <= 1:
            raise ScenarioError("rate_range", name, value=value)
    if b.walk_ins_per_hour < 0:
        raise ScenarioError("bad_rate", "walk_ins_per_hour", value=b.walk_ins_per_hour)


# ---------------------------------------------------------------- one day


class _Draws:
    """Independent random streams, so adding walk-ins does not change anyone's service time."""

    def __init__(self, seed: int, replication: int) -> None:
        base = seed * 1_000_003 + replication * 7919
        self.people = random.Random(base + 1)
        self.service = random.Random(base + 2)

    def duration(self, mean: float, service: ServiceTimes) -> float:
        if mean <= 0:
            return 0.0
        if service.distribution == "exponential":
            return self.service.expovariate(1 / mean)
        sigma2 = math.log(1 + service.cv**2)
        return self.service.lognormvariate(math.log(mean) - sigma2 / 2, math.sqrt(sigma2))


@dataclass
class _Visit:
    kind: str
    channel: str
    arrived: float
    eligible: float
    incomplete: bool
    counted: bool


def _visits(s: Scenario, draws: _Draws) -> tuple[list[_Visit], dict[str, int]]:
    """Who actually comes, when, and with what: drawn before the day runs."""
    rng, b = draws.people, s.behaviour
    visits: list[_Visit] = []
    tally = {"booked": 0, "no_shows": 0, "late": 0, "walk_ins": 0}
    if s.arrivals_per_hour is None:
        for person in s.booked:
            tally["booked"] += 1
            if rng.random() < b.no_show_rate:
                tally["no_shows"] += 1
                continue
            late = rng.random() < b.late_rate
            tally["late"] += late
            offset = rng.uniform(0, b.late_max_minutes) if late else -rng.uniform(0, b.early_max_minutes)
            arrived = max(0.0, person.eligible_at + offset)
            visits.append(
                _Visit(
                    person.kind,
                    person.channel,
                    arrived,
                    max(arrived, person.eligible_at),
                    rng.random() < b.incomplete_rate,
                    arrived >= s.warmup_minutes,
                )
            )
        stream = _poisson(rng, b.walk_ins_per_hour, s.day_minutes)
    else:
        stream = _poisson(rng, s.arrivals_per_hour, s.day_minutes)
    kinds, weights = zip(*s.kind_mix, strict=True)
    for at in stream:
        tally["walk_ins"] += s.arrivals_per_hour is None
        kind = rng.choices(kinds, weights)[0]
        visits.append(
            _Visit(kind, "offline", at, at, rng.random() < b.incomplete_rate, at >= s.warmup_minutes)
        )
    visits.sort(key=lambda v: (v.eligible, v.arrived))
    return visits, tally


def _poisson(rng: random.Random, per_hour: float, minutes: float) -> list[float]:
    times: list[float] = []
    if per_hour <= 0:
        return times
    at = rng.expovariate(per_hour / 60)
    while at < minutes:
        times.append(at)
        at += rng.expovariate(per_hour / 60)
    return times


class _Floor:
    """The branch floor during one simulated day."""

    def __init__(self, s: Scenario, draws: _Draws) -> None:
        self.s, self.draws = s, draws
        self.env = simpy.Environment()
        seats = s.booths if s.booths is not None else s.officers * s.group_size
        self.booths = simpy.Container(self.env, capacity=seats, init=seats)
        self.queue: list[_Visit] = []
        self.changed = self.env.event()
        self.waits: list[float] = []
        self.served = self.busy = 0.0
        self.groups = 0
        self.last_end = 0.0

    def run(self, visits: list[_Visit]) -> None:
        for visit in visits:
            self.env.process(self._come(visit))
        for _ in range(self.s.officers):
            self.env.process(self._officer())
        self.env.run(until=self.s.day_minutes + 24 * 60)  # started groups always finish the same day

    def _come(self, visit: _Visit):
        yield self.env.timeout(visit.eligible)
        self.queue.append(visit)
        self.changed.succeed()
        self.changed = self.env.event()

    def _officer(self):
        closing = self.env.timeout(self.s.day_minutes)
        while True:
            if self.env.now >= self.s.day_minutes:
                return
            if not self.queue:
                yield self.changed | closing
                continue
            group = self._take_group()
            needed = sum(1 for v in group if v.channel == "offline")
            if needed:
                yield self.booths.get(needed)
            yield from self._serve(group)
            if needed:
                yield self.booths.put(needed)

    def _take_group(self) -> list[_Visit]:
        head = self.queue[0]
        group = [v for v in self.queue if (v.kind, v.channel) == (head.kind, head.channel)][
            : self.s.group_size
        ]
        for visit in group:
            self.queue.remove(visit)
        return group

    def _serve(self, group: list[_Visit]):
        started, service = self.env.now, self.s.service
        for visit in group:
            if visit.counted:
                self.waits.append(started - visit.arrived)
        minutes = self.draws.duration(service.briefing[self.s.mode], service)
        for visit in group:
            mean = service.check_for(visit.kind) + (service.incomplete_extra if visit.incomplete else 0)
            minutes += self.draws.duration(mean, service)
        yield self.env.timeout(minutes)
        self.busy += minutes
        self.served += len(group)
        self.groups += 1
        self.last_end = max(self.last_end, self.env.now)


def simulate_day(scenario: Scenario, *, seed: int, replication: int = 0) -> DayResult:
    validate(scenario)
    draws = _Draws(seed, replication)
    visits, tally = _visits(scenario, draws)
    floor = _Floor(scenario, draws)
    floor.run(visits)
    return DayResult(
        arrivals=len(visits),
        booked=tally["booked"],
        no_shows=tally["no_shows"],
        walk_ins=tally["walk_ins"],
        late=tally["late"],
        incomplete=sum(v.incomplete for v in visits),
        served=int(floor.served),
        unserved=len(floor.queue),
        waits=tuple(floor.waits),
        busy_minutes=floor.busy,
        groups=floor.groups,
        last_end=floor.last_end,
        officers=scenario.officers,
        day_minutes=scenario.day_minutes,
    )


# ---------------------------------------------------------------- replications


# Two-sided 95% Student t quantiles for 1–30 degrees of freedom; beyond 30 the normal 1.96 is within 2%.
_T95 = (
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
)


def t95(degrees_of_freedom: int) -> float:
    return _T95[degrees_of_freedom - 1] if degrees_of_freedom <= len(_T95) else 1.96


@dataclass(frozen=True)
class Estimate:
    mean: float
    half_width: float  # of the 95% confidence interval across replications; 0 with one replication

    @property
    def low(self) -> float:
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        return self.mean + self.half_width


def estimate(values: Sequence[float]) -> Estimate:
    mean = statistics.fmean(values)
    if len(values) < 2:
        return Estimate(mean, 0.0)
    return Estimate(mean, t95(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values)))


METRICS = {
    "arrivals": lambda r: r.arrivals,
    "booked": lambda r: r.booked,
    "no_shows": lambda r: r.no_shows,
    "walk_ins": lambda r: r.walk_ins,
    "late": lambda r: r.late,
    "incomplete": lambda r: r.incomplete,
    "served": lambda r: r.served,
    "unserved": lambda r: r.unserved,
    "wait_mean": lambda r: r.wait_mean,
    "wait_p90": lambda r: r.wait_p90,
    "officer_utilisation": lambda r: r.officer_utilisation,
    "served_per_officer_hour": lambda r: r.served_per_officer_hour,
    "mean_group_size": lambda r: r.mean_group_size,
    "overtime_minutes": lambda r: r.overtime_minutes,
}


@dataclass(frozen=True)
class Summary:
    replications: int
    seed: int
    estimates: Mapping[str, Estimate]
    runs: tuple[DayResult, ...]

    def __getitem__(self, metric: str) -> Estimate:
        return self.estimates[metric]


def replicate(scenario: Scenario, *, seed: int, replications: int = 1) -> Summary:
    """`replications` independent days (seeds seed+0 … seed+R-1 streams), with 95% intervals."""
    validate(scenario, replications)
    runs = tuple(simulate_day(scenario, seed=seed, replication=r) for r in range(replications))
    estimates = {name: estimate([float(metric(run)) for run in runs]) for name, metric in METRICS.items()}
    return Summary(replications, seed, estimates, runs)


def as_report(summary: Summary) -> dict:
    """The figures as the CLI and the page print them: counts as whole people, minutes to 0.1."""
    e = summary.estimates

    def ci(name: str, digits: int = 1) -> list[float]:
        return [round(e[name].low, digits), round(e[name].high, digits)]

    return {
        "arrivals": round(e["arrivals"].mean),
        "served": round(e["served"].mean),
        "wait_minutes": {"mean": round(e["wait_mean"].mean, 1), "p90": round(e["wait_p90"].mean, 1)},
        "officer_utilisation": round(e["officer_utilisation"].mean, 3),
        "served_per_officer_hour": round(e["served_per_officer_hour"].mean, 2),
        "booked": round(e["booked"].mean),
        "no_shows": round(e["no_shows"].mean),
        "walk_ins": round(e["walk_ins"].mean),
        "late": round(e["late"].mean),
        "incomplete_documents": round(e["incomplete"].mean),
        "unserved_at_closing": round(e["unserved"].mean),
        "mean_group_size": round(e["mean_group_size"].mean, 2),
        "overtime_minutes": round(e["overtime_minutes"].mean, 1),
        "replications": summary.replications,
        "seed": summary.seed,
        "ci95": {
            "arrivals": ci("arrivals"),
            "served": ci("served"),
            "wait_minutes_mean": ci("wait_mean"),
            "wait_minutes_p90": ci("wait_p90"),
            "officer_utilisation": ci("officer_utilisation", 3),
            "served_per_officer_hour": ci("served_per_officer_hour", 2),
        },
    }
