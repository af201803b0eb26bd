"""Writing to the outbox and sending from it; the one writer of ``OutboxMessage.status``.

``enqueue`` runs inside the caller's transaction, so a message exists if and only if the change it tells of
committed. ``tell`` picks the channels: e-mail when there is an address (as always), plus WhatsApp and SMS
when the participant has an active consent for them (privacy.Consent, purpose = channel) and a phone number.
Sending (``send_pending``; also right after commit when ``NOTIFY_SEND_ON_COMMIT``) locks each due message
(``SKIP LOCKED`` where the database has it, so several workers share the queue), sends it through its
channel's backend, and records the attempt: sent; pending again later with exponential backoff; or failed
after ``NOTIFY_MAX_ATTEMPTS`` or on a refusal. Logs carry message ids and template ids, never addresses.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from functools import partial
from typing import Any

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from lapakasik.privacy.models import Consent

from .backends import Outgoing, PermanentFailure, TemporaryFailure, backend_for
from .models import Channel, MessageStatus, OutboxMessage
from .templates import render

log = logging.getLogger(__name__)

PHONE_CHANNELS = (Channel.WHATSAPP, Channel.SMS)


class NotInTransaction(RuntimeError):
    """enqueue() outside a transaction could leave a message about a change that then rolled back."""


# ---------------------------------------------------------------- who gets what


def language_for(participant=None) -> str:
    """The participant's language. Accounts hold no language preference yet: the site's, Bahasa Indonesia."""
    return settings.LANGUAGE_CODE


def phone_e164(phone: str) -> str:
    """``+62812…`` for a valid Indonesian (or international) number; "" for anything a gateway would refuse."""
    try:
        number = phonenumbers.parse(phone, "ID")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def consented_channels(participant) -> list[str]:
    """The phone channels this participant chose: an active consent per channel (UU PDP: consent is the
    only lawful basis for these messages). WhatsApp first."""
    live = set(
        Consent.objects.filter(
            participant=participant, purpose__in=PHONE_CHANNELS, withdrawn_at=None
        ).values_list("purpose", flat=True)
    )
    return [channel for channel in PHONE_CHANNELS if channel in live]


def tell(
    *,
    template: str,
    context: dict[str, Any],
    key: str,
    email: str = "",
    participant=None,
) -> list[OutboxMessage]:
    """One message per channel: e-mail to ``email`` if given, and WhatsApp/SMS to the participant's phone for
    each channel they consented to. Without such a consent (or a valid phone number) e-mail alone."""
    language = language_for(participant)
    messages = []
    if email:
        messages.append(
            enqueue(
                channel=Channel.EMAIL,
                to=email,
                template=template,
                context=context,
                key=f"{key}:email",
                language=language,
                participant=participant,
            )
        )
    phone = phone_e164(participant.phone) if participant is not None and participant.phone else ""
    if phone:
        for channel in consented_channels(participant):
            messages.append(
                enqueue(
                    channel=channel,
                    to=phone,
                    template=template,
                    context=context,
                    key=f"{key}:{channel}",
                    language=language,
                    participant=participant,
                )
            )
    return messages


def enqueue(
    *,
    channel: str,
    to: str,
    template: str,
    context: dict[str, Any],
    key: str,
    language: str | None = None,
    participant=None,
) -> OutboxMessage:
    """Adds a message to the outbox in the caller's transaction; the same ``key`` again returns the first."""
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction("enqueue() must run inside the transaction of the change it tells of")
    if channel in PHONE_CHANNELS and participant is None:
        raise ValueError("WhatsApp and SMS messages need the participant whose consent they rest on")
    try:
        with transaction.atomic():  # a savepoint: a twin inserted meanwhile fails this insert, not the caller
            message = OutboxMessage.objects.create(
                channel=channel,
                to=to,
                template=template,
                context=context,
                language=language or language_for(participant),
                participant=participant,
                idempotency_key=key,
            )
    except IntegrityError:
        return OutboxMessage.objects.get(idempotency_key=key)
    if settings.NOTIFY_SEND_ON_COMMIT:
        transaction.on_commit(partial(send_message, message.pk), robust=True)
    return message


# ---------------------------------------------------------------- masking


def mask(channel: str, to: str) -> str:
    """``ag***@example.com``, ``0812****7890``: enough to recognise one's own, never the whole address."""
    if channel == Channel.EMAIL:
        local, _at, domain = to.partition("@")
        return f"{local[:2]}***@{domain}"
    digits = "0" + to[3:] if to.startswith("+62") else to
    if len(digits) < 9:
        return digits[:2] + "****" + digits[-2:]
    return digits[:4] + "****" + digits[-4:]


