"""Schemathesis over every operation of the API, with a logged-in session: no input makes the server fail.

The outside test found 500s only a session could reach (a NUL byte in a staff filter, a report period in
year 9999, ``"\\u0000"`` in a booking): fuzzing anonymously never gets past the 401. Each persona's run
sends its session cookie and CSRF token with every generated request, so the authenticated code paths
(staff queue, reports, booking, claims) are fuzzed too. The example count is small so that the run stays
within a few minutes of CI (measured in docs/security.md); raise LAPAKASIK_FUZZ_EXAMPLES to dig deeper.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client, override_settings
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from lapakasik.accounts.models import User

EXAMPLES = int(os.environ.get("LAPAKASIK_FUZZ_EXAMPLES", "8"))


def _schema():
    """The API's own OpenAPI document (no request needed to read it), sent to the WSGI application in-process."""
    from lapakasik.api.api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


@pytest.fixture
def in_test_transaction(db):
    """The WSGI handler closes the database connection after each request, which would close the test's
    own (in-memory SQLite, or the open test transaction); Django's test client detaches that the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_booking_rate_limit():
    """One persona's run sends many booking attempts within a minute: past the opening moment's limit
    (booking/rate.py, tested on its own) they would be answered 429 before the booking code is reached."""
    with override_settings(BOOKING_REQUESTS_PER_MINUTE=0, BOOKING_REQUESTS_PER_MINUTE_PER_ADDRESS=0):
        yield


def _session_headers(username: str) -> dict[str, str]:
    """A real logged-in session (cookie) and a CSRF token, as a browser of this persona would send them."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    token = get_random_string(32)
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"
    return {"Cookie": cookie, "X-CSRFToken": token}


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FUZZ
def test_no_request_of_a_logged_in_officer_makes_the_server_fail(case, in_test_transaction):
    case.call_and_validate(headers=_session_headers("cso"), checks=[not_a_server_error])


@schema.parametrize()
@FUZZ
def test_no_request_of_a_logged_in_participant_makes_the_server_fail(case, in_test_transaction):
    case.call_and_validate(headers=_session_headers("peserta"), checks=[not_a_server_error])
