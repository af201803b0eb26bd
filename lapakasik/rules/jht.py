"""JHT — Jaminan Hari Tua: eligibility by claim reason and date, balance, tax, documents.

The claim rules are those in force on the claim date (PP 46/2015 as amended by PP 60/2015,
Permenaker 19/2015; Permenaker 4/2022 from 26 Apr 2022). See DOMAIN.md §2 "JHT".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from . import reasons
from .dates import add_months, add_years
from .documents import required_documents
from .errors import RulesInputError, required
from .messages import label, long_date
from .money import percent, round_rupiah
from .params import ParameterValue, lookup, lookup_if_defined, per_parameter_set
from .results import Basis, DocumentRequirement, Item, Message, Result, build_result
from .tax import lump_sum_tax

WAITING_REASONS = reasons.SEPARATION_REASONS
EVENT_REASONS = frozenset({reasons.DEATH, reasons.DISABILITY, reasons.LEAVING_INDONESIA})
PARTIAL_REASONS = reasons.PARTIAL_REASONS
REASONS = frozenset(reasons.JHT_REASONS)


class Contribution(NamedTuple):
    """One month's JHT contribution: the amount paid, or the wage it was paid on (5.7% of it).

    A named tuple rather than a frozen dataclass: a history has one per month, and building sixty
    frozen dataclasses was a tenth of an estimate."""

    month: date
    amount: int | None = None
    wage: int | None = None


@dataclass(frozen=True)
class JhtCase:
    reason: str
    claim_date: date
    separation_date: date | None = None
    balance: int | None = None
    contributions: tuple[Contribution, ...] = ()
    membership_start: date | None = None
    birth_date: date | None = None
    company_retirement_age: int | None = None
    partial_claimed_before: bool = False
    foreign_national: bool = False
    heir_is_spouse: bool | None = None
    has_npwp: bool = True


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    payable_from: date | None
    reasons: tuple[Message, ...]
    basis: tuple[Basis, ...] = ()
    recognised: bool = True


@dataclass(frozen=True)
class Balance:
    amount: Decimal
    estimated: bool
    basis: tuple[Basis, ...]
    notes: tuple[Message, ...]


def calculate(case: JhtCase) -> Result:
    _check_membership_start(case)
    eligibility = decide_eligibility(case)
    if not eligibility.recognised:
        # No checklist or amount exists for a reason the law of that date does not know.
        return build_result("JHT", eligible=False, reasons=eligibility.reasons, payable_from=None)
    balance = balance_of(case)
    items = (_payable_item(case, balance, eligibility),)
    gross = items[0].amount
    partial = case.reason in PARTIAL_REASONS
    tax = lump_sum_tax(
        gross,
        paid_on=case.claim_date,
        event_date=case.separation_date,
        partial=partial,
        after_partial=case.partial_claimed_before and not partial,
        has_npwp=case.has_npwp,
    )
    return build_result(
        "JHT",
        eligible=eligibility.eligible,
        reasons=eligibility.reasons,
        payable_from=eligibility.payable_from,
        items=items,
        tax_lines=tax.lines,
        documents=_documents(case, balance.amount),
        estimate=balance.estimated,
        notes=(*balance.notes, tax.note),
        basis=(*eligibility.basis, *tax.basis),
    )


def _check_membership_start(case: JhtCase) -> None:
    """Membership cannot begin after the event that ends it, nor after the claim."""
    start = case.membership_start
    if start is None:
        return
    latest = min(d for d in (case.separation_date, case.claim_date) if d is not None)
    if start > latest:
        raise RulesInputError(
            "membership_start",
            f"Tanggal mulai kepesertaan ({long_date(start)}) sesudah tanggal peristiwa atau klaim "
            f"({long_date(latest)}).",
            f"The membership start ({long_date(start, 'en')}) is after the event or claim date "
            f"({long_date(latest, 'en')}).",
        )


# --- eligibility -------------------------------------------------------------------------


def decide_eligibility(case: JhtCase) -> Eligibility:
    """Whether and from when the claim is payable, from the facts the reason makes relevant.

    Only those facts reach the (per-batch remembered) decision, so a list of resignations on one
    claim date decides once, whatever the workers' balances, birth dates and membership starts.
    """
    retirement = case.reason == reasons.RETIREMENT_AGE
    partial = case.reason in PARTIAL_REASONS
    return _decide_eligibility(
        case.reason,
        case.claim_date,
        case.separation_date,
        case.birth_date if retirement else None,
        case.company_retirement_age if retirement else None,
        case.membership_start if partial else None,
        case.partial_claimed_before if partial else False,
    )


@per_parameter_set  # asked again by every estimate of the same reason and dates
def _decide_eligibility(
    reason: str,
    claim_date: date,
    separation_date: date | None,
    birth_date: date | None,
    company_retirement_age: int | None,
    membership_start: date | None,
    partial_claimed_before: bool,
) -> Eligibility:
    case = JhtCase(
        reason,
        claim_date,
        separation_date,
        birth_date=birth_date,
        company_retirement_age=company_retirement_age,
        membership_start=membership_start,
        partial_claimed_before=partial_claimed_before,
    )
    recognised = lookup("jht.claim_reasons", case.claim_date)
    if case.reason not in recognised.value:
        message = Message.of(
            "jht_reason_not_recognised", reason=reasons.words(case.reason), on=case.claim_date
        )
        return Eligibility(False, None, (message,), (Basis.of(recognised),), recognised=False)
    first = Message.of("jht_reason_recognised", reason=reasons.words(case.reason), on=case.claim_date)
    decided = _decide_by_reason(case)
    return Eligibility(
        decided.eligible,
        decided.payable_from,
        (first, *decided.reasons),
        (Basis.of(recognised), *decided.basis),
    )


def _decide_by_reason(case: JhtCase) -> Eligibility:
    if case.reason in WAITING_REASONS:
        return _after_waiting_period(case)
    if case.reason == reasons.RETIREMENT_AGE:
        return _at_retirement_age(case)
    if case.reason in PARTIAL_REASONS:
        return _partial_claim(case)
    return _on_event(case)


def _after_waiting_period(case: JhtCase) -> Eligibility:
    """Resignation and PHK: payable one month after the separation date (Permenaker 19/2015, 4/2022)."""
    separation = _separation_date(case)
    waiting = lookup("jht.waiting_period_months", case.claim_date)
    months = waiting.value.get(case.reason, 0)
    payable = add_months(separation, months)
    eligible = case.claim_date >= payable
    if months == 0:
        message = Message.of("jht_event_reason", reason=reasons.words(case.reason), payable=payable)
    else:
        code = "jht_waiting_period_over" if eligible else "jht_waiting_period_running"
        message = Message.of(code, months=months, separation=separation, payable=payable)
    return Eligibility(eligible, payable, (message,), (Basis.of(waiting),))


def _at_retirement_age(case: JhtCase) -> Eligibility:
    """Age 56, or the company's retirement age when the participant retires under it (PP 46/2015 ps. 26)."""
    if case.birth_date is None:
        raise required(
            "birth_date", "tanggal lahir untuk klaim usia pensiun", "birth date for a retirement claim"
        )
    statutory = lookup("jht.retirement_age", case.claim_date)
    age = min(statutory.value, case.company_retirement_age or statutory.value)
    payable = add_years(case.birth_date, age)
    eligible = case.claim_date >= payable
    code = "jht_retirement_age_reached" if eligible else "jht_retirement_age_not_reached"
    return Eligibility(
        eligible, payable, (Message.of(code, age=age, payable=payable),), (Basis.of(statutory),)
    )