# ---------------------------------------------------------------- sending


def _locked(queryset: QuerySet[OutboxMessage]) -> QuerySet[OutboxMessage]:
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset  # SQLite: one writer at a time anyway; the guarded UPDATE in _record is the net


def due(now: dt.datetime | None = None) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(
        status=MessageStatus.PENDING, next_attempt_at__lte=now or timezone.now()
    ).order_by("next_attempt_at", "id")


def backoff(attempts: int) -> dt.timedelta:
    """After attempt n: base × 2^(n-1) seconds (1, 2, 4, 8 … minutes by default), capped."""
    seconds = settings.NOTIFY_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, settings.NOTIFY_RETRY_MAX_SECONDS))


def send_pending(*, now: dt.datetime | None = None, limit: int = 500) -> Counter[str]:
    """Sends the due messages, each in a transaction of its own holding its row lock. Returns how many were
    sent, are to be retried and failed."""
    now = now or timezone.now()
    outcomes: Counter[str] = Counter()
    for _ in range(limit):
        with transaction.atomic():
            message = _locked(due(now)).first()
            if message is None:
                break
            outcomes[_attempt(message, now)] += 1
    if outcomes:
        log.info("outbox: %s", dict(outcomes))
    return outcomes


def send_message(pk: int, *, now: dt.datetime | None = None) -> str | None:
    """Sends one message if it is still pending (after commit; a worker may have taken it already)."""
    try:
        with transaction.atomic():
            message = _locked(OutboxMessage.objects.filter(pk=pk, status=MessageStatus.PENDING)).first()
            if message is None:
                return None
            return _attempt(message, now or timezone.now())
    except Exception:  # the change is committed; the worker retries the message
        log.exception("outbox message %s: sending after commit failed", pk)
        return None


def _has_consent(message: OutboxMessage) -> bool:
    if message.channel not in PHONE_CHANNELS:
        return True
    return (
        message.participant_id is not None
        and Consent.objects.filter(
            participant_id=message.participant_id, purpose=message.channel, withdrawn_at=None
        ).exists()
    )


def _attempt(message: OutboxMessage, now: dt.datetime) -> str:
    attempts = message.attempts + 1
    if not _has_consent(message):  # withdrawn since: processing stops (UU PDP)
        return _record(message, MessageStatus.FAILED, attempts, "consent withdrawn", now)
    try:
        rendered = render(message.template, message.channel, message.context, message.language)
    except Exception as error:  # the claim or booking it names is gone, or a template bug
        log.exception("outbox message %s (%s): rendering failed", message.pk, message.template)
        return _record(message, MessageStatus.FAILED, attempts, f"render failed: {type(error).__name__}", now)
    outgoing = Outgoing(
        id=message.pk,
        channel=message.channel,
        to=message.to,
        template=message.template,
        language=message.language,
        idempotency_key=message.idempotency_key,
        body=rendered.body,
        subject=rendered.subject,
        params=rendered.params,
        attachments=rendered.attachments,
    )
    try:
        backend_for(message.channel).send(outgoing)
    except PermanentFailure as error:
        return _record(message, MessageStatus.FAILED, attempts, str(error), now)
    except TemporaryFailure as error:
        if attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            return _record(message, MessageStatus.FAILED, attempts, str(error), now)
        return _record(message, MessageStatus.PENDING, attempts, str(error), now)
    return _record(message, MessageStatus.SENT, attempts, "", now)


OUTCOME = {MessageStatus.SENT: "sent", MessageStatus.PENDING: "retry", MessageStatus.FAILED: "failed"}


def _record(message: OutboxMessage, status: str, attempts: int, error: str, now: dt.datetime) -> str:
    """The guarded UPDATE: only the attempt that found the message pending (with these attempts) records."""
    changes: dict[str, Any] = {"status": status, "attempts": attempts, "last_error": error[:200]}
    if status == MessageStatus.SENT:
        changes["sent_at"] = now
    if status == MessageStatus.PENDING:
        changes["next_attempt_at"] = now + backoff(attempts)
    hit = OutboxMessage.objects.filter(
        pk=message.pk, status=MessageStatus.PENDING, attempts=message.attempts
    ).update(**changes)
    if not hit:
        log.warning("outbox message %s was recorded by another sender meanwhile", message.pk)
    elif status != MessageStatus.SENT:
        log.warning(
            "outbox message %s (%s, %s) attempt %s: %s",
            message.pk,
            message.template,
            message.channel,
            attempts,
            error,
        )
    for key, value in changes.items():
        setattr(message, key, value)
    return OUTCOME[MessageStatus(status)]
