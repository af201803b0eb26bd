"""Calculations per second of the pure benefit-law package, per program.

Run: .venv/bin/python bench/bench_rules.py [--seconds 1.0]
Measures two layers for each program: the calculator on a ready frozen case (``jht.calculate``…)
and the full ``api.estimate`` (pydantic validation + calculation + JSON-ready dump), which is what
the CLI, API and public page pay. Then, in the same run, a list of 1,000 mixed cases (as a
collective list and the batch endpoint bring them) one ``api.estimate`` at a time against one
``api.estimate_many`` call, alternating, in CPU time, and the ratio per case (target: the batch at
least 5x faster).
Writes/replaces the "## Rules calculator" section of bench/RESULTS.md and leaves every other section alone.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import write_section  # noqa: E402

from lapakasik.rules import api, documents, jht, jkk, jkm, jkp, jp, memo, messages, params  # noqa: E402
from lapakasik.rules.dates import add_months, parse_month  # noqa: E402
from lapakasik.rules.errors import RulesInputError  # noqa: E402
from lapakasik.rules.params import load_parameters  # noqa: E402

SECTION = "Rules calculator"


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


LOAD_AT_START = _load()


def months(start: date, count: int) -> list[str]:
    return [add_months(start, i).strftime("%Y-%m") for i in range(count)]


CASES: dict[str, dict[str, Any]] = {
    "JHT resignation, balance given": {
        "program": "JHT", "reason": "resign", "separation_date": "2020-03-15",
        "claim_date": "2020-04-20", "balance": 62_500_000,
    },
    "JHT resignation, 60-month contribution history": {
        "program": "JHT", "reason": "resign", "separation_date": "2020-03-15", "claim_date": "2020-04-20",
        "contributions": [{"month": m, "wage": 4_500_000} for m in months(date(2015, 3, 1), 60)],
    },
    "JKM death, two children (scholarship schedule)": {
        "program": "JKM", "death_date": "2020-06-01", "contribution_months": 48,
        "children": [{"birth_date": "2008-02-01", "level": "smp"}, {"birth_date": "2014-05-01", "level": "sd"}],
    },
    "JKK STMB 400 days + transport": {
        "program": "JKK", "benefit": "stmb", "accident_date": "2020-02-10", "monthly_wage": 3_500_000,
        "incapacity_days": 400, "transport": [{"mode": "land", "amount": 700_000}],
    },
    "JKM death, no children": {"program": "JKM", "death_date": "2020-06-01", "contribution_months": 48},
    "JKP PHK, six monthly payments": {
        "program": "JKP", "reason": "phk", "termination_date": "2025-03-01", "monthly_wage": 4_000_000,
        "contribution_months_last_24": 14, "consecutive_months": 10,
    },
    "JKK death": {"program": "JKK", "benefit": "death", "accident_date": "2020-02-10", "monthly_wage": 3_500_000},
    "JP survivor pension, 60 wages": {
        "program": "JP", "event": "death", "event_date": "2020-07-15", "membership_start": "2015-07-01",
        "contribution_months": 60,
        "wages": [{"month": m, "wage": 9_000_000} for m in months(date(2015, 7, 1), 60)],
    },
}  # fmt: skip


def rate(function: Callable[[], object], seconds: float) -> float:
    """Calls per CPU second: the best of three timed runs of about ``seconds / 3`` CPU seconds each.

    CPU time of this process and the best run, as in :func:`measure_batch`: on a shared machine the
    wall clock counts other jobs' turns on the core (the 2026-12-03 run under load 10 read 4-8x slower).
    """
    function()  # warm the parameter cache
    runs = []
    for _ in range(3):
        count, started = 0, time.process_time()
        while (elapsed := time.process_time() - started) < seconds / 3:
            for _ in range(50):
                function()
            count += 50
        runs.append(count / elapsed)
    return max(runs)


def measure(seconds: float) -> list[tuple[str, float, float, float]]:
    rows = []
    for name, case in CASES.items():
        model = api.parse_case(case)
        frozen = _frozen_case(model)
        calculator = _calculator(model)
        calculator_only = functools.partial(calculator, frozen)
        full_estimate = functools.partial(api.estimate, case)
        rows.append(
            (name, rate(calculator_only, seconds), rate(full_estimate, seconds), cold_ms(full_estimate))
        )
    return rows


def forget_everything() -> None:
    """Empty every process-wide table the rules keep (resolved parameters, explanation lines, labels,
    dates in words, JSON-ready bases): the next estimate is the first of its dates and lines."""
    params.forget_resolved()
    memo.forget_process_texts()
    for cached in (api._basis, api._document, parse_month, documents._requirement, messages.long_date):
        cached.cache_clear()


def cold_ms(function: Callable[[], object], calls: int = 200) -> float:
    """Milliseconds of CPU for one call made after :func:`forget_everything`, the best of ``calls``."""
    best = float("inf")
    for _ in range(calls):
        forget_everything()
        started = time.process_time()
        function()
        best = min(best, time.process_time() - started)
    return best * 1000


def _frozen_case(model: Any) -> Any:
    converters = {
        "JHT": api.to_jht_case,
        "JKM": api.to_jkm_case,
        "JKK": api.to_jkk_case,
        "JP": api.to_jp_case,
        "JKP": lambda m: jkp.JkpCase(**m.model_dump(exclude={"program"})),
    }
    return converters[model.program](model)


def _calculator(model: Any) -> Callable[[Any], object]:
    return {
        "JHT": jht.calculate,
        "JKM": jkm.calculate,
        "JKK": jkk.calculate,
        "JP": jp.calculate,
        "JKP": jkp.calculate,
    }[model.program]


BATCH_SIZE = 1000


def mixed_cases(count: int = BATCH_SIZE, seed: int = 15) -> list[dict[str, Any]]:
    """A list as the collective channel and the batch endpoint see one: mostly JHT separations of a few
    layoffs claimed on one of three days (each worker with their own balance, birth date and membership
    start), JKM deaths over 500 days (a third with children), a few JKK/JP/JKP cases and 3% invalid
    ones. Fixed seed: the same list every run."""
    rng = random.Random(seed)
    layoffs = [date(2026, 6, 30) - _days(rng.randrange(0, 400)) for _ in range(8)]
    claimed = [date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)]
    cases: list[dict[str, Any]] = []
    for index in range(count):
        draw = rng.random()
        if draw < 0.62:
            separation = rng.choice(layoffs)
            case: dict[str, Any] = {
                "program": "JHT",
                "reason": rng.choice(
                    ["resign", "phk", "phk", "end_of_contract", "retirement_age", "partial_10"]
                ),
                "separation_date": separation.isoformat(),
                "claim_date": rng.choice(claimed).isoformat(),
                "balance": rng.randrange(2_000_000, 400_000_000),
                "birth_date": date(
                    rng.randrange(1965, 2000), rng.randrange(1, 13), rng.randrange(1, 29)
                ).isoformat(),
                "membership_start": date(rng.randrange(2000, 2016), rng.randrange(1, 13), 1).isoformat(),
                "heir_is_spouse": rng.random() < 0.5,
            }
        elif draw < 0.92:
            death = date(2025, 1, 1) + _days(rng.randrange(0, 500))
            case = {
                "program": "JKM",
                "death_date": death.isoformat(),
                "claim_date": rng.choice(claimed).isoformat(),
                "contribution_months": rng.randrange(0, 240),
            }
            if rng.random() < 0.33:
                case["children"] = [
                    {"birth_date": date(rng.randrange(2008, 2024), 5, 1).isoformat(), "level": level}
                    for level in rng.sample(["sd", "smp", "sma", "tk"], rng.randrange(1, 3))
                ]
        else:
            case = dict(rng.choice([c for n, c in CASES.items() if not n.startswith(("JHT", "JKM"))]))
        if rng.random() < 0.03:
            case = {**case, rng.choice(["claim_date", "death_date", "balance"]): "2020-02-30"}
        cases.append(case)
        del index
    return cases


def _days(count: int) -> Any:
    from datetime import timedelta

    return timedelta(days=count)


def one_at_a_time(cases: list[dict[str, Any]]) -> list[Any]:
    answers = []
    for case in cases:
        try:
            answers.append(api.estimate(case))
        except RulesInputError as error:
            answers.append(error)
    return answers


def measure_batch(rounds: int = 15) -> dict[str, float]:
    """Microseconds of CPU per case, the best of ``rounds`` alternating runs of each way over the same list.

    CPU time of this process (``time.process_time``), not wall time, and the best run rather than the
    median: on a shared machine the wall clock counts the time other jobs hold the core, which swamped
    the difference measured here (medians of 5 wall-clock runs came out anywhere from 0.8x to 1.4x).
    """
    cases = mixed_cases()
    by_program = {p: [c for c in cases if c.get("program") == p] for p in ("JHT", "JKM")}
    assert [_comparable(a) for a in api.estimate_many(cases)] == [
        _comparable(a) for a in one_at_a_time(cases)
    ]
    times: dict[str, list[float]] = {
        "single": [],
        "batch": [],
        "single JHT": [],
        "single JKM": [],
        "batch JHT": [],
        "batch JKM": [],
    }
    for _ in range(rounds):
        for name, run in (
            ("single", lambda: one_at_a_time(cases)),
            ("batch", lambda: api.estimate_many(cases)),
            ("single JHT", lambda: one_at_a_time(by_program["JHT"])),
            ("single JKM", lambda: one_at_a_time(by_program["JKM"])),
            ("batch JHT", lambda: api.estimate_many(by_program["JHT"])),
            ("batch JKM", lambda: api.estimate_many(by_program["JKM"])),
        ):
            size = len(by_program[name[-3:]]) if name.endswith(("JHT", "JKM")) else len(cases)
            started = time.process_time()
            run()
            times[name].append((time.process_time() - started) / size * 1e6)
    return {name: min(values) for name, values in times.items()} | {
        "JHT cases": len(by_program["JHT"]),
        "JKM cases": len(by_program["JKM"]),
        "invalid": sum(isinstance(a, RulesInputError) for a in api.estimate_many(cases)),
        "distinct": len({json.dumps(c, sort_keys=True) for c in cases}),
    }


def _comparable(answer: Any) -> Any:
    return answer.as_dict() if isinstance(answer, RulesInputError) else answer


def cold_load_ms() -> float:
    load_parameters.cache_clear()
    started = time.perf_counter()
    load_parameters()
    return (time.perf_counter() - started) * 1000


def section(
    rows: list[tuple[str, float, float, float]], load_ms: float, seconds: float, batch: dict[str, float]
) -> str:
    single_ms = {name: 1000 / full for name, _calc, full, _cold in rows}
    over = [
        f"{name} ({ms:.2f} ms)"
        for name, ms in single_ms.items()
        if name.startswith(("JHT", "JKM")) and ms >= 0.3
    ]
    cold_over = [
        f"{name} ({cold:.2f} ms)"
        for name, _calc, _full, cold in rows
        if name.startswith(("JHT", "JKM")) and cold >= 0.3
    ]
    ratio = batch["single"] / batch["batch"]
    lines = [
        f"`bench/bench_rules.py`: single thread, CPU time of the process, best of 3 runs of {seconds / 3:.2f} s.",
        "Repeated calls of one case find its parameters and explanation lines remembered from the first;",
        "the last column is one call after emptying every such table (best of 200), i.e. a case whose dates",
        "and lines the process has not seen yet.",
        "",
        "| case | calculator only (calc/s) | `api.estimate` incl. validation + JSON (calc/s) "
        "| `api.estimate`, nothing remembered (ms) |",
        "|---|---:|---:|---:|",
        *(
            f"| {name} | {calc:,.0f} | {full:,.0f} ({1000 / full:.3f} ms) | {cold:.3f} |"
            for name, calc, full, cold in rows
        ),
        "",
        f"Loading and checking all parameter files once (cold, cached afterwards): {load_ms:.1f} ms.",
        "",
        "One JHT or JKM `api.estimate` under 0.3 ms: "
        + ("met by every case above" if not over else "not met by " + "; ".join(over))
        + (
            "; with nothing remembered also met."
            if not cold_over
            else "; with nothing remembered not met by " + "; ".join(cold_over) + "."
        ),
        "",
        f"Batch: {BATCH_SIZE:,} mixed cases ({batch['JHT cases']:.0f} JHT, {batch['JKM cases']:.0f} JKM, the rest "
        f"JKK/JP/JKP; {batch['invalid']:.0f} invalid), CPU time, best of 15 alternating runs of each way, same run:",
        "",
        "| path | CPU µs per case |",
        "|---|---:|",
        f"| `api.estimate` one at a time, JHT cases of the list | {batch['single JHT']:,.1f} |",
        f"| `api.estimate` one at a time, JKM cases of the list | {batch['single JKM']:,.1f} |",
        f"| `api.estimate` one at a time, the whole list | {batch['single']:,.1f} |",
        f"| `api.estimate_many` of the whole list | {batch['batch']:,.1f} |",
        f"| `api.estimate_many` of the JHT cases of the list | {batch['batch JHT']:,.1f} |",
        f"| `api.estimate_many` of the JKM cases of the list | {batch['batch JKM']:,.1f} |",
        "",
        f"The list holds {batch['distinct']:.0f} distinct cases (its JKK/JP/JKP entries repeat the five cases "
        "above; `estimate_many` computes a repeated case once). Per program, batch / one at a time: "
        f"JHT {batch['single JHT'] / batch['batch JHT']:.1f}x, JKM {batch['single JKM'] / batch['batch JKM']:.1f}x.",
        "",
        f"Batch / one at a time: **{ratio:.1f}x** faster per case (target ≥ 5x: {'met' if ratio >= 5 else 'not met'}).",
        f"Load average at the start: {LOAD_AT_START}; at the end: {_load()} (on {os.cpu_count()} cores).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=1.5, help="time per measurement (split in 3 runs)")
    parser.add_argument("--no-write", action="store_true", help="print only, leave RESULTS.md alone")
    arguments = parser.parse_args()
    load_ms = cold_load_ms()
    rows = measure(arguments.seconds)
    batch = measure_batch()
    text = section(rows, load_ms, arguments.seconds, batch)
    print(text)
    if not arguments.no_write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
