import csv
import datetime as dt
from pathlib import Path

import pytest

from lapakasik.lib.errors import DomainError
from lapakasik.reporting.queries import claims_paid_report, get_branch

REFERENCE = Path(__file__).resolve().parents[2] / "demo" / "reference" / "madiun-2020-claims.csv"
FROM, TO = dt.date(2020, 1, 1), dt.date(2020, 7, 23)


def reference_rows():
    with REFERENCE.open(encoding="utf-8") as f:
        return [
            {
                "program": r["program"],
                "region": r["region"],
                "cases": int(r["cases"]),
                "amount": int(r["amount_idr"]),
            }
            for r in csv.DictReader(f)
        ]


def test_the_demo_reproduces_the_madiun_2020_figures_cell_by_cell(madiun):
    report = claims_paid_report(madiun, FROM, TO)
    assert report["rows"] == reference_rows()


def test_the_totals_match_the_press_statement(madiun):
    report = claims_paid_report(madiun, FROM, TO)
    assert report["grand_total"] == {"cases": 11729, "amount": 96091106200}
    totals = {t["program"]: (t["cases"], t["amount"]) for t in report["totals"]}
    assert totals == {
        "JHT": (9767, 86791375610),
        "JKM": (152, 5975800000),
        "JKK": (343, 1985343400),
        "JP": (1467, 1338587190),
    }


def test_a_period_without_payments_still_lists_every_cell_as_zero(madiun):
    report = claims_paid_report(madiun, dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert len(report["rows"]) == 16
    assert all(r["cases"] == 0 and r["amount"] == 0 for r in report["rows"])


def test_the_period_is_inclusive_at_both_ends(madiun):
    whole = claims_paid_report(madiun, FROM, TO)["grand_total"]["cases"]
    first_half = claims_paid_report(madiun, FROM, dt.date(2020, 4, 15))["grand_total"]["cases"]
    second_half = claims_paid_report(madiun, dt.date(2020, 4, 16), TO)["grand_total"]["cases"]
    assert first_half + second_half == whole


def test_from_after_to_is_refused(madiun):
    with pytest.raises(DomainError) as caught:
        claims_paid_report(madiun, TO, FROM)
    assert caught.value.code == "bad_period"


@pytest.mark.django_db
def test_an_unknown_branch_is_refused():
    with pytest.raises(DomainError) as caught:
        get_branch("atlantis")
    assert caught.value.code == "unknown_branch"
