"""The HTTP gateway backend against a real local gateway (127.0.0.1; no internet)."""

import pytest
from django.utils import timezone

from lapakasik.notify import outbox
from lapakasik.privacy.actions import give_consent


@pytest.fixture
def whatsapp_message(db, participant, settings):
    settings.NOTIFY_SEND_ON_COMMIT = False
    sri = participant.participant
    give_consent(sri, "whatsapp", by=participant, how="portal")
    return outbox.enqueue(
        channel="whatsapp",
        to="+6281234500001",
        template="test.hello",
        context={"n": "Sri"},
        key="gateway-1",
        participant=sri,
    )


def test_it_posts_the_template_id_params_and_text_with_the_bearer_token(gateway, whatsapp_message):
    assert outbox.send_pending()["sent"] == 1
    (request,) = gateway.requests
    assert request["path"] == "/v1/messages"
    assert request["headers"]["Authorization"] == "Bearer rahasia-uji"
    assert request["headers"]["Idempotency-Key"] == "gateway-1"
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert request["body"] == {
        "channel": "whatsapp",
        "to": "+6281234500001",
        "template": "lapakasik_hello_v2",
        "language": "id",
        "params": {"n": "Sri"},
        "text": "Halo Sri (singkat)",
    }
    whatsapp_message.refresh_from_db()
    assert whatsapp_message.status == "sent"


def test_a_server_error_is_retried_and_the_retry_carries_the_same_key(gateway, whatsapp_message):
    gateway.statuses = [500]
    now = timezone.now()
    assert outbox.send_pending(now=now)["retry"] == 1
    whatsapp_message.refresh_from_db()
    assert (whatsapp_message.status, whatsapp_message.last_error) == ("pending", "HTTP 500")
    assert outbox.send_pending(now=now + outbox.backoff(1))["sent"] == 1
    assert [r["headers"]["Idempotency-Key"] for r in gateway.requests] == ["gateway-1", "gateway-1"]
    whatsapp_message.refresh_from_db()
    assert (whatsapp_message.status, whatsapp_message.attempts) == ("sent", 2)


def test_a_refused_request_fails_without_retry(gateway, whatsapp_message):
    gateway.statuses = [400]
    assert outbox.send_pending()["failed"] == 1
    whatsapp_message.refresh_from_db()
    assert (whatsapp_message.status, whatsapp_message.attempts, whatsapp_message.last_error) == (
        "failed",
        1,
        "HTTP 400",
    )
    assert len(gateway.requests) == 1


def test_a_gateway_that_does_not_answer_in_time_is_retried(gateway, whatsapp_message):
    gateway.delay = 1.5  # NOTIFY_GATEWAY_TIMEOUT is 1 second here
    assert outbox.send_pending()["retry"] == 1
    whatsapp_message.refresh_from_db()
    assert (whatsapp_message.status, whatsapp_message.last_error) == ("pending", "timeout")


def test_a_gateway_that_is_down_is_retried(gateway, whatsapp_message, settings):
    settings.NOTIFY_GATEWAY_URL = "http://127.0.0.1:9/v1/messages"  # nothing listens on the discard port
    assert outbox.send_pending()["retry"] == 1
    whatsapp_message.refresh_from_db()
    assert whatsapp_message.last_error.startswith("connection failed")
