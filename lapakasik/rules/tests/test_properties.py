"""Properties every result must keep, whatever the case: checked with hypothesis."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lapakasik.rules import reasons
from lapakasik.rules.api import estimate
from lapakasik.rules.dates import add_months, months_between
from lapakasik.rules.errors import RulesInputError
from lapakasik.rules.jkk import stmb_items
from lapakasik.rules.tax import lump_sum_tax

RUPIAH = st.integers(min_value=0, max_value=10**12)
COVERED = st.dates(min_value=date(2015, 9, 1), max_value=date(2027, 2, 28))
JHT_REASONS = list(reasons.JHT_REASONS)
LEVELS = ["belum_sekolah", "tk", "sd", "smp", "sma", "pt"]


def iso(day: date) -> str:
    return day.isoformat()


children = st.lists(
    st.fixed_dictionaries(
        {
            "birth_date": st.dates(date(1995, 1, 1), date(2024, 1, 1)).map(iso),
            "level": st.sampled_from(LEVELS),
        }
    ),
    max_size=3,
)


@st.composite
def jht_cases(draw: Any) -> dict[str, Any]:
    claim = draw(COVERED)
    return {
        "program": "JHT",
        "reason": draw(st.sampled_from(JHT_REASONS)),
        "claim_date": iso(claim),
        "separation_date": iso(claim - timedelta(days=draw(st.integers(0, 1500)))),
        "balance": draw(RUPIAH),
        "membership_start": iso(draw(st.dates(date(1990, 1, 1), claim))),
        "birth_date": iso(draw(st.dates(date(1950, 1, 1), date(2000, 1, 1)))),
        "partial_claimed_before": draw(st.booleans()),
    }


@st.composite
def jkm_cases(draw: Any) -> dict[str, Any]:
    return {
        "program": "JKM",
        "death_date": iso(draw(COVERED)),
        "contribution_months": draw(st.integers(0, 600)),
        "children": draw(children),
        "membership_active": draw(st.booleans()),
    }


@st.composite
def jkk_cases(draw: Any) -> dict[str, Any]:
    accident = draw(COVERED)
    return {
        "program": "JKK",
        "benefit": draw(st.sampled_from(["stmb", "partial_disability", "total_disability", "death"])),
        "accident_date": iso(accident),
        "monthly_wage": draw(st.integers(0, 10**9)),
        "incapacity_days": draw(st.integers(0, 3000)),
        "disability_percent": draw(st.integers(1, 100)),
        "claim_date": iso(accident + timedelta(days=draw(st.integers(0, 3000)))),
        "transport": draw(
            st.lists(
                st.fixed_dictionaries({"mode": st.sampled_from(["land", "sea", "air"]), "amount": RUPIAH}),
                max_size=3,
            )
        ),
        "children": draw(children),
    }


@st.composite
def jp_cases(draw: Any) -> dict[str, Any]:
    event = draw(st.dates(date(2015, 7, 1), date(2027, 2, 28)))
    possible = months_between(date(2015, 7, 1), event) + 1
    months = draw(st.integers(0, possible))
    first = draw(st.integers(0, possible - 1))
    start = add_months(date(2015, 7, 1), first)
    count = draw(st.integers(0, min(24, possible - first)))
    wages = [
        {"month": add_months(start, i).strftime("%Y-%m"), "wage": draw(st.integers(0, 50_000_000))}
        for i in range(count)
    ]
    return {
        "program": "JP",
        "event": draw(st.sampled_from(["old_age", "death", "disability"])),
        "event_date": iso(event),
        "birth_date": iso(draw(st.dates(date(1950, 1, 1), date(1995, 1, 1)))),
        "membership_start": iso(draw(st.dates(date(2015, 7, 1), event))),
        "contribution_months": months,
        "wages": wages,
        "beneficiary": draw(st.sampled_from(["spouse", "child", "parent"])),
    }


any_case = st.one_of(jht_cases(), jkm_cases(), jkk_cases(), jp_cases())


def estimate_or_none(case: dict[str, Any]) -> dict[str, Any] | None:
    """A case may be refused, but only ever with a RulesInputError naming a field."""
    try:
        return estimate(case)
    except RulesInputError as error:
        assert error.field and error.message_id and error.message_en
        return None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_case)
def test_amounts_are_never_negative_and_tax_never_exceeds_gross(case: dict[str, Any]) -> None:
    result = estimate_or_none(case)
    if result is None:
        return
    assert all(item["amount"] >= 0 for item in result["items"])
    assert all(entry["amount"] >= 0 for entry in result["schedule"])
    assert all(line["amount"] >= 0 for line in result["tax_lines"])
    assert 0 <= result["tax"] <= result["total"]
    assert result["net"] == result["total"] - result["tax"] >= 0
    assert result["total"] == sum(i["amount"] for i in result["items"] if i["periodicity"] == "once")
    if not result["eligible"]:
        assert result["total"] == 0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_case)
def test_the_same_case_on_the_same_date_always_gives_the_same_result(case: dict[str, Any]) -> None:
    first = estimate_or_none(copy.deepcopy(case))
    second = estimate_or_none(copy.deepcopy(case))
    assert first == second


@given(RUPIAH, COVERED, st.integers(0, 5), st.booleans())
def test_tax_is_between_zero_and_gross_and_grows_with_gross(
    gross: int, paid_on: date, years: int, partial: bool
) -> None:
    event = date(paid_on.year - years, 1, 1)
    tax = lump_sum_tax(gross, paid_on=paid_on, event_date=event, partial=partial).amount
    more = lump_sum_tax(gross + 1000, paid_on=paid_on, event_date=event, partial=partial).amount
    assert 0 <= tax <= gross
    assert tax <= more


@given(st.integers(1, 10**9), st.integers(0, 3000), COVERED)
def test_stmb_never_decreases_with_more_days(wage: int, days: int, accident: date) -> None:
    shorter = sum(item.amount for item in stmb_items(wage, days, accident))
    longer = sum(item.amount for item in stmb_items(wage, days + 1, accident))
    assert 0 <= shorter <= longer
