"""Message templates: one renderer per template id, rendered when the message is sent, in its language.

A renderer takes ``(context, channel)`` and returns a ``Rendered``: a subject and a full text for e-mail,
a short text (and the gateway's parameters) for SMS and WhatsApp. The renderers live beside the app whose
event they tell of; this table names them, so the outbox never imports those apps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.module_loading import import_string

RENDERERS: dict[str, str] = {
    "claims.status": "lapakasik.claims.notify.render_status",
    "booking.confirmed": "lapakasik.booking.notify.render_confirmed",
    "booking.waitlist_promoted": "lapakasik.booking.notify.render_waitlist_promoted",
    "booking.reminder": "lapakasik.booking.notify.render_reminder",
    "booking.closed": "lapakasik.booking.notify.render_closed",
    "booking.cancelled_for_documents": "lapakasik.booking.notify.render_cancelled_for_documents",
    "booking.turn_near": "lapakasik.booking.notify.render_turn_near",
    "booking.lottery_lost": "lapakasik.booking.notify.render_lottery_lost",
    "booking.waitlist_closed": "lapakasik.booking.notify.render_waitlist_closed",
    "payments.advice": "lapakasik.payments.notify.render_advice",
    "payments.failed": "lapakasik.payments.notify.render_failed",
    "complaints.step": "lapakasik.complaints.notify.render_step",
}


@dataclass(frozen=True)
class Rendered:
    body: str
    subject: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    attachments: tuple[tuple[str, bytes, str], ...] = ()


class UnknownTemplate(LookupError):
    pass


def render(template: str, channel: str, context: dict[str, Any], language: str) -> Rendered:
    try:
        path = RENDERERS[template]
    except KeyError:
        raise UnknownTemplate(template) from None
    with translation.override(language):
        return import_string(path)(context, channel)
