"""Pages under load: 50 concurrent users (locust) on the demo, against gunicorn + PostgreSQL.

Creates its own PostgreSQL database (`lapakasik_bench_pages`), loads the Madiun 2020 demo into it
(11,729 paid claims, today's sessions), starts the production server (gunicorn gthread) on a free port,
logs the demo's participant, officer and branch head in (staff past their second factor), warms every
page once per worker, then runs locust headless with bench/locustfile.py's mix: 25 participants (their
claims, their sessions), 20 officers (the queue with every filter, search, sort and deep pages; a claim;
the sessions), 5 branch heads (the dashboard of the Madiun 2020 period). Targets (issue 19): p95 ≤ 150 ms
overall and 0 errors; every queue view ≤ 100 ms at p95. Writes "## Pages under load" in RESULTS.md.

    make bench-tools   # once: installs locust (bench/requirements.txt)
    .venv/bin/python bench/bench_pages.py [--users 50] [--seconds 60] [--pg postgres://postgres@127.0.0.1:5432]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import common  # noqa: E402

DB = "lapakasik_bench_pages"
SECRET = "bench-only-secret-key-" + "p" * 40
WORKERS, THREADS = 4, 8


def env(pg: str) -> dict[str, str]:
    return common.server_env(pg, DB, SECRET)


def load_demo(pg: str) -> None:
    common.recreate_database(pg, DB)
    for step in (["migrate", "-v0"], ["demo", "load"], ["booking", "generate-sessions"]):
        common.manage(env(pg), *step, quiet=True)


def plan(pg: str) -> dict:
    """Session cookies for the three roles and the pages each visits, from the loaded demo."""
    os.environ.update(env(pg))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lapakasik.accounts.models import User
    from lapakasik.claims.models import Claim

    def session_for(username: str) -> str:
        user = User.objects.get(username=username)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store.create()
        return store.session_key

    mine = list(Claim.objects.filter(claimant__username="peserta").values_list("number", flat=True))
    paid = list(
        Claim.objects.filter(branch__code="madiun", status="paid").values_list("number", flat=True)[:200]
    )
    queue = [
        ("/console/klaim/", "queue: default"),
        ("/console/klaim/?status=paid", "queue: paid (11,729)"),
        ("/console/klaim/?status=paid&page=40", "queue: paid, page 40"),
        ("/console/klaim/?status=paid&sort=-amount", "queue: paid by amount"),
        ("/console/klaim/?status=all&program=JKM", "queue: all JKM"),
        ("/console/klaim/?status=all&q=siti", "queue: search a name"),
        ("/console/klaim/?status=all&q=3519084507880003", "queue: search a NIK"),
        ("/console/klaim/?age=overdue", "queue: overdue"),
        ("/console/klaim/?sla=risk", "queue: SLA at risk"),
    ]
    return {
        "cookies": {
            "participant": session_for("peserta"),
            "officer": session_for("cso"),
            "branch_head": session_for("kepalacabang"),
        },
        "pages": {
            "participant_claims": [("/klaim/", "participant: my claims")]
            + [(f"/klaim/{n}/", "participant: a claim") for n in mine],
            "participant_sessions": [("/jadwal/", "participant: my sessions")],
            "queue": queue,
            "officer_claim": [(f"/console/klaim/{n}/", "officer: a claim") for n in paid],
            "officer_sessions": [("/console/sesi/", "officer: today's sessions")],
            "dashboard": [
                (
                    "/console/dashboard/?from=2020-01-01&to=2020-07-23",
                    "branch head: dashboard, Madiun 2020",
                )
            ],
        },
    }


def start_server(pg: str, port: int) -> subprocess.Popen:
    # A keep-alive longer than the users' think time: no race with a closing idle connection.
    return common.start_gunicorn(env(pg), port, WORKERS, THREADS, "--keep-alive=5", tries=150)


def warm(port: int, the_plan: dict) -> None:
    """Each worker's first dashboard, queue and claim page loads calendars and parameter files once."""
    for role, group in (
        ("branch_head", "dashboard"),
        ("officer", "queue"),
        ("officer", "officer_claim"),
        ("participant", "participant_claims"),
    ):
        cookie = {"Cookie": f"sessionid={the_plan['cookies'][role]}", "Accept-Language": "id"}
        for url, _name in the_plan["pages"][group][:10]:
            for _ in range(WORKERS * 2):
                status, _body = common.request(port, "GET", url, headers=cookie)
                if status != 200:
                    raise SystemExit(f"warm-up: {url} answered {status}")