def _partial_claim(case: JhtCase) -> Eligibility:
    """Once only, after 10 years of membership (PP 46/2015 ps. 22 ayat (4))."""
    if case.membership_start is None:
        raise required("membership_start", "tanggal mulai kepesertaan", "membership start date")
    years = lookup("jht.partial.min_membership_years", case.claim_date)
    share = lookup("jht.partial.max_percent", case.claim_date)
    payable = add_years(case.membership_start, years.value)
    basis = (Basis.of(years), Basis.of(share))
    if case.partial_claimed_before:
        return Eligibility(False, None, (Message.of("jht_partial_already_claimed"),), basis)
    eligible = case.claim_date >= payable
    code = "jht_partial_membership_met" if eligible else "jht_partial_membership_short"
    message = Message.of(
        code,
        start=case.membership_start,
        years=years.value,
        payable=payable,
        percent=share.value[case.reason],
    )
    return Eligibility(eligible, payable, (message,), basis)


def _on_event(case: JhtCase) -> Eligibility:
    """Death, total permanent disability, leaving Indonesia: payable from the event itself."""
    event = _separation_date(case)
    eligible = case.claim_date >= event
    said = [Message.of("jht_event_reason", reason=reasons.words(case.reason), payable=event)]
    if case.reason == "death":
        said.append(Message.of("jht_paid_to_heirs"))
    return Eligibility(eligible, event, tuple(said))


