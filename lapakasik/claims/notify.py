"""Messages to the claimant on every status change, through the outbox (lapakasik/notify).

``status_changed`` runs inside the transaction of the change (claims.lifecycle.move), so every action —
intake, verification, payments, collective — notifies without remembering to, and a change that rolls back
tells nobody. E-mail goes to the claimant's address as always; WhatsApp/SMS too when the participant chose
them (an active consent). The message is rendered when it is sent, in its language: a full e-mail, or a
short text for a phone. A failed send never undoes a decision: the outbox retries it.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from lapakasik.notify.outbox import tell
from lapakasik.notify.templates import Rendered

from .models import Claim, Status


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
    """Links in messages must be absolute: they are sent outside any request, so SITE_URL says where the
    site is."""
    return settings.SITE_URL.rstrip("/") + path


def status_changed(claim: Claim, from_status: str, to_status: str, note: str = "", *, key: str) -> None:
    """Queues the news in the caller's transaction. ``key`` names this change (its event) once."""
    # WhatsApp/SMS rest on the participant's own consent: an heir's claim is told by e-mail only.
    participant = claim.participant if claim.heir_id is None else None
    tell(
        template="claims.status",
        context={"number": claim.number, "from": from_status, "to": to_status, "note": note},
        key=f"claims.status:{key}",
        email=recipient(claim),
        participant=participant,
    )


def _label(status: str) -> str:
    return str(Status(status).label) if status else ""


def render_status(context: dict, channel: str) -> Rendered:
    number = context["number"]
    claim_url = absolute_url(reverse("claims_detail", args=[number]))
    booking_url = absolute_url(reverse("booking_choose", args=[number]))
    to_label = _label(context["to"])
    if channel != "email":
        text = _("Lapak Asik: status klaim %(number)s kini %(status)s.") % {
            "number": number,
            "status": to_label,
        }
        if context.get("note"):
            text += " " + _("Keterangan: %(note)s") % {"note": context["note"][:160]}
        if context["to"] == Status.SUBMITTED:
            text += " " + _("Pesan sesi verifikasi: %(url)s") % {"url": booking_url}
        else:
            text += " " + claim_url
        return Rendered(body=text, params={"number": number, "status": to_label, "url": claim_url})
    values = {
        "claim": {"number": number},
        "from_label": _label(context["from"]),
        "to_label": to_label,
        "note": context.get("note", ""),
        "to_status": context["to"],
        "claim_url": claim_url,
        "booking_url": booking_url,
    }
    return Rendered(
        subject=render_to_string("claims/email_status_subject.txt", values).strip(),
        body=render_to_string("claims/email_status.txt", values),
    )
