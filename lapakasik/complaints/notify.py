"""Messages to the person who filed, at every step of their complaint, through the outbox (lapakasik/notify).

``step`` runs inside the step's transaction (complaints.lifecycle), so a step that rolls back tells nobody,
and the outbox retries a message a mail server refused: a failed send never undoes a step. E-mail goes to
an address proved to be the person's (claims.notify.recipient's rule); WhatsApp/SMS too when the participant
chose them. The text is rendered when it is sent, in the person's language.
"""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from lapakasik.claims.notify import absolute_url
from lapakasik.notify.outbox import tell
from lapakasik.notify.templates import Rendered

from .models import Complaint, ComplaintAction, ComplaintStatus


def recipient(complaint: Complaint) -> str:
    """The filer's own address once it is verified (staff and employer addresses count as set by
    administrators), else — for a participant — the address the membership registry holds."""
    filer = complaint.filed_by
    if filer.has_verified_email:
        return filer.email
    participant = complaint.participant
    return participant.email if participant is not None and filer.role == "participant" else ""


def step(complaint: Complaint, action: str, to_status: str, note: str = "") -> None:
    """Queues the news of one step (each step happens once in a complaint's life: the key says which)."""
    participant = complaint.participant if complaint.filed_by.role == "participant" else None
    tell(
        template="complaints.step",
        context={
            "number": complaint.number,
            "action": action,
            "status": to_status,
            "note": note,
            "due_on": complaint.due_on.isoformat(),
        },
        key=f"complaints.step:{complaint.pk}:{action}",
        email=recipient(complaint),
        participant=participant,
    )


def render_step(context: dict, channel: str) -> Rendered:
    due_on = dt.date.fromisoformat(context["due_on"])
    values = {
        "complaint": {"number": context["number"], "due_on": due_on},  # the e-mail templates' names
        "number": context["number"],
        "action": context["action"],
        "action_label": ComplaintAction(context["action"]).label,
        "status_label": ComplaintStatus(context["status"]).label,
        "note": context.get("note", ""),
        "url": absolute_url(reverse("complaints_detail", args=[context["number"]])),
    }
    if channel != "email":
        text = _("Lapak Asik: pengaduan %(number)s — %(step)s.") % {
            "number": values["number"],
            "step": values["action_label"],
        }
        return Rendered(body=f"{text} {values['url']}", params={"number": values["number"]})
    return Rendered(
        subject=render_to_string("complaints/email_step_subject.txt", values).strip(),
        body=render_to_string("complaints/email_step.txt", values),
    )