def _separation_date(case: JhtCase) -> date:
    if case.separation_date is None:
        raise required(
            "separation_date",
            f"tanggal peristiwa untuk alasan '{reasons.label(case.reason)}'",
            f"the event date for reason '{reasons.label(case.reason, 'en')}'",
        )
    if case.separation_date > case.claim_date and case.reason in EVENT_REASONS:
        raise RulesInputError(
            "separation_date",
            "Tanggal peristiwa sesudah tanggal klaim.",
            "The event date is after the claim date.",
        )
    return case.separation_date


# --- balance -----------------------------------------------------------------------------


def balance_of(case: JhtCase) -> Balance:
    if case.balance is not None:
        return Balance(Decimal(case.balance), False, (), ())
    if not case.contributions:
        raise required(
            "balance",
            "saldo JHT atau riwayat iuran",
            "the JHT balance or a contribution history",
        )
    return estimate_balance(case.contributions, case.claim_date)


def estimate_balance(contributions: Iterable[Contribution], until: date) -> Balance:
    """Yearly compounding; each month's contribution earns pro rata for the months left in the year.

    DOMAIN.md §2: the agency's monthly pro-rating is an internal rule [U], so this is labelled an
    estimate. A contribution for month m earns (12 − m)/12 of the year's rate (paid the month
    after); in the claim year, returns accrue only for the months before the claim month.
    """
    rates: dict[date, ParameterValue] = {}
    by_year = _amounts_by_year(contributions, until, rates)
    balance = Decimal(0)
    bases: list[Basis] = [Basis.of(rate) for rate in rates.values()]
    notes = [Message.of("estimate_from_contributions")]
    notes.extend(
        Message.of("jht_contribution_rate_used", rate=rate.value) for rate in _distinct_values(rates)
    )
    for year in range(min(by_year), until.year + 1):
        rate = _development_rate(year, bases, notes)
        end_month = 12 if year < until.year else until.month - 1
        monthly = by_year.get(year, {})
        if rate:
            # Each month's contribution weighted by the months it earns, then the rate once: the same sum as
            # Σ amount × rate × months / 12 term by term (exact products; one division instead of one a month).
            weighted = sum(
                (amount * (end_month - month) for month, amount in monthly.items() if month < end_month),
                Decimal(0),
            )
            returns = balance * rate * end_month / 12 + weighted * rate / 12
            balance += sum(monthly.values(), Decimal(0)) + returns
        else:  # a year without a recorded rate credits nothing (the same sum, without the zero terms)
            balance += sum(monthly.values(), Decimal(0))
    return Balance(balance, True, tuple(bases), tuple(notes))


