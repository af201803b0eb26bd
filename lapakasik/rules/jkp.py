"""JKP — Jaminan Kehilangan Pekerjaan (job-loss insurance), by the regime of the TERMINATION date.

PP 37/2021 from its start (2 Feb 2021): 45% of the capped wage for months 1-3 and 25% for months
4-6 (ps. 21); PP 6/2025 from 7 Feb 2025: 60% for six months. The wage is the last wage reported,
capped at Rp5,000,000. Only a termination of employment (PHK) opens it, after at least 12 months of
contributions within the last 24, 6 of them consecutive before the PHK, for a participant registered
before age 54. Paid monthly: six payments, one item each; ``total`` is their sum. DOMAIN.md §2 "JKP".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import reasons
from .dates import add_months
from .documents import required_documents
from .errors import RulesInputError
from .messages import label
from .money import percent, round_rupiah
from .params import ParameterValue, lookup
from .results import Basis, Item, Message, Result, build_result


@dataclass(frozen=True)
class JkpCase:
    reason: str
    termination_date: date
    monthly_wage: int
    contribution_months_last_24: int
    consecutive_months: int
    registered_age: int | None = None


def calculate(case: JkpCase) -> Result:
    _check(case)
    conditions = lookup("jkp.eligibility", case.termination_date)
    schedule = lookup("jkp.cash_benefit.schedule", case.termination_date)
    regime = Message.of("jkp_regime", termination=case.termination_date, regulation=_regulation(schedule))
    failures = tuple(_unmet_conditions(case, conditions.value))
    deadline = _claim_deadline(case)
    eligible = not failures
    reasons_ = (regime, *(failures or (Message.of("jkp_conditions_met", **_shown(case)),)), deadline.message)
    return build_result(
        "JKP",
        eligible=eligible,
        reasons=reasons_,
        payable_from=case.termination_date if eligible else None,
        items=monthly_items(case.monthly_wage, case.termination_date, schedule),
        documents=required_documents("jkp", reasons.PHK, case.termination_date),
        notes=(Message.of("jkp_tax_not_computed"),),
        basis=(Basis.of(conditions), deadline.basis),
        total_of="all",
    )


def monthly_items(monthly_wage: int, on: date, schedule: ParameterValue) -> tuple[Item, ...]:
    """One item per payment month: the month's percentage of the wage up to the cap."""
    cap = lookup("jkp.cash_benefit.wage_cap", on)
    wage = Decimal(min(monthly_wage, cap.value))
    basis = (Basis.of(schedule), Basis.of(cap))
    return tuple(_month_item(month, wage, rate, basis) for month, rate in _rates(schedule.value))


def _rates(schedule: Iterable[dict]) -> list[tuple[int, Decimal]]:  # type: ignore[type-arg]
    return [
        (month, Decimal(tranche["percent"]))
        for tranche in schedule
        for month in range(tranche["from_month"], tranche["to_month"] + 1)
    ]


def _month_item(month: int, wage: Decimal, rate: Decimal, basis: tuple[Basis, ...]) -> Item:
    label_id, label_en = label("jkp_month", month=month, percent=rate)
    amount = round_rupiah(wage * percent(rate))
    return Item(f"jkp_month_{month}", amount, label_id, label_en, basis, periodicity="monthly")


def _unmet_conditions(case: JkpCase, conditions: dict) -> Iterable[Message]:  # type: ignore[type-arg]
    """PP 37/2021 ps. 19-20: PHK only; 12 of the last 24 months paid, 6 consecutive; registered before 54."""
    if case.reason not in conditions["reasons"]:
        yield Message.of("jkp_reason_not_covered", reason=reasons.words(case.reason))
    if case.contribution_months_last_24 < conditions["min_contribution_months"]:
        yield Message.of(
            "jkp_contributions_short",
            months=case.contribution_months_last_24,
            minimum=conditions["min_contribution_months"],
            window=conditions["window_months"],
        )
    if case.consecutive_months < conditions["min_consecutive_months"]:
        yield Message.of(
            "jkp_consecutive_short",
            months=case.consecutive_months,
            minimum=conditions["min_consecutive_months"],
        )
    if case.registered_age is not None and case.registered_age >= conditions["max_registration_age"]:
        yield Message.of(
            "jkp_registered_too_old", age=case.registered_age, limit=conditions["max_registration_age"]
        )


@dataclass(frozen=True)
class _Deadline:
    message: Message
    basis: Basis


def _claim_deadline(case: JkpCase) -> _Deadline:
    months = lookup("jkp.claim_within_months", case.termination_date)
    until = add_months(case.termination_date, months.value)
    return _Deadline(Message.of("jkp_claim_deadline", months=months.value, until=until), Basis.of(months))


def _check(case: JkpCase) -> None:
    if case.consecutive_months > case.contribution_months_last_24:
        raise RulesInputError(
            "consecutive_months",
            "Bulan iuran berturut-turut tidak boleh lebih dari bulan iuran dalam 24 bulan terakhir.",
            "Consecutive months cannot exceed the contribution months within the last 24.",
        )


def _shown(case: JkpCase) -> dict[str, int]:
    return {"months": case.contribution_months_last_24, "consecutive": case.consecutive_months}


def _regulation(schedule: ParameterValue) -> str:
    return schedule.ref.split(" ps.")[0].split(" (")[0]
