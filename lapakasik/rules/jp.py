"""JP — Jaminan Pensiun (PP 45/2015): wage ceiling, retirement age, monthly pension or lump sum.

Monthly pension = 1% × (contribution months / 12) × average indexed monthly wage, each wage
capped by the ceiling of its month (a new ceiling from every March). Fewer than 180 months gives
a lump sum, except that a death or disability before retirement is computed as 15 years when
membership ≥ 1 year and ≥ 80% of its months were paid. DOMAIN.md §2 "JP".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .dates import add_months, add_years, months_between
from .documents import required_documents
from .errors import RulesInputError, required
from .messages import label, term
from .money import HUNDRED, percent, round_rupiah
from .params import ParameterNotDefined, ParameterValue, lookup
from .results import Basis, DocumentRequirement, Item, Message, Result, build_result
from .tax import lump_sum_tax

EVENTS = ("old_age", "death", "disability")
BENEFICIARIES = ("spouse", "child", "parent")
OLDEST_RETIREMENT_AGE = 65
# PP 45/2015: the JP program started on 1 Jul 2015, so nobody can have paid for longer than that.
PROGRAM_START = date(2015, 7, 1)


@dataclass(frozen=True)
class MonthlyWage:
    month: date
    wage: int


@dataclass(frozen=True)
class JpCase:
    event: str
    event_date: date
    contribution_months: int
    wages: tuple[MonthlyWage, ...] = ()
    birth_date: date | None = None
    membership_start: date | None = None
    beneficiary: str = "spouse"
    balance: int | None = None
    claim_date: date | None = None
    heir_is_spouse: bool | None = None
    has_npwp: bool = True


@dataclass(frozen=True)
class Entitlement:
    """Which benefit applies and why: months counted for the formula, or ``None`` for a lump sum."""

    eligible: bool
    payable_from: date | None
    formula_months: int | None
    reasons: tuple[Message, ...]
    basis: tuple[Basis, ...]


def calculate(case: JpCase) -> Result:
    _check_dates(case)
    _check_wage_months(case)
    timing = _timing(case)
    if not timing.eligible:
        # Before retirement age nothing is payable, so no wage history is needed to say so.
        return build_result("JP", eligible=False, reasons=timing.reasons, payable_from=timing.payable_from)
    entitlement = _entitlement(case, timing)
    if entitlement.formula_months is None:
        return _lump_sum_result(case, entitlement)
    return _pension_result(case, entitlement)


# --- timing and entitlement --------------------------------------------------------------------


def _timing(case: JpCase) -> Entitlement:
    if case.event != "old_age":
        return Entitlement(True, case.event_date, None, (), ())
    if case.birth_date is None:
        raise required(
            "birth_date", "tanggal lahir untuk manfaat hari tua", "birth date for an old-age benefit"
        )
    age, reached, basis = retirement_date(case.birth_date)
    eligible = case.event_date >= reached
    code = "jp_retirement_age_reached" if eligible else "jp_retirement_age_not_reached"
    return Entitlement(
        eligible, reached, None, (Message.of(code, age=age, payable=reached),), (Basis.of(basis),)
    )


def retirement_date(birth_date: date) -> tuple[int, date, ParameterValue]:
    """The first birthday on which the age reached is at least the retirement age of that date.

    PP 45/2015 ps. 15: 56, then 57 from 1 Jan 2019 and one more every 3 years up to 65. A birthday
    before JP started (Jul 2015) is judged by the age in force when it started (56).
    """
    for age in range(OLDEST_RETIREMENT_AGE - 9, OLDEST_RETIREMENT_AGE + 1):
        birthday = add_years(birth_date, age)
        retirement_age = lookup("jp.retirement_age", max(birthday, PROGRAM_START))
        if age >= retirement_age.value:
            return age, birthday, retirement_age
    raise AssertionError("the retirement age table reaches 65")  # pragma: no cover


def _entitlement(case: JpCase, timing: Entitlement) -> Entitlement:
    minimum = lookup("jp.min_months_for_pension", case.event_date)
    months = case.contribution_months
    base_basis = (*timing.basis, Basis.of(minimum))
    if months >= minimum.value:
        reason = Message.of("jp_monthly_pension", months=months, minimum=minimum.value)
        return Entitlement(
            timing.eligible, timing.payable_from, months, (*timing.reasons, reason), base_basis
        )
    if case.event == "old_age":
        reason = Message.of("jp_lump_sum", months=months, minimum=minimum.value)
        return Entitlement(timing.eligible, timing.payable_from, None, (*timing.reasons, reason), base_basis)
    return _deemed_fifteen_years(case, timing, base_basis)


def _deemed_fifteen_years(case: JpCase, timing: Entitlement, basis: tuple[Basis, ...]) -> Entitlement:
    """Death or disability with < 15 years: computed as 15 years when membership and payments suffice.

    Permenaker 29/2015: a disability after at least 1 month of membership, a death before retirement
    age after at least 1 year (ps. 26), each with at least 80% of the months paid.
    """
    rule = lookup("jp.before_retirement_rule", case.event_date)
    basis = (*basis, Basis.of(rule))
    reasons = list(timing.reasons)
    if case.event == "death" and _died_at_or_after_retirement_age(case, reasons, basis):
        return Entitlement(True, case.event_date, None, tuple(reasons), basis)
    if case.membership_start is None:
        membership = case.contribution_months
        reasons.append(Message.of("missing_membership_start_jp"))
    else:
        membership = months_between(case.membership_start, case.event_date)
    paid_percent = Decimal(case.contribution_months) * HUNDRED / membership if membership > 0 else Decimal(0)
    shown = round_rupiah(paid_percent)
    values = rule.value[case.event]
    if membership >= values["min_membership_months"] and paid_percent >= values["min_paid_percent"]:
        reasons.append(
            Message.of(
                "jp_deemed_15_years",
                assumed=values["assumed_months"],
                membership=membership,
                min_membership=values["min_membership_months"],
                paid_percent=shown,
                min_paid=values["min_paid_percent"],
            )
        )
        return Entitlement(True, case.event_date, values["assumed_months"], tuple(reasons), basis)
    reasons.append(Message.of("jp_not_deemed_15_years", membership=membership, paid_percent=shown))
    return Entitlement(True, case.event_date, None, tuple(reasons), basis)


def _died_at_or_after_retirement_age(case: JpCase, reasons: list[Message], basis: tuple[Basis, ...]) -> bool:
    """Permenaker 29/2015 ps. 26 deems 15 years only for a death *before* retirement age."""
    if case.birth_date is None:
        reasons.append(Message.of("missing_birth_date_jp_death"))
        return False
    age, reached, _ = retirement_date(case.birth_date)
    if case.event_date < reached:
        return False
    reasons.append(Message.of("jp_death_after_retirement_age", age=age, reached=reached))
    return True


def _check_dates(case: JpCase) -> None:
    """Dates that cannot be: an event before JP existed, membership after it, a claim before it."""
    if case.event_date < PROGRAM_START:
        raise RulesInputError(
            "event_date",
            "JP dimulai 1 Juli 2015; tanggal peristiwa sebelum itu tidak dapat dihitung.",
            "JP started on 1 Jul 2015; an event before that cannot be computed.",
        )
    if case.membership_start is not None and case.membership_start > case.event_date:
        raise RulesInputError(
            "membership_start",
            "Tanggal mulai kepesertaan sesudah tanggal peristiwa.",
            "The membership start is after the event date.",
        )
    if case.claim_date is not None and case.claim_date < case.event_date:
        raise RulesInputError(
            "claim_date",
            "Tanggal klaim sebelum tanggal peristiwa.",
            "The claim date is before the event date.",
        )


# --- wages --------------------------------------------------------------------------------------


def _check_wage_months(case: JpCase) -> None:
    if case.contribution_months < 0:
        raise RulesInputError(
            "contribution_months",
            "Jumlah bulan iur tidak boleh negatif.",
            "The number of contribution months cannot be negative.",
        )
    # _check_dates refuses an event before JP began; max() keeps this message true on its own too:
    # an estimate never says "at most -185 months" (issue 18 finding 12).
    possible = max(months_between(PROGRAM_START, case.event_date) + 1, 0)
    if case.contribution_months > possible:
        raise RulesInputError(
            "contribution_months",
            f"Paling banyak {possible} bulan iur sejak JP dimulai 1 Juli 2015.",
            f"At most {possible} contribution months since JP started on 1 Jul 2015.",
        )
    if any(wage.month > case.event_date for wage in case.wages):
        raise RulesInputError(
            "wages",
            "Ada upah untuk bulan sesudah tanggal peristiwa.",
            "A wage is given for a month after the event date.",
        )


def capped_wage(wage: MonthlyWage) -> tuple[Decimal, ParameterValue]:
    """The wage up to the ceiling in force in its month (a new ceiling applies from each March)."""
    ceiling = lookup("jp.wage_ceiling", wage.month)
    return Decimal(min(wage.wage, ceiling.value)), ceiling


def average_indexed_wage(
    wages: Iterable[MonthlyWage], to_year: int, notes: list[Message], bases: list[Basis]
) -> Decimal:
    """Average of capped wages, each indexed by the inflation of every year from its own to ``to_year``."""
    factors = _index_factors(to_year, notes, bases)
    total, count = Decimal(0), 0
    ceilings: dict[date, ParameterValue] = {}
    for wage in wages:
        capped, ceiling = capped_wage(wage)
        ceilings.setdefault(ceiling.valid_from, ceiling)
        total += capped * factors.get(wage.month.year, Decimal(1))
        count += 1
    bases.extend(Basis.of(ceiling) for ceiling in ceilings.values())
    return total / count if count else Decimal(0)


def _index_factors(to_year: int, notes: list[Message], bases: list[Basis]) -> dict[int, Decimal]:
    """Cumulative factor for wages of each year since JP began (2015) up to the event year."""
    factors: dict[int, Decimal] = {to_year: Decimal(1)}
    factor = Decimal(1)
    for year in range(to_year - 1, 2014, -1):
        try:
            inflation = lookup("jp.wage_indexation_inflation", date(year, 12, 31))
        except ParameterNotDefined:
            notes.append(Message.of("jp_inflation_unknown", year=year))
        else:
            factor *= 1 + percent(inflation.value)
            bases.append(Basis.of(inflation))
        factors[year] = factor
    return factors


# --- monthly pension -----------------------------------------------------------------------


def _pension_result(case: JpCase, entitlement: Entitlement) -> Result:
    notes: list[Message] = []
    bases: list[Basis] = list(entitlement.basis)
    if not case.wages:
        raise required("wages", "riwayat upah bulanan", "the monthly wage history")
    if len(case.wages) < case.contribution_months:
        notes.append(
            Message.of("jp_wages_fewer_than_months", wages=len(case.wages), months=case.contribution_months)
        )
    average = average_indexed_wage(case.wages, case.event_date.year, notes, bases)
    accrual = lookup("jp.benefit_rate_per_year", case.event_date)
    assert entitlement.formula_months is not None
    formula = percent(accrual.value) * Decimal(entitlement.formula_months) / 12 * average
    share = _survivor_share(case, bases)
    monthly = _within_minimum_and_maximum(formula * share, case.event_date, notes, bases)
    item = _pension_item(case, round_rupiah(monthly), (Basis.of(accrual), *bases))
    notes.append(Message.of("jp_monthly_tax_not_computed"))
    start, start_basis = _first_pension_day(entitlement.payable_from or case.event_date)
    return build_result(
        "JP",
        eligible=entitlement.eligible,
        reasons=(*entitlement.reasons, Message.of("jp_pension_from_next_month", payable=start)),
        payable_from=start,
        basis=(start_basis,),
        items=(item,),
        documents=_documents(case, False),
        notes=notes,
    )


def _first_pension_day(event: date) -> tuple[date, Basis]:
    """A monthly pension runs from the 1st of the month after the event [U: jp.pension_first_payment]."""
    rule = lookup("jp.pension_first_payment", event)
    if rule.value != "first_of_next_month":
        raise AssertionError(f"unknown jp.pension_first_payment rule {rule.value!r}")  # pragma: no cover
    following = add_months(date(event.year, event.month, 1), 1)
    return following, Basis.of(rule)


def _survivor_share(case: JpCase, bases: list[Basis]) -> Decimal:
    if case.event != "death":
        return Decimal(1)
    shares = lookup("jp.survivor_share", case.event_date)
    bases.append(Basis.of(shares))
    return percent(shares.value[case.beneficiary])


def _within_minimum_and_maximum(
    amount: Decimal, on: date, notes: list[Message], bases: list[Basis]
) -> Decimal:
    """Apply the year's minimum and maximum: published, else derived by indexing (PP 45/2015 ps. 18)."""
    for name, is_minimum in (("jp.pension_minimum", True), ("jp.pension_maximum", False)):
        kind = "minimum" if is_minimum else "maximum"
        limit = pension_limit(name, on, notes)
        if limit is None:
            notes.append(Message.of(f"jp_{kind}_unknown", year=on.year))
            continue
        value, basis = limit
        bases.append(basis)
        if (is_minimum and amount < value) or (not is_minimum and amount > value):
            notes.append(Message.of(f"jp_{kind}_applied", year=on.year))
            amount = Decimal(value)
    return amount


