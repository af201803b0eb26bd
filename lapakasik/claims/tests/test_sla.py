"""The service-level clock: working days, pauses while the participant is asked for documents, the states."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lapakasik.claims.sla import (
    Pause,
    SlaState,
    add_working_days,
    allowed_working_days,
    pauses_from,
    sla_clock,
)

SHARE = Decimal("0.6")
MON = dt.date(2026, 11, 2)  # Monday 2 November 2026; no holiday that fortnight


def clock(today, pauses=(), started_on=MON, allowed=5):
    return sla_clock(
        started_on=started_on, allowed=allowed, pauses=list(pauses), today=today, at_risk_share=SHARE
    )


def test_five_working_days_skip_the_weekend():
    assert add_working_days(MON, 5) == dt.date(2026, 11, 9)
    assert add_working_days(dt.date(2026, 11, 6), 1) == dt.date(2026, 11, 9)  # Friday + 1 = Monday


def test_holidays_and_cuti_bersama_do_not_count():
    # Thursday 24 December 2026 is cuti bersama for Christmas and Friday the 25th Christmas Day:
    # Wednesday 23 + 2 working days is Tuesday 29.
    assert add_working_days(dt.date(2026, 12, 23), 2) == dt.date(2026, 12, 29)


@pytest.mark.parametrize(
    ("today", "state", "left"),
    [
        (MON, SlaState.ON_TRACK, 5),
        (dt.date(2026, 11, 3), SlaState.ON_TRACK, 4),
        (dt.date(2026, 11, 5), SlaState.AT_RISK, 2),  # three of five days used: 60 %
        (dt.date(2026, 11, 9), SlaState.AT_RISK, 0),  # the due date itself is still on time
        (dt.date(2026, 11, 10), SlaState.BREACHED, -1),
        (dt.date(2026, 11, 14), SlaState.BREACHED, -4),  # a Saturday: four working days late (Tue–Fri)
    ],
)
def test_the_states_of_a_jht_clock(today, state, left):
    result = clock(today)
    assert (result.state, result.working_days_left, result.due_on) == (state, left, dt.date(2026, 11, 9))


def test_a_claim_waiting_for_the_participant_is_paused_without_a_due_date():
    result = clock(dt.date(2026, 11, 20), [Pause(dt.date(2026, 11, 3))])
    assert result.state == SlaState.PAUSED
    assert result.due_on is None and result.working_days_left is None
    assert (result.paused_since, result.pause_reason) == (dt.date(2026, 11, 3), "awaiting_documents")


def test_the_days_a_claim_waited_for_the_participant_move_the_due_date():
    # Returned on Tuesday the 3rd, handed back on Thursday the 5th: two working days paused.
    result = clock(dt.date(2026, 11, 10), [Pause(dt.date(2026, 11, 3), dt.date(2026, 11, 5))])
    assert result.due_on == dt.date(2026, 11, 11)
    assert (result.state, result.working_days_left) == (SlaState.AT_RISK, 1)


def test_first_submission_starts_the_clock_and_each_return_pauses_it():
    events = [
        ("submitted", MON),
        ("returned", dt.date(2026, 11, 3)),
        ("submitted", dt.date(2026, 11, 5)),
        ("returned", dt.date(2026, 11, 6)),
    ]
    started_on, pauses = pauses_from(events)
    assert started_on == MON
    assert pauses == [Pause(dt.date(2026, 11, 3), dt.date(2026, 11, 5)), Pause(dt.date(2026, 11, 6))]


def test_jht_is_five_working_days_by_law_and_the_others_are_dated_parameters():
    assert allowed_working_days("JHT", dt.date(2020, 3, 1)) == 5
    for program in ("JKK", "JKM", "JP"):
        assert allowed_working_days(program, dt.date(2020, 3, 1)) > 0
    assert allowed_working_days("JKP", dt.date(2023, 1, 2)) > 0


def test_the_api_documents_every_reason_a_claim_can_wait_for():
    from typing import get_args

    from lapakasik.api.claims import TrackingOut
    from lapakasik.claims.tracking import NEXT_STEP, WAITING_FOR

    documented = set(get_args(TrackingOut.model_fields["waiting_for"].annotation))
    assert documented == set(WAITING_FOR) == set(NEXT_STEP)
