"""Calculations per second of the pure benefit-law package, per program.

Run: .venv/bin/python bench/bench_rules.py [--seconds 1.0]
Measures two layers for each program: the calculator on a ready frozen case (``jht.calculate``…)
and the full ``api.estimate`` (pydantic validation + calculation + JSON-ready dump), which is what
the CLI, API and public page pay. Writes/replaces the "## Rules calculator" section of
bench/RESULTS.md and leaves every other section alone.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from statistics import median
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import write_section  # noqa: E402

from lapakasik.rules import api, jht, jkk, jkm, jkp, jp  # noqa: E402
from lapakasik.rules.dates import add_months  # noqa: E402
from lapakasik.rules.params import load_parameters  # noqa: E402

SECTION = "Rules calculator"


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
    """Calls per second: the median of three timed runs of about ``seconds / 3`` each."""
    function()  # warm the parameter cache
    runs = []
    for _ in range(3):
        count, started = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds / 3:
            for _ in range(50):
                function()
            count += 50
        runs.append(count / elapsed)
    return median(runs)


def measure(seconds: float) -> list[tuple[str, float, float]]:
    rows = []
    for name, case in CASES.items():
        model = api.parse_case(case)
        frozen = _frozen_case(model)
        calculator = _calculator(model)
        calculator_only = functools.partial(calculator, frozen)
        full_estimate = functools.partial(api.estimate, case)
        rows.append((name, rate(calculator_only, seconds), rate(full_estimate, seconds)))
    return rows


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


def cold_load_ms() -> float:
    load_parameters.cache_clear()
    started = time.perf_counter()
    load_parameters()
    return (time.perf_counter() - started) * 1000


def section(rows: list[tuple[str, float, float]], load_ms: float, seconds: float) -> str:
    lines = [
        f"`bench/bench_rules.py`: single thread, median of 3 runs of {seconds / 3:.2f} s.",
        "",
        "| case | calculator only (calc/s) | `api.estimate` incl. validation + JSON (calc/s) |",
        "|---|---:|---:|",
        *(f"| {name} | {calc:,.0f} | {full:,.0f} |" for name, calc, full in rows),
        "",
        f"Loading and checking all parameter files once (cold, cached afterwards): {load_ms:.1f} ms.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=1.5, help="time per measurement (split in 3 runs)")
    parser.add_argument("--no-write", action="store_true", help="print only, leave RESULTS.md alone")
    arguments = parser.parse_args()
    load_ms = cold_load_ms()
    rows = measure(arguments.seconds)
    text = section(rows, load_ms, arguments.seconds)
    print(text)
    if not arguments.no_write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
