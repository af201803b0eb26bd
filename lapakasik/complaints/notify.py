"""E-mail to the person who filed, at every step of their complaint, sent after the step is committed.

The same path as claims/notify.py (Django's mail, templated, Bahasa Indonesia by default). A mail failure never
undoes a step; it is logged with the complaint number only (no personal data in logs).
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from lapakasik.claims.notify import absolute_url

from .models import Complaint, ComplaintAction

log = logging.getLogger(__name__)


def recipient(complaint: Complaint) -> str:
    if complaint.filed_by.email:
        return complaint.filed_by.email
    participant = complaint.participant
    return participant.email if participant is not None and complaint.filed_by.role == "participant" else ""


def step(complaint_id: int, action: str, note: str = "") -> None:
    complaint = Complaint.objects.select_related("filed_by", "participant").get(pk=complaint_id)
    to = recipient(complaint)
    if not to:
        return
    with translation.override("id"):  # the participant's language; Bahasa Indonesia by default
        context = {
            "complaint": complaint,
            "action": action,
            "action_label": ComplaintAction(action).label,
            "status_label": complaint.get_status_display(),
            "note": note,
            "url": absolute_url(reverse("complaints_detail", args=[complaint.number])),
        }
        subject = render_to_string("complaints/email_step_subject.txt", context).strip()
        body = render_to_string("complaints/email_step.txt", context)
    try:
        send_mail(subject, body, None, [to])
    except Exception:  # noqa: BLE001 — a mail server outage must not look like a failed step
        log.exception("e-mail for complaint %s not sent", complaint.number)