def _distinct_values(rates: dict[date, ParameterValue]) -> list[ParameterValue]:
    seen: dict[object, ParameterValue] = {}
    for rate in rates.values():
        seen.setdefault(rate.value, rate)
    return list(seen.values())


def _amounts_by_year(
    contributions: Iterable[Contribution], until: date, rates: dict[date, ParameterValue]
) -> dict[int, dict[int, Decimal]]:
    """Each month's contribution, by year and month, in the order given (the sums add them in that order).

    A history has a few rate periods and many months: the period of the previous month is tried first,
    then the periods already looked up, and only then a look-up (which the result will name).
    """
    claim_month = date(until.year, until.month, 1)
    by_year: dict[int, dict[int, Decimal]] = {}
    period_from = period_to = date.max  # the current rate period (none yet) and its rate as a fraction
    share = Decimal(0)
    products: dict[int, Decimal] = {}
    for month, amount_paid, wage in contributions:
        if month >= claim_month:
            raise RulesInputError(
                "contributions",
                "Iuran untuk bulan klaim atau sesudahnya.",
                "A contribution is for the claim month or later.",
            )
        if amount_paid is not None:
            amount = Decimal(amount_paid)
        else:
            assert wage is not None
            if not period_from <= month <= period_to:
                rate = _rate_of(month, rates)
                period_from, period_to = rate.valid_from, rate.valid_to or date.max
                share = percent(rate.value)
                products = {}  # wage -> its contribution at this rate: a wage mostly stays for months
            amount = products.get(wage)  # type: ignore[assignment]
            if amount is None:
                amount = products[wage] = Decimal(wage) * share
        months = by_year.get(month.year)
        if months is None:
            months = by_year[month.year] = {}
        earlier = months.get(month.month)
        months[month.month] = amount if earlier is None else earlier + amount
    return by_year


def _rate_of(month: date, rates: dict[date, ParameterValue]) -> ParameterValue:
    """The contribution rate of ``month``, remembered in ``rates`` so the result names it."""
    for rate in rates.values():
        if rate.valid_from <= month and (rate.valid_to is None or month <= rate.valid_to):
            return rate
    rate = lookup("jht.contribution_rate", month)
    rates.setdefault(rate.valid_from, rate)
    return rate


def _development_rate(year: int, bases: list[Basis], notes: list[Message]) -> Decimal:
    """The rate credited for ``year``; an unknown year credits nothing and says so (never a stale rate)."""
    rate = lookup_if_defined("jht.development_rate", date(year, 12, 31))
    if rate is None:
        notes.append(Message.of("development_rate_unknown", year=year))
        return Decimal(0)
    bases.append(Basis.of(rate))
    return percent(rate.value)


# --- amount and documents ----------------------------------------------------------------


def _payable_item(case: JhtCase, balance: Balance, eligibility: Eligibility) -> Item:
    if case.reason in PARTIAL_REASONS:
        share = lookup("jht.partial.max_percent", case.claim_date)
        amount = round_rupiah(balance.amount * percent(share.value[case.reason]))
        return _item(f"jht_{case.reason}", amount, (Basis.of(share), *eligibility.basis, *balance.basis))
    return _item("jht_balance", round_rupiah(balance.amount), (*eligibility.basis, *balance.basis))


def _item(code: str, amount: int, basis: tuple[Basis, ...]) -> Item:
    label_id, label_en = label(code)
    return Item(code, amount, label_id, label_en, basis)


def _documents(case: JhtCase, balance: Decimal) -> tuple[DocumentRequirement, ...]:
    threshold = lookup("jht.npwp_required_above", case.claim_date)
    facts: dict[str, bool] = {
        "foreign_national": case.foreign_national,
        "above_npwp_threshold": balance > threshold.value,
    }
    if case.heir_is_spouse is not None:
        facts["heir_is_spouse"] = case.heir_is_spouse
    return required_documents("jht", case.reason, case.claim_date, facts)
