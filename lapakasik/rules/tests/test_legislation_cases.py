"""Runs every legislation case in ``cases/*.yaml`` through the public entry point ``api.estimate``.

A case gives an ``input`` (the JSON case, with the ``wages_from`` / ``contributions_from``
shorthand) and either ``expect`` (only the keys written are checked) or ``error``.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from lapakasik.rules import reasons
from lapakasik.rules.api import estimate
from lapakasik.rules.dates import add_months, parse_month
from lapakasik.rules.errors import RulesInputError

CASES_DIR = Path(__file__).parent / "cases"


def load_cases() -> list[Any]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return cases


def expand(case_input: dict[str, Any]) -> dict[str, Any]:
    """Turn the test shorthand ``wages_from`` into the real ``wages`` list."""
    data = dict(case_input)
    spec = data.pop("wages_from", None)
    if spec:
        first = parse_month(spec["start"])
        data["wages"] = [
            {"month": add_months(first, i).strftime("%Y-%m"), "wage": spec["wage"]}
            for i in range(spec["months"])
        ]
    return data


def jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@pytest.mark.parametrize("case", load_cases())
def test_legislation_case(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(RulesInputError) as raised:
            estimate(expand(case["input"]))
        assert raised.value.field == case["error"]["field"]
        assert raised.value.code == case["error"]["code"]
        return
    result = estimate(expand(case["input"]))
    check(result, case["expect"])


def check(result: dict[str, Any], expect: dict[str, Any]) -> None:
    assert result["net"] == result["total"] - result["tax"]
    for key, wanted in expect.items():
        CHECKS.get(key, _check_field)(result, key, wanted)


def _check_field(result: dict[str, Any], key: str, wanted: Any) -> None:
    assert result[key] == jsonable(wanted), f"{key}: {result[key]!r} != {wanted!r}"


def _check_items(result: dict[str, Any], _key: str, wanted: dict[str, int]) -> None:
    assert {item["code"]: item["amount"] for item in result["items"]} == wanted


def _check_periodicity(result: dict[str, Any], _key: str, wanted: dict[str, str]) -> None:
    periodicity = {item["code"]: item["periodicity"] for item in result["items"]}
    assert {code: periodicity[code] for code in wanted} == wanted


def _check_tax_lines(result: dict[str, Any], _key: str, wanted: dict[str, int]) -> None:
    assert {line["code"]: line["amount"] for line in result["tax_lines"]} == wanted


def _codes_include(field: str) -> Any:
    def check_included(result: dict[str, Any], _key: str, wanted: list[str]) -> None:
        codes = [entry["code"] for entry in result[field]]
        assert set(wanted) <= set(codes), f"{field}: {codes} lacks {set(wanted) - set(codes)}"

    return check_included


def _documents_exclude(result: dict[str, Any], _key: str, unwanted: list[str]) -> None:
    codes = {document["code"] for document in result["documents"]}
    assert not codes & set(unwanted), f"documents should not contain {codes & set(unwanted)}"


def _codes_exclude(field: str) -> Any:
    def check_excluded(result: dict[str, Any], _key: str, unwanted: list[str]) -> None:
        codes = {entry["code"] for entry in result[field]}
        assert not codes & set(unwanted), f"{field} should not contain {codes & set(unwanted)}"

    return check_excluded


def _item_parameters(result: dict[str, Any], _key: str, wanted: dict[str, list[str]]) -> None:
    """Each named item cites at least these parameters in its basis."""
    for code, parameters in wanted.items():
        item = next(item for item in result["items"] if item["code"] == code)
        cited = {basis["parameter"] for basis in item["basis"]}
        assert set(parameters) <= cited, f"{code} cites {cited}, lacks {set(parameters) - cited}"


def _refs_include(result: dict[str, Any], _key: str, wanted: list[str]) -> None:
    """Every text in ``wanted`` appears in some legal reference of the items or tax lines."""
    refs = [basis["ref"] for item in result["items"] for basis in item["basis"]]
    refs += [line["basis"]["ref"] for line in result["tax_lines"]]
    for text in wanted:
        assert any(text in ref for ref in refs), f"no reference cites {text!r}: {refs}"


def _schedule(aggregate: Any) -> Any:
    def check_schedule(result: dict[str, Any], key: str, wanted: Any) -> None:
        assert aggregate(result["schedule"]) == jsonable(wanted), key

    return check_schedule


CHECKS = {
    "items": _check_items,
    "periodicity": _check_periodicity,
    "tax_lines": _check_tax_lines,
    "reasons_include": _codes_include("reasons"),
    "notes_include": _codes_include("notes"),
    "documents_include": _codes_include("documents"),
    "documents_exclude": _documents_exclude,
    "notes_exclude": _codes_exclude("notes"),
    "reasons_exclude": _codes_exclude("reasons"),
    "item_parameters": _item_parameters,
    "refs_include": _refs_include,
    "schedule_count": _schedule(len),
    "schedule_total": _schedule(lambda rows: sum(row["amount"] for row in rows)),
    "schedule_first_due": _schedule(lambda rows: min(row["due_from"] for row in rows)),
    "schedule_beneficiaries": _schedule(lambda rows: sorted({row["beneficiary"] for row in rows})),
}


def test_there_are_at_least_sixty_legislation_cases() -> None:
    assert len(load_cases()) >= 60


def test_an_uncertain_result_says_so_once_however_many_lines_rest_on_doubts() -> None:
    # Survivor share, derived minimum, inflation and the first-payment rule are all [U]: one note.
    result = estimate(
        {
            "program": "JP",
            "event": "death",
            "event_date": "2021-06-30",
            "membership_start": "2020-06-01",
            "contribution_months": 12,
            "wages": [{"month": f"2020-{m:02d}", "wage": 4000000} for m in range(6, 13)]
            + [{"month": f"2021-{m:02d}", "wage": 4000000} for m in range(1, 6)],
        }
    )
    notes = [note["code"] for note in result["notes"]]
    assert notes.count("uncertain_rules") == 1
    uncertain = next(note for note in result["notes"] if note["code"] == "uncertain_rules")
    # Named by their legal references, never by parameter keys (issue 14); the keys stay in the bases.
    assert "PP 45/2015 ps. 16" in uncertain["message_en"] and "Permenaker 29/2015" in uncertain["message_id"]
    assert not re.search(r"\b[a-z_]+\.[a-z_]+\b", uncertain["message_id"] + uncertain["message_en"])
    doubted = {b["parameter"] for item in result["items"] for b in item["basis"] if b["doubt"]}
    assert "jp.survivor_share" in doubted


def test_no_result_ever_carries_a_former_reason_code() -> None:
    for old, new in reasons.ALIASES.items():
        case = {
            "program": "JHT",
            "reason": old,
            "separation_date": "2020-03-01",
            "claim_date": "2020-05-01",
            "birth_date": "1960-01-01",
            "membership_start": "2005-01-01",
            "balance": 1000000,
        }
        text = json.dumps(estimate(case))
        # Neither code is ever shown: the messages name the reason by its label (issue 14).
        assert f"'{old}'" not in text and f'"{old}"' not in text and f"'{new}'" not in text
        assert f"'{reasons.label(new)}'" in text and f"'{reasons.label(new, 'en')}'" in text


@pytest.mark.parametrize("case", [c for c in load_cases() if "expect" in c.values[0]])
def test_the_fast_result_dict_is_exactly_the_schema_dump(case: Any) -> None:
    from lapakasik.rules.api import compute, parse_case, result_to_dict, result_to_dict_by_schema

    result = compute(parse_case(expand(case["input"])))
    fast = result_to_dict(result)
    assert fast == result_to_dict_by_schema(result)
    assert list(fast) == list(result_to_dict_by_schema(result))


_CODE_LIKE = re.compile(
    r"\b[a-z]+_[a-z_]+\b|\b[a-z]+\.[a-z_]+\b|\b\d{4}-\d{2}-\d{2}\b|'(resign|phk|land|sea|air)'"
)


def test_no_text_a_participant_reads_carries_a_code_a_parameter_key_or_an_iso_date() -> None:
    """Issue 14: reasons, notes and item labels say things in words, dates in the one long form."""
    for param in load_cases():
        case = param.values[0]
        try:
            result = estimate(expand(case["input"]))
        except RulesInputError as error:
            # Schema errors list the accepted codes for API callers (a page never sends a bad code).
            texts = (
                [error.message_id, error.message_en]
                if error.code in ("required", "parameter_not_defined")
                else []
            )
        else:
            texts = [m[k] for m in result["reasons"] + result["notes"] for k in ("message_id", "message_en")]
            texts += [i[k] for i in result["items"] for k in ("label_id", "label_en")]
        for text in texts:
            assert not _CODE_LIKE.search(text), (case["name"], text)


def test_the_doubt_note_cites_a_regulation_without_its_indonesian_gloss() -> None:
    result = estimate(
        {
            "program": "JHT",
            "reason": "end_of_contract",
            "separation_date": "2022-03-31",
            "claim_date": "2022-04-26",
            "balance": 5000000,
        }
    )
    uncertain = next(note for note in result["notes"] if note["code"] == "uncertain_rules")
    assert "Permenaker 4/2022" in uncertain["message_en"]
    assert "menambah" not in uncertain["message_en"] and "(" not in uncertain["message_en"]