def pension_limit(name: str, on: date, notes: list[Message]) -> tuple[int, Basis] | None:
    """The recorded limit on ``on``; else the last recorded one indexed year by year to ``on``'s year.

    PP 45/2015 ps. 18: the Rp300,000 / Rp3,600,000 of 2015 are adjusted every year by the previous
    year's inflation, so a year without a published figure is derived from the latest earlier one
    (marked as derived: the agency rounds its published figures, so they may differ by a few hundred
    rupiah). ``None`` when no earlier figure or an inflation on the way is unknown.
    """
    try:
        return lookup(name, on).value, Basis.of(lookup(name, on))
    except ParameterNotDefined:
        pass
    for base_year in range(on.year - 1, PROGRAM_START.year - 1, -1):
        try:
            base = lookup(name, date(base_year, 12, 31))
        except ParameterNotDefined:
            continue
        factor = _inflation_factor(base_year, on.year)
        if factor is None:
            return None
        note = Message.of("jp_limits_derived", year=on.year, base_year=base_year)
        if note not in notes:  # minimum and maximum share one note
            notes.append(note)
        derived = round_rupiah(Decimal(base.value) * factor)
        doubt = (
            f"Derived [U]: the {base_year} figure ({base.value}) indexed by BPS inflation of each year "
            f"{base_year}–{on.year - 1}; the published figure for {on.year} is not recorded."
        )
        return derived, Basis(f"PP 45/2015 ps. 18 (diindeks dari {base.ref})", name, on, doubt)
    return None


