"""Reports at national scale: 10 million paid claims across 350 branches on PostgreSQL.

    .venv/bin/python bench/bench_reporting.py [--claims 10000000] [--keep]

Creates its own database (`lapakasik_bench`, dropped at the end unless --keep), generates the claims
server-side with generate_series, builds the rollups with `rebuild_rollups()`, then times the branch
report and the national report through our code path (rollups) and as the direct aggregate over the
claims table, in the same run, and writes the "## Reporting" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import postgres_version, write_section  # noqa: E402

SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
NAME = "lapakasik_bench"
BRANCHES, OFFICES, AREAS = 350, 11, 4
FROM, TO = dt.date(2020, 1, 1), dt.date(2020, 7, 23)
HISTORY_START, HISTORY_DAYS = dt.date(2019, 1, 1), 730


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", f"{SERVER}/{db}", "-qc", sql], check=True)


def timed(label: str, fn) -> float:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.1f} s", flush=True)
    return seconds


def median_ms(fn, runs: int = 15) -> float:
    fn()  # warm the cache and the connection
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def filler_columns(cursor) -> tuple[str, str]:
    """Other NOT NULL columns of claims_claim without a database default get a neutral value."""
    known = {
        "id",
        "number",
        "program",
        "reason",
        "channel",
        "status",
        "participant_id",
        "branch_id",
        "area_id",
        "created_at",
        "submitted_on",
        "paid_on",
        "amount_paid",
    }
    cursor.execute("""SELECT column_name, data_type FROM information_schema.columns
                      WHERE table_name = 'claims_claim' AND is_nullable = 'NO' AND column_default IS NULL""")
    neutral = {
        "boolean": "false",
        "jsonb": "'{}'::jsonb",
        "integer": "0",
        "bigint": "0",
        "smallint": "0",
        "date": "'2019-01-01'",
        "timestamp with time zone": "now()",
    }
    extra = [(c, neutral.get(t, "''")) for c, t in cursor.fetchall() if c not in known]
    return "".join(f", {c}" for c, _ in extra), "".join(f", {v}" for _, v in extra)


def generate(claims: int) -> None:
    from django.db import connection

    from lapakasik.registry.models import Branch, Participant, ServiceArea

    Branch.objects.bulk_create(
        [
            Branch(
                code=f"kc{n:03d}",
                name=f"Kantor Cabang {n:03d}",
                regional_office=f"Wilayah {n % OFFICES + 1:02d}",
            )
            for n in range(BRANCHES)
        ]
    )
    ServiceArea.objects.bulk_create(
        [
            ServiceArea(branch=b, name=f"Area {k}", position=k)
            for b in Branch.objects.order_by("id")
            for k in range(AREAS)
        ]
    )
    person = Participant.objects.create(
        nik="3519084507880003",
        kpj="19001234567",
        full_name="Bench",
        birth_date=dt.date(1988, 7, 5),
        sex="F",
        region_id="35.19",
    )
    with connection.cursor() as cursor:
        columns, values = filler_columns(cursor)
        cursor.execute(
            "CREATE TEMP TABLE bench_area AS SELECT dense_rank() OVER (ORDER BY b.id) - 1 AS n, "
            "b.id AS branch_id, a.id AS area_id, a.position FROM registry_branch b "
            "JOIN registry_servicearea a ON a.branch_id = b.id"
        )
        cursor.execute("CREATE INDEX ON bench_area (n, position)")
        # The generated rows reference rows just created: skip the per-row foreign-key triggers.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            f"""
            INSERT INTO claims_claim (number, program, reason, channel, status, participant_id, branch_id, area_id,
                                      created_at, submitted_on, paid_on, amount_paid{columns})
            SELECT 'B' || lpad(g::text, 12, '0'), p.program, p.reason,
                   (ARRAY['online', 'offline', 'collective'])[g %% 3 + 1], 'paid', %s, a.branch_id, a.area_id, now(),
                   DATE %s + ((g * 31) %% {HISTORY_DAYS})::int - (g %% 20)::int, DATE %s + ((g * 31) %% {HISTORY_DAYS})::int,
                   1000000 + (g * 7919) %% 50000000{values}
            FROM generate_series(1::bigint, %s) g
            CROSS JOIN LATERAL (SELECT CASE WHEN g %% 100 < 45 THEN 'JHT' WHEN g %% 100 < 80 THEN 'JHT'
                   WHEN g %% 100 < 88 THEN 'JKM' WHEN g %% 100 < 95 THEN 'JKK' ELSE 'JP' END AS program,
                   CASE WHEN g %% 100 < 45 THEN 'resign' WHEN g %% 100 < 80 THEN 'phk' WHEN g %% 100 < 88 THEN 'death'
                   WHEN g %% 100 < 95 THEN 'accident' ELSE 'old_age_lump_sum' END AS reason) p
            JOIN bench_area a ON a.n = g %% {BRANCHES} AND a.position = (g / {BRANCHES}) %% {AREAS}
        """,  # noqa: S608 (our own constants and column list; values are bound)
            [person.id, HISTORY_START, HISTORY_START, claims],
        )
        cursor.execute("SET session_replication_role = DEFAULT")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=10_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database for inspection")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{SERVER}/{NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapakasik.settings")
    psql(f"DROP DATABASE IF EXISTS {NAME}")
    psql(f"CREATE DATABASE {NAME}")
    try:
        run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            psql(f"DROP DATABASE IF EXISTS {NAME}")


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from lapakasik.registry.models import Branch
    from lapakasik.reporting.queries import (
        claims_paid_report,
        claims_paid_report_direct,
        national_report,
        national_report_direct,
    )
    from lapakasik.reporting.rollup import rebuild_rollups

    timed("migrate", lambda: call_command("migrate", verbosity=0))
    generate_s = timed(f"generate {args.claims:,} claims", lambda: generate(args.claims))
    rollup_s = timed("rebuild rollups", rebuild_rollups)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM reporting_paiddaily), (SELECT COUNT(*) FROM reporting_paidcell), "
            "(SELECT COUNT(*) FROM reporting_paidoffice), (SELECT COUNT(*) FROM claims_claim "
            "WHERE paid_on BETWEEN %s AND %s)",
            [FROM, TO],
        )
        daily_rows, cell_rows, office_rows, in_period = cursor.fetchone()
    branch = Branch.objects.get(code="kc017")
    assert claims_paid_report(branch, FROM, TO) == claims_paid_report_direct(branch, FROM, TO)
    assert national_report(FROM, TO) == national_report_direct(FROM, TO)
    figures = {
        "branch": (
            median_ms(lambda: claims_paid_report(branch, FROM, TO)),
            median_ms(lambda: claims_paid_report_direct(branch, FROM, TO)),
        ),
        "national": (
            median_ms(lambda: national_report(FROM, TO)),
            median_ms(lambda: national_report_direct(FROM, TO), runs=5),
        ),
    }
    for name, (ours, direct) in figures.items():
        print(f"{name}: rollup {ours:.2f} ms, direct {direct:.1f} ms", flush=True)
    write_section(
        "Reporting",
        f"""
