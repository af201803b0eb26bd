"""POST /api/rules/estimate and GET /api/rules/params: public, same case and result as the CLI."""

from __future__ import annotations

import json

import pytest
from django.test import Client

URL = "/api/rules/estimate"
JKM_DEATH = {"program": "JKM", "death_date": "2019-12-02", "contribution_months": 12}


def post(client, body):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json")


def test_anyone_gets_the_itemized_estimate_without_logging_in_or_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = post(client, JKM_DEATH)
    assert response.status_code == 200
    body = response.json()
    assert {"eligible", "reasons", "payable_from", "items", "total", "tax", "net", "documents"} <= set(body)
    assert body["eligible"] is True and body["total"] == 42_000_000 and body["net"] == 42_000_000
    lump_sum = body["items"][0]
    assert lump_sum["amount"] == 20_000_000
    assert lump_sum["basis"][0] == {
        "ref": "PP 82/2019 (mengubah PP 44/2015 ps. 34 ayat (1) huruf a)",
        "parameter": "jkm.lump_sum",
        "on": "2019-12-02",
        "doubt": None,
    }


def test_the_result_is_the_same_as_the_rules_package_computes(client):
    from lapakasik.rules.api import estimate

    assert post(client, JKM_DEATH).json() == estimate(JKM_DEATH)


def test_a_bad_field_is_a_422_naming_it_in_both_languages(client):
    response = post(client, {**JKM_DEATH, "death_date": "2019-13-02"})
    assert response.status_code == 422
    error = response.json()
    assert error["field"] == "death_date"
    assert error["message"] == error["message_id"] == "Tanggal tidak valid (format YYYY-MM-DD)."
    assert "month" in error["message_en"]
    assert error["details"][0]["field"] == "death_date"


