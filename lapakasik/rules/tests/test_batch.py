"""``estimate_many``: for every case of a list exactly what ``estimate`` answers for it alone."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lapakasik.rules import memo
from lapakasik.rules.api import estimate, estimate_many
from lapakasik.rules.errors import RulesInputError
from lapakasik.rules.tax import lump_sum_tax

from .test_legislation_cases import expand, load_cases
from .test_properties import any_case, jht_cases, jkk_cases, jkm_cases, jp_cases

TODAY = date(2026, 12, 3)


def one_at_a_time(case: Any, today: date = TODAY) -> Any:
    try:
        return estimate(case, today=today)
    except RulesInputError as error:
        return error


def comparable(answer: Any) -> Any:
    """A result as it is; a refusal as everything a caller can read from it."""
    if isinstance(answer, RulesInputError):
        return ("error", answer.as_dict(), getattr(answer, "details", None), str(answer))
    return answer


def assert_same_as_one_at_a_time(cases: list[Any]) -> None:
    expected = [comparable(one_at_a_time(case)) for case in cases]
    assert [comparable(answer) for answer in estimate_many(cases, today=TODAY)] == expected


# Ways a generated case goes wrong: each must give that case its own error entry.
BREAKAGES = [
    lambda c: {**c, "program": "JKN"},
    lambda c: {k: v for k, v in c.items() if k != "program"},
    lambda c: {**c, "nickname": "x"},
    lambda c: {**c, "claim_date": "2020-02-30"},
    lambda c: {**c, "claim_date": "1990-01-01"},  # no recorded law (or before the event)
    lambda c: {**c, "death_date": "1990-01-01"} if c["program"] == "JKM" else {**c, "balance": "40"},
    lambda c: {**c, "contribution_months": 4.0},
    lambda c: {**c, "contributions": [{"month": "2019-01", "wage": 1}]} if c["program"] == "JHT" else c,
    lambda c: {**c, "children": [{"birth_date": "2040-01-01", "level": "sd"}]},
    lambda c: {**c, "balance": None, "contributions": None} if c["program"] == "JHT" else c,
    lambda c: json.dumps(c),  # JSON text, as the CLI reads it
    lambda c: json.dumps(c)[:-1],  # broken JSON text
    lambda c: ["not", "a", "case"],
]

maybe_broken = st.one_of(
    any_case,
    st.tuples(any_case, st.sampled_from(range(len(BREAKAGES)))).map(lambda pair: BREAKAGES[pair[1]](pair[0])),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(maybe_broken, max_size=12))
def test_a_batch_answers_each_case_as_estimate_does_alone(cases: list[Any]) -> None:
    assert_same_as_one_at_a_time(cases)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_case, st.integers(0, 10**12), st.integers(0, 10**12))
def test_cases_that_share_a_law_date_but_not_their_amounts_keep_their_own_results(
    case: dict[str, Any], first: int, second: int
) -> None:
    # The remembered parameters, messages and eligibility must not leak one case's figures into another.
    key = {"JHT": "balance", "JKK": "monthly_wage", "JKM": "contribution_months", "JP": "contribution_months"}
    field = key[case["program"]]
    limit = 600 if case["program"] in {"JKM", "JP"} else 10**12
    assert_same_as_one_at_a_time(
        [{**case, field: first % (limit + 1)}, {**case, field: second % (limit + 1)}]
    )


@st.composite
def neighbours(draw: Any) -> list[dict[str, Any]]:
    """Cases of one program that share some fields (a law date, a reason) and differ in the others."""
    generate = draw(st.sampled_from([jht_cases, jkm_cases, jkk_cases, jp_cases]))
    first = draw(generate())
    others = draw(st.lists(generate(), min_size=1, max_size=4))
    varied = draw(st.sets(st.sampled_from(sorted(first)), min_size=1, max_size=2))
    return [first, *({**first, **{k: other[k] for k in varied}} for other in others)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(neighbours())
def test_cases_that_share_some_facts_keep_their_own_results(cases: list[dict[str, Any]]) -> None:
    assert_same_as_one_at_a_time(cases)


def test_every_legislation_case_in_one_batch() -> None:
    cases = [expand(param.values[0]["input"]) for param in load_cases()]
    assert len(cases) >= 60
    assert_same_as_one_at_a_time(cases)


def test_equal_numbers_written_differently_are_shown_as_written() -> None:
    # Decimal("12.5") == Decimal("12.50"), but the item's label shows the percent as given.
    case = {
        "program": "JKK",
        "benefit": "partial_disability",
        "accident_date": "2020-02-10",
        "monthly_wage": 3_500_000,
    }
    cases = [
        {**case, "disability_percent": Decimal("12.5")},
        {**case, "disability_percent": Decimal("12.50")},
    ]
    answers = estimate_many(cases, today=TODAY)
    labels = [answer["items"][0]["label_en"] for answer in answers]  # type: ignore[index]
    assert labels[0] != labels[1]
    assert_same_as_one_at_a_time(cases)


def test_an_invalid_case_spoils_only_its_own_entry() -> None:
    good = {"program": "JKM", "death_date": "2020-06-01", "contribution_months": 48}
    bad = {**good, "death_date": "2020-13-01"}
    answers = estimate_many([good, bad, good], today=TODAY)
    assert answers[0] == answers[2] == estimate(good, today=TODAY)
    assert isinstance(answers[1], RulesInputError) and answers[1].field == "death_date"


def test_not_a_list_is_refused() -> None:
    with pytest.raises(TypeError):
        estimate_many({"program": "JKM"}, today=TODAY)  # type: ignore[arg-type]
    assert estimate_many([], today=TODAY) == []


def test_nothing_is_remembered_outside_a_batch() -> None:
    assert memo.active() is None
    estimate_many([{"program": "JKM", "death_date": "2020-06-01", "contribution_months": 48}])
    assert memo.active() is None
    with memo.batch_scope() as outer:
        lump_sum_tax(60_000_000, paid_on=date(2020, 6, 1))
        with memo.batch_scope() as inner:
            assert inner is outer  # a nested batch shares the outer one's answers
        assert outer
    assert memo.active() is None


def test_a_repeated_case_is_answered_alike_in_its_own_dict() -> None:
    # Identical cases of a list are computed once; each entry still is its own dict with its own lists.
    case = {
        "program": "JKM",
        "death_date": "2020-06-01",
        "contribution_months": 48,
        "children": [{"birth_date": "2014-05-01", "level": "sd"}],
    }
    first, second, third = estimate_many([case, dict(case), {**case, "contribution_months": 47}], today=TODAY)
    assert first == second == estimate(case, today=TODAY)
    assert third == estimate({**case, "contribution_months": 47}, today=TODAY) != first
    assert first is not second
    assert all(first[name] is not second[name] for name in first if isinstance(first[name], list))  # type: ignore[index]
    second["notes"].append("changed by a caller")  # type: ignore[index]
    assert first == estimate(case, today=TODAY)


def test_equal_numbers_written_differently_are_shown_as_written_one_at_a_time_too() -> None:
    # Explanation lines are remembered per process: 12.5 must not answer for 12.50 afterwards.
    case = {
        "program": "JKK",
        "benefit": "partial_disability",
        "accident_date": "2020-02-10",
        "monthly_wage": 3_500_000,
    }
    first = estimate({**case, "disability_percent": Decimal("12.5")}, today=TODAY)
    second = estimate({**case, "disability_percent": Decimal("12.50")}, today=TODAY)
    assert first["items"][0]["label_en"] != second["items"][0]["label_en"]


JHT_HISTORY = {
    "program": "JHT",
    "reason": "resign",
    "separation_date": "2020-03-15",
    "claim_date": "2020-04-20",
}


@pytest.mark.parametrize(
    ("month", "code"),
    [
        (
            "2019-01",
            "model_type",
        ),  # not an object: the code a nested model gave before months were typed dicts
        ({"month": "2019-01", "amount": 1, "wage": 2}, "amount_or_wage"),
        ({"month": "2019-01"}, "amount_or_wage"),
        ({"month": "2019-01", "wage": 4_500_000, "bonus": 1}, "extra_forbidden"),
        ({"month": "2019-13", "wage": 4_500_000}, "string_pattern_mismatch"),
        ({"month": "2019-01", "wage": "4500000"}, "int_type"),
        ({"wage": 4_500_000}, "missing"),
    ],
)
def test_each_contribution_month_is_checked_where_it_is(month: Any, code: str) -> None:
    case = {**JHT_HISTORY, "contributions": [{"month": "2018-12", "wage": 4_500_000}, month]}
    with pytest.raises(RulesInputError) as refused:
        estimate(case, today=TODAY)
    assert refused.value.code == code and refused.value.field.startswith("contributions.1")


def test_a_repeated_history_case_is_computed_once_and_answers_like_one_at_a_time() -> None:
    history = [{"month": f"2019-{m:02d}", "wage": 4_500_000} for m in range(1, 13)]
    case = {**JHT_HISTORY, "contributions": history}
    other = {**case, "contributions": [*history[:-1], {"month": "2019-12", "amount": 1_000}]}
    answers = estimate_many([case, other, case], today=TODAY)
    assert answers[0] == answers[2] == estimate(case, today=TODAY)
    assert answers[1] == estimate(other, today=TODAY) != answers[0]
