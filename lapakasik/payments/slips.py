"""The withholding slip (bukti potong PPh 21) of a paid payment with tax, as a PDF (WeasyPrint).

Rendered on demand from the payment row, so it always shows what was withheld and never drifts
from the payment. This is the branch's slip for the recipient; reporting the withholding to the
tax office (e-Bupot) is outside this application.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lapakasik.lib.errors import DomainError
from lapakasik.lib.idtext import format_rupiah

from .models import Payment, PaymentStatus


def recipient_of(payment: Payment) -> tuple[str, str]:
    """(name, NIK) of the person the benefit was paid to: the heir for a death claim."""
    claim = payment.claim
    if claim.heir is not None:
        return claim.heir.full_name, claim.heir.nik
    return claim.participant.full_name, claim.participant.nik


def slip_pdf(payment: Payment) -> bytes:
    if payment.status != PaymentStatus.PAID or payment.tax <= 0:
        raise DomainError("no_slip", _("Bukti potong hanya ada untuk pembayaran yang dibayar dan dipotong pajak."),
                          status=404)  # fmt: skip
    from weasyprint import HTML

    name, nik = recipient_of(payment)
    lines = [{**line, "taxable_text": format_rupiah(line["taxable"]), "amount_text": format_rupiah(line["amount"])}
             for line in payment.tax_detail.get("lines", []) if line["amount"] or line["taxable"]]  # fmt: skip
    context = {
        "payment": payment, "branch": payment.batch.branch, "claim": payment.claim, "name": name, "nik": nik,
        "lines": lines, "regime": payment.tax_detail.get("regime"), "tax_object": payment.tax_detail.get("tax_object"),
        "gross": format_rupiah(payment.gross), "tax": format_rupiah(payment.tax), "net": format_rupiah(payment.net),
    }  # fmt: skip
    with translation.override("id"):
        html = render_to_string("payments/bukti_potong.html", context)
    return HTML(string=html).write_pdf()
