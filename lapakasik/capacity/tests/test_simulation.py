"""The branch-day simulation on its own (no database): the queueing formula, the model's levers, bad input."""

import dataclasses

import pytest

from lapakasik.capacity.queueing import erlang_c, mmc_mean_wait
from lapakasik.capacity.simulation import (
    Behaviour,
    Person,
    Scenario,
    ScenarioError,
    ServiceTimes,
    as_report,
    percentile,
    replicate,
    simulate_day,
)

EXPONENTIAL_5 = ServiceTimes(
    briefing={"one_to_one": 0.0, "one_to_many": 0.0},
    check={"*": 5.0},
    incomplete_extra=0.0,
    distribution="exponential",
)
BRANCH = ServiceTimes(
    briefing={"one_to_one": 6.0, "one_to_many": 12.0}, check={"*": 6.0, "JKM": 10.0}, incomplete_extra=4.0
)
NOBODY_MISSES = Behaviour(no_show_rate=0, late_rate=0, incomplete_rate=0)


def day(**changes) -> Scenario:
    base = Scenario(
        day_minutes=7 * 60,
        officers=2,
        mode="one_to_one",
        group_size=1,
        service=BRANCH,
        behaviour=NOBODY_MISSES,
        arrivals_per_hour=12,
    )
    return dataclasses.replace(base, **changes)


def test_erlang_c_matches_a_textbook_value():
    # 2 servers, offered load 1 erlang: P(wait) = 1/3, Wq = 1/3 / (2μ - λ)
    assert erlang_c(2, 1.0, 1.0) == pytest.approx(1 / 3)
    assert mmc_mean_wait(2, 1.0, 1.0) == pytest.approx(1 / 3)


def test_one_to_one_with_exponential_times_waits_as_long_as_the_mm_c_formula_says():
    """M/M/2 at 75% load: Poisson arrivals 18/hour, exponential 5-minute service, FIFO. Erlang C gives a
    mean wait of 6.43 minutes. 16 replications of 10,000 minutes (about 48,000 people) after a warm-up of
    300 minutes: the simulated mean must lie within 10% of the formula (docs/capacity.md, "Validation")
    and the 95% interval must contain it; the officers' utilisation must be the load, 0.75 ± 0.02."""
    scenario = Scenario(
        day_minutes=10_000,
        officers=2,
        mode="one_to_one",
        group_size=1,
        service=EXPONENTIAL_5,
        behaviour=NOBODY_MISSES,
        arrivals_per_hour=18,
        warmup_minutes=300,
    )
    summary = replicate(scenario, seed=2020, replications=16)
    expected = mmc_mean_wait(2, 18 / 60, 1 / 5)
    assert expected == pytest.approx(6.4286, abs=1e-3)
    wait = summary["wait_mean"]
    assert abs(wait.mean - expected) / expected < 0.10
    assert wait.low <= expected <= wait.high
    assert summary["officer_utilisation"].mean == pytest.approx(0.75, abs=0.02)


def test_the_same_seed_gives_the_same_day_and_another_seed_another():
    first = simulate_day(day(), seed=7)
    assert simulate_day(day(), seed=7) == first
    assert simulate_day(day(), seed=8) != first


def test_replications_give_an_interval_around_the_mean():
    summary = replicate(day(arrivals_per_hour=20), seed=3, replications=10)
    wait = summary["wait_mean"]
    assert len(summary.runs) == 10 and len({run.arrivals for run in summary.runs}) > 1
    assert wait.half_width > 0 and wait.low < wait.mean < wait.high
    report = as_report(summary)
    assert set(report) >= {
        "arrivals",
        "served",
        "wait_minutes",
        "officer_utilisation",
        "served_per_officer_hour",
    }
    assert report["ci95"]["wait_minutes_mean"] == [round(wait.low, 1), round(wait.high, 1)]


