"""Finding 7 and 12: hostile parameters answered 500, and API errors left the documented schema.

Every bad parameter is a 400 that names the field, in pages and in the API, and every API error has
the documented shape ``{code, message, field}``.
"""

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from lapakasik.accounts.models import User
from lapakasik.claims import actions
from lapakasik.registry.models import ServiceArea
from lapakasik.rules import jp
from lapakasik.rules.api import result_to_dict
from lapakasik.rules.errors import RulesInputError

ERROR_KEYS = {"code", "message", "field"}


def _api_error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    if field is not None:
        assert body["field"] == field, body
    return body


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/staff/claims/?program=%00", "program"),
        ("/api/reports/claims?branch=%00&from=2020-01-01&to=2020-07-23", "branch"),
        ("/api/reports/claims?branch=madiun&from=0001-01-01&to=9999-12-31", "from"),
        ("/api/reports/claims?branch=madiun&from=2020-02-30&to=2020-07-23", "from"),
        ("/api/rules/params?on=0", "on"),
    ],
)
def test_hostile_api_query_values_are_a_400_naming_the_field(client, cso, url, field):
    client.force_login(cso)
    _api_error(client.get(url), 400, field)


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("cso", "/console/klaim/?program=%00"),
        ("kepalacabang", "/console/reports/claims/?from=0001-01-01&to=9999-12-31"),
        ("kepalacabang", "/console/reports/claims/?from=2020-13-01"),
        ("kepalacabang", "/console/dashboard/?from=0001-01-01&to=9999-12-31"),
        ("supervisor", "/console/sesi/ukuran/?from=0001-01-01&to=9999-12-31"),
        ("keuangan", "/console/payments/reconciliation/?from=0001-01-01&to=9999-12-31"),
    ],
)
def test_hostile_console_query_values_are_a_400_page(client, db, username, url):
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 400


def test_a_nul_byte_in_a_json_body_is_a_400_naming_the_field(client, participant):
    client.force_login(participant)
    body = {"session_id": 1, "claim_number": "\u0000"}
    response = client.post("/api/booking/bookings", json.dumps(body), content_type="application/json")
    _api_error(response, 400, "claim_number")


def test_non_numeric_ids_on_the_booking_pages_are_a_400_naming_the_field(client, participant, madiun):
    area = ServiceArea.objects.get(branch=madiun, name="Madiun")
    claim = actions.start_claim(
        participant=participant.participant,
        program="JHT",
        reason="resign",
        channel="online",
        by=participant,
        branch=madiun,
        area=area,
    )
    client.force_login(participant)
    page = client.get(reverse("booking_choose", args=[claim.number]) + "?pindah=abc")
    assert page.status_code == 400 and b"pindah" in page.content
    for field in ("session", "moving"):
        data = {"session": "1", field: "x'--"}
        page = client.post(reverse("booking_book", args=[claim.number]), data)
        assert page.status_code == 400 and field.encode() in page.content


def test_an_unparsable_body_answers_in_the_documented_error_schema(client, participant):
    client.force_login(participant)
    response = client.post("/api/booking/bookings", "{not json", content_type="application/json")
    assert _api_error(response, 400)["code"] == "invalid_body"


def test_a_failed_csrf_check_answers_in_the_documented_error_schema(participant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)
    response = client.post(
        "/api/booking/bookings",
        json.dumps({"session_id": 1, "claim_number": "X"}),
        content_type="application/json",
    )
    assert _api_error(response, 403)["code"] == "csrf_failed"


def test_an_id_past_the_largest_database_id_is_not_found(client, participant):
    client.force_login(participant)
    assert client.get("/jadwal/99999999999999999999999/").status_code == 404
    _api_error(client.get("/api/booking/bookings/99999999999999999999999"), 404)


NEGATIVE_NUMBER = re.compile(r"(?<!\w)-\d")


def _jp_texts(event_date: dt.date, months: int) -> list[str]:
    """Every sentence a JP estimate says for this case: its refusal, or its reasons and notes."""
    case = jp.JpCase(
        event="old_age",
        event_date=event_date,
        contribution_months=months,
        birth_date=dt.date(1950, 1, 1),
        balance=1_000_000,
    )
    try:
        result = result_to_dict(jp.calculate(case))
    except RulesInputError as error:
        return [error.message_id, error.message_en]
    return [text for reason in result["reasons"] for text in (reason["message_id"], reason["message_en"])]


def test_a_jp_estimate_before_jp_began_is_refused_without_a_negative_number_of_months():
    texts = _jp_texts(dt.date(2000, 1, 1), 999)
    assert texts and not any(NEGATIVE_NUMBER.search(text) for text in texts), texts


def test_a_negative_number_of_jp_contribution_months_is_refused_naming_the_field():
    with pytest.raises(RulesInputError) as refused:
        jp.calculate(jp.JpCase(event="old_age", event_date=dt.date(2026, 1, 10), contribution_months=-5))
    assert refused.value.field == "contribution_months"


@settings(max_examples=200, deadline=None)
@given(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)), st.integers(-1000, 1000))
def test_a_jp_estimate_never_says_a_negative_number(event_date, months):
    assert not any(NEGATIVE_NUMBER.search(text) for text in _jp_texts(event_date, months))
