"""`make cluster-check`: the product on several nodes, on loopback, from Debian packages.

Starts HAProxy in front of two gunicorn nodes, PgBouncer in front of a PostgreSQL primary and its streaming
replica (own data directories under var/cluster/, made with initdb and pg_basebackup), Redis for the shared
cache, and two `python -m lapakasik worker` processes. Loads the demo, then drives the demo journeys through
HAProxy for DURATION seconds (participants identify, start, upload, submit and book; the CSO starts and
verifies, the supervisor approves, finance prepares payment batches, the branch head reads reports), kills
one web node with SIGKILL halfway, checks that every write the server acknowledged is in the primary, stops
everything it started (also on an error or Ctrl-C), and prints one JSON summary as its last line:

  {"nodes": 2, "requests": N, "server_errors": N, "node_killed": true, "lost_writes": N,
   "replica_reads": N, "p95_ms": N}

Exit status 0 only with no server error, no lost write, the node killed and at least MIN_REQUESTS requests.

    .venv/bin/python scripts/cluster_check.py [--duration 70] [--people 400] [--keep-data]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import glob
import http.client
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "cluster"
PY = str(ROOT / ".venv" / "bin" / "python")
DB = "lapakasik"
MIN_REQUESTS = 1000
PARTICIPANT_THREADS = 10
SECRET = "cluster-check-only-secret-key-" + "x" * 40
PASSWORD = "Klaster-Uji-2026!"  # noqa: S105 — the load run's own accounts (passes the password validators)
DEMO_PASSWORD = "lapakasik-demo"  # noqa: S105 — the demo's staff (demo/loader.py)
BRANCH = "madiun"
log_lock = threading.Lock()


def say(message: str) -> None:
    with log_lock:
        print(f"[cluster] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the summary (tested in cli/tests)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summarize(statuses: list[int], latencies_ms: list[float], node_killed: bool, lost: int, replica: int):
    """The last line's object: 5xx and dropped connections (status -1) count as server errors."""
    return {
        "nodes": 2,
        "requests": len(statuses),
        "server_errors": sum(1 for s in statuses if s >= 500 or s < 0),
        "node_killed": node_killed,
        "lost_writes": lost,
        "replica_reads": replica,
        "p95_ms": round(percentile(latencies_ms, 0.95)),
    }


def exit_status(summary: dict[str, Any]) -> int:
    ok = (
        summary["server_errors"] == 0
        and summary["lost_writes"] == 0
        and summary["node_killed"] is True
        and summary["requests"] >= MIN_REQUESTS
    )
    return 0 if ok else 1


# ---------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {seconds:.0f} s")


def as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL and PgBouncer refuse to run as root: there they run as the `postgres` user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass
class Stack:
    """Everything this run started, stopped in reverse order whatever happens."""

    procs: list[tuple[str, subprocess.Popen]] = field(default_factory=list)
    pg_dirs: list[Path] = field(default_factory=list)

    def spawn(
        self, name: str, cmd: list[str], env: dict | None = None, group: bool = False
    ) -> subprocess.Popen:
        out = open(VAR / "logs" / f"{name}.log", "ab")  # noqa: SIM115 — kept open for the process's life
        proc = subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=group
        )
        self.procs.append((name, proc))
        return proc

    def stop(self) -> None:
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                self._terminate(name, proc)
        for data in reversed(self.pg_dirs):
            subprocess.run(as_postgres([pg_bin("pg_ctl"), "stop", "-D", str(data), "-m", "fast", "-w"]),
                           capture_output=True)  # fmt: skip

    @staticmethod
    def _terminate(name: str, proc: subprocess.Popen) -> None:
        try:
            os.killpg(proc.pid, signal.SIGTERM) if _own_group(proc) else proc.terminate()
            proc.wait(timeout=20)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            proc.kill()
        say(f"stopped {name}")


def _own_group(proc: subprocess.Popen) -> bool:
    try:
        return os.getpgid(proc.pid) == proc.pid
    except ProcessLookupError:
        return False


# ---------------------------------------------------------------- PostgreSQL primary + replica


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError(f"{name} not found under /usr/lib/postgresql (Debian package postgresql)")
    return found[-1]


def run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, cwd=ROOT, **kwargs)


