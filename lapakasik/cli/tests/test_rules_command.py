"""`python -m lapakasik rules …` as a user runs it: real processes, stdin, stdout and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
JKM_DEATH = {"program": "JKM", "death_date": "2019-12-02", "contribution_months": 12}


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    """Runs the command against a throw-away var dir and database: nothing here needs one, nothing may touch the dev's."""
    var = tmp_path_factory.mktemp("var")
    env = {**os.environ, "LAPAKASIK_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}"}

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "lapakasik", "rules", *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


def test_estimate_prints_exactly_the_result_as_json(rules):
    result = rules("estimate", "--format", "json", stdin=json.dumps(JKM_DEATH))
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)  # the whole of stdout is one JSON document
    assert {"eligible", "reasons", "payable_from", "items", "total", "tax", "net", "documents"} <= set(body)
    assert body["total"] == body["net"] == 42_000_000
    assert [item["amount"] for item in body["items"]] == [20_000_000, 12_000_000, 10_000_000]


def test_the_result_is_the_rules_package_result(rules):
    from lapakasik.rules.api import estimate

    assert json.loads(rules("estimate", stdin=json.dumps(JKM_DEATH)).stdout) == estimate(JKM_DEATH)


def test_invalid_input_prints_a_json_error_naming_the_field_and_exits_2(rules):
    result = rules(
        "estimate", "--format", "json", stdin=json.dumps({**JKM_DEATH, "death_date": "2019-02-30"})
    )
    assert result.returncode == 2
    error = json.loads(result.stdout)["error"]
    assert error["field"] == "death_date"
    assert error["message_id"] == "Tanggal tidak valid (format YYYY-MM-DD)."


def test_input_that_is_not_json_exits_2_with_a_json_error(rules):
    result = rules("estimate", stdin="program=JKM")
    assert result.returncode == 2
    assert json.loads(result.stdout)["error"]["code"] == "json_invalid"


def test_params_lists_what_is_in_force_on_the_date(rules):
    result = rules("params", "--on", "2020-03-01")
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("jkm.lump_sum = "))
    assert line.startswith("jkm.lump_sum = 20000000  (2019-12-02..; PP 82/2019")


def test_params_as_json(rules):
    body = json.loads(rules("params", "--on", "2019-12-01", "--format", "json").stdout)
    assert body["on"] == "2019-12-01"
    lump_sum = next(p for p in body["parameters"] if p["name"] == "jkm.lump_sum")
    assert lump_sum["value"] == 16_200_000 and lump_sum["ref"].startswith("PP 44/2015")


@pytest.mark.parametrize("args", [["params", "--on", "01/03/2020"], []], ids=["bad date", "no subcommand"])
def test_bad_arguments_exit_2_with_usage(rules, args):
    result = rules(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_jkp_estimate_and_stale_parameters_through_the_project_command(rules):
    case = {
        "program": "JKP",
        "reason": "phk",
        "termination_date": "2025-02-07",
        "monthly_wage": 9_000_000,
        "contribution_months_last_24": 12,
        "consecutive_months": 6,
    }
    body = json.loads(rules("estimate", stdin=json.dumps(case)).stdout)
    assert body["total"] == 6 * 3_000_000  # PP 6/2025: 60% of the Rp5 jt cap, six months
    stale = rules("params", "--stale", "--on", "2027-03-02")
    assert stale.returncode == 0 and "jp.wage_ceiling: review by 2027-03-01" in stale.stdout
