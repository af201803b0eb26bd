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


def test_the_press_counts_jkp_in_monthly_payments():
    from lapakasik.reporting.press import compose_press_summary

    report = {
        "period": {"from": "2027-01-01", "to": "2027-01-31"},
        "rows": [{"program": "JKP", "region": "Madiun", "cases": 3, "amount": 9_000_000}],
        "totals": [{"program": "JKP", "cases": 3, "amount": 9_000_000}],
        "grand_total": {"cases": 3, "amount": 9_000_000},
    }
    text = compose_press_summary(report, unit_name="BPJAMSOSTEK Cabang Madiun")
    assert "Klaim JKP sebanyak tiga pembayaran bulanan dengan jumlah nominal" in text
    assert "Madiun sebanyak Rp9.000.000 (tiga pembayaran bulanan)" in text


def test_a_jkp_month_is_counted_in_the_month_the_bank_paid_it(madiun):
    from lapakasik.reporting.queries import claims_paid_report_direct
    from lapakasik.reporting.rollup import instalment_paid, record_paid

    class Claim:
        branch_id, area_id, program, channel, reason = (
            madiun.id,
            madiun.areas.first().id,
            "JKP",
            "online",
            "phk",
        )
        submitted_on = dt.date(2026, 12, 1)

    class Month:
        def __init__(self, n, day):
            self.instalment, self.paid_on, self.gross = n, day, 3_000_000

    record_paid(
        [
            instalment_paid(Month(1, dt.date(2026, 12, 3)), Claim),
            instalment_paid(Month(2, dt.date(2027, 1, 4)), Claim),
        ]
    )
    for start, end in [
        (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        (dt.date(2027, 1, 1), dt.date(2027, 1, 31)),
    ]:
        jkp = next(t for t in claims_paid_report(madiun, start, end)["totals"] if t["program"] == "JKP")
        assert jkp == {"program": "JKP", "cases": 1, "amount": 3_000_000}
    # Only the first month carries the waiting time (submission to first payment).
    from lapakasik.reporting.models import PaidDaily

    waits = dict(PaidDaily.objects.filter(program="JKP").values_list("paid_on", "wait_cases"))
    assert waits == {dt.date(2026, 12, 3): 1, dt.date(2027, 1, 4): 0}
    assert (
        claims_paid_report_direct(madiun, dt.date(2026, 12, 1), dt.date(2026, 12, 31))["totals"][-1]["cases"]
        == 0
    )
