"""The e-mailed unlock link: when a pair of an account starts to wait, its owner gets a link that starts
every pair of the account afresh. Sent at most once per window; the link is signed and lasts a day."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from . import throttle
from .models import User

log = logging.getLogger(__name__)

SALT = "lapakasik.accounts.unlock"
MAX_AGE = 24 * 3600


def token_for(user: User) -> str:
    return signing.dumps({"u": user.pk, "a": user.username.lower()}, salt=SALT)


def account_of(token: str) -> str | None:
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=value.get("u"), is_active=True).first()
    return value.get("a") if user and user.username.lower() == value.get("a") else None


def offer(user: User, attempt: throttle.Attempt) -> None:
    """E-mail the owner the unlock link, once per window whatever the number of locked pairs."""
    if not user.email:
        return
    alerted = throttle._key(f"{attempt.scope}:alerted:{attempt.account}")
    if not throttle._cache().add(alerted, 1, timeout=settings.LOGIN_ATTEMPTS_WINDOW_SECONDS):
        return
    with translation.override("id"):
        url = settings.SITE_URL.rstrip("/") + reverse("unlock", args=[token_for(user)])
        body = render_to_string("registration/unlock_email.txt", {"user": user, "url": url})
        subject = translation.gettext("Percobaan masuk yang gagal ke akun Lapak Asik Anda")
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # noqa: BLE001 — a mail outage must not turn a refused log-in into an error page
        log.exception("unlock e-mail for user %s not sent", user.pk)
