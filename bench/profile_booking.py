"""Booking burst, in process: CPU and queries per request of POST /api/booking/bookings against /healthz.

No server and no threads, so it can run on a shared machine (the burst itself is bench_booking.py's, on an
idle one). Seeds bench_booking's fixture into its own PostgreSQL database, then drives the WSGI handler the
way gunicorn does (one environ per request, session cookie and CSRF header) through three kinds of booking
request — a seat taken (201), the session full (409), the same request again (201, the booking returned) —
and /healthz. Prints, per kind: queries per request, CPU (process_time) per request, and with --profile the
top of a cProfile of the seat-taking requests.

    .venv/bin/python bench/profile_booking.py [--pg postgres://postgres@127.0.0.1:5432] [--db lapakasik_profile_booking]
        [--people 600] [--profile] [--reuse]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_booking  # noqa: E402


def environ(method: str, path: str, body: bytes = b"", cookie: str = "", csrf: str = "") -> dict:
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if body:
        env.update(CONTENT_TYPE="application/json", CONTENT_LENGTH=str(len(body)))
    if cookie:
        env.update(HTTP_COOKIE=f"sessionid={cookie}; csrftoken={csrf}", HTTP_X_CSRFTOKEN=csrf)
    return env


def run(app, calls, *, profile: cProfile.Profile | None = None, show_sql: bool = False) -> dict:
    from django.db import connection

    statuses: dict[str, int] = {}
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        if show_sql and not statuses:  # the first request's statements
            print("   ", sql[:300], file=sys.stderr)
        return execute(sql, params, many, context)

    start_cpu, start_wall = time.process_time(), time.perf_counter()
    with connection.execute_wrapper(count):  # cheaper than CaptureQueriesContext's debug cursor
        for call in calls:
            if profile:
                profile.enable()
            out = []
            chunks = app(environ(*call), lambda status, headers, _out=out: _out.append(status))
            b"".join(chunks)
            if hasattr(chunks, "close"):
                chunks.close()
            if profile:
                profile.disable()
            statuses[out[0][:3]] = statuses.get(out[0][:3], 0) + 1
    cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
    n = len(calls)
    return {
        "n": n,
        "statuses": statuses,
        "queries_per_request": round(queries / n, 2),
        "cpu_ms_per_request": round(cpu / n * 1000, 3),
        "wall_ms_per_request": round(wall / n * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="lapakasik_profile_booking")
    parser.add_argument("--people", type=int, default=600)
    parser.add_argument("--profile", action="store_true", help="cProfile each kind (CPU time), print the top")
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument(
        "--sql", action="store_true", help="print the statements of each kind's first request"
    )
    parser.add_argument("--log-level", default="ERROR", help="LOG_LEVEL, as the bench's server runs")
    args = parser.parse_args()
    bench_booking.DB = args.db
    os.environ["LOG_LEVEL"] = args.log_level
    bench_booking.create_database(args.pg)
    people, session_ids = bench_booking.seed(args.pg, args.people)
    os.environ["DB_CONN_MAX_AGE"] = "60"
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    rng = random.Random(2020)
    # Every session gets its seats taken first, in turn; the rest of the people find them full.
    seats = bench_booking.SESSIONS * bench_booking.SEATS
    calls = []
    for i, (cookie, csrf, number) in enumerate(people):
        session = session_ids[i % len(session_ids)] if i < seats else rng.choice(session_ids)
        body = json.dumps({"session_id": session, "claim_number": number}).encode()
        calls.append(("POST", "/api/booking/bookings", body, cookie, csrf))
    health = [("GET", "/healthz")] * 300
    run(app, health[:20])  # imports, URL resolver, first connection
    # Profiles count CPU time (process_time), not waiting for the database.
    profiles = {
        kind: cProfile.Profile(time.process_time) for kind in ("seat_taken", "session_full", "same_again")
    }
    chosen = profiles if args.profile else {}
    results = {
        "load_average": os.getloadavg(),
        "healthz": run(app, health),
        "seat_taken": run(app, calls[:seats], profile=chosen.get("seat_taken"), show_sql=args.sql),
        "session_full": run(app, calls[seats:], profile=chosen.get("session_full"), show_sql=args.sql),
        "same_again": run(app, calls[:seats], profile=chosen.get("same_again"), show_sql=args.sql),
        "healthz_after": run(app, health),
    }
    print(json.dumps(results, indent=2))
    for kind, profile in chosen.items():
        for order in ("cumulative", "tottime"):
            stream = io.StringIO()
            pstats.Stats(profile, stream=stream).sort_stats(order).print_stats(args.lines)
            print(f"==== {kind} by {order}\n{stream.getvalue()}")


if __name__ == "__main__":
    main()
