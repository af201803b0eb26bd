import json

import pytest
from django.core.management import call_command

from lapakasik.notify import outbox


def _run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("notify", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def two_messages(db, settings):
    settings.NOTIFY_SEND_ON_COMMIT = False
    first = outbox.enqueue(
        channel="email", to="agus@example.com", template="test.hello", context={"n": "A"}, key="c1"
    )
    second = outbox.enqueue(
        channel="email", to="budi@example.com", template="test.hello", context={"n": "B"}, key="c2"
    )
    return first, second


def test_outbox_as_json_has_exactly_the_documented_keys(two_messages):
    data = json.loads(_run("outbox", "--format", "json"))
    assert list(data) == ["messages"]
    ours = [m for m in data["messages"] if m["id"] in {two_messages[0].pk, two_messages[1].pk}]
    assert len(ours) == 2
    for message in ours:
        assert list(message) == ["id", "channel", "to_masked", "template", "status", "attempts", "created_at"]
    first = next(m for m in ours if m["id"] == two_messages[0].pk)
    assert first["to_masked"] == "ag***@example.com" and first["status"] == "pending"
    assert (first["channel"], first["template"], first["attempts"]) == ("email", "test.hello", 0)
    assert "agus@example.com" not in _run("outbox", "--format", "json")


def test_outbox_filters_by_status_and_send_pending_sends(two_messages):
    pending = {
        m["id"] for m in json.loads(_run("outbox", "--status", "pending", "--format", "json"))["messages"]
    }
    assert {two_messages[0].pk, two_messages[1].pk} <= pending
    assert "terkirim" in _run("send-pending")
    sent = json.loads(_run("outbox", "--status", "sent", "--format", "json"))["messages"]
    assert {two_messages[0].pk, two_messages[1].pk} <= {m["id"] for m in sent}
    assert all(m["status"] == "sent" for m in sent)
    assert json.loads(_run("outbox", "--status", "pending", "--format", "json"))["messages"] == []


def test_an_unknown_status_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("notify", "outbox", "--status", "lost")