def prepare_dirs(reuse: bool) -> bool:
    """A fresh var/cluster/, or with ``reuse`` the primary of a kept run (migrated, demo loaded)."""
    reusing = reuse and (VAR / "primary" / "PG_VERSION").exists()
    for path in VAR.glob("*") if VAR.exists() else []:
        if not (reusing and path.name == "primary"):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    for sub in ("logs", "run", "media", "mail"):
        (VAR / sub).mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(VAR / "run", "postgres")
        shutil.chown(VAR / "logs", "postgres")
    return reusing


def pg_conf(port: int) -> str:
    return f"""
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{VAR / "run"}'
max_connections = 200
shared_buffers = 128MB
shared_preload_libraries = 'pg_stat_statements'
wal_level = replica
hot_standby = on
max_wal_senders = 5
"""


def postgres_dir(name: str) -> Path:
    data = VAR / name
    data.mkdir(mode=0o700)
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    return data


def start_primary(stack: Stack, port: int, reusing: bool) -> Path:
    data = VAR / "primary"
    if reusing:
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(f"port = {port}\n")
        pg_start(stack, data)
        return data
    postgres_dir("primary")
    run(as_postgres([pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
        stdout=subprocess.DEVNULL)  # fmt: skip
    with open(data / "postgresql.conf", "a") as conf:
        conf.write(pg_conf(port))
    pg_start(stack, data)
    return data


def pg_start(stack: Stack, data: Path) -> None:
    log = VAR / "logs" / f"{data.name}.log"
    run(as_postgres([pg_bin("pg_ctl"), "start", "-D", str(data), "-l", str(log), "-w", "-t", "60"]),
        stdout=subprocess.DEVNULL)  # fmt: skip
    stack.pg_dirs.append(data)


def start_replica(stack: Stack, primary_port: int, port: int) -> Path:
    data = postgres_dir("replica")
    run(as_postgres([pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres",
                     "-D", str(data), "-R", "-X", "stream", "-c", "fast"]))  # fmt: skip
    with open(data / "postgresql.conf", "a") as conf:
        conf.write(f"port = {port}\n")
    pg_start(stack, data)
    return data


def psql(port: int, sql: str, db: str = "postgres") -> str:
    out = run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-AtXqc", sql],
              capture_output=True, text=True)  # fmt: skip
    return out.stdout.strip()


def wait_streaming(primary_port: int) -> None:
    for _ in range(100):
        if psql(primary_port, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == "1":
            return
        time.sleep(0.3)
    raise RuntimeError("the replica did not start streaming")


# ---------------------------------------------------------------- PgBouncer, Redis, HAProxy, nodes, workers


def start_pgbouncer(stack: Stack, port: int, primary: int, replica: int) -> None:
    ini, users = VAR / "pgbouncer.ini", VAR / "pgbouncer-users.txt"
    users.write_text('"postgres" ""\n')
    ini.write_text(f"""[databases]
{DB} = host=127.0.0.1 port={primary} dbname={DB}
{DB}_replica = host=127.0.0.1 port={replica} dbname={DB}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {users}
pool_mode = session
max_client_conn = 400
default_pool_size = 60
ignore_startup_parameters = extra_float_digits,options
""")
    stack.spawn("pgbouncer", as_postgres(["/usr/sbin/pgbouncer", str(ini)]))
    wait_for_port(port, "PgBouncer")


def start_redis(stack: Stack, port: int) -> None:
    cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
           "--dir", str(VAR)]  # fmt: skip
    stack.spawn("redis", cmd)
    wait_for_port(port, "Redis")


def haproxy_cfg(port: int, nodes: list[int]) -> str:
    servers = "\n".join(
        f"    server node{i + 1} 127.0.0.1:{p} check inter 1s fall 2 rise 1" for i, p in enumerate(nodes)
    )
    return f"""global
    maxconn 2000

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 30s
    timeout check 5s
    # A request in flight on a node that dies is sent again to the other one (the issue allows it):
    retries 3
    retry-on all-retryable-errors
    option redispatch 1
    option http-buffer-request

frontend web
    bind 127.0.0.1:{port}
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
{servers}
"""


def start_haproxy(stack: Stack, port: int, nodes: list[int]) -> None:
    cfg = VAR / "haproxy.cfg"
    cfg.write_text(haproxy_cfg(port, nodes))
    stack.spawn("haproxy", ["/usr/sbin/haproxy", "-db", "-f", str(cfg)])
    wait_for_port(port, "HAProxy")


def wait_healthy(port: int, seconds: float = 60) -> None:
    """Until HAProxy has a node up: its first health checks take a moment after it listens."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        finally:
            conn.close()
        time.sleep(0.5)
    raise RuntimeError("HAProxy found no healthy web node")


def app_env(bouncer: int, redis: int, haproxy: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lapakasik.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{bouncer}/{DB}",
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{bouncer}/{DB}_replica",
        "DATABASE_REPLICA_MAX_LAG_SECONDS": "5",
        "REDIS_URL": f"redis://127.0.0.1:{redis}/0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{haproxy}",
        "MEDIA_ROOT": str(VAR / "media"),
        "NOTIFY_FILE_DIR": str(VAR / "notify"),
        "LOG_LEVEL": "WARNING",
        # Every virtual person comes from 127.0.0.1: the per-address limits would treat them as one network.
        "BOOKING_REQUESTS_PER_MINUTE_PER_ADDRESS": "0",
        "LOGIN_SOURCE_ATTEMPTS_LIMIT": "100000",
    }


def start_node(stack: Stack, name: str, port: int, env: dict) -> subprocess.Popen:
    cmd = [str(ROOT / ".venv/bin/gunicorn"), "lapakasik.wsgi", "--worker-class", "gthread", "--workers", "3",
           "--threads", "4", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]  # fmt: skip
    return stack.spawn(name, cmd, env=env, group=True)  # its own group: SIGKILL takes the node, workers too


def prepare_database(primary: int, env: dict) -> None:
    psql(primary, f"CREATE DATABASE {DB}")
    psql(primary, "CREATE EXTENSION pg_stat_statements", db=DB)
    quiet = {"stdout": subprocess.DEVNULL}
    run([PY, "-m", "lapakasik", "migrate", "--no-input", "-v0"], env=env, **quiet)
    run([PY, "-m", "lapakasik", "collectstatic", "--no-input", "-v0"], env=env, **quiet)
    run([PY, "-m", "lapakasik", "demo", "load"], env=env, **quiet)
    run([PY, "-m", "lapakasik", "booking", "generate-sessions"], env=env, **quiet)


# ---------------------------------------------------------------- the people who walk in (seeded in Django)


def seed_people(count: int) -> list[dict[str, Any]]:
    """Participants able to claim JHT online today, cloned from the demo's (new NIK serial and KPJ, same
    employments), each with the documents their claim needs. Runs inside Django (`seed` sub-command)."""
    import django

    django.setup()
    from lapakasik.claims.cases import assess, home_branch
    from lapakasik.lib.dates import today_at
    from lapakasik.registry.models import Employment, Participant

    templates = []
    for person in Participant.objects.filter(
        accounts__isnull=True, claims__isnull=True, deceased_on__isnull=True
    ):
        branch, _area = home_branch(person)
        assessment = assess(person, "JHT", "resign", on=today_at(branch.time_zone))
        if assessment.can_start:
            templates.append((person, [code for code, _label in assessment.documents]))
    if not templates:
        raise RuntimeError("the demo has no participant who can claim JHT online today")
    people, first = [], Participant.objects.filter(kpj__startswith="89").count()  # clones of earlier runs
    for i in range(first, first + count):
        template, documents = templates[i % len(templates)]
        clone = _clone(template, i, Participant, Employment)
        people.append({"nik": clone.nik, "kpj": clone.kpj, "full_name": clone.full_name,
                       "birth_date": clone.birth_date.isoformat(), "documents": documents})  # fmt: skip
    return people


def _clone(template, i: int, participant_model, employment_model):
    clone = participant_model.objects.get(pk=template.pk)
    clone.pk = None
    clone.nik = _free(participant_model, "nik", template.nik[:12], 4, i)  # region and birth date kept
    clone.kpj = _free(participant_model, "kpj", "89", 9, i)
    clone.email, clone.phone = "", ""
    clone.save()
    employments = list(employment_model.objects.filter(participant=template))
    for employment in employments:
        employment.pk, employment.participant = None, clone
    employment_model.objects.bulk_create(employments)
    return clone


def _free(model, field_name: str, prefix: str, digits: int, start: int) -> str:
    """The first unused value prefix + a serial, counting down from the top from ``start`` on."""
    top = 10**digits - 1
    for serial in range(top - start % top, 0, -1):
        value = f"{prefix}{serial:0{digits}d}"
        if not model.objects.filter(**{field_name: value}).exists():
            return value
    raise RuntimeError(f"no free {field_name} left under {prefix}")


# ---------------------------------------------------------------- HTTP through HAProxy


@dataclass
class Stats:
    statuses: list[int] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    refused: Counter = field(default_factory=Counter)  # (method, path shape, status) of every 4xx/5xx
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, method: str, path: str, status: int, ms: float) -> None:
        with self.lock:
            self.statuses.append(status)
            self.latencies_ms.append(ms)
            if status >= 400 or status < 0:
                shape = re.sub(r"KLM-\w+|\d+", "N", path.split("?")[0])
                self.refused[(method, shape, status)] += 1


@dataclass
class Ledger:
    """Every write the server acknowledged (2xx or the redirect of a form that succeeded)."""

    accounts: list[str] = field(default_factory=list)  # e-mail of each account made by identification
    claims: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)
    bookings: list[int] = field(default_factory=list)
    decisions: list[tuple[str, str]] = field(default_factory=list)  # (claim number, status it moved to)
    batches: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str, value: Any) -> None:
        with self.lock:
            getattr(self, kind).append(value)


class Client:
    """One person's browser: cookies, the CSRF token, one new connection per request (HAProxy in front)."""

    def __init__(self, port: int, stats: Stats) -> None:
        self.port, self.stats, self.cookies = port, stats, {}

    def request(self, method: str, path: str, body: bytes | None = None, ctype: str = "", headers=None):
        head = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method != "GET":
            head.update({"X-CSRFToken": self.cookies.get("csrftoken", ""), "Referer": "http://127.0.0.1/"})
        if ctype:
            head["Content-Type"] = ctype
        head.update(headers or {})
        started = time.perf_counter()
        status, data, location = self._send(method, path, body, head)
        self.stats.add(method, path, status, (time.perf_counter() - started) * 1000)
        return status, data, location

    def _send(self, method: str, path: str, body: bytes | None, head: dict) -> tuple[int, bytes, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=head)
            response = conn.getresponse()
            data = response.read()
            for raw in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(raw).items():
                    self.cookies[name] = morsel.value
            return response.status, data, response.headers.get("Location", "")
        except (OSError, http.client.HTTPException) as error:
            say(f"{method} {path}: connection failed ({error!r})")
            return -1, b"", ""
        finally:
            conn.close()

    def form(self, path: str, fields: dict[str, str]):
        from urllib.parse import urlencode

        data = urlencode({**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}).encode()
        return self.request("POST", path, data, "application/x-www-form-urlencoded")

    def json(self, method: str, path: str, payload: Any = None, headers=None):
        body = json.dumps(payload).encode() if payload is not None else None
        status, data, _ = self.request(method, path, body, "application/json" if body else "", headers)
        try:
            return status, json.loads(data) if data else None
        except ValueError:
            return status, None


