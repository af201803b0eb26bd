"""Channel backends behind one interface: ``send(outgoing)`` returns, or raises ``TemporaryFailure`` (retry
later) or ``PermanentFailure`` (give up). Which backend serves which channel is ``settings.NOTIFY_BACKENDS``.

- ``EmailBackend``: Django's mail (``EMAIL_BACKEND`` still decides where mail goes);
- ``FileBackend``: one JSON line per message under ``NOTIFY_FILE_DIR`` (var/notify/), the default for SMS
  and WhatsApp, like Django's file e-mail backend;
- ``HttpGatewayBackend``: POSTs JSON to ``NOTIFY_GATEWAY_URL`` with a bearer token and the gateway's
  template id (``NOTIFY_GATEWAY_TEMPLATES``); 5xx, timeouts and refused connections are retried, 4xx fail.

Failure reasons are short codes ("HTTP 503", "timeout"), never an address or a message body.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.module_loading import import_string


class TemporaryFailure(Exception):
    """Worth another attempt later (the gateway is down, a timeout)."""


class PermanentFailure(Exception):
    """Another attempt would fail the same way (the gateway refused the request)."""


@dataclass(frozen=True)
class Outgoing:
    """One rendered message, ready for a backend."""

    id: int
    channel: str
    to: str
    template: str
    language: str
    idempotency_key: str
    body: str
    subject: str = ""
    params: dict[str, Any] = field(default_factory=dict)  # a gateway template's variables
    attachments: tuple[tuple[str, bytes, str], ...] = ()  # (file name, content, MIME type); e-mail only


class Backend(Protocol):
    def send(self, message: Outgoing) -> None: ...


class EmailBackend:
    def send(self, message: Outgoing) -> None:
        mail = EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to])
        for name, content, mimetype in message.attachments:
            mail.attach(name, content, mimetype)
        try:
            mail.send(fail_silently=False)
        except Exception as error:  # an SMTP outage or refusal: tried again, never a silent loss
            raise TemporaryFailure(type(error).__name__) from None


class FileBackend:
    """Appends ``{"id", "channel", "to", "template", "language", "body", ...}`` to <NOTIFY_FILE_DIR>/<channel>.jsonl."""

    def send(self, message: Outgoing) -> None:
        directory = Path(settings.NOTIFY_FILE_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        line = {
            "id": message.id,
            "channel": message.channel,
            "to": message.to,
            "template": message.template,
            "language": message.language,
            "subject": message.subject,
            "body": message.body,
            "params": message.params,
            "idempotency_key": message.idempotency_key,
            "written_at": timezone.now().isoformat(),
        }
        with (directory / f"{message.channel}.jsonl").open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")


class HttpGatewayBackend:
    """An SMS/WhatsApp gateway speaking JSON over HTTPS. The request:

        POST NOTIFY_GATEWAY_URL
        Authorization: Bearer NOTIFY_GATEWAY_TOKEN
        Idempotency-Key: <the message's key>     (a retry after a lost answer is not a second message)
        {"channel", "to", "template", "language", "params", "text"}

    ``template`` is the gateway's id for ours (``NOTIFY_GATEWAY_TEMPLATES``; WhatsApp only sends approved
    templates), ``text`` the rendered short text for gateways that send free text (SMS).
    """

    def send(self, message: Outgoing) -> None:
        url = settings.NOTIFY_GATEWAY_URL
        if not url:
            raise PermanentFailure("NOTIFY_GATEWAY_URL not set")
        templates = settings.NOTIFY_GATEWAY_TEMPLATES
        payload = {
            "channel": message.channel,
            "to": message.to,
            "template": templates.get(message.template, message.template),
            "language": message.language,
            "params": message.params,
            "text": message.body,
        }
        request = urllib.request.Request(  # noqa: S310 — the URL is the operator's setting, http(s) only
            url,
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {settings.NOTIFY_GATEWAY_TOKEN}",
                "Idempotency-Key": message.idempotency_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.NOTIFY_GATEWAY_TIMEOUT) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            if error.code >= 500 or error.code in (408, 429):
                raise TemporaryFailure(f"HTTP {error.code}") from None
            raise PermanentFailure(f"HTTP {error.code}") from None
        except TimeoutError:
            raise TemporaryFailure("timeout") from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                raise TemporaryFailure("timeout") from None
            raise TemporaryFailure(f"connection failed: {type(reason).__name__}") from None
        except OSError as error:  # reset by peer and the like
            raise TemporaryFailure(f"connection failed: {type(error).__name__}") from None


@cache
def _backend(path: str) -> Backend:
    return import_string(path)()


def backend_for(channel: str) -> Backend:
    return _backend(settings.NOTIFY_BACKENDS[channel])
