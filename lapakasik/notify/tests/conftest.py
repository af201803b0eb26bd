"""Fixtures of the outbox tests: a test template, a counting backend, and a fake HTTP gateway on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lapakasik.notify import templates
from lapakasik.notify.backends import PermanentFailure, TemporaryFailure


@pytest.fixture(autouse=True)
def _test_templates(monkeypatch, settings, tmp_path):
    monkeypatch.setitem(templates.RENDERERS, "test.hello", "lapakasik.notify.tests.renderers.hello")
    monkeypatch.setitem(templates.RENDERERS, "test.broken", "lapakasik.notify.tests.renderers.broken")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFY_FILE_DIR = tmp_path / "notify"
    settings.NOTIFY_BACKENDS = {
        "email": "lapakasik.notify.backends.EmailBackend",
        "sms": "lapakasik.notify.backends.FileBackend",
        "whatsapp": "lapakasik.notify.backends.FileBackend",
    }
    ScriptedBackend.script = []
    ScriptedBackend.sent = []


class ScriptedBackend:
    """Fails as its script says ("temporary", "permanent"), then succeeds; records what it sent."""

    script: list[str] = []
    sent: list = []

    def send(self, message) -> None:
        if ScriptedBackend.script:
            step = ScriptedBackend.script.pop(0)
            if step == "temporary":
                raise TemporaryFailure("HTTP 503")
            raise PermanentFailure("HTTP 400")
        ScriptedBackend.sent.append(message)


SCRIPTED = "lapakasik.notify.tests.conftest.ScriptedBackend"


class FakeGateway:
    """A real HTTP server on 127.0.0.1: answers each POST with the next scripted status (200 when none)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 — http.server's name
                length = int(self.headers["Content-Length"])
                gateway.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                if gateway.delay:
                    time.sleep(gateway.delay)
                status = gateway.statuses.pop(0) if gateway.statuses else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args) -> None:  # keep the test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/messages"


@pytest.fixture
def gateway(settings):
    fake = FakeGateway()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    settings.NOTIFY_GATEWAY_URL = fake.url
    settings.NOTIFY_GATEWAY_TOKEN = "rahasia-uji"  # noqa: S105 — a test token
    settings.NOTIFY_GATEWAY_TEMPLATES = {"test.hello": "lapakasik_hello_v2"}
    settings.NOTIFY_GATEWAY_TIMEOUT = 1
    settings.NOTIFY_BACKENDS = {
        **settings.NOTIFY_BACKENDS,
        "whatsapp": "lapakasik.notify.backends.HttpGatewayBackend",
    }
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
    fake.delay = 0
