"""Messages to the claimant about their payment (Django mail; the file backend by default).

Sent after the paying transaction commits, so a rolled-back import never tells anyone "paid".
No personal data goes to the log: only the payment reference.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from lapakasik.claims.notify import recipient as claim_recipient

from .models import Payment

log = logging.getLogger(__name__)


def recipient(payment: Payment) -> str:
    """The claim's one rule (``claims.notify.recipient``): the claimant account's verified address, else
    the participant record's."""
    return claim_recipient(payment.claim)


def _send(payment_id: int, template: str, subject: str) -> bool:
    payment = Payment.objects.select_related("claim__participant", "claim__claimant", "batch__branch").get(
        pk=payment_id
    )
    to = recipient(payment)
    if not to:
        log.info("payment %s: no e-mail address on record, advice not sent", payment.reference)
        return False
    with translation.override("id"):  # participants read Bahasa Indonesia by default
        context = {"payment": payment, "claim": payment.claim, "branch": payment.batch.branch}
        body = render_to_string(template, context)
        send_mail(f"{subject} {payment.claim.number}", body, None, [to])
    log.info("payment %s: %s sent", payment.reference, template.rsplit("/", 1)[-1])
    return True


def payment_advice(payment_id: int) -> bool:
    return _send(payment_id, "payments/advice_email.txt", "Pemberitahuan pembayaran klaim")


def payment_failed(payment_id: int) -> bool:
    return _send(payment_id, "payments/failed_email.txt", "Transfer klaim gagal")