def run_locust(port: int, plan_path: Path, users: int, seconds: int, out: Path) -> list[dict]:
    subprocess.run(
        [
            str(ROOT / ".venv/bin/locust"),
            "-f",
            str(ROOT / "bench/locustfile.py"),
            "--headless",
            f"--users={users}",
            f"--spawn-rate={users}",
            f"--run-time={seconds}s",
            f"--host=http://127.0.0.1:{port}",
            f"--csv={out}",
            "--only-summary",
            "--loglevel=WARNING",
        ],
        env={**os.environ, "LAPAKASIK_BENCH_PLAN": str(plan_path)},
        cwd=ROOT,
        check=False,  # locust exits 1 when any request failed: the table says how many
    )
    with open(f"{out}_stats.csv", encoding="utf-8") as stats:
        return list(csv.DictReader(stats))


def table(rows: list[dict]) -> str:
    lines = [
        "| page | requests | failures | median (ms) | p95 (ms) | p99 (ms) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "**all pages**" if row["Name"] == "Aggregated" else row["Name"]
        lines.append(
            f"| {name} | {int(row['Request Count']):,} | {int(row['Failure Count']):,} | "
            f"{row['50%']} | {row['95%']} | {row['99%']} |"
        )
    return "\n".join(lines)


def verdict(rows: list[dict]) -> str:
    total = next(r for r in rows if r["Name"] == "Aggregated")
    p95, failures = int(total["95%"]), int(total["Failure Count"])
    queue_p95 = max(int(r["95%"]) for r in rows if r["Name"].startswith("queue:"))
    return (
        f"All pages p95 **{p95} ms** (target ≤ 150 ms: {'met' if p95 <= 150 else 'not met'}); "
        f"failures **{failures}** (target 0: {'met' if failures == 0 else 'not met'}); "
        f"the slowest queue view p95 **{queue_p95} ms** (target ≤ 100 ms: "
        f"{'met' if queue_p95 <= 100 else 'not met'})."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    if not (ROOT / ".venv/bin/locust").exists():
        raise SystemExit("locust is missing: run `make bench-tools` (installs bench/requirements.txt)")
    load_started = time.perf_counter()
    load_demo(args.pg)
    load_seconds = time.perf_counter() - load_started
    the_plan = plan(args.pg)
    port = common.free_port()
    server = start_server(args.pg, port)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            plan_path = Path(tmp) / "plan.json"
            plan_path.write_text(json.dumps(the_plan), encoding="utf-8")
            warm(port, the_plan)
            load_before = os.getloadavg()
            rows = run_locust(port, plan_path, args.users, args.seconds, Path(tmp) / "locust")
            load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)
    body = f"""`bench/bench_pages.py` — {args.users} concurrent users (locust {_locust_version()}, think time
0.5–2 s) for {args.seconds} s on the Madiun 2020 demo (loaded into PostgreSQL in {load_seconds:.0f} s), against
gunicorn gthread {WORKERS} workers × {THREADS} threads on 127.0.0.1; {common.postgres_version(args.pg)} on the same
machine, and locust too. Mix: 25 participants, 20 officers, 5 branch heads; every page warmed once per worker.

{table(rows)}

{verdict(rows)}
Load average at the start: {_load(load_before)}; at the end: {_load(load_after)} (on {os.cpu_count()} cores).
"""
    common.write_section("Pages under load", body)
    print(body)


def _load(avg: tuple[float, float, float]) -> str:
    return ", ".join(f"{x:.1f}" for x in avg)


def _locust_version() -> str:
    out = subprocess.run([str(ROOT / ".venv/bin/locust"), "--version"], capture_output=True, text=True)
    return out.stdout.split()[1] if out.stdout else "?"


if __name__ == "__main__":
    main()
