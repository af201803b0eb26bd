"""Messages to the claimant about their payment, through the outbox (lapakasik/notify).

Queued inside the paying transaction, so a rolled-back import never tells anyone "paid": e-mail to the claim's
one recipient as always, and WhatsApp/SMS when the participant chose them. Rendered when sent: the e-mail in
full (amounts, masked account), a phone text short and without amounts. No personal data goes to the log.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from lapakasik.claims.notify import recipient as claim_recipient
from lapakasik.notify.outbox import tell
from lapakasik.notify.templates import Rendered

from .models import Payment


def recipient(payment: Payment) -> str:
    """The claim's one rule (``claims.notify.recipient``): the claimant account's verified address, else
    the participant record's."""
    return claim_recipient(payment.claim)


def _tell(payment: Payment, template: str) -> bool:
    claim = payment.claim
    messages = tell(
        template=template,
        context={"payment": payment.pk},
        key=f"{template}:{payment.pk}",
        email=recipient(payment),
        participant=claim.participant if claim.heir_id is None else None,
    )
    return bool(messages)


def payment_advice(payment: Payment) -> bool:
    return _tell(payment, "payments.advice")


def payment_failed(payment: Payment) -> bool:
    return _tell(payment, "payments.failed")


def _payment(pk: int) -> Payment:
    return Payment.objects.select_related("claim__participant", "claim__claimant", "batch__branch").get(pk=pk)


def _render(context: dict, channel: str, template: str, subject: str, short: str) -> Rendered:
    payment = _payment(context["payment"])
    number = payment.claim.number
    if channel != "email":
        return Rendered(body="Lapak Asik: " + short % {"number": number}, params={"number": number})
    values = {"payment": payment, "claim": payment.claim, "branch": payment.batch.branch}
    return Rendered(subject=f"{subject} {number}", body=render_to_string(template, values))


def render_advice(context: dict, channel: str) -> Rendered:
    return _render(
        context,
        channel,
        "payments/advice_email.txt",
        "Pemberitahuan pembayaran klaim",
        _(
            "klaim %(number)s sudah dibayarkan ke rekening Anda. Rinciannya dikirim lewat e-mail dan ada di Lapak Asik."
        ),
    )


def render_failed(context: dict, channel: str) -> Rendered:
    return _render(
        context,
        channel,
        "payments/failed_email.txt",
        "Transfer klaim gagal",
        _("transfer klaim %(number)s gagal. Perbarui rekening atas nama Anda sendiri di Lapak Asik."),
    )
