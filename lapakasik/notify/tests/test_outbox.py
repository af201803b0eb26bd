import datetime as dt
import json

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from lapakasik.notify import outbox
from lapakasik.notify.models import MessageStatus, OutboxMessage

from .conftest import SCRIPTED, ScriptedBackend


def _hello(key="k1", *, channel="email", to="agus@example.com", participant=None, n="Agus"):
    return outbox.enqueue(
        channel=channel,
        to=to,
        template="test.hello",
        context={"n": n},
        key=key,
        participant=participant,
    )


@pytest.fixture
def quiet(settings):
    """Only the worker sends: the message waits in the outbox after commit."""
    settings.NOTIFY_SEND_ON_COMMIT = False


def test_a_message_enqueued_in_a_change_that_rolls_back_does_not_exist(db, quiet):
    with pytest.raises(RuntimeError), transaction.atomic():
        _hello("rolled-back")
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.filter(idempotency_key="rolled-back").exists()


def test_enqueue_outside_a_transaction_is_refused(db, monkeypatch):
    with monkeypatch.context() as patch, pytest.raises(outbox.NotInTransaction):
        patch.setattr(transaction.get_connection(), "in_atomic_block", False)
        _hello("no-transaction")


def test_the_same_key_twice_makes_one_message(db, quiet):
    first = _hello("twice")
    second = _hello("twice", n="Budi")
    assert first.pk == second.pk
    assert OutboxMessage.objects.filter(idempotency_key="twice").count() == 1
    assert OutboxMessage.objects.get(idempotency_key="twice").context == {"n": "Agus"}


def test_a_phone_message_needs_the_participant_whose_consent_it_rests_on(db, quiet):
    with pytest.raises(ValueError):
        _hello("no-one", channel="whatsapp", to="+6281234500001")


def test_it_is_sent_right_after_commit_by_default(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _hello("on-commit")
        assert mail.outbox == []  # not before the change commits
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1 and message.sent_at
    (sent,) = mail.outbox
    assert sent.to == ["agus@example.com"] and sent.subject == "Salam" and sent.body == "Halo Agus"
    assert sent.attachments[0][0] == "a.txt"


def test_without_send_on_commit_the_worker_sends_it(db, quiet, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _hello("worker")
    assert mail.outbox == []
    assert outbox.send_pending()["sent"] >= 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and len(mail.outbox) == 1


def test_a_sent_message_is_never_sent_again(db, quiet, settings):
    settings.NOTIFY_BACKENDS = {**settings.NOTIFY_BACKENDS, "email": SCRIPTED}
    message = _hello("once")
    outbox.send_pending()
    outbox.send_pending()
    assert outbox.send_message(message.pk) is None
    _hello("once")  # enqueued again: the same message, still sent
    outbox.send_pending()
    assert [m.idempotency_key for m in ScriptedBackend.sent].count("once") == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1


def test_a_temporary_failure_is_retried_with_growing_backoff_until_the_last_attempt(db, quiet, settings):
    settings.NOTIFY_BACKENDS = {**settings.NOTIFY_BACKENDS, "email": SCRIPTED}
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.NOTIFY_RETRY_SECONDS = 60
    ScriptedBackend.script = ["temporary"] * 5
    message = _hello("retry")
    now = timezone.now()
    assert outbox.send_pending(now=now)["retry"] == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("pending", 1, "HTTP 503")
    assert message.next_attempt_at == now + dt.timedelta(seconds=60)
    assert outbox.send_pending(now=now + dt.timedelta(seconds=59))["retry"] == 0  # not due yet
    later = now + dt.timedelta(seconds=60)
    outbox.send_pending(now=later)
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at == later + dt.timedelta(seconds=120)
    outbox.send_pending(now=later + dt.timedelta(seconds=120))
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 3)
    assert outbox.send_pending(now=later + dt.timedelta(days=1))["failed"] == 0  # failed stays failed
    assert ScriptedBackend.sent == []


def test_a_temporary_failure_then_success_sends_once(db, quiet, settings):
    settings.NOTIFY_BACKENDS = {**settings.NOTIFY_BACKENDS, "email": SCRIPTED}
    ScriptedBackend.script = ["temporary"]
    message = _hello("then-ok")
    now = timezone.now()
    outbox.send_pending(now=now)
    outbox.send_pending(now=now + outbox.backoff(1))
    message.refresh_from_db()
    assert (message.status, message.attempts, len(ScriptedBackend.sent)) == ("sent", 2, 1)


def test_a_refusal_fails_at_once(db, quiet, settings):
    settings.NOTIFY_BACKENDS = {**settings.NOTIFY_BACKENDS, "email": SCRIPTED}
    ScriptedBackend.script = ["permanent"]
    message = _hello("refused")
    assert outbox.send_pending()["failed"] == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("failed", 1, "HTTP 400")


def test_a_message_that_cannot_be_rendered_fails_without_personal_data_in_the_error(db, quiet):
    message = outbox.enqueue(
        channel="email", to="agus@example.com", template="test.broken", context={}, key="broken"
    )
    outbox.send_pending()
    message.refresh_from_db()
    assert message.status == "failed" and message.last_error == "render failed: KeyError"


def test_the_backoff_doubles_and_is_capped(settings):
    settings.NOTIFY_RETRY_SECONDS = 60
    settings.NOTIFY_RETRY_MAX_SECONDS = 600
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 480, 600]


def test_the_file_backend_writes_one_json_line_per_message(db, participant, settings):
    from lapakasik.privacy.actions import give_consent

    sri = participant.participant
    give_consent(sri, "whatsapp", by=participant, how="portal")
    for key in ("file-1", "file-2"):
        _hello(key, channel="whatsapp", to="+6281234500001", participant=sri)
    outbox.send_pending()
    lines = (settings.NOTIFY_FILE_DIR / "whatsapp.jsonl").read_text(encoding="utf-8").splitlines()
    written = [json.loads(line) for line in lines]
    assert [w["idempotency_key"] for w in written] == ["file-1", "file-2"]
    assert written[0]["to"] == "+6281234500001" and written[0]["body"] == "Halo Agus (singkat)"
    assert written[0]["template"] == "test.hello" and written[0]["language"] == "id"


@pytest.mark.parametrize(
    ("channel", "to", "masked"),
    [
        ("email", "agus@example.com", "ag***@example.com"),
        ("sms", "+6281234567890", "0812****7890"),
        ("whatsapp", "081234567890", "0812****7890"),
        ("sms", "+65123", "+6****23"),
    ],
)
def test_addresses_are_masked(channel, to, masked):
    assert outbox.mask(channel, to) == masked


def test_a_phone_number_is_written_in_international_form():
    assert outbox.phone_e164("0812-3450-0001") == "+6281234500001"
    assert outbox.phone_e164("+62 812 3450 0001") == "+6281234500001"
    assert outbox.phone_e164("12") == ""


def test_every_template_names_a_renderer_that_exists():
    from django.utils.module_loading import import_string

    from lapakasik.notify.templates import RENDERERS

    assert {"claims.status", "booking.confirmed", "payments.advice", "payments.failed"} <= set(RENDERERS)
    for path in RENDERERS.values():
        assert callable(import_string(path))
