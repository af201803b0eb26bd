"""The XLSX export as a spreadsheet user meets it: readable sheet names, the heading row frozen, a filter on
the table (not on the total), columns wide enough for their numbers."""

import io

import openpyxl

from lapakasik.reporting import exports


def _tables():
    return [
        exports.Table(
            "matrix",
            "Klaim dibayar menurut program dan wilayah",
            [
                ("Program", exports.TEXT),
                ("Wilayah", exports.TEXT),
                ("Kasus", exports.COUNT),
                ("Nominal (Rp)", exports.MONEY),
            ],
            [["JHT", "Madiun", 5976, 58286871540], ["JKM", '=HYPERLINK("x")', 85, 3283000000]],
            ["Total", "", 6061, 61569871540],
        ),
        exports.Table(
            "channels", "Menurut kanal", [("Kanal", exports.TEXT), ("Kasus", exports.COUNT)], [["Daring", 3]]
        ),
    ]


def test_sheets_have_readable_names_frozen_headings_and_a_filter_on_the_data():
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx("Madiun", _tables())))
    assert book.sheetnames == ["Klaim per program", "Per kanal"]
    matrix = book["Klaim per program"]
    assert matrix.freeze_panes == "A5"  # rows 1-4 (subject, title, blank, headings) stay in view
    assert matrix.auto_filter.ref == "A4:D6"  # headings and the two data rows; the total row is outside
    assert [c.value for c in matrix[4]] == ["Program", "Wilayah", "Kasus", "Nominal (Rp)"]
    assert matrix["A7"].value == "Total" and matrix["C7"].value == 6061
    assert matrix.column_dimensions["D"].width >= len("61,569,871,540")
    assert matrix["B6"].value.startswith("'=")  # text that would run as a formula stays text
    assert book["Per kanal"].auto_filter.ref == "A4:B5"


def test_the_claims_sheet_is_named_frozen_and_filtered(madiun):
    from lapakasik.reporting.lines import paid_lines

    claims = paid_lines(None, None, branch=madiun, program="JKM", area__name="Pacitan")
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx("Madiun", _tables(), claims)))
    sheet = book["Daftar klaim"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:K2"  # one JKM claim in Pacitan; K: the instalment, empty for it
    assert sheet["J2"].value == 42000000
