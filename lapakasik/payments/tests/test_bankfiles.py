import csv
import datetime as dt
import io

from lapakasik.payments import bankfiles
from lapakasik.payments.bankfiles import TransferLine

LINE = TransferLine(
    reference="LA23456789AB",
    bank_code="002",
    account_number="0123456789012345",
    holder_name="Sri\nWahyuni",
    amount=67_527_500,
    value_date=dt.date(2026, 11, 25),
    claim_number="KLM-ABCDEFGHJK",
)


def test_the_standard_transfer_file_is_utf8_csv_with_whole_rupiah_and_the_reference_in_the_remark():
    content = bankfiles.transfer_csv([LINE], bank="BTN")
    assert content.startswith(
        b"reference,bank_code,account_number,holder_name,amount,currency,value_date,remark\r\n"
    )
    row = next(csv.DictReader(io.StringIO(content.decode())))
    assert row["amount"] == "67527500" and row["value_date"] == "2026-11-25"
    assert row["remark"] == "LAPAKASIK LA23456789AB KLM-ABCDEFGHJK"
    assert row["holder_name"] == "Sri Wahyuni"  # no line break reaches the bank's upload tool


def test_each_bank_can_have_its_own_columns_and_delimiter():
    assert bankfiles.transfer_csv([LINE], bank="BRI").startswith(b"REFERENSI,NO_REKENING,NAMA,NOMINAL,")
    assert b";" in bankfiles.transfer_csv([LINE], bank="BNI").splitlines()[0]
    assert bankfiles.transfer_csv([LINE], bank="BCA").startswith(b"rekening_tujuan,nama,jumlah,berita,")


def test_the_same_lines_give_the_same_bytes():
    assert bankfiles.transfer_csv([LINE], bank="BRI") == bankfiles.transfer_csv([LINE], bank="BRI")


def test_a_result_csv_gives_one_line_per_row_with_its_outcome():
    content = (
        b"reference,status,amount,value_date,bank_reference,reason_code,reason\n"
        b"LA23456789AB,paid,67527500,2026-11-25,T1,,\n"
        b"la23456789AC,gagal,100,2026-11-25,T2,R01,Rekening ditutup\n"
    )
    parsed = bankfiles.parse_result(content, "csv")
    assert parsed.errors == ()
    assert [(line.reference, line.outcome) for line in parsed.lines] == [
        ("LA23456789AB", "paid"),
        ("LA23456789AC", "failed"),
    ]
    assert parsed.lines[1].reason == "Rekening ditutup"


def test_a_result_csv_with_bad_rows_reports_each_of_them():
    content = (
        b"reference,status,amount,value_date\n"
        b"LA23456789AB,paid,67.527.500,2026-11-25\n"
        b"LA23456789AC,maybe,100,25/11/2026\n"
        b",paid,100,2026-11-25\n"
    )
    parsed = bankfiles.parse_result(content, "csv")
    assert [error.line for error in parsed.errors] == [2, 3, 4]
    assert "whole rupiah" in parsed.errors[0].message


def test_a_result_csv_without_the_needed_columns_is_refused():
    parsed = bankfiles.parse_result(b"ref,amount\nLA23456789AB,1\n", "csv")
    assert parsed.errors and "missing columns" in parsed.errors[0].message


STATEMENT = """:20:STMT20261126
:25:0011223344
:28C:00001/001
:60F:C261125IDR100000000,00
:61:2611261126D67527500,00NTRFLA23456789AB//BRI0001
:86:LAPAKASIK LA23456789AB KLM-ABCDEFGHJK
:61:2611261126D10000000,00NTRFNONREF//BRI0002
:86:PEMBAYARAN LISTRIK KANTOR
:61:2611261126D9500000,00NTRFLA23456789AC//BRI0003
:86:LAPAKASIK LA23456789AC KLM-ABCDEFGHJM
:61:2611261126C9500000,00NRTRNONREF
:86:RETUR LA23456789AC REKENING DITUTUP
:62F:C261126IDR13972500,00
-
"""


def test_an_mt940_statement_gives_our_transfers_and_turns_a_return_into_a_failure():
    parsed = bankfiles.parse_result(STATEMENT.encode(), "mt940")
    assert parsed.errors == ()
    assert [(line.reference, line.outcome, line.amount) for line in parsed.lines] == [
        ("LA23456789AB", "paid", 67_527_500),
        ("LA23456789AC", "failed", 9_500_000),
    ]
    assert parsed.lines[0].value_date == dt.date(2026, 11, 26)
    assert parsed.lines[1].reason == "REKENING DITUTUP"


def test_an_unreadable_statement_is_an_error_not_an_empty_result():
    parsed = bankfiles.parse_result(b"\x00\x01 not a statement :61:garbage", "mt940")
    assert parsed.lines == () or parsed.errors


def test_a_bank_date_after_today_is_a_line_error():
    import datetime as dt

    from lapakasik.payments.bankfiles import ResultLine, future_dates

    today = dt.date(2026, 12, 3)
    lines = [
        ResultLine(2, "LAAAAAAAAAAA", "paid", 1, today),
        ResultLine(3, "LABBBBBBBBBB", "paid", 1, today + dt.timedelta(days=1)),
    ]
    (error,) = future_dates(lines, today)
    assert error.line == 3
    assert error.text() == "baris 3: tanggal bank 2026-12-04 belum terjadi (hari ini 2026-12-03)"
