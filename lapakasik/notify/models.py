"""The outbox: every message to a participant, written in the same transaction as the change it tells of.

A message exists if and only if its change committed; the worker (``notify send-pending``) sends it, retries
it with backoff, and records each attempt here. ``idempotency_key`` is unique: enqueueing the same message
twice is a no-op, and a message marked sent is never sent again. The status has one writer:
lapakasik/notify/outbox.py.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class OutboxMessage(models.Model):
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # The e-mail address or the phone number: shown masked everywhere (outbox.mask), never logged.
    to = models.CharField(max_length=254)
    template = models.CharField(max_length=60)
    # Only what the message needs (a claim number, a status code, a booking id): rendered when sent.
    context = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=8, default="id")
    # Whose consent a WhatsApp/SMS message rests on: checked again when sent (a withdrawn consent stops it).
    participant = models.ForeignKey(
        "registry.Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=200, blank=True)  # a reason code, never personal data
    idempotency_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.pk} {self.channel} {self.template} {self.status}"
