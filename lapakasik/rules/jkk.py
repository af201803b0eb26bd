"""JKK — Jaminan Kecelakaan Kerja, under the regime of the ACCIDENT date.

PP 44/2015 lampiran manfaat JKK to 1 Dec 2019; PP 82/2019 from 2 Dec 2019. Medical care is
given in kind without ceiling and is not estimated here. DOMAIN.md §2 "JKK".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .dates import add_years
from .documents import required_documents
from .errors import RulesInputError, required
from .jkm import regulation_of
from .messages import label, long_date, term
from .money import HUNDRED, percent, round_rupiah
from .params import ParameterValue, lookup
from .results import Basis, DocumentRequirement, Item, Message, Result, build_result
from .scholarship import Child, ScholarshipOutcome, scholarship

BENEFITS = ("stmb", "partial_disability", "total_disability", "death")
TRANSPORT_MODES = ("land", "sea", "air")


@dataclass(frozen=True)
class TransportClaim:
    mode: str
    amount: int


@dataclass(frozen=True)
class CappedCost:
    """A cost PP 82/2019 reimburses up to a cap (home care over at most a year, glasses)."""

    kind: str
    amount: int
    days: int | None = None


@dataclass(frozen=True)
class JkkCase:
    benefit: str
    accident_date: date
    monthly_wage: int
    incapacity_days: int | None = None
    disability_percent: Decimal | None = None
    disability_item: str | None = None
    claim_date: date | None = None
    transport: tuple[TransportClaim, ...] = ()
    children: tuple[Child, ...] = ()
    contribution_months: int = 0
    heir_is_spouse: bool | None = None
    left_handed: bool = False
    capped_costs: tuple[CappedCost, ...] = ()


def calculate(case: JkkCase) -> Result:
    _check_claim_date(case)
    on = case.accident_date
    schedule_regime = lookup("jkk.funeral", on)
    reasons = [Message.of("jkk_regime", accident=on, regulation=regulation_of(schedule_regime.ref))]
    in_time, lapse_reason = _claim_in_time(case)
    reasons.extend(lapse_reason)
    bonus = _scholarship(case)
    if case.left_handed and case.benefit == "partial_disability" and _sided(case.disability_item):
        reasons.append(Message.of("jkk_left_handed"))
    items = (
        *_benefit_items(case),
        *_transport_items(case.transport, on),
        *_capped_cost_items(case.capped_costs, on),
        *bonus.items,
    )
    return build_result(
        "JKK",
        eligible=in_time,
        reasons=(*reasons, *bonus.reasons),
        payable_from=on if in_time else None,
        items=items,
        documents=_documents(case, bool(bonus.items or bonus.schedule)),
        schedule=bonus.schedule,
        notes=(*bonus.notes, Message.of("benefit_not_taxed")),
    )


def _check_claim_date(case: JkkCase) -> None:
    if case.claim_date is not None and case.claim_date < case.accident_date:
        raise RulesInputError(
            "claim_date",
            "Tanggal klaim sebelum tanggal kecelakaan.",
            "The claim date is before the accident date.",
        )


def _claim_in_time(case: JkkCase) -> tuple[bool, tuple[Message, ...]]:
    """The right lapses 2 years (PP 44/2015) or 5 years (PP 82/2019 ps. 26) after the accident."""
    if case.claim_date is None:
        return True, ()
    years = lookup("jkk.claim_lapse_years", case.accident_date)
    lapse = add_years(case.accident_date, years.value)
    if case.claim_date > lapse:
        return False, (Message.of("jkk_claim_lapsed", years=years.value, lapse=lapse),)
    return True, (Message.of("jkk_claim_in_time", lapse=lapse),)


def _benefit_items(case: JkkCase) -> tuple[Item, ...]:
    if case.benefit == "stmb":
        return stmb_items(case.monthly_wage, _incapacity_days(case), case.accident_date)
    if case.benefit == "partial_disability":
        return (partial_disability_item(case),)
    if case.benefit == "total_disability":
        return total_disability_items(case.monthly_wage, case.accident_date)
    return death_items(case.monthly_wage, case.accident_date)


# --- STMB ----------------------------------------------------------------------------------


def stmb_items(monthly_wage: int, incapacity_days: int, accident_date: date) -> tuple[Item, ...]:
    """One line per tranche of the schedule (100/75/50% under PP 44/2015, 100/50% under PP 82/2019)."""
    schedule = lookup("jkk.stmb.schedule", accident_date)
    days_per_month = lookup("jkk.stmb.days_per_month", accident_date)
    daily_wage = Decimal(monthly_wage) / days_per_month.value
    items = []
    for tranche in schedule.value:
        days = _days_in_tranche(tranche, incapacity_days, days_per_month.value)
        if days <= 0:
            continue
        rate = Decimal(tranche["percent"])
        amount = round_rupiah(daily_wage * days * rate / HUNDRED)
        label_id, label_en = label("jkk_stmb", percent=rate, days=days)
        items.append(
            Item(
                f"jkk_stmb_{rate}", amount, label_id, label_en, (Basis.of(schedule), Basis.of(days_per_month))
            )
        )
    return tuple(items)


def _days_in_tranche(tranche: dict, incapacity_days: int, days_per_month: int) -> int:  # type: ignore[type-arg]
    first_day = (tranche["from_month"] - 1) * days_per_month + 1
    last_day = incapacity_days if tranche["to_month"] is None else tranche["to_month"] * days_per_month
    return max(0, min(last_day, incapacity_days) - first_day + 1)


def _incapacity_days(case: JkkCase) -> int:
    if case.incapacity_days is None:
        raise required("incapacity_days", "jumlah hari tidak mampu bekerja", "number of days unable to work")
    return case.incapacity_days


# --- disability and death -------------------------------------------------------------------


def partial_disability_item(case: JkkCase) -> Item:
    """Table percentage × 80 × monthly wage (PP 44/2015 and PP 82/2019 lampiran)."""
    share, share_basis = _disability_percent(case)
    multiple = lookup("jkk.disability.wage_multiple", case.accident_date)
    amount = round_rupiah(share / HUNDRED * multiple.value * case.monthly_wage)
    label_id, label_en = label("jkk_partial_disability", percent=share)
    return Item("jkk_partial_disability", amount, label_id, label_en, (*share_basis, Basis.of(multiple)))


def _disability_percent(case: JkkCase) -> tuple[Decimal, tuple[Basis, ...]]:
    if case.disability_percent is not None and case.disability_item is not None:
        raise RulesInputError(
            "disability_item",
            "Isi persentase cacat atau jenis cacat, bukan keduanya.",
            "Give either the disability percentage or the disability type, not both.",
        )
    if case.disability_percent is not None:
        return case.disability_percent, ()
    if case.disability_item is None:
        raise required(
            "disability_percent",
            "persentase cacat atau jenis cacat dari tabel",
            "the disability percentage or a disability type from the table",
        )
    table = lookup("jkk.disability_table", case.accident_date)
    if case.disability_item not in table.value:
        raise RulesInputError(
            "disability_item",
            f"Jenis cacat '{case.disability_item}' tidak ada dalam tabel.",
            f"Disability type '{case.disability_item}' is not in the table.",
        )
    entry = table.value[_hand_side(case.disability_item, case.left_handed)]
    basis = Basis.of(table)
    if entry.get("verified"):
        # The table's doubt is about its unchecked rows; this row was checked against the annex.
        basis = Basis(basis.ref, basis.parameter, basis.on, None)
    return Decimal(entry["percent"]), (basis,)


def _sided(item: str | None) -> bool:
    return item is not None and item.startswith(("right_", "left_"))


def _hand_side(item: str, left_handed: bool) -> str:
    """For a left-handed worker the table's right and left percentages swap ("untuk kidal berlaku sebaliknya")."""
    if not left_handed or not _sided(item):
        return item
    side, rest = item.split("_", 1)
    return f"{'left' if side == 'right' else 'right'}_{rest}"


