"""Booking burst: the moment a day's quota opens, over real HTTP, against the production server.

Creates its own PostgreSQL database (`lapakasik_bench_booking`), migrates it, seeds 300 seats
(50 one-to-many sessions × 6) and 2,000 participants each with a submitted claim and a logged-in
session, starts gunicorn (gthread) on a free 127.0.0.1 port, and fires 2,000 booking attempts at
once (one thread and one connection per attempt, released together by a barrier) at
POST /api/booking/bookings with session cookie + CSRF header. Then the same burst against /healthz
on the same server. Then, with the seats emptied again, wrk (Debian's package: `make bench-tools` installs
it, as root with apt-get, or names the `apt-get install wrk` to run; without it the run says so and skips this
part) holds 64 connections for 10 s on each endpoint, booking then /healthz, the way the issue measured it.
Writes the "## Booking burst" section of bench/RESULTS.md.

    .venv/bin/python bench/bench_booking.py [--attempts 2000] [--pg postgres://postgres@127.0.0.1:5432]
        [--db lapakasik_bench_booking] [--workers 4] [--threads 8]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import (  # noqa: E402
    free_port,
    manage,
    postgres_version,
    recreate_database,
    request,
    server_env,
    start_gunicorn,
    write_section,
)

DB = "lapakasik_bench_booking"
SECRET = "bench-only-secret-key-" + "x" * 40
SESSIONS, SEATS = 50, 6


def env(pg: str) -> dict[str, str]:
    # 2,000 different people, all from 127.0.0.1: the per-address limit of the opening moment
    # (booking/rate.py) would refuse all but 120 of them, as if they shared one network. It is off; the
    # per-account limit stays on (one attempt each here, a few each under wrk), so every attempt still
    # pays for its counter and the figures are the booking path with the limit, not its refusals.
    return server_env(pg, DB, SECRET, BOOKING_REQUESTS_PER_MINUTE_PER_ADDRESS="0")


def create_database(pg: str) -> None:
    recreate_database(pg, DB)
    manage(env(pg), "migrate", "-v0")


def seed(pg: str, people: int) -> tuple[list[tuple[str, str, str]], list[int]]:
    """People as (session cookie, csrf secret, claim number); session ids. Runs in this process."""
    os.environ.update(env(pg))
    import django

    django.setup()
    import datetime as dt

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session as WebSession
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from lapakasik.accounts.models import User
    from lapakasik.booking.models import BranchCalendar, Session
    from lapakasik.claims.models import Claim
    from lapakasik.lib.dates import at_local, today_at
    from lapakasik.registry.models import Branch, Participant, ServiceArea

    branch = Branch.objects.create(code="madiun", name="Kantor Cabang Madiun", time_zone="Asia/Jakarta")
    area = ServiceArea.objects.create(branch=branch, name="Madiun")
    BranchCalendar.objects.create(branch=branch)
    officers = [User.objects.create(username=f"cso{i}", role="cso", branch=branch) for i in range(SESSIONS)]
    day = today_at(branch.time_zone) + dt.timedelta(days=2)
    sessions = Session.objects.bulk_create(
        [
            Session(
                branch=branch,
                channel="offline",
                officer=officers[i],
                local_date=day,
                seats=SEATS,
                starts_at=at_local(day, dt.time(8), branch.time_zone) + dt.timedelta(minutes=10 * i),
                ends_at=at_local(day, dt.time(8), branch.time_zone) + dt.timedelta(minutes=10 * i + 30),
                room=get_random_string(24),
            )
            for i in range(SESSIONS)
        ]
    )
    participants = Participant.objects.bulk_create(
        [
            Participant(
                nik=f"3519{i:012d}",
                kpj=f"9{i:010d}",
                full_name=f"Bench {i}",
                birth_date=dt.date(1990, 1, 1),
                sex="M",
                region_id="35.19.08",
            )
            for i in range(people)
        ]
    )
    users = User.objects.bulk_create(
        [
            User(username=f"p{i}", role="participant", participant=p, password="!")
            for i, p in enumerate(participants)
        ]
    )
    now = timezone.now()
    claims = Claim.objects.bulk_create(
        [
            Claim(
                program="JHT",
                reason="resign",
                channel="online",
                status="submitted",
                participant=p,
                claimant=u,
                branch=branch,
                area=area,
                submitted_at=now,
                submitted_on=now.date(),
            )
            for p, u in zip(participants, users, strict=True)
        ]
    )
    store = SessionStore()
    expire = now + dt.timedelta(days=1)
    rows, people_out = [], []
    for user, claim in zip(users, claims, strict=True):
        key = get_random_string(32)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(WebSession(session_key=key, session_data=store.encode(data), expire_date=expire))
        people_out.append((key, get_random_string(32), claim.number))
    WebSession.objects.bulk_create(rows, batch_size=1000)
    return people_out, [s.pk for s in sessions]


def start_server(pg: str, port: int, workers: int, threads: int) -> subprocess.Popen:
    return start_gunicorn(env(pg), port, workers, threads, "--backlog=4096")


def burst(
    port: int, calls: list[tuple[str, str, bytes | None, dict]]
) -> tuple[list[tuple[int, float]], float]:
    """Every call in its own thread, released together: (status, seconds) each, and the wall time."""
    threading.stack_size(256 * 1024)
    barrier = threading.Barrier(len(calls) + 1)
    results: list[tuple[int, float]] = [(0, 0.0)] * len(calls)

    def run(i: int, call) -> None:
        barrier.wait()
        start = time.perf_counter()
        try:
            status, _ = request(port, *call)
        except OSError:
            status = -1  # connection refused or reset: counted as a failure
        results[i] = (status, time.perf_counter() - start)

    workers = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for w in workers:
        w.start()
    barrier.wait()
    start = time.perf_counter()
    for w in workers:
        w.join()
    return results, time.perf_counter() - start


def summary(results, wall: float) -> dict:
    latencies = sorted(t for _, t in results)
    statuses: dict[int, int] = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "n": len(results),
        "wall": wall,
        "rps": len(results) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(0.99 * (len(latencies) - 1))] * 1000,
        "statuses": dict(sorted(statuses.items())),
    }


WRK_SCRIPT = """
local calls, n = {}, 0
for line in io.lines(os.getenv("BENCH_CALLS")) do
  local cookie, csrf, body = line:match("([^\t]*)\t([^\t]*)\t(.*)")
  calls[#calls + 1] = {cookie = cookie, csrf = csrf, body = body}
end
function setup(thread) thread:set("offset", math.random(#calls)) end
function request()
  n = n + 1
  local c = calls[((offset or 0) + n) % #calls + 1]
  if c.body == "" then return wrk.format("GET", wrk.path) end
  return wrk.format("POST", wrk.path, {["Content-Type"] = "application/json", ["X-CSRFToken"] = c.csrf,
    ["Host"] = "127.0.0.1", ["Cookie"] = "sessionid=" .. c.cookie .. "; csrftoken=" .. c.csrf}, c.body)
end
"""


def wrk(port: int, path: str, calls: list[tuple[str, str, str]], seconds: int = 10, connections: int = 64):
    """wrk's own figures for one endpoint: requests/s, p99 (ms), non-2xx/3xx responses, socket errors."""
    with tempfile.TemporaryDirectory() as tmp:
        data, script = Path(tmp) / "calls.tsv", Path(tmp) / "calls.lua"
        data.write_text("".join(f"{c}\t{t}\t{b}\n" for c, t, b in calls))
        script.write_text(WRK_SCRIPT)
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}{path}",
            ],
            env={**os.environ, "BENCH_CALLS": str(data)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p99": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
        "non_2xx_3xx": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0,
        "socket_errors": sum(int(g) for g in errors.groups()) if errors else 0,
    }


def empty_seats() -> None:
    """Back to the moment the quota opens: no bookings, every seat free (the bench's own database)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM booking_bookingevent")
        cursor.execute("DELETE FROM booking_booking")
        cursor.execute("UPDATE booking_session SET seats_taken = 0, group_program = '', group_reason = ''")


def overbooking() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT count(*) FILTER (WHERE held > s.seats OR s.seats_taken > s.seats OR held <> s.seats_taken),
                   coalesce(sum(held), 0), sum(s.seats)
            FROM booking_session s
            LEFT JOIN LATERAL (SELECT count(*) AS held FROM booking_booking b
                               WHERE b.session_id = s.id AND b.status = 'booked') b ON true""")
        bad, held, seats = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM (SELECT claim_id FROM booking_booking WHERE status = 'booked' "
            "GROUP BY claim_id HAVING count(*) > 1) d"
        )
        doubled = cursor.fetchone()[0]
    return {"bad_sessions": bad, "held": int(held), "seats": int(seats), "claims_booked_twice": doubled}


def wrk_section(rows: dict, db: dict | None) -> str:
    if not rows:
        return "\n\nwrk is not installed (`make bench-tools`): the steady-load run was skipped."
    b, h = rows["booking"], rows["healthz"]
    return f"""

Steady load with wrk, seats emptied first (64 connections, 2 threads, 10 s per endpoint, same server):

| endpoint | requests/s | p99 (ms) | non-2xx/3xx | socket errors |
|---|---:|---:|---:|---:|
| `POST /api/booking/bookings` | {b["rps"]:.0f} | {b["p99"]:.0f} | {b["non_2xx_3xx"]:,} | {b["socket_errors"]} |
| `GET /healthz` | {h["rps"]:.0f} | {h["p99"]:.0f} | {h["non_2xx_3xx"]:,} | {h["socket_errors"]} |

Ratio booking / healthz under wrk: **{b["rps"] / h["rps"]:.2f}×** (target ≥ 0.5×, p99 ≤ 1 s). Non-2xx for the
booking are the 409s of people who find the seats gone (300 seats, thousands of attempts). After the wrk run:
sessions over capacity **{db["bad_sessions"] if db else "?"}**, claims holding two bookings
**{db["claims_booked_twice"] if db else "?"}**."""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--db", default=DB, help="the bench's own database (dropped and created)")
    args = parser.parse_args()
    globals()["DB"] = args.db
    load_before = os.getloadavg()[0]
    create_database(args.pg)
    people, session_ids = seed(args.pg, args.attempts)
    port = free_port()
    server = start_server(args.pg, port, args.workers, args.threads)
    try:
        rng = random.Random(2020)
        calls = []
        for cookie, csrf, number in people:
            body = json.dumps({"session_id": rng.choice(session_ids), "claim_number": number}).encode()
            headers = {
                "Content-Type": "application/json",
                "X-CSRFToken": csrf,
                "Host": "127.0.0.1",
                "Cookie": f"sessionid={cookie}; csrftoken={csrf}",
            }
            calls.append(("POST", "/api/booking/bookings", body, headers))
        request(port, "GET", "/healthz")  # warm every worker a little before the burst
        booking = summary(*burst(port, calls))
        health = summary(*burst(port, [("GET", "/healthz", None, {}) for _ in range(args.attempts)]))
        db = overbooking()
        wrk_rows = {}
        if not shutil.which("wrk"):
            print(
                "wrk is not installed: `make bench-tools` (or `apt-get install wrk`) for the steady-load run",
                file=sys.stderr,
            )
        else:
            empty_seats()
            wrk_calls = [(c, t, call[2].decode()) for (c, t, _n), call in zip(people, calls, strict=True)]
            wrk_rows["booking"] = wrk(port, "/api/booking/bookings", wrk_calls)
            wrk_db = overbooking()
            wrk_rows["healthz"] = wrk(port, "/healthz", [("", "", "")])
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(json.dumps({"booking": booking, "healthz": health, "db": db, "wrk": wrk_rows}, indent=2))
    fivexx = sum(n for s, n in booking["statuses"].items() if s >= 500 or s < 0)
    body = f"""`bench/bench_booking.py`: {args.attempts:,} booking attempts released at once (one thread and one
connection each) for {SESSIONS * SEATS} seats ({SESSIONS} one-to-many sessions × {SEATS}), each a different participant
with a submitted claim, logged in (session cookie) and sending the CSRF header, at `POST /api/booking/bookings`;
gunicorn gthread {args.workers} workers × {args.threads} threads on 127.0.0.1, {postgres_version(args.pg)}
on the same machine. Then the same burst at `/healthz` (no database) on the same server in the same run.

| endpoint | requests | wall (s) | throughput (req/s) | p50 (ms) | p99 (ms) | statuses |
|---|---:|---:|---:|---:|---:|---|
| `POST /api/booking/bookings` | {booking["n"]:,} | {booking["wall"]:.2f} | {booking["rps"]:.0f} | {booking["p50"]:.0f} | {booking["p99"]:.0f} | {booking["statuses"]} |
| `GET /healthz` | {health["n"]:,} | {health["wall"]:.2f} | {health["rps"]:.0f} | {health["p50"]:.0f} | {health["p99"]:.0f} | {health["statuses"]} |

Ratio booking / trivial endpoint: throughput {booking["rps"] / health["rps"]:.2f}×, p50 latency
{booking["p50"] / health["p50"]:.1f}×. Seats held after the burst: {db["held"]} of {db["seats"]};
sessions over capacity or with a seat count that disagrees with their bookings: **{db["bad_sessions"]}**;
claims holding two bookings: **{db["claims_booked_twice"]}**; 5xx or dropped connections: **{fivexx}**.
Latencies include waiting in the listen backlog: 2,000 clients arrive at once at {args.workers * args.threads}
server threads, which is what a quota opening looks like. Load average on the machine (shared with other
work) at start / end: {load_before:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.{wrk_section(wrk_rows, locals().get("wrk_db"))}"""
    write_section("Booking burst", body)


if __name__ == "__main__":
    main()