def test_the_message_follows_the_language_asked_for(client):
    response = client.post(
        URL,
        data=json.dumps({**JKM_DEATH, "nickname": "x"}),
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    error = response.json()
    assert error["field"] == "nickname" and error["message"] == error["message_en"]


def test_a_nested_field_is_named_by_its_path(client):
    case = {**JKM_DEATH, "children": [{"birth_date": "2015-01-01", "level": "kuliah"}]}
    assert post(client, case).json()["field"] == "children.0.level"


def test_a_date_no_recorded_rule_covers_names_that_date(client):
    response = post(client, {**JKM_DEATH, "death_date": "1990-01-01"})
    assert response.status_code == 422
    assert response.json()["code"] == "parameter_not_defined"
    assert response.json()["field"] == "death_date"


@pytest.mark.parametrize("body", ["{not json", ""])
def test_a_body_that_is_not_json_is_a_400(client, body):
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["code"] == "json_invalid"


def test_an_unknown_program_names_the_program_field(client):
    response = post(client, {"program": "JKN"})
    assert response.status_code == 422 and response.json()["field"] == "program"


def test_parameters_in_force_on_a_date_are_public(client):
    body = client.get("/api/rules/params?on=2020-03-01").json()
    assert body["on"] == "2020-03-01"
    lump_sum = next(p for p in body["parameters"] if p["name"] == "jkm.lump_sum")
    assert lump_sum["value"] == 20_000_000 and lump_sum["valid_from"] == "2019-12-02"
    assert isinstance(body["not_defined"], list)


def test_a_bad_parameter_date_names_the_field(client):
    response = client.get("/api/rules/params?on=2020-02-30")
    assert response.status_code == 400 and response.json()["field"] == "on"


def test_the_openapi_document_declares_the_case_the_result_and_the_errors(client):
    spec = client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/rules/estimate"]["post"]
    assert "security" not in operation or operation["security"] == [{}]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["discriminator"]["propertyName"] == "program"
    assert {"$ref": "#/components/schemas/JkmCaseIn"} in body["oneOf"]
    responses = operation["responses"]
    assert {"200", "400", "422"} <= set(responses)
    assert responses["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/EstimateResult"
    }
    error = responses["422"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"field", "code", "message_id", "message_en"} <= set(
        spec["components"]["schemas"][error]["properties"]
    )
    assert "death_date" in spec["components"]["schemas"]["JkmCaseIn"]["properties"]
    assert "/api/rules/params" in spec["paths"]


JKP_PHK = {
    "program": "JKP",
    "reason": "phk",
    "termination_date": "2022-03-15",
    "monthly_wage": 4_000_000,
    "contribution_months_last_24": 15,
    "consecutive_months": 8,
}


def test_jkp_is_estimated_as_six_monthly_payments(client):
    body = post(client, JKP_PHK).json()
    assert [item["amount"] for item in body["items"]] == [1_800_000] * 3 + [
        1_000_000
    ] * 3  # PP 37/2021 ps. 21
    assert {item["periodicity"] for item in body["items"]} == {"monthly"} and body["total"] == 8_400_000


def test_the_claim_code_resign_is_accepted_and_a_former_code_is_answered_with_it(client):
    case = {"program": "JHT", "separation_date": "2020-03-01", "claim_date": "2020-04-01", "balance": 1}
    assert post(client, {**case, "reason": "resign"}).status_code == 200
    body = post(client, {**case, "reason": "resignation"}).json()
    # The texts name the reason in words (issue 14: no code in any text), never the former code.
    assert "'Resignation'" in body["reasons"][0]["message_en"] and "resignation" not in json.dumps(body)
    assert "'Mengundurkan diri'" in body["reasons"][0]["message_id"]


BATCH_URL = "/api/rules/estimate/batch"


def post_batch(client, body, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(BATCH_URL, data=data, content_type="application/json", headers=headers)


def test_a_batch_answers_each_case_as_the_single_endpoint_does(client):
    bad_date = {**JKM_DEATH, "death_date": "2019-13-02"}
    no_law = {**JKM_DEATH, "death_date": "1990-01-01"}
    cases = [JKM_DEATH, bad_date, JKP_PHK, no_law, "not a case", {"program": "JKN"}]
    response = post_batch(Client(enforce_csrf_checks=True), {"cases": cases})
    assert response.status_code == 200
    body = response.json()
    assert (body["computed"], body["refused"]) == (2, 4)
    for case, entry in zip(cases, body["results"], strict=True):
        alone = post(client, json.dumps(case))  # the case's JSON as the whole body
        if alone.status_code == 200:
            assert entry == {"result": alone.json(), "error": None}
        else:
            assert alone.status_code == 422 and entry == {"result": None, "error": alone.json()}
    assert body["results"][1]["error"]["field"] == "death_date"
    assert body["results"][3]["error"]["code"] == "parameter_not_defined"


def test_a_batch_over_the_limit_is_a_400_that_says_so(client):
    from lapakasik.api.rules import BATCH_LIMIT

    response = post_batch(client, {"cases": [JKM_DEATH] * (BATCH_LIMIT + 1)}, **{"accept-language": "en"})
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "too_many_cases" and error["field"] == "cases"
    assert (
        error["message"] == f"At most {BATCH_LIMIT} cases a request ({BATCH_LIMIT + 1} sent); split the list."
    )
    assert post_batch(client, {"cases": [JKM_DEATH] * BATCH_LIMIT}).status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "field", "code"),
    [
        ("{not json", 400, "body", "json_invalid"),
        ([JKM_DEATH], 422, "body", "model_type"),
        ({}, 422, "cases", "missing"),
        ({"cases": JKM_DEATH}, 422, "cases", "list_type"),
        ({"cases": [], "today": "2020-01-01"}, 422, "today", "extra_forbidden"),
    ],
)
def test_a_body_that_is_not_a_list_of_cases_is_refused_whole(client, body, status, field, code):
    response = post_batch(client, body)
    assert response.status_code == status
    assert (response.json()["field"], response.json()["code"]) == (field, code)


def test_an_empty_batch_is_an_empty_answer(client):
    assert post_batch(client, {"cases": []}).json() == {"results": [], "computed": 0, "refused": 0}


def test_the_openapi_document_declares_the_batch(client):
    spec = client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/rules/estimate/batch"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    cases = body["properties"]["cases"]
    assert cases["maxItems"] == 1000 and body["required"] == ["cases"]
    assert cases["items"]["discriminator"]["propertyName"] == "program"
    assert {"200", "400", "422"} <= set(operation["responses"])
    entry = spec["components"]["schemas"]["BatchEntryOut"]["properties"]
    assert {"result", "error"} <= set(entry)
