"""The withholding slip (bukti potong PPh 21) of a paid payment with tax, as a PDF (WeasyPrint).

Rendered on demand from the payment row, so it always shows what was withheld and never drifts
from the payment. This is the branch's slip for the recipient; reporting the withholding to the
tax office (e-Bupot) is outside this application.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lapakasik.accounts.models import Role
from lapakasik.lib.errors import DomainError
from lapakasik.lib.idtext import format_rupiah
from lapakasik.rules import params as rules_params

from .models import Payment, PaymentStatus


def recipient_of(payment: Payment) -> tuple[str, str]:
    """(name, NIK) of the person the benefit was paid to: the heir for a death claim."""
    claim = payment.claim
    if claim.heir is not None:
        return claim.heir.full_name, claim.heir.nik
    return claim.participant.full_name, claim.participant.nik


# The bracket table each family of slip lines was computed from (rules/tax.py: code = prefix_rate).
BRACKET_TABLES = {"tax_final_": "tax.lump_sum_final.brackets", "tax_pasal17_": "tax.pasal17.brackets"}


def bracket_labels(codes: list[str], on: dt.date) -> list[str]:
    """What each slip line taxes, in words ("di atas Rp50.000.000 s.d. Rp250.000.000"): the n-th line of a
    family is the n-th bracket of the table in force on the tax date (brackets above the gross are left out,
    never skipped in between)."""
    seen: dict[str, int] = {}
    labels = []
    for code in codes:
        prefix = next((p for p in BRACKET_TABLES if code.startswith(p)), None)
        if prefix is None:
            labels.append(str(_("Tambahan tanpa NPWP")) if code == "tax_no_npwp_surcharge" else code)
            continue
        index = seen[prefix] = seen.get(prefix, -1) + 1
        brackets = rules_params.value(BRACKET_TABLES[prefix], on)
        lower = brackets[index - 1]["up_to"] if index else 0
        labels.append(_bracket_words(lower, brackets[index]["up_to"]))
    return labels


def _bracket_words(lower: int, upper: int | None) -> str:
    if upper is None:
        return str(_("di atas %(lower)s")) % {"lower": format_rupiah(lower)}
    if lower == 0:
        return str(_("sampai %(upper)s")) % {"upper": format_rupiah(upper)}
    return str(_("di atas %(lower)s sampai %(upper)s")) % {
        "lower": format_rupiah(lower),
        "upper": format_rupiah(upper),
    }


def signatory(branch) -> str:
    """Who signs for the withholder: the branch head of the paying branch (by name), else the office."""
    head = branch.staff.filter(role=Role.BRANCH_HEAD, is_active=True).order_by("pk").first()
    return (head.get_full_name() or head.username) if head else ""


def slip_pdf(payment: Payment) -> bytes:
    from weasyprint import HTML

    return HTML(string=slip_html(payment)).write_pdf()


def slip_html(payment: Payment) -> str:
    if payment.status != PaymentStatus.PAID or payment.tax <= 0:
        raise DomainError(
            "no_slip",
            _("Bukti potong hanya ada untuk pembayaran yang dibayar dan dipotong pajak."),
            status=404,
        )
    name, nik = recipient_of(payment)
    branch = payment.batch.branch
    stored = payment.tax_detail.get("lines", [])
    labels = bracket_labels([line["code"] for line in stored], payment.batch.value_date)
    lines = [
        {
            **line,
            "bracket": label,
            "taxable_text": format_rupiah(line["taxable"]),
            "amount_text": format_rupiah(line["amount"]),
        }
        for line, label in zip(stored, labels, strict=True)
        if line["amount"] or line["taxable"]
    ]
    context = {
        "payment": payment,
        "branch": branch,
        "withholder_npwp": settings.WITHHOLDER_NPWP,
        "signatory": signatory(branch),
        "legal_basis": sorted({line["ref"] for line in lines if line.get("ref")}),
        "claim": payment.claim,
        "name": name,
        "nik": nik,
        "lines": lines,
        "regime": payment.tax_detail.get("regime"),
        "tax_object": payment.tax_detail.get("tax_object"),
        "gross": format_rupiah(payment.gross),
        "tax": format_rupiah(payment.tax),
        "net": format_rupiah(payment.net),
    }
    with translation.override("id"):
        return render_to_string("payments/bukti_potong.html", context)
