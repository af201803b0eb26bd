"""The withholding slip is complete: each line names its bracket, the withholder's NPWP, a signature block."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from lapakasik.payments import actions
from lapakasik.payments.models import Payment
from lapakasik.payments.slips import bracket_labels, slip_pdf

BANK_DAY = dt.date(2026, 11, 26)


def test_bracket_labels_follow_the_table_in_force():
    on = dt.date(2026, 11, 25)
    assert bracket_labels(["tax_final_0", "tax_final_5"], on) == [
        "sampai Rp50.000.000",
        "di atas Rp50.000.000",
    ]
    assert bracket_labels(["tax_pasal17_5", "tax_pasal17_15", "tax_no_npwp_surcharge"], on) == [
        "sampai Rp60.000.000",
        "di atas Rp60.000.000 sampai Rp250.000.000",
        "Tambahan tanpa NPWP",
    ]


@pytest.mark.django_db
def test_the_slip_shows_the_brackets_the_withholder_s_npwp_and_who_signs(
    approved_claim, sent_batch, finance, settings
):
    settings.WITHHOLDER_NPWP = "01.234.567.8-901.000"
    taxed = approved_claim(gross=68_450_000)
    payment = sent_batch().payments.get(claim=taxed)
    actions.confirm_payment(payment, paid_on=BANK_DAY, by=finance)
    text = PdfReader(io.BytesIO(slip_pdf(Payment.objects.get(pk=payment.pk)))).pages[0].extract_text()
    assert "sampai Rp50.000.000" in text and "di atas Rp50.000.000" in text
    assert "PP 68/2009" in text  # the legal basis is said once, under the table, not in the bracket column
    assert "NPWP pemotong" in text and "01.234.567.8-901.000" in text
    assert "Kepala Kantor Cabang" in text and "Tanda tangan dan cap" in text
