"""How long `make setup` takes to load the whole demo into the embedded SQLite database (target ≤ 15 s).

Runs the real commands in a fresh var/ directory: migrate (with the 7,837 Kemendagri regions), then
`demo load` (registry + 11,729 paid claims through the history import). For scale, the same run
times a raw executemany of the same number of claim-sized rows into a bare SQLite table.

    .venv/bin/python bench/bench_demo_load.py
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and the step's own CPU seconds (on a shared machine the wall clock counts others' turns)."""
    started, cpu_before = time.perf_counter(), _children_cpu()
    subprocess.run(
        [sys.executable, "-m", "lapakasik", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def raw_insert_seconds(path: Path, rows: int) -> float:
    db = sqlite3.connect(path)
    db.execute(
        "create table claim (id integer primary key, program text, reason text, channel text, "
        "participant_id int, branch_id int, area_id int, submitted_on text, paid_on text, amount int)"
    )
    data = [("JHT", "phk", "online", i, 1, 1, "2020-04-01", "2020-04-08", 5_000_000 + i) for i in range(rows)]
    started = time.perf_counter()
    with db:
        db.executemany(
            "insert into claim (program, reason, channel, participant_id, branch_id, area_id, "
            "submitted_on, paid_on, amount) values (?,?,?,?,?,?,?,?,?)",
            data,
        )
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "LAPAKASIK_VAR_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            # As the Makefile runs every step: bytecode cached (a warm cache, as after make setup's first step).
            "PYTHONDONTWRITEBYTECODE": "",
            "PYTHONPYCACHEPREFIX": str(ROOT / "var" / "pycache"),
        }
        timed(["check"], env)  # fills the bytecode cache, as `make setup`'s migrate does before demo load
        migrate = timed(["migrate", "--no-input"], env)
        load = timed(["demo", "load"], env)
        again = timed(["demo", "load"], env)
        raw = raw_insert_seconds(Path(tmp) / "raw.sqlite3", 11_729)
    body = f"""`bench/bench_demo_load.py` — the demo as `make setup` loads it (each step a fresh process).

| step | wall (s) | CPU (s) |
|---|---:|---:|
| migrate (schema + 7,837 regions) | {migrate[0]:.2f} | {migrate[1]:.2f} |
| `demo load` (registry, 11,729 paid claims + audit events, users) | {load[0]:.2f} | {load[1]:.2f} |
| `demo load` again (idempotent: finds it loaded) | {again[0]:.2f} | {again[1]:.2f} |
| raw `executemany` of 11,729 claim-sized rows into a bare table | {raw:.3f} | |

Target ≤ 5 s for the demo load (issue 19): {"met" if load[0] <= 5 else "NOT met"} on the wall clock,
{"met" if load[1] <= 5 else "NOT met"} on its CPU time. Process start-up (Django
setup, bytecode cached as the Makefile's steps have it) is included in each step.
Load average at the end: {", ".join(f"{x:.1f}" for x in os.getloadavg())} (on {os.cpu_count()} cores)."""
    write_section("Demo load (SQLite)", body)
    print(body)


if __name__ == "__main__":
    main()