def total_disability_items(monthly_wage: int, accident_date: date) -> tuple[Item, ...]:
    """70% × 80 × wage (= 56 × wage) plus the periodic benefit paid at once."""
    share = lookup("jkk.total_disability.percent", accident_date)
    multiple = lookup("jkk.disability.wage_multiple", accident_date)
    amount = round_rupiah(percent(share.value) * multiple.value * monthly_wage)
    lump = Item(
        "jkk_total_disability", amount, *label("jkk_total_disability"), (Basis.of(share), Basis.of(multiple))
    )
    return lump, _fixed_item(
        "jkk_total_disability_periodic", lookup("jkk.total_disability.periodic", accident_date)
    )


def death_items(monthly_wage: int, accident_date: date) -> tuple[Item, ...]:
    """60% × 80 × wage (= 48 × wage) with its floor, periodic benefit and funeral costs."""
    share = lookup("jkk.death.percent", accident_date)
    multiple = lookup("jkk.death.wage_multiple", accident_date)
    floor = lookup("jkk.death.minimum", accident_date)
    formula = round_rupiah(percent(share.value) * multiple.value * monthly_wage)
    basis = (Basis.of(share), Basis.of(multiple), Basis.of(floor))
    lump = Item("jkk_death", max(formula, floor.value), *label("jkk_death"), basis)
    return (
        lump,
        _fixed_item("jkk_death_periodic", lookup("jkk.death.periodic", accident_date)),
        _fixed_item("jkk_funeral", lookup("jkk.funeral", accident_date)),
    )