`bench/bench_reporting.py` on {postgres_version(SERVER + "/postgres")}: {args.claims:,} paid claims across
{BRANCHES} branches ({AREAS} areas each, {OFFICES} regional offices), paid over {HISTORY_DAYS} days from
{HISTORY_START}; {in_period:,} of them in the report period {FROM} – {TO} (7 months). Generated server-side
in {generate_s:.0f} s; `rebuild_rollups()` in {rollup_s:.0f} s → {daily_rows:,} `PaidDaily`, {cell_rows:,}
`PaidCell`, {office_rows:,} `PaidOffice` rows. Times are the median of 15 calls (5 for the direct
national aggregate) through the Django code path, after one warm-up call; both paths return identical
reports (asserted).

| report (7 months) | from the rollups (ms) | direct aggregate over claims (ms) |
|---|---:|---:|
| branch: program × area, one branch (`claims_paid_report`) | {figures["branch"][0]:.2f} | {figures["branch"][1]:.1f} |
| national: program × regional office (`national_report`) | {figures["national"][0]:.2f} | {figures["national"][1]:.1f} |

The rollup path reads whole months plus the edge days of the period (6 month rows + 23 day rows per
cell), so its cost depends on the period and the number of cells, not on the number of claims.
""",
    )


if __name__ == "__main__":
    main()
