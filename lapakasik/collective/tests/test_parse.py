"""Reading lists as HR offices really produce them (parse.py is pure: no database)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from lapakasik.collective.parse import (
    COLUMNS,
    ListFileError,
    parse_rows,
    read_date,
    read_table,
    safe_cell,
    template_header,
    write_csv,
    write_xlsx,
)

HEADER = template_header()
GOOD = [
    "3519081204909001",
    "26900000001",
    "Agus Setiawan",
    "12/04/1990",
    "30/09/2026",
    "PHK",
    "BRI",
    "001201009000101",
    "Agus Setiawan",
]


def csv_bytes(rows, *, header=HEADER, delimiter=",", bom=False, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode(encoding)


def parse(data: bytes, name: str = "daftar.csv"):
    return list(parse_rows(read_table(data, name)))


def xlsx_bytes(rows, *, header=HEADER, merge: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def errors_of(row) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for issue in row.errors:
        found.setdefault(issue.column, []).append(issue.render())
    return found


def test_a_clean_row_is_read_into_values():
    [row] = parse(csv_bytes([GOOD]))
    assert row.errors == []
    assert (row.nik, row.kpj, row.reason, row.bank) == ("3519081204909001", "26900000001", "phk", "BRI")
    assert row.birth_date == dt.date(1990, 4, 12)
    assert row.termination_date == dt.date(2026, 9, 30)


def test_it_reads_a_bom_and_semicolons_as_indonesian_excel_writes_them():
    [row] = parse(csv_bytes([GOOD], delimiter=";", bom=True))
    assert row.errors == [] and row.nik == GOOD[0]


def test_a_file_that_is_not_utf8_is_refused_with_how_to_save_it():
    data = csv_bytes([[*GOOD[:2], "Agus Setiawan Müller", *GOOD[3:]]], encoding="cp1252")
    with pytest.raises(ListFileError) as error:
        parse(data)
    assert "CSV UTF-8" in error.value.render()


def test_a_utf16_file_is_refused():
    with pytest.raises(ListFileError, match="UTF-16"):
        parse(csv_bytes([GOOD]).decode().encode("utf-16"))


def test_missing_columns_are_named():
    with pytest.raises(ListFileError) as error:
        parse(csv_bytes([GOOD[:3]], header=HEADER[:3]))
    assert "Tanggal Lahir" in error.value.render() and "Nomor Rekening" in error.value.render()


def test_empty_rows_are_skipped_and_extra_columns_are_reported_not_read():
    table = read_table(
        csv_bytes([GOOD + ["", "catatan"], [""] * 11, [" "] * 10], header=[*HEADER, "Catatan"]), "x.csv"
    )
    rows = list(parse_rows(table))
    assert len(rows) == 1 and rows[0].errors == []
    assert table.extra_columns == ["Catatan"]


def test_headers_are_matched_loosely_and_in_any_order():
    header = [
        "nama",
        "no kpj",
        "NIK",
        "tgl lahir",
        "Tanggal PHK",
        "alasan",
        "bank",
        "No. Rekening",
        "atas nama",
    ]
    order = [2, 1, 0, 3, 4, 5, 6, 7, 8]
    [row] = parse(csv_bytes([[GOOD[order.index(i)] for i in range(9)]], header=header))
    assert row.errors == [] and row.full_name == "Agus Setiawan"


@pytest.mark.parametrize("typed", ["3.519e+15", "3,51908E+15", "3.51908120490900E+15"])
def test_a_nik_excel_turned_into_scientific_notation_is_caught_and_explained(typed):
    [row] = parse(csv_bytes([[typed, *GOOD[1:]]]))
    [message] = errors_of(row)["nik"]
    assert "Excel" in message and "Teks" in message and typed in message


def test_a_nik_that_lost_a_digit_is_explained():
    [row] = parse(csv_bytes([[GOOD[0][1:], *GOOD[1:]]]))
    assert "16 digit" in errors_of(row)["nik"][0] and "15 digit" in errors_of(row)["nik"][0]


def test_a_nik_stored_as_a_number_in_xlsx_lost_its_last_digit():
    rows = parse(xlsx_bytes([[3519081204909000, *GOOD[1:]]]), "daftar.xlsx")
    assert "15 digit" in errors_of(rows[0])["nik"][0]


def test_a_kpj_stored_as_a_number_lost_its_leading_zero():
    rows = parse(xlsx_bytes([[GOOD[0], 1900000001, *GOOD[2:]]]), "daftar.xlsx")
    assert "angka 0 di depan" in errors_of(rows[0])["kpj"][0]


@pytest.mark.parametrize("text", ["31/02/1985", "13/13/2020", "2020-02-30"])
def test_a_date_written_right_that_is_not_in_the_calendar_says_so(text):
    [row] = parse(csv_bytes([[*GOOD[:3], text, *GOOD[4:]]]))
    assert "tidak ada di kalender" in errors_of(row)["birth_date"][0]


def test_an_account_number_stored_as_a_number_is_an_error_not_a_guess():
    # 001201009000101 typed into a number cell is kept by Excel as 1201009000101: another account.
    rows = parse(xlsx_bytes([[*GOOD[:7], 1201009000101, GOOD[8]]]), "daftar.xlsx")
    message = errors_of(rows[0])["account_number"][0]
    assert "angka 0 di depan" in message and "1201009000101" in message and rows[0].account_number == ""


def test_xlsx_dates_and_text_cells_are_read():
    row = [GOOD[0], GOOD[1], GOOD[2], dt.datetime(1990, 4, 12), "30 September 2026", *GOOD[5:]]
    [parsed] = parse(xlsx_bytes([row]), "daftar.xlsx")
    assert parsed.errors == []
    assert parsed.birth_date == dt.date(1990, 4, 12) and parsed.termination_date == dt.date(2026, 9, 30)


def test_merged_cells_in_an_xlsx_are_reported_on_the_rows_they_cover():
    rows = parse(xlsx_bytes([GOOD, [GOOD[0][:-1] + "2", *GOOD[1:]]], merge="F2:F3"), "daftar.xlsx")
    assert all("sel gabungan" in " ".join(errors_of(r)["row"]) for r in rows)


def test_a_damaged_xlsx_is_refused():
    with pytest.raises(ListFileError, match="rusak"):
        parse(b"PK\x03\x04 not really a zip", "daftar.xlsx")


def test_an_xlsx_zip_bomb_is_refused_before_openpyxl_opens_it():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(ListFileError, match="zip bomb"):
        parse(out.getvalue(), "daftar.xlsx")


@pytest.mark.parametrize(
    "text, day",
    [
        ("05/07/2020", dt.date(2020, 7, 5)),
        ("5-7-2020", dt.date(2020, 7, 5)),
        ("05.07.2020", dt.date(2020, 7, 5)),
        ("2020-07-05", dt.date(2020, 7, 5)),
        ("5 Juli 2020", dt.date(2020, 7, 5)),
        ("5 Agt 2020", dt.date(2020, 8, 5)),
        ("17 Agustus 1945", dt.date(1945, 8, 17)),
        ("1 Mei 2020", dt.date(2020, 5, 1)),
        ("43997", dt.date(2020, 6, 15)),
        ("2020-07-05 00:00:00", dt.date(2020, 7, 5)),
    ],
)
def test_dates_are_read_in_the_usual_indonesian_forms_and_as_excel_serials(text, day):
    assert read_date(text) == day


@pytest.mark.parametrize("text", ["05/07/20", "Juli 2020", "kemarin"])
def test_unreadable_dates_are_row_errors_with_an_example(text):
    [row] = parse(csv_bytes([[*GOOD[:3], text, *GOOD[4:]]]))
    assert "05/07/2020" in errors_of(row)["birth_date"][0]


def test_the_birth_date_must_agree_with_the_nik():
    [row] = parse(csv_bytes([[*GOOD[:3], "13/04/1990", *GOOD[4:]]]))
    assert "birth_date" in errors_of(row)


@pytest.mark.parametrize(
    "typed, code",
    [
        ("PHK", "phk"),
        ("Mengundurkan diri", "resign"),
        ("resign", "resign"),
        ("Kontrak berakhir", "end_of_contract"),
        ("end of contract", "end_of_contract"),
        ("habis kontrak", "end_of_contract"),
    ],
)
def test_reasons_are_read_in_indonesian_and_english(typed, code):
    [row] = parse(csv_bytes([[*GOOD[:5], typed, *GOOD[6:]]]))
    assert row.reason == code


def test_every_required_cell_has_its_own_message():
    [row] = parse(csv_bytes([["", "", "", "", "", "pensiun dini", "", "12ab", ""]]))
    assert set(errors_of(row)) == {c.key for c in COLUMNS if not c.optional}  # Program: empty is JHT


def test_a_100000_row_file_is_read_in_full():
    data = csv_bytes([[GOOD[0], GOOD[1], f"Pekerja {i}", *GOOD[3:]] for i in range(100_000)])
    assert sum(1 for _ in parse_rows(read_table(data, "besar.csv"))) == 100_000


def test_a_list_longer_than_the_limit_is_refused_with_advice_to_split_it(monkeypatch):
    monkeypatch.setattr("lapakasik.collective.parse.MAX_ROWS", 3)
    with pytest.raises(ListFileError, match="bagi menjadi beberapa berkas"):
        parse(csv_bytes([GOOD] * 4))


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_defused():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("@SUM(1)") == "'@SUM(1)" and safe_cell("+62") == "'+62" and safe_cell("Agus") == "Agus"
    exported = write_csv(["Nama"], [["=1+1"]]).decode("utf-8-sig")
    assert "'=1+1" in exported
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(["Nama"], [["=1+1"]])))
    assert book.active["A2"].value == "'=1+1" and book.active["A2"].data_type == "s"


def test_the_template_round_trips_through_the_reader():
    [row] = parse(write_xlsx(HEADER, [GOOD]), "templat.xlsx")
    assert row.errors == [] and row.nik == GOOD[0]
    [row] = parse(write_csv(HEADER, [GOOD]))
    assert row.errors == []