def test_booked_people_who_do_not_show_are_not_arrivals():
    booked = [Person("JHT/resign", eligible_at=60 + 30 * (i // 4)) for i in range(40)]
    everyone = simulate_day(day(booked=booked, arrivals_per_hour=None), seed=1)
    assert (everyone.booked, everyone.arrivals, everyone.no_shows) == (40, 40, 0)
    some_miss = dataclasses.replace(NOBODY_MISSES, no_show_rate=0.25)
    fewer = replicate(
        day(booked=booked, arrivals_per_hour=None, behaviour=some_miss), seed=1, replications=20
    )
    assert fewer["no_shows"].mean == pytest.approx(10, abs=2)
    assert fewer["arrivals"].mean + fewer["no_shows"].mean == 40


def test_a_booked_person_is_never_called_before_the_slot_starts():
    booked = [Person("JHT/resign", eligible_at=120)]
    result = simulate_day(
        day(
            booked=booked,
            arrivals_per_hour=None,
            behaviour=Behaviour(no_show_rate=0, late_rate=0, early_max_minutes=15),
        ),
        seed=4,
    )
    assert result.served == 1
    assert 0 < result.waits[0] <= 15  # came up to 15 minutes early, called at the slot's start


def test_serving_groups_serves_more_people_per_officer_hour_under_load():
    busy = {"arrivals_per_hour": 30, "officers": 2}
    single = replicate(day(**busy), seed=11, replications=5)
    group = replicate(day(**busy, mode="one_to_many", group_size=5), seed=11, replications=5)
    assert group["served_per_officer_hour"].mean > single["served_per_officer_hour"].mean * 1.3
    assert group["wait_mean"].mean < single["wait_mean"].mean
    assert 1 < group["mean_group_size"].mean <= 5
    assert single["mean_group_size"].mean == 1


def test_incomplete_documents_lengthen_the_wait():
    complete = replicate(day(arrivals_per_hour=16), seed=5, replications=8)
    half = dataclasses.replace(NOBODY_MISSES, incomplete_rate=0.5)
    incomplete = replicate(day(arrivals_per_hour=16, behaviour=half), seed=5, replications=8)
    assert incomplete["incomplete"].mean > 0
    assert incomplete["wait_mean"].mean > complete["wait_mean"].mean


def test_too_few_booths_hold_groups_back():
    busy = {"arrivals_per_hour": 40, "officers": 3, "mode": "one_to_many", "group_size": 5}
    enough = replicate(day(**busy), seed=2, replications=4)
    short = replicate(day(**busy, booths=5), seed=2, replications=4)  # one group at a time
    assert short["wait_mean"].mean > enough["wait_mean"].mean
    assert short["officer_utilisation"].mean < enough["officer_utilisation"].mean


def test_people_still_waiting_at_closing_are_counted_as_unserved():
    overloaded = simulate_day(day(arrivals_per_hour=40, officers=1), seed=9)
    assert overloaded.unserved > 0
    assert overloaded.served + overloaded.unserved == overloaded.arrivals


def test_each_kind_of_claim_has_its_own_service_time():
    assert BRANCH.check_for("JKM/death") == 10.0
    assert BRANCH.check_for("JHT/resign") == 6.0
    jkm = replicate(day(kind_mix=(("JKM/death", 1.0),)), seed=6, replications=3)
    jht = replicate(day(kind_mix=(("JHT/resign", 1.0),)), seed=6, replications=3)
    assert jkm["officer_utilisation"].mean > jht["officer_utilisation"].mean


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"officers": 0}, "no_officers", "officers"),
        ({"mode": "one_to_all"}, "unknown_mode", "mode"),
        ({"group_size": 4}, "group_size_one_to_one", "group_size"),
        ({"mode": "one_to_many", "group_size": 7}, "group_size_range", "group_size"),
        ({"mode": "one_to_many", "group_size": 1}, "group_size_range", "group_size"),
        ({"mode": "one_to_many", "group_size": 5, "booths": 4}, "too_few_booths", "booths"),
        ({"arrivals_per_hour": -1}, "bad_rate", "arrivals_per_hour"),
        ({"behaviour": Behaviour(no_show_rate=1.5)}, "rate_range", "no_show_rate"),
        ({"day_minutes": 0}, "empty_day", "day"),
    ],
)
def test_impossible_scenarios_are_refused_with_the_field_at_fault(changes, code, field):
    with pytest.raises(ScenarioError) as refused:
        simulate_day(day(**changes), seed=1)
    assert (refused.value.code, refused.value.field) == (code, field)


def test_replications_must_be_between_1_and_200():
    with pytest.raises(ScenarioError) as refused:
        replicate(day(), seed=1, replications=0)
    assert refused.value.field == "replications"


def test_the_90th_percentile_is_the_nearest_rank():
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile([], 0.9) == 0.0
