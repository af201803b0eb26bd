import pytest

URL = "/api/reports/claims?branch=madiun&from=2020-01-01&to=2020-07-23"


def test_staff_of_the_branch_get_the_report_in_the_documented_shape(client, cso):
    client.force_login(cso)
    body = client.get(URL).json()
    assert body["branch"] == "madiun"
    assert body["period"] == {"from": "2020-01-01", "to": "2020-07-23"}
    assert body["rows"][0] == {"program": "JHT", "region": "Madiun", "cases": 5976, "amount": 58286871540}
    assert {"program": "JKK", "region": "Pacitan", "cases": 0, "amount": 0} in body["rows"]
    assert body["totals"][0] == {"program": "JHT", "cases": 9767, "amount": 86791375610}
    assert body["grand_total"] == {"cases": 11729, "amount": 96091106200}


def test_anonymous_requests_get_401(client, db):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("persona", ["outsider", "participant"])
def test_others_get_404(client, db, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404


def test_an_unknown_branch_is_404(client, cso):
    client.force_login(cso)
    assert client.get(URL.replace("madiun", "atlantis")).status_code == 404


def test_a_bad_date_names_the_field(client, cso):
    client.force_login(cso)
    response = client.get("/api/reports/claims?branch=madiun&from=2020-13-01&to=2020-07-23")
    assert response.status_code == 400  # issue 18: every unreadable parameter is a 400 naming the field
    assert response.json()["field"] == "from"


def test_from_after_to_is_a_400(client, cso):
    client.force_login(cso)
    response = client.get("/api/reports/claims?branch=madiun&from=2020-07-24&to=2020-07-23")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_period"


def test_the_openapi_document_declares_every_error(client, db):
    spec = client.get("/api/openapi.json").json()
    responses = spec["paths"]["/api/reports/claims"]["get"]["responses"]
    assert {"200", "400", "401", "404", "422"} <= set(responses)
