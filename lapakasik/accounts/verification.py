"""Proving an e-mail address: the owner gets a signed link that lasts ``MAX_AGE``; opening it and confirming
marks the address verified. Mail about a person's claims goes only to a verified address (issue 18,
finding 11: a mistyped address must not hand a stranger someone's claim status).

The link names the account and the address it was sent to, signed with the ``SECRET_KEY`` (Django's
``signing`` with its own salt): a link for an address since changed verifies nothing. Sending, at
registration and from the portal's banner, goes through the shared throttle (scope ``verify_mail``) so the
banner cannot be turned into a mail cannon.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from . import throttle
from .models import AccountAction, AccountEvent, User

log = logging.getLogger(__name__)

SALT = "lapakasik.accounts.verify-email"
MAX_AGE = 3 * 24 * 3600  # three days: long enough for a participant who reads mail rarely
SCOPE = "verify_mail"


def token_for(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=SALT)


def user_of(token: str) -> User | None:
    """The active account the link was made for, while its address is still the one the link went to."""
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # tampered, or expired (SignatureExpired is a BadSignature)
        return None
    user = User.objects.filter(pk=value.get("u"), is_active=True).first()
    if user is None or not user.email or user.email.lower() != value.get("e"):
        return None
    return user


def verify(user: User) -> None:
    """Mark the account's current address verified, with its audit event."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.has_verified_email:
            return
        locked.mark_email_verified()
        locked.save(update_fields=["email_verified", "email_verified_at"])
        AccountEvent.objects.create(user=locked, actor=locked, action=AccountAction.EMAIL_VERIFIED)
    user.email_verified, user.email_verified_at = locked.email_verified, locked.email_verified_at


def send(user: User, client: str) -> int:
    """E-mail the verification link; 0 when sent (or queued after commit), else the wait in seconds.

    Counted per account and source, and per source: the same soft waits as a log-in.
    """
    attempt = throttle.Attempt(SCOPE, str(user.pk), client)
    wait = throttle.wait_seconds(attempt)
    if wait:
        return wait
    throttle.failed(attempt)  # every mail sent is spent from the allowance, success or not
    AccountEvent.objects.create(user=user, actor=user, action=AccountAction.VERIFICATION_SENT)
    pk = user.pk
    transaction.on_commit(lambda: _mail(pk))
    return 0


def _mail(pk: int) -> None:
    user = User.objects.get(pk=pk)
    url = settings.SITE_URL.rstrip("/") + reverse("verify_email", args=[token_for(user)])
    context = {"user": user, "url": url, "days": MAX_AGE // (24 * 3600)}
    body = render_to_string("registration/verify_email.txt", context)
    subject = gettext("Verifikasi alamat e-mail akun Lapak Asik Anda")
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # noqa: BLE001 — a mail outage must not turn a registration into an error page
        log.exception("verification e-mail for user %s not sent", user.pk)
