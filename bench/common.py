"""Shared by the benchmark scripts: the machine they ran on, the RESULTS.md section writer, and the production
server (gunicorn gthread on 127.0.0.1, its own PostgreSQL database) that the HTTP benchmarks load."""

from __future__ import annotations

import datetime as dt
import http.client
import os
import platform
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"


def machine_info() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem_gib:.0f} GiB RAM; Python {platform.python_version()}; {platform.system()} {platform.release()}"


def postgres_version(url: str) -> str:
    try:
        out = subprocess.run(
            ["psql", url, "-Atc", "show server_version"], capture_output=True, text=True, timeout=10
        )
        return f"PostgreSQL {out.stdout.strip()}" if out.returncode == 0 else "PostgreSQL (version unknown)"
    except (OSError, subprocess.SubprocessError):
        return "PostgreSQL (version unknown)"


def write_section(title: str, body: str) -> None:
    """Replace (or append) the `## title` section of RESULTS.md, leaving other benchmarks' sections alone."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = f"## {title}\n\nMeasured {stamp}. Machine: {machine_info()}.\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = (
        pattern.sub(lambda _: section + "\n", text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + section
    )
    RESULTS.write_text(text.rstrip() + "\n", encoding="utf-8")


def server_env(pg: str, db: str, secret: str, **extra: str) -> dict[str, str]:
    """The environment of a bench's server and commands: its own database, production settings, quiet logs."""
    return {
        **os.environ,
        "DATABASE_URL": f"{pg}/{db}",
        "SECRET_KEY": secret,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "lapakasik.settings",
        "LOG_LEVEL": "ERROR",
        "DB_CONN_MAX_AGE": "60",
        **extra,
    }


def recreate_database(pg: str, db: str) -> None:
    """Drop and create the bench's own database (never anyone else's: the name is the bench's)."""
    for sql in (f"DROP DATABASE IF EXISTS {db}", f"CREATE DATABASE {db}"):
        subprocess.run(["psql", f"{pg}/postgres", "-qc", sql], check=True)


def manage(env: dict[str, str], *args: str, quiet: bool = False) -> None:
    """`python -m lapakasik …` against the bench's database (the environment from server_env)."""
    subprocess.run(
        [sys.executable, "-m", "lapakasik", *args], env=env, cwd=ROOT, check=True, capture_output=quiet
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def start_gunicorn(
    env: dict[str, str], port: int, workers: int, threads: int, *options: str, tries: int = 100
) -> subprocess.Popen:
    """The production server (gunicorn gthread) on 127.0.0.1:port, returned once /healthz answers 200.

    `options` are further gunicorn flags (`--backlog=4096`, `--keep-alive=5`); `tries` × 0.2 s is how long
    it may take to come up. The caller terminates it.
    """
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "lapakasik.wsgi",
            "--worker-class=gthread",
            f"--workers={workers}",
            f"--threads={threads}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            *options,
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(tries):
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")