def multipart(fields: dict[str, str], name: str, filename: str, content: bytes, ctype: str):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for key, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    out.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'.encode()
    )
    out.write(f"Content-Type: {ctype}\r\n\r\n".encode() + content + f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def scan(seed: int) -> bytes:
    """A small JPEG scan, different for each upload."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (48, 36), (seed * 37 % 256, seed * 91 % 256, 120)).save(out, format="JPEG")
    return out.getvalue()


def staff_login(port: int, stats: Stats, username: str, env: dict) -> Client | None:
    for _attempt in range(3):
        try:
            return staff_login_once(port, stats, username, env)
        except RuntimeError as error:
            say(str(error))
    return None


def staff_login_once(port: int, stats: Stats, username: str, env: dict) -> Client:
    client = Client(port, stats)
    client.request("GET", "/accounts/login/")
    status, _, location = client.form("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    if status != 302:
        raise RuntimeError(f"log-in of {username} answered {status}")
    code = re.search(r": (\d{6})", run([PY, "-m", "lapakasik", "demo", "otp", username], env=env,
                                       capture_output=True, text=True).stdout)  # fmt: skip
    client.request("GET", "/accounts/verifikasi/")
    status, _, _ = client.form("/accounts/verifikasi/", {"token": code.group(1) if code else ""})
    if status != 302:
        raise RuntimeError(f"second factor of {username} answered {status}")
    return client


# ---------------------------------------------------------------- journeys


def participant_journey(client: Client, person: dict, ledger: Ledger, n: int) -> None:
    """Identify and open an account, start a JHT claim, upload its documents, give the account, submit, book."""
    client.request("GET", "/klaim/identifikasi/")
    email = f"klaster{n}@lapakasik.example.id"
    status, page, _ = client.form("/klaim/identifikasi/", {
        "nik": person["nik"], "kpj": person["kpj"], "full_name": person["full_name"],
        "birth_date": person["birth_date"], "account-email": email, "account-phone": f"0812{n:08d}",
        "account-password": PASSWORD, "account-password2": PASSWORD,
    })  # fmt: skip
    if status != 302:
        errors = re.findall(rb'class="[^"]*error[^"]*"[^>]*>([^<]{5,200})', page)
        say(f"identification of {person['nik']} answered {status}: {errors[:2]}")
        return
    ledger.note("accounts", email)
    status, claim = client.json("POST", "/api/claims/", {"program": "JHT", "reason": "resign"})
    if status != 201:
        return
    number = claim["number"]
    ledger.note("claims", number)
    for i, kind in enumerate(person["documents"]):
        body, ctype = multipart({"kind": kind}, "file", f"{kind}.jpg", scan(n + i), "image/jpeg")
        client.request("POST", f"/api/claims/{number}/documents", body, ctype)
    account = {"bank_code": "BRI", "account_number": f"0021{n:08d}", "holder_name": person["full_name"]}
    client.json("PUT", f"/api/claims/{number}/payout-account", account)
    status, _ = client.json("POST", f"/api/claims/{number}/submit")
    if status == 200:
        ledger.note("submitted", number)
    book(client, number, ledger)


def book(client: Client, number: str, ledger: Ledger) -> None:
    status, sessions = client.json("GET", f"/api/booking/claims/{number}/sessions")
    if status != 200 or not sessions:
        return
    choice = {"session_id": sessions[0]["id"], "claim_number": number}
    status, booking = client.json("POST", "/api/booking/bookings", choice, {"Idempotency-Key": number})
    if status == 201:
        ledger.note("bookings", booking["id"])
    client.json("GET", f"/api/claims/{number}")


def decide(client: Client, number: str, decision: str, seen: str, ledger: Ledger, to: str) -> bool:
    """One decision; a finding that fails is overridden with a written reason, as an officer would."""
    payload: dict[str, Any] = {"decision": decision, "seen_status": seen}
    status, body = client.json("POST", f"/api/staff/claims/{number}/decision", payload)
    if status == 400 and body and body.get("code", "").startswith("finding"):
        _, claim = client.json("GET", f"/api/staff/claims/{number}")
        failing = [f["code"] for f in (claim or {}).get("findings", []) if f["level"] != "pass"]
        payload["overrides"] = dict.fromkeys(failing, "Diperiksa manual saat uji klaster.")
        status, body = client.json("POST", f"/api/staff/claims/{number}/decision", payload)
    if status == 200:
        ledger.note("decisions", (number, to))
    return status == 200


def queue_numbers(client: Client, status: str, passed: set[str]) -> list[str]:
    """The next few claims of the queue in this status, less those this officer has had refused."""
    code, rows = client.json("GET", f"/api/staff/claims/?status={status}&page_size=50")
    numbers = [row["number"] for row in rows] if code == 200 and rows else []
    return [number for number in numbers if number not in passed][:5]


def cso_round(client: Client, ledger: Ledger, passed: set[str]) -> None:
    for number in queue_numbers(client, "submitted", passed):
        if not decide(client, number, "start", "submitted", ledger, "in_verification"):
            passed.add(number)  # e.g. the demo's counter claims, whose desk documents are not in
        elif not decide(client, number, "verify", "in_verification", ledger, "verified"):
            passed.add(number)


def supervisor_round(client: Client, ledger: Ledger, passed: set[str]) -> None:
    for number in queue_numbers(client, "verified", passed):
        if not decide(client, number, "approve", "verified", ledger, "approved"):
            passed.add(number)


def finance_round(client: Client, ledger: Ledger) -> None:
    client.request("GET", "/console/payments/")
    status, _, location = client.form("/console/payments/prepare/", {"bank": "BRI"})
    if status == 302 and (found := re.search(r"/batches/([^/]+)/", location)):
        ledger.note("batches", found.group(1))


def report_round(client: Client, today: str) -> None:
    client.json("GET", f"/api/reports/claims?branch={BRANCH}&from=2020-01-01&to={today}")
    client.request("GET", "/console/dashboard/")
    client.request("GET", f"/console/reports/claims/?branch={BRANCH}&from=2026-01-01&to={today}")


# ---------------------------------------------------------------- the run


@dataclass
class Drive:
    port: int
    people: list[dict]
    stats: Stats = field(default_factory=Stats)
    ledger: Ledger = field(default_factory=Ledger)
    stop: threading.Event = field(default_factory=threading.Event)
    next_person: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_person(self) -> tuple[int, dict] | None:
        with self.lock:
            if self.next_person >= len(self.people):
                return None
            self.next_person += 1
            return self.next_person - 1, self.people[self.next_person - 1]

    def participants(self) -> None:
        while not self.stop.is_set() and (taken := self.take_person()):
            participant_journey(Client(self.port, self.stats), taken[1], self.ledger, taken[0])

    def staff(self, client: Client, work) -> None:
        while not self.stop.is_set():
            work(client)
            self.stop.wait(0.3)


def staff_work(d: Drive, env: dict) -> list[tuple[Client, Any]]:
    """The staff log in (password, then the second factor) before the clock starts."""
    today = time.strftime("%Y-%m-%d")
    cso_passed: set[str] = set()  # claims each officer had refused, not tried again
    supervisor_passed: set[str] = set()
    rounds = {
        "cso": lambda c: cso_round(c, d.ledger, cso_passed),
        "supervisor": lambda c: supervisor_round(c, d.ledger, supervisor_passed),
        "keuangan": lambda c: finance_round(c, d.ledger),
        "kepalacabang": lambda c: report_round(c, today),
    }
    work = []
    for username, round_ in rounds.items():
        client = staff_login(d.port, d.stats, username, env)
        if client is None:
            raise RuntimeError(f"{username} could not log in through HAProxy")
        work.append((client, round_))
    return work


@dataclass
class Clock:
    """At least ``duration`` seconds and MIN_REQUESTS requests (at most ``limit`` seconds); the node is
    killed once both halves are reached."""

    duration: float
    limit: float
    started: float = field(default_factory=time.monotonic)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def halfway(self, requests: int) -> bool:
        return self.elapsed() >= self.limit / 2 or (
            self.elapsed() >= self.duration / 2 and requests >= MIN_REQUESTS / 2
        )

    def done(self, requests: int) -> bool:
        return self.elapsed() >= self.limit or (self.elapsed() >= self.duration and requests >= MIN_REQUESTS)


def drive(port: int, env: dict, people: list[dict], clock_args: tuple[float, float], kill) -> Drive:
    d = Drive(port, people)
    staff = staff_work(d, env)
    clock = Clock(*clock_args)
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(staff) + PARTICIPANT_THREADS) as pool:
        jobs = [pool.submit(d.staff, client, work) for client, work in staff]
        jobs += [pool.submit(d.participants) for _ in range(PARTICIPANT_THREADS)]
        killed = False
        while not clock.done(len(d.stats.statuses)):
            if not killed and clock.halfway(len(d.stats.statuses)):
                kill()
                killed = True
            if int(clock.elapsed() * 5) % 100 == 0:
                say(f"{clock.elapsed():.0f} s, {len(d.stats.statuses)} requests")
            time.sleep(0.2)
        say(f"{clock.elapsed():.0f} s driven")
        d.stop.set()
        for job in jobs:
            job.result()
    return d


# Each kind of acknowledged write and the query counting how many of them the primary holds.
WRITTEN = {
    "accounts": "SELECT count(DISTINCT email) FROM accounts_user WHERE email = ANY(%s)",
    "claims": "SELECT count(DISTINCT number) FROM claims_claim WHERE number = ANY(%s)",
    "submitted": "SELECT count(*) FROM claims_claim WHERE number = ANY(%s) AND submitted_at IS NOT NULL",
    "bookings": "SELECT count(*) FROM booking_booking WHERE id = ANY(%s)",
    "batches": "SELECT count(*) FROM payments_paymentbatch WHERE number = ANY(%s)",
}
DECIDED = (
    "SELECT count(*) FROM claims_claimevent e JOIN claims_claim c ON c.id = e.claim_id "
    "WHERE c.number = %s AND e.to_status = %s"
)


def lost_writes(ledger: Ledger, primary: int) -> int:
    """Acknowledged writes missing from the primary, read straight from it (not through PgBouncer)."""
    import psycopg

    lost = 0
    with psycopg.connect(host="127.0.0.1", port=primary, user="postgres", dbname=DB) as conn:
        for kind, sql in WRITTEN.items():
            values = sorted(set(getattr(ledger, kind)))
            lost += len(values) - conn.execute(sql, [values]).fetchone()[0]  # type: ignore[index]
        for number, status in set(ledger.decisions):
            lost += conn.execute(DECIDED, [number, status]).fetchone()[0] == 0  # type: ignore[index]
    return lost


REPLICA_READS_SQL = (
    "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
    "WHERE d.datname = current_database() AND s.query ILIKE 'select%' "
    "AND s.query NOT ILIKE '%pg_is_in_recovery%' AND s.query NOT ILIKE '%pg_stat_statements%'"
)


def replica_reads(replica: int) -> int:
    """Queries the replica answered for the application (its own pg_stat_statements; the health probe and
    this count left out)."""
    return int(psql(replica, REPLICA_READS_SQL, DB) or 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=70, help="seconds at least (and 1,000 requests)")
    parser.add_argument("--limit", type=float, default=600, help="seconds at most")
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument("--keep-data", action="store_true", help="leave var/cluster/ for inspection")
    parser.add_argument("--reuse", action="store_true", help="start from the primary a --keep-data run left")
    args = parser.parse_args()
    stack = Stack()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # Ctrl-C and kill both end in the finally below
    try:
        summary = cluster_check(stack, (args.duration, args.limit), args.people, args.reuse)
    finally:
        stack.stop()
        if not (args.keep_data or args.reuse):
            shutil.rmtree(VAR, ignore_errors=True)
    print(json.dumps(summary))
    return exit_status(summary)


def cluster_check(stack: Stack, clock: tuple[float, float], people_count: int, reuse: bool) -> dict[str, Any]:
    ports = {name: free_port() for name in ("primary", "replica", "bouncer", "redis", "haproxy", "n1", "n2")}
    reusing = prepare_dirs(reuse)
    say(f"PostgreSQL primary on {ports['primary']} ({pg_bin('postgres')})")
    start_primary(stack, ports["primary"], reusing)
    env = app_env(ports["bouncer"], ports["redis"], ports["haproxy"])
    direct = {**env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{ports['primary']}/{DB}"}
    direct.pop("DATABASE_REPLICA_URL")
    if not reusing:
        say("migrating and loading the demo")
        prepare_database(ports["primary"], direct)
    people = json.loads(run([PY, __file__, "seed", str(people_count)], env=direct, capture_output=True,
                            text=True).stdout.strip().splitlines()[-1])  # fmt: skip
    say(f"streaming replica on {ports['replica']}, PgBouncer {ports['bouncer']}, Redis {ports['redis']}")
    start_replica(stack, ports["primary"], ports["replica"])
    wait_streaming(ports["primary"])
    start_pgbouncer(stack, ports["bouncer"], ports["primary"], ports["replica"])
    start_redis(stack, ports["redis"])
    nodes = [start_node(stack, name, ports[name], env) for name in ("n1", "n2")]
    for name in ("n1", "n2"):
        wait_for_port(ports[name], f"web node {name}", 90)
    for i in (1, 2):
        stack.spawn(f"worker{i}", [PY, "-m", "lapakasik", "worker"], env=env)
    start_haproxy(stack, ports["haproxy"], [ports["n1"], ports["n2"]])
    wait_healthy(ports["haproxy"])
    reads_before = replica_reads(ports["replica"])
    killed = threading.Event()

    def kill() -> None:
        os.killpg(nodes[0].pid, signal.SIGKILL)
        killed.set()
        say("web node n1 killed with SIGKILL")

    say(f"driving the journeys through HAProxy on {ports['haproxy']} for {clock[0]:.0f} s or more")
    d = drive(ports["haproxy"], env, people, clock, kill)
    say(f"acknowledged: { {k: len(v) for k, v in vars(d.ledger).items() if isinstance(v, list)} }")
    say(f"refused or failed (method, path, status): {dict(d.stats.refused.most_common(12))}")
    lost = lost_writes(d.ledger, ports["primary"])
    reads = replica_reads(ports["replica"]) - reads_before
    return summarize(d.stats.statuses, d.stats.latencies_ms, killed.is_set(), lost, reads)


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(seed_people(int(sys.argv[2]))))
        sys.exit(0)
    random.seed(2020)
    sys.exit(main())
