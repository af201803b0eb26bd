"""What the simulation needs from the branch's own records: the day's bookings and opening hours, and
service times, no-show, late, incomplete and walk-in rates measured from its recent sessions.

Reads only. Every figure says where it came from ("measured, n=…" or "default"), because a branch
without history yet plans on the documented defaults (docs/capacity.md) and must know it does.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from lapakasik.booking.models import Booking, BookingStatus, Session, SessionChannel, SessionStatus, Verdict
from lapakasik.lib.dates import as_local
from lapakasik.lib.errors import DomainError

from .simulation import (
    MAX_GROUP_SIZE,
    Behaviour,
    Person,
    Scenario,
    ScenarioError,
    ServiceTimes,
    as_report,
    replicate,
)

HISTORY_DAYS = 90
MIN_SAMPLES = 5  # fewer measured cases than this: the default is the better guess
MIN_RATE_SAMPLES = 20

# Defaults where a branch has no history [U: planning assumptions, not measurements]: the demo templates'
# 45-minute sessions for 4–6 people and 20-minute one-to-one video calls (docs/booking.md) imply about
# 12 minutes of group briefing plus 5–7 minutes per person; death and accident files take longer.
DEFAULT_SERVICE = ServiceTimes(
    briefing={"one_to_one": 5.0, "one_to_many": 12.0},
    check={"*": 7.0, "JHT": 6.0, "JKM": 12.0, "JKK": 12.0, "JP": 9.0},
    incomplete_extra=5.0,
)
DEFAULT_BEHAVIOUR = Behaviour(no_show_rate=0.10, late_rate=0.15, incomplete_rate=0.20, walk_ins_per_hour=0.0)
DEFAULT_KIND = "JHT/resign"


@dataclass
class Measured:
    service: ServiceTimes
    behaviour: Behaviour
    sources: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DayPlan:
    branch: Any
    day: dt.date
    opens: dt.time
    closes: dt.time
    booked: tuple[Person, ...]
    kind_mix: tuple[tuple[str, float], ...]
    officers_scheduled: int
    largest_session: int

    @property
    def day_minutes(self) -> float:
        return _minutes(self.closes) - _minutes(self.opens)


def _minutes(t: dt.time) -> float:
    return t.hour * 60 + t.minute + t.second / 60


def _source(n: int) -> str:
    return f"measured, n={n}"


# ---------------------------------------------------------------- service times


def _served_calls(branch, since: dt.date, until: dt.date) -> dict[tuple, list[tuple]]:
    """Served people grouped by call (a one-to-many session's group is called at one instant)."""
    rows = (
        Booking.objects.filter(
            session__branch=branch,
            session__local_date__range=(since, until),
            status=BookingStatus.SERVED,
            called_at__isnull=False,
            done_at__isnull=False,
        )
        .values_list(
            "session_id",
            "session__seats",
            "called_at",
            "done_at",
            "verdict",
            "claim__program",
            "claim__reason",
        )
        .order_by("session_id", "called_at", "done_at", "id")
    )
    calls: dict[tuple, list[tuple]] = defaultdict(list)
    for session_id, seats, called, done, verdict, program, reason in rows:
        calls[(session_id, seats > 1, called)].append((done, verdict, f"{program}/{reason}"))
    return calls


def _intervals(called: dt.datetime, people: list[tuple]) -> list[tuple[float, str, str]]:
    """(minutes, verdict, kind) per person: the first includes the briefing, the others are checks in turn."""
    out, previous = [], called
    for done, verdict, kind in people:
        out.append(((done - previous).total_seconds() / 60, verdict, kind))
        previous = done
    return out


def measure_service(
    branch, *, until: dt.date, days: int = HISTORY_DAYS
) -> tuple[ServiceTimes, dict[str, str]]:
    calls = _served_calls(branch, until - dt.timedelta(days=days), until)
    checks: dict[str, list[float]] = defaultdict(list)
    incomplete: list[tuple[float, str]] = []
    firsts: dict[bool, list[tuple[float, str, str]]] = {True: [], False: []}
    for (_session, is_group, called), people in calls.items():
        spans = _intervals(called, people)
        firsts[is_group].append(spans[0])
        for minutes, verdict, kind in spans[1:]:
            if verdict == Verdict.DOCUMENTS_MISSING:
                incomplete.append((minutes, kind))
            else:
                checks[kind].append(minutes)
    sources: dict[str, str] = {}
    check = _check_means(checks, sources)
    service = replace(DEFAULT_SERVICE, check=check)
    extra = [m - service.check_for(kind) for m, kind in incomplete]
    if len(extra) >= MIN_SAMPLES:
        service = replace(service, incomplete_extra=max(0.0, statistics.fmean(extra)))
        sources["incomplete_extra"] = _source(len(extra))
    briefing = dict(service.briefing)
    for is_group, mode in ((True, "one_to_many"), (False, "one_to_one")):
        residues = [
            m - service.check_for(k) - (service.incomplete_extra if v == Verdict.DOCUMENTS_MISSING else 0)
            for m, v, k in firsts[is_group]
        ]
        if len(residues) >= MIN_SAMPLES:
            briefing[mode] = max(0.0, statistics.fmean(residues))
            sources[f"briefing {mode}"] = _source(len(residues))
    return replace(service, briefing=briefing), sources


def _check_means(checks: dict[str, list[float]], sources: dict[str, str]) -> dict[str, float]:
    """Per kind where there are enough cases, then per program, then overall; defaults fill the rest."""
    means = dict(DEFAULT_SERVICE.check)
    by_program: dict[str, list[float]] = defaultdict(list)
    for kind, values in checks.items():
        by_program[kind.split("/")[0]].extend(values)
    everything = [v for values in checks.values() for v in values]
    for key, values in [("*", everything), *sorted(by_program.items()), *sorted(checks.items())]:
        if len(values) >= MIN_SAMPLES:
            means[key] = statistics.fmean(values)
            sources[f"check {key}"] = _source(len(values))
    return means


# ---------------------------------------------------------------- behaviour


def measure_behaviour(
    branch, *, until: dt.date, days: int = HISTORY_DAYS
) -> tuple[Behaviour, dict[str, str]]:
    since = until - dt.timedelta(days=days)
    bookings = Booking.objects.filter(session__branch=branch, session__local_date__range=(since, until))
    sources: dict[str, str] = {}
    behaviour = DEFAULT_BEHAVIOUR
    decided = dict(bookings.filter(walk_in=False).values_list("status").annotate(n=Count("id")))
    shown, missed = decided.get(BookingStatus.SERVED, 0), decided.get(BookingStatus.NO_SHOW, 0)
    if shown + missed >= MIN_RATE_SAMPLES:
        behaviour = replace(behaviour, no_show_rate=missed / (shown + missed))
        sources["no_show_rate"] = _source(shown + missed)
    arrived = list(
        bookings.filter(walk_in=False, checked_in_at__isnull=False).values_list(
            "checked_in_at", "session__starts_at"
        )
    )
    if len(arrived) >= MIN_RATE_SAMPLES:
        late = sum(1 for came, starts in arrived if came and came > starts)
        behaviour = replace(behaviour, late_rate=late / len(arrived))
        sources["late_rate"] = _source(len(arrived))
    verdicts = Counter(bookings.filter(status=BookingStatus.SERVED).values_list("verdict", flat=True))
    judged = verdicts[Verdict.VERIFIED] + verdicts[Verdict.DOCUMENTS_MISSING]
    if judged >= MIN_RATE_SAMPLES:
        behaviour = replace(behaviour, incomplete_rate=verdicts[Verdict.DOCUMENTS_MISSING] / judged)
        sources["incomplete_rate"] = _source(judged)
    return _with_walk_ins(branch, behaviour, bookings, since, until, sources), sources


def _with_walk_ins(branch, behaviour: Behaviour, bookings, since, until, sources) -> Behaviour:
    """Walk-ins per opening hour, over the days the branch held offline sessions."""
    days = set(
        Session.objects.filter(
            branch=branch, local_date__range=(since, until), channel=SessionChannel.OFFLINE
        )
        .exclude(status=SessionStatus.CANCELLED)
        .values_list("local_date", flat=True)
    )
    if not days:
        return behaviour
    hours = sum(_opening_minutes(branch, day) for day in days) / 60
    walk_ins = bookings.filter(walk_in=True).count()
    sources["walk_ins_per_hour"] = _source(walk_ins)
    return replace(behaviour, walk_ins_per_hour=walk_ins / hours if hours else 0.0)


def _opening_minutes(branch, day: dt.date) -> float:
    hours = branch.opening_hours.filter(weekday=day.weekday()).first()
    return _minutes(hours.closes) - _minutes(hours.opens) if hours else 7 * 60


def measure(branch, *, until: dt.date, days: int = HISTORY_DAYS) -> Measured:
    service, service_sources = measure_service(branch, until=until, days=days)
    behaviour, behaviour_sources = measure_behaviour(branch, until=until, days=days)
    return Measured(service, behaviour, {**service_sources, **behaviour_sources})


# ---------------------------------------------------------------- the day


NO_SESSIONS = _(
    "Tidak ada sesi pada %(date)s di %(branch)s: kantor tutup atau sesi belum dibuat. "
    "Pilih tanggal lain atau buat sesi dari templat."
)
UNKNOWN_BRANCH = _("Kantor cabang %(code)s tidak dikenal.")


def day_plan(branch, day: dt.date) -> DayPlan:
    sessions = list(
        Session.objects.filter(branch=branch, local_date=day).exclude(status=SessionStatus.CANCELLED)
    )
    if not sessions:
        message = Formatted(NO_SESSIONS, {"date": day.isoformat(), "branch": branch.name})
        raise DomainError("no_sessions", message, field="date", status=400)
    opens, closes = _opening(branch, day, sessions)
    start = _minutes(opens)
    bookings = (
        Booking.objects.filter(session__in=sessions, walk_in=False)
        .exclude(status__in=[BookingStatus.CANCELLED, BookingStatus.MOVED])
        .values_list("session__starts_at", "session__channel", "claim__program", "claim__reason")
    )
    booked = tuple(
        Person(
            f"{program}/{reason}", _minutes(as_local(starts, branch.time_zone).time()) - start, True, channel
        )
        for starts, channel, program, reason in bookings
    )
    return DayPlan(
        branch,
        day,
        opens,
        closes,
        booked,
        _kind_mix(branch, day, booked),
        officers_scheduled=len({s.officer_id for s in sessions}),
        largest_session=max(s.seats for s in sessions),
    )


def _opening(branch, day: dt.date, sessions) -> tuple[dt.time, dt.time]:
    hours = branch.opening_hours.filter(weekday=day.weekday()).first()
    if hours:
        return hours.opens, hours.closes
    return (
        min(as_local(s.starts_at, branch.time_zone).time() for s in sessions),
        max(as_local(s.ends_at, branch.time_zone).time() for s in sessions),
    )


def _kind_mix(branch, day: dt.date, booked: tuple[Person, ...]) -> tuple[tuple[str, float], ...]:
    """Walk-ins and what-if arrivals look like the day's bookings, else like the branch's recent claims."""
    counts = Counter(p.kind for p in booked)
    if not counts:  # the last 90 days' claims, else the branch's latest 5,000 (a demo's 2020 history)
        submitted = branch.claims.filter(submitted_on__isnull=False)
        recent = submitted.filter(submitted_on__gte=day - dt.timedelta(days=HISTORY_DAYS))
        rows = recent if recent.exists() else submitted.order_by("-submitted_on")
        counts = Counter(f"{p}/{r}" for p, r in rows.values_list("program", "reason")[:5000])
    return tuple(sorted(counts.items())) or ((DEFAULT_KIND, 1.0),)


# ---------------------------------------------------------------- simulate


MESSAGES = {
    "no_officers": _("Jumlah petugas minimal 1."),
    "unknown_mode": _("Mode harus one_to_one (satu-satu) atau one_to_many (satu petugas banyak peserta)."),
    "group_size_one_to_one": _(
        "Mode satu-satu melayani satu orang sekaligus: ukuran kelompok harus 1 (diminta %(group_size)s)."
    ),
    "group_size_range": _(
        "Ukuran kelompok satu petugas banyak peserta harus 2 sampai %(most)s orang (diminta %(group_size)s)."
    ),
    "too_few_booths": _("Bilik (%(booths)s) lebih sedikit dari ukuran kelompok (%(group_size)s)."),
    "bad_rate": _("Laju kedatangan per jam harus 0 atau lebih (diberikan %(value)s)."),
    "rate_range": _("Proporsi harus antara 0 dan 1 (diberikan %(value)s)."),
    "empty_day": _("Jam buka hari itu kosong."),
    "replications_range": _("Jumlah replikasi harus 1 sampai %(most)s (diberikan %(value)s)."),
}


class Formatted:
    """A lazy message with its parameters, filled in whichever language is active when it is shown."""

    def __init__(self, message: Any, params: dict[str, Any]) -> None:
        self.message, self.params = message, params

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


def scenario_error(error: ScenarioError) -> DomainError:
    message = MESSAGES.get(error.code, _("Skenario tidak dapat disimulasikan."))
    return DomainError(error.code, Formatted(message, error.params), field=error.field)


@dataclass(frozen=True)
class WhatIf:
    officers: int
    mode: str
    group_size: int
    booths: int | None = None
    arrivals_per_hour: float | None = None
    no_show_rate: float | None = None
    late_rate: float | None = None
    incomplete_rate: float | None = None


def scenario_for(plan: DayPlan, measured: Measured, what_if: WhatIf) -> Scenario:
    overrides = {k: getattr(what_if, k) for k in ("no_show_rate", "late_rate", "incomplete_rate")}
    behaviour = replace(measured.behaviour, **{k: v for k, v in overrides.items() if v is not None})
    return Scenario(
        day_minutes=plan.day_minutes,
        officers=what_if.officers,
        mode=what_if.mode,
        group_size=what_if.group_size,
        service=measured.service,
        behaviour=behaviour,
        booked=plan.booked,
        arrivals_per_hour=what_if.arrivals_per_hour,
        kind_mix=plan.kind_mix,
        booths=what_if.booths,
    )


def simulate(plan: DayPlan, measured: Measured, what_if: WhatIf, *, seed: int, replications: int = 1) -> dict:
    """The report of `replications` simulated days, with what was assumed and where it came from."""
    try:
        summary = replicate(scenario_for(plan, measured, what_if), seed=seed, replications=replications)
    except ScenarioError as error:
        raise scenario_error(error) from None
    report = as_report(summary)
    report.update(
        branch=plan.branch.code,
        date=plan.day.isoformat(),
        mode=what_if.mode,
        group_size=what_if.group_size,
        officers=what_if.officers,
        booths=what_if.booths,
        opening=f"{plan.opens:%H:%M}-{plan.closes:%H:%M}",
        inputs=_inputs(measured, what_if),
    )
    return report


def _inputs(measured: Measured, what_if: WhatIf) -> dict:
    b, s = measured.behaviour, measured.service
    chosen = {
        "no_show_rate": what_if.no_show_rate,
        "late_rate": what_if.late_rate,
        "incomplete_rate": what_if.incomplete_rate,
    }
    inputs: dict[str, Any] = {}
    for name in ("no_show_rate", "late_rate", "incomplete_rate", "walk_ins_per_hour"):
        given = chosen.get(name)
        value = given if given is not None else getattr(b, name)
        origin = "what-if" if given is not None else measured.sources.get(name, "default")
        inputs[name] = {"value": round(value, 3), "source": origin}
    if what_if.arrivals_per_hour is not None:
        inputs["arrivals_per_hour"] = {"value": what_if.arrivals_per_hour, "source": "what-if"}
    inputs["briefing_minutes"] = {
        mode: {"value": round(v, 1), "source": measured.sources.get(f"briefing {mode}", "default")}
        for mode, v in s.briefing.items()
    }
    inputs["check_minutes"] = {
        key: {"value": round(v, 1), "source": measured.sources.get(f"check {key}", "default")}
        for key, v in sorted(s.check.items())
    }
    inputs["incomplete_extra_minutes"] = {
        "value": round(s.incomplete_extra, 1),
        "source": measured.sources.get("incomplete_extra", "default"),
    }
    return inputs


__all__ = ["MAX_GROUP_SIZE", "DayPlan", "Measured", "WhatIf", "day_plan", "measure", "simulate"]