def _inflation_factor(from_year: int, to_year: int) -> Decimal | None:
    factor = Decimal(1)
    for year in range(from_year, to_year):
        try:
            inflation = lookup("jp.wage_indexation_inflation", date(year, 12, 31))
        except ParameterNotDefined:
            return None
        factor *= 1 + percent(inflation.value)
    return factor


def _pension_item(case: JpCase, amount: int, basis: tuple[Basis, ...]) -> Item:
    if case.event == "death":
        code = "jp_survivor_pension"
        label_id, label_en = label(code, beneficiary=term(case.beneficiary))
    else:
        code = "jp_monthly_pension" if case.event == "old_age" else "jp_disability_pension"
        label_id, label_en = label(code)
    return Item(code, amount, label_id, label_en, basis, periodicity="monthly")


# --- lump sum ----------------------------------------------------------------------------------


def _lump_sum_result(case: JpCase, entitlement: Entitlement) -> Result:
    notes: list[Message] = []
    amount, bases, estimated = _lump_sum_amount(case, notes)
    item = Item("jp_lump_sum", amount, *label("jp_lump_sum"), (*entitlement.basis, *bases))
    paid_on = case.claim_date or max(case.event_date, entitlement.payable_from or case.event_date)
    tax = lump_sum_tax(amount, paid_on=paid_on, event_date=case.event_date, has_npwp=case.has_npwp)
    return build_result(
        "JP",
        eligible=entitlement.eligible,
        reasons=entitlement.reasons,
        payable_from=entitlement.payable_from,
        items=(item,),
        tax_lines=tax.lines,
        documents=_documents(case, amount > 50_000_000),
        estimate=estimated,
        notes=(*notes, tax.note),
    )


def _lump_sum_amount(case: JpCase, notes: list[Message]) -> tuple[int, tuple[Basis, ...], bool]:
    """The JP account: the balance when given, else 3% of each capped wage (returns not recorded)."""
    if case.balance is not None:
        return case.balance, (), False
    if not case.wages:
        raise required("wages", "riwayat upah bulanan atau saldo JP", "the wage history or the JP balance")
    rate = lookup("jp.contribution_rate", case.event_date)
    total = Decimal(0)
    ceilings: dict[date, ParameterValue] = {}
    for wage in case.wages:
        capped, ceiling = capped_wage(wage)
        ceilings.setdefault(ceiling.valid_from, ceiling)
        total += capped * percent(rate.value)
    notes.append(Message.of("jp_lump_sum_returns_unknown"))
    return round_rupiah(total), (Basis.of(rate), *(Basis.of(c) for c in ceilings.values())), True


def _documents(case: JpCase, above_threshold: bool) -> tuple[DocumentRequirement, ...]:
    facts: dict[str, bool] = {"above_npwp_threshold": above_threshold}
    if case.heir_is_spouse is not None:
        facts["heir_is_spouse"] = case.heir_is_spouse
    return required_documents("jp", case.event, case.claim_date or case.event_date, facts)
