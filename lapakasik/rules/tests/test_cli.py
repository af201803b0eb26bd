"""``rules params --on`` and ``rules estimate --format json`` as the management command will run them."""

from __future__ import annotations

import io
import json

from lapakasik.rules.cli import run


def run_cli(argv: list[str], stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    status = run(argv, stdin=io.StringIO(stdin), stdout=out)
    return status, out.getvalue()


def test_params_lists_the_values_in_force_on_a_date() -> None:
    status, out = run_cli(["params", "--on", "2020-03-01"])
    assert status == 0
    assert "jp.wage_ceiling = 8939700  (2020-03-01..2021-02-28;" in out
    assert "jkm.lump_sum = 20000000" in out
    assert "# not defined on 2020-03-01:" in out


def test_params_as_json() -> None:
    status, out = run_cli(["params", "--on", "2019-12-01", "--format", "json"])
    body = json.loads(out)
    assert status == 0
    values = {row["name"]: row["value"] for row in body["parameters"]}
    assert values["jkm.lump_sum"] == 16200000
    assert values["jht.contribution_rate"] == "5.7"


def test_estimate_reads_a_case_and_prints_the_result() -> None:
    case = {"program": "JKM", "death_date": "2019-12-02", "contribution_months": 12}
    status, out = run_cli(["estimate", "--format", "json"], json.dumps(case))
    body = json.loads(out)
    assert status == 0
    assert body["total"] == 42_000_000 and body["eligible"] is True


def test_estimate_answers_invalid_input_with_a_json_error_and_status_2() -> None:
    case = {"program": "JKM", "death_date": "2019-02-30", "contribution_months": 12}
    status, out = run_cli(["estimate", "--format", "json"], json.dumps(case))
    error = json.loads(out)["error"]
    assert status == 2
    assert error["field"] == "death_date"
    assert error["message_id"] and error["message_en"]


def test_estimate_answers_broken_json_with_status_2() -> None:
    status, out = run_cli(["estimate"], "{not json")
    assert status == 2
    assert json.loads(out)["error"]["code"] == "json_invalid"


def test_estimate_names_the_field_whose_date_no_law_covers() -> None:
    case = {"program": "JKK", "benefit": "death", "accident_date": "2014-01-01", "monthly_wage": 1}
    status, out = run_cli(["estimate"], json.dumps(case))
    assert status == 2
    assert json.loads(out)["error"] | {} == json.loads(out)["error"]
    assert json.loads(out)["error"]["field"] == "accident_date"


def test_params_stale_lists_what_is_past_review_and_exits_zero() -> None:
    status, out = run_cli(["params", "--stale", "--on", "2027-03-02"])
    assert status == 0
    assert "jp.wage_ceiling: review by 2027-03-01 (confirmed 2026-12-01)" in out
    assert "jp.survivor_share: review by 2027-01-31 (never confirmed)" in out
    assert "jkm.lump_sum" not in out
    assert out.rstrip().endswith("due for review on 2027-03-02")


def test_params_stale_as_json() -> None:
    status, out = run_cli(["params", "--stale", "--on", "2027-03-02", "--format", "json"])
    rows = {row["name"]: row for row in json.loads(out)["stale"]}
    assert status == 0 and rows["jp.wage_ceiling"]["review_by"] == "2027-03-01"


def test_estimate_batch_answers_each_case_of_a_file_on_its_own(tmp_path) -> None:
    from lapakasik.rules.api import error_dict, estimate
    from lapakasik.rules.errors import RulesInputError

    good = {"program": "JKM", "death_date": "2019-12-02", "contribution_months": 12}
    bad = {**good, "death_date": "2019-13-02"}
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([good, bad, good]), encoding="utf-8")
    status, out = run_cli(["estimate", "--batch", str(path)])
    body = json.loads(out)
    assert status == 0
    assert (body["computed"], body["refused"]) == (2, 1)
    assert body["results"][0] == body["results"][2] == {"result": json.loads(json.dumps(estimate(good)))}
    try:
        estimate(bad)
    except RulesInputError as error:
        assert body["results"][1] == {"error": error_dict(error)}
    assert body["results"][1]["error"]["field"] == "death_date"


def test_estimate_batch_reads_stdin_with_a_dash() -> None:
    case = {"program": "JKM", "death_date": "2019-12-02", "contribution_months": 12}
    status, out = run_cli(["estimate", "--batch", "-"], json.dumps([case]))
    assert status == 0 and json.loads(out)["results"][0]["result"]["total"] == 42_000_000


def test_estimate_batch_refuses_a_file_that_is_not_a_list_of_cases(tmp_path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"program": "JKM"}), encoding="utf-8")
    status, out = run_cli(["estimate", "--batch", str(path)])
    assert status == 2 and json.loads(out)["error"]["code"] == "list_type"
    status, out = run_cli(["estimate", "--batch", str(tmp_path / "missing.json")])
    assert status == 2 and json.loads(out)["error"]["code"] == "file_unreadable"
    path.write_text("[{", encoding="utf-8")
    assert json.loads(run_cli(["estimate", "--batch", str(path)])[1])["error"]["code"] == "json_invalid"
