"""The paid lines behind the figures (reporting/lines.py): the export's claims CSV and sheet and the median count
JKP as the report does — once per monthly payment paid in the period — so their lines add up to its cases and
rupiah per program."""

from __future__ import annotations

import csv
import io
from collections import Counter

import openpyxl
import pytest

from lapakasik.reporting import exports
from lapakasik.reporting.dashboard import Filters
from lapakasik.reporting.headline import branch_figures, median_wait
from lapakasik.reporting.queries import claims_paid_report, claims_paid_report_direct

from .jkp_world import FEBRUARY_28, JANUARY_1, build

PERIOD = Filters(JANUARY_1, FEBRUARY_28)


@pytest.fixture
def world(madiun, finance):
    return build(madiun, finance)


def _report_by_program(branch, filters=PERIOD) -> dict[str, tuple[int, int]]:
    report = claims_paid_report(branch, filters.date_from, filters.date_to)
    assert report == claims_paid_report_direct(branch, filters.date_from, filters.date_to)
    return {t["program"]: (t["cases"], t["amount"]) for t in report["totals"] if t["cases"]}


def _by_program(rows: list[tuple[str, int]]) -> dict[str, tuple[int, int]]:
    cases, amount = Counter(), Counter()
    for program, rupiah in rows:
        cases[program] += 1
        amount[program] += rupiah
    return {program: (cases[program], amount[program]) for program in cases}


def test_the_report_counts_two_jkp_months_and_the_history_claim(world, madiun):
    assert _report_by_program(madiun) == {
        "JHT": (1, 10_000_000),
        "JKM": (1, 42_000_000),
        "JKP": (3, 24_000_000),  # months 1 and 2 of the claim being paid, and the history claim once
    }


def test_the_csv_has_a_line_per_paid_claim_and_per_jkp_month_adding_up_to_the_report(world, madiun):
    lines = exports.claims_for_export(madiun, PERIOD)
    rows = list(csv.DictReader(io.StringIO("".join(exports.claims_csv(lines, identifiers=True)))))
    assert list(rows[0]) == [
        "number", "paid_on", "submitted_on", "program", "reason", "channel", "region", "nik", "kpj", "amount",
        "instalment",
    ]  # fmt: skip
    assert _by_program([(r["program"], int(r["amount"])) for r in rows]) == _report_by_program(madiun)
    jkp = [r for r in rows if r["number"] == world["jkp"].number]
    assert [(r["paid_on"], r["instalment"], r["amount"], r["submitted_on"]) for r in jkp] == [
        ("2027-01-20", "1", "3000000", "2027-01-05"),  # the wait is counted with the first month only
        ("2027-02-22", "2", "3000000", ""),
    ]
    lump = next(r for r in rows if r["number"] == world["jht"].number)
    assert lump["instalment"] == "" and lump["submitted_on"] == "2027-01-03"
    assert [r["paid_on"] for r in rows] == sorted(r["paid_on"] for r in rows)
    assert world["later"].number not in {r["number"] for r in rows}


def test_the_csv_masks_identifiers_on_jkp_lines_too(world, madiun):
    text = "".join(exports.claims_csv(exports.claims_for_export(madiun, PERIOD)))
    assert world["jkp"].participant.nik not in text and world["jkp"].number in text


def test_the_workbook_sheet_holds_the_same_lines_with_the_instalment_last(world, madiun):
    lines = exports.claims_for_export(madiun, PERIOD)
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx("Madiun", [], lines)), read_only=True)
    heading, *rows = list(book[exports.CLAIMS_SHEET].iter_rows(values_only=True))
    assert heading[-1] == "pembayaran ke" and heading[9] == "nominal"
    assert _by_program([(r[3], r[9]) for r in rows]) == _report_by_program(madiun)
    assert sorted(r[10] for r in rows if r[0] == world["jkp"].number) == [1, 2]
    assert all(r[10] is None for r in rows if r[3] != "JKP")


@pytest.mark.parametrize(
    ("narrowed", "programs"),
    [
        ({"program": "JKP"}, {"JKP"}),
        ({"channel": "online"}, {"JHT", "JKP"}),
    ],
)
def test_the_filters_apply_to_every_line(world, madiun, narrowed, programs):
    filters = Filters(JANUARY_1, FEBRUARY_28, **narrowed)
    rows = list(exports.claims_for_export(madiun, filters).rows())
    assert {row[3] for row in rows} == programs
    expected = {p: v for p, v in _report_by_program(madiun).items() if p in programs}
    assert _by_program([(row[3], row[9]) for row in rows]) == expected
    figures = branch_figures(madiun, filters)
    assert exports.claims_for_export(madiun, filters).totals() == (figures.cases, figures.amount)


def test_an_area_filter_keeps_the_jkp_months_of_that_area_only(world, madiun):
    ngawi = madiun.areas.get(name="Ngawi").id
    rows = list(exports.claims_for_export(madiun, Filters(JANUARY_1, FEBRUARY_28, area_id=ngawi)).rows())
    assert sorted(row[0] for row in rows) == sorted([world["jkm"].number, world["history"].number])


def test_the_median_counts_the_jkp_claim_once_with_its_first_month(world, madiun):
    # Waits: JKM 6 days, JHT 7, JKP 15 (submission to month 1); month 2 carries none; history has no date.
    assert median_wait(madiun, PERIOD) == 7
    assert branch_figures(madiun, PERIOD).median_days == 7
    assert median_wait(madiun, Filters(JANUARY_1, FEBRUARY_28, program="JKP")) == 15


def test_a_jkp_month_outside_the_period_is_left_out(world, madiun):
    february = Filters(FEBRUARY_28.replace(day=1), FEBRUARY_28, program="JKP")
    rows = list(exports.claims_for_export(madiun, february).rows())
    assert sorted((row[0], row[10]) for row in rows) == sorted(
        [(world["jkp"].number, 2), (world["history"].number, None)]
    )
    assert median_wait(madiun, february) is None  # month 2 carries no wait; the history claim has no date