def _fixed_item(code: str, parameter: ParameterValue) -> Item:
    return Item(code, parameter.value, *label(code), (Basis.of(parameter),))


# --- transport, scholarship, documents ----------------------------------------------------------


def _transport_items(claims: Iterable[TransportClaim], accident_date: date) -> tuple[Item, ...]:
    """Actual costs per mode, up to that mode's cap under the accident date's regime."""
    spent: dict[str, int] = {}
    for claim in claims:
        spent[claim.mode] = spent.get(claim.mode, 0) + claim.amount
    if not spent:
        return ()
    caps = lookup("jkk.transport_cap", accident_date)
    items = []
    for mode in TRANSPORT_MODES:
        if mode in spent:
            label_id, label_en = label("jkk_transport", mode=term(mode))
            items.append(
                Item(
                    f"jkk_transport_{mode}",
                    min(spent[mode], caps.value[mode]),
                    label_id,
                    label_en,
                    (Basis.of(caps),),
                )
            )
    return tuple(items)


def _capped_cost_items(costs: Iterable[CappedCost], accident_date: date) -> tuple[Item, ...]:
    """PP 82/2019: home care (at most one year, at most Rp20 jt) and glasses, each up to its cap."""
    if not costs:
        return ()
    caps = lookup("jkk.capped_costs", accident_date)
    spent: dict[str, int] = {}
    for index, cost in enumerate(costs):
        rule = caps.value.get(cost.kind)
        if rule is None:
            raise RulesInputError(
                f"capped_costs.{index}.kind",
                f"'{cost.kind}' bukan manfaat JKK untuk kecelakaan pada {long_date(accident_date)}.",
                f"'{cost.kind}' is not a JKK benefit for an accident on {long_date(accident_date, 'en')}.",
            )
        _check_days(cost, rule, index)
        spent[cost.kind] = spent.get(cost.kind, 0) + cost.amount
    return tuple(
        Item(f"jkk_{kind}", min(amount, caps.value[kind]["cap"]), *label(f"jkk_{kind}"), (Basis.of(caps),))
        for kind, amount in spent.items()
    )


def _check_days(cost: CappedCost, rule: dict, index: int) -> None:  # type: ignore[type-arg]
    max_days = rule.get("max_days")
    if max_days is None:
        return
    if cost.days is None:
        raise required(f"capped_costs.{index}.days", "lama perawatan (hari)", "the length of care in days")
    if cost.days > max_days:
        raise RulesInputError(
            f"capped_costs.{index}.days",
            f"Perawatan di rumah ditanggung paling lama {max_days} hari: isi biaya {max_days} hari pertama.",
            f"Home care is covered for at most {max_days} days: give the cost of the first {max_days} days.",
        )


def _scholarship(case: JkkCase) -> ScholarshipOutcome:
    if case.benefit not in ("death", "total_disability"):
        return ScholarshipOutcome()
    return scholarship(
        case.children,
        event_date=case.accident_date,
        contribution_months=case.contribution_months,
        min_months_parameter="jkk.scholarship.min_contribution_months",
    )


def _documents(case: JkkCase, has_scholarship: bool) -> tuple[DocumentRequirement, ...]:
    facts: dict[str, bool] = {"scholarship": has_scholarship}
    if case.heir_is_spouse is not None:
        facts["heir_is_spouse"] = case.heir_is_spouse
    return required_documents("jkk", case.benefit, case.claim_date or case.accident_date, facts)
