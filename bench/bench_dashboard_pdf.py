"""How long the branch head waits for the dashboard's PDF: Madiun, 1 January – 23 July 2020 (target ≤ 1 s).

    .venv/bin/python bench/bench_dashboard_pdf.py [--runs 7]

Loads the demo into a fresh SQLite database in a temporary directory (migrate + `demo load`, each a
separate process, as `make setup` does), then, in this process, calls the export view as the branch head
(`console.dashboard.dashboard_export`, format pdf) and times its parts: the dashboard's numbers (rollups,
headline figures, SLA report), the HTML with its charts, and WeasyPrint. The first call of a process
(fonts, holiday calendars, parameter files) is reported on its own; the figures are medians of the runs
after it. CPU time is reported beside wall time: on a shared machine the wall time includes waiting for
a core, the CPU time is what the export itself costs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from common import write_section  # noqa: E402

PERIOD = {"from": "2020-01-01", "to": "2020-07-23"}


def load_demo(env: dict[str, str]) -> None:
    for args in (["migrate", "--no-input"], ["demo", "load"]):
        subprocess.run(
            [sys.executable, "-m", "lapakasik", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )


def timed(fn):
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def measure(runs: int) -> dict[str, object]:
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.cache import cache
    from django.test import RequestFactory

    from lapakasik.accounts.models import User
    from lapakasik.console import dashboard
    from lapakasik.reporting import exports

    head = User.objects.get(username="kepalacabang")

    def request():
        r = RequestFactory().get("/", PERIOD)
        r.user, r.session = head, SessionStore()
        return r

    first, first_wall, first_cpu = timed(lambda: dashboard.dashboard_export(request(), "pdf"))
    assert first.status_code == 200 and first.content.startswith(b"%PDF-")
    samples: dict[str, list[tuple[float, float]]] = {
        "numbers": [],
        "html": [],
        "weasyprint": [],
        "view": [],
        "cached": [],
    }
    for _ in range(runs):
        cache.clear()  # the finished PDF is cached under its HTML's digest: measure the drawing itself
        board, wall, cpu = timed(lambda: dashboard._build(request()))
        samples["numbers"].append((wall, cpu))
        (html, charts), wall, cpu = timed(lambda board=board: dashboard._pdf_html(request(), board))
        samples["html"].append((wall, cpu))
        _pdf, wall, cpu = timed(lambda html=html, charts=charts: exports.pdf(html, charts))
        samples["weasyprint"].append((wall, cpu))
        cache.clear()
        response, wall, cpu = timed(lambda: dashboard.dashboard_export(request(), "pdf"))
        samples["view"].append((wall, cpu))
        _again, wall, cpu = timed(lambda: dashboard.dashboard_export(request(), "pdf"))
        samples["cached"].append((wall, cpu))
    medians = {
        key: (statistics.median(w for w, _c in values), statistics.median(c for _w, c in values))
        for key, values in samples.items()
    }
    from io import BytesIO

    from pypdf import PdfReader

    pages = len(PdfReader(BytesIO(response.content)).pages)
    return {
        "first": (first_wall, first_cpu),
        "medians": medians,
        "bytes": len(response.content),
        "pages": pages,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LAPAKASIK_VAR_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        load_demo(env)
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapakasik.settings")
        load = os.getloadavg()
        result = measure(args.runs)
        load_after = os.getloadavg()
    m = result["medians"]
    assert isinstance(m, dict)
    rows = [
        ("the dashboard's numbers (rollups, headline figures, SLA report)", *m["numbers"]),
        ("HTML (the six charts named by a digest of their numbers)", *m["html"]),
        ("the six charts drawn by Pillow + WeasyPrint: HTML to PDF", *m["weasyprint"]),
        ("**the whole export view**, PDF not cached (the three above)", *m["view"]),
        ("the whole export view, the same PDF again (from the cache)", *m["cached"]),
    ]
    table = "\n".join(f"| {label} | {wall * 1000:,.0f} | {cpu * 1000:,.0f} |" for label, wall, cpu in rows)
    first_wall, first_cpu = result["first"]  # type: ignore[misc]
    bytecode = (
        ", with Python's bytecode cache off in this environment (PYTHONDONTWRITEBYTECODE), so every module"
        " imported is compiled from source"
        if sys.dont_write_bytecode
        else ""
    )
    body = f"""`bench/bench_dashboard_pdf.py` — the dashboard PDF for Madiun, 1 Jan – 23 Jul 2020 (11,729 paid claims),
as the branch head downloads it, on the demo in SQLite. Median of {args.runs} runs after a first call;
{result["pages"]} pages, {result["bytes"]:,} bytes.

| part | wall (ms) | CPU (ms) |
|---|---:|---:|
{table}

First call of a fresh process (imports, fonts, holiday calendars, parameter files loaded once): {first_wall:.2f} s wall,
{first_cpu:.2f} s CPU{bytecode}. Load average {load[0]:.1f} at the start and {load_after[0]:.1f} at the end, on {os.cpu_count()} cores.
"""
    print(body)
    write_section("Dashboard PDF export", body)


if __name__ == "__main__":
    main()
