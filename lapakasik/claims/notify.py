"""E-mail to the claimant on every status change, sent after the change is committed.

Hooked into ``actions.transition`` so that every action — intake, verification, payments,
collective — notifies without remembering to. A mail failure never undoes a decision; it is logged
with the claim number only (no personal data in logs).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Claim, Status

log = logging.getLogger(__name__)


def recipient(claim: Claim) -> str:
    """Where mail about this claim goes: the claimant account's address once its owner has verified it, else
    (for the participant's own claim) the address the membership registry holds. An address typed at
    registration and never verified gets nothing: a typing slip must not send a stranger someone's claim
    (issue 18, finding 11). Every participant mail — status, bookings, payments — asks here."""
    claimant = claim.claimant
    if claimant is not None and claimant.has_verified_email:
        return claimant.email
    return claim.participant.email if claim.heir_id is None else ""


def absolute_url(path: str) -> str:
    """Links in e-mail must be absolute: mail is sent after commit, outside any request, so SITE_URL says
    where the site is."""
    return settings.SITE_URL.rstrip("/") + path


def status_changed(claim_id: int, from_status: str, to_status: str, note: str = "") -> None:
    claim = Claim.objects.select_related("claimant", "participant").get(pk=claim_id)
    to = recipient(claim)
    if not to:
        return
    with translation.override("id"):  # the participant's language; Bahasa Indonesia by default
        context = {
            "claim": claim,
            "from_label": Status(from_status).label if from_status else "",
            "to_label": Status(to_status).label,
            "note": note,
            "to_status": to_status,
            "claim_url": absolute_url(reverse("claims_detail", args=[claim.number])),
            "booking_url": absolute_url(reverse("booking_choose", args=[claim.number])),
        }
        subject = render_to_string("claims/email_status_subject.txt", context).strip()
        body = render_to_string("claims/email_status.txt", context)
    try:
        send_mail(subject, body, None, [to])
    except Exception:  # noqa: BLE001 — a mail server outage must not look like a failed decision
        log.exception("status e-mail for claim %s not sent", claim.number)
