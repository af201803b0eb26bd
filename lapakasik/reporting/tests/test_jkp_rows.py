"""Reports list JKP from its start (PP 37/2021, 2 Feb 2021): the 2020 reports keep their four programs."""

from __future__ import annotations

import datetime as dt

from lapakasik.claims.models import Program, programs_reported
from lapakasik.reporting.queries import claims_paid_report, national_report


def test_a_period_ending_before_jkp_began_lists_the_four_programs_of_2020():
    assert programs_reported(dt.date(2021, 2, 1)) == [Program.JHT, Program.JKM, Program.JKK, Program.JP]


def test_a_period_reaching_jkp_lists_it_last_even_with_nothing_paid():
    assert programs_reported(dt.date(2021, 2, 2))[-1] == Program.JKP


def test_a_jkp_claim_counted_before_its_start_is_never_hidden():
    assert Program.JKP in programs_reported(dt.date(2020, 7, 23), found={"JKP"})


def test_the_madiun_2020_report_has_no_jkp_row(madiun):
    report = claims_paid_report(madiun, dt.date(2020, 1, 1), dt.date(2020, 7, 23))
    assert [t["program"] for t in report["totals"]] == ["JHT", "JKM", "JKK", "JP"]


def test_a_2026_report_has_a_jkp_row_with_zero_cells(madiun):
    report = claims_paid_report(madiun, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    jkp = [r for r in report["rows"] if r["program"] == "JKP"]
    assert len(jkp) == madiun.areas.count() and all(r["cases"] == 0 for r in jkp)
    assert [t["program"] for t in national_report(dt.date(2026, 1, 1), dt.date(2026, 3, 31))["totals"]][
        -1
    ] == "JKP"
