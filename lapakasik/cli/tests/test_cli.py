"""The command line as a user runs it: a fresh SQLite database, real processes, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def fresh_install(tmp_path_factory):
    """`make setup`'s database steps against an empty SQLite file, whatever DATABASE_URL the suite uses."""
    var = tmp_path_factory.mktemp("var")
    env = {**os.environ, "LAPAKASIK_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}"}
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "lapakasik", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run("migrate", "--no-input").returncode == 0
    first = run("demo", "load")
    assert first.returncode == 0, first.stderr
    return run, first


def test_setup_is_idempotent(fresh_install):
    run, first = fresh_install
    assert "loaded" in first.stdout
    second = run("demo", "load")
    assert second.returncode == 0 and "already present" in second.stdout
    report = json.loads(
        run(
            "report",
            "claims",
            "--branch",
            "madiun",
            "--from",
            "2020-01-01",
            "--to",
            "2020-07-23",
            "--format",
            "json",
        ).stdout
    )
    assert report["grand_total"] == {"cases": 11729, "amount": 96091106200}  # nothing duplicated


def test_the_table_shows_the_grand_total(fresh_install):
    run, _ = fresh_install
    out = run("report", "claims", "--branch", "madiun", "--from", "2020-01-01", "--to", "2020-07-23").stdout
    assert "96.091.106.200" in out and "11.729" in out


def test_csv_has_a_row_per_cell_plus_totals(fresh_install):
    run, _ = fresh_install
    lines = run(
        "report",
        "claims",
        "--branch",
        "madiun",
        "--from",
        "2020-01-01",
        "--to",
        "2020-07-23",
        "--format",
        "csv",
    ).stdout.splitlines()
    assert lines[0] == "program,region,cases,amount"
    assert "JKK,Pacitan,0,0" in lines
    assert lines[-1] == "ALL,TOTAL,11729,96091106200"
    assert len(lines) == 1 + 16 + 4 + 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--branch", "atlantis", "--from", "2020-01-01", "--to", "2020-07-23"], "tidak dikenal"),
        (["--branch", "madiun", "--from", "2020-07-23", "--to", "2020-01-01"], "Tanggal awal"),
        (["--branch", "madiun", "--from", "23/07/2020", "--to", "2020-07-23"], "YYYY-MM-DD"),
        (["--branch", "madiun", "--from", "2020-01-01"], "--to"),
    ],
    ids=["unknown branch", "from after to", "bad date", "missing --to"],
)
def test_bad_arguments_exit_with_status_2_and_a_clear_message(fresh_install, args, message):
    run, _ = fresh_install
    result = run("report", "claims", *args)
    assert result.returncode == 2
    assert message in result.stderr


def test_import_reports_every_bad_row_and_imports_nothing(fresh_install, tmp_path):
    run, _ = fresh_install
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "branch,program,region,nik,kpj,reason,channel,submitted_date,paid_date,amount,full_name\n"
        "madiun,JHT,Ngawi,3521095203900007,29000000001,phk,online,2021-03-01,2021-03-05,15250000,Tri\n"
        "madiun,JHT,Ngawi,352109520390,29000000002,phk,online,2021-03-01,2021-03-05,15250000,Ani\n",
        encoding="utf-8",
    )
    result = run("import", "claims", str(bad))
    assert result.returncode == 1
    assert "baris 3, kolom nik" in result.stderr and "tidak ada yang diimpor" in result.stderr
