"""JKM — Jaminan Kematian (death not caused by work), by the regime of the date of death.

PP 44/2015 ps. 34 for deaths to 1 Dec 2019 (Rp24 jt in cash), PP 82/2019 from 2 Dec 2019
(Rp42 jt in cash, plus a yearly scholarship for up to two children). DOMAIN.md §2 "JKM".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .documents import required_documents
from .errors import RulesInputError
from .messages import label
from .params import ParameterValue, lookup
from .results import Basis, DocumentRequirement, Item, Message, Result, build_result
from .scholarship import Child, scholarship


@dataclass(frozen=True)
class JkmCase:
    death_date: date
    contribution_months: int
    children: tuple[Child, ...] = ()
    claim_date: date | None = None
    membership_active: bool = True
    heir_is_spouse: bool | None = None


def calculate(case: JkmCase) -> Result:
    if case.claim_date is not None and case.claim_date < case.death_date:
        raise RulesInputError(
            "claim_date",
            "Tanggal klaim sebelum tanggal kematian.",
            "The claim date is before the date of death.",
        )
    lump_sum = lookup("jkm.lump_sum", case.death_date)
    regime = Message.of("jkm_regime", death=case.death_date, regulation=regulation_of(lump_sum.ref))
    documents_on = case.claim_date or case.death_date
    if not case.membership_active:
        return build_result(
            "JKM",
            eligible=False,
            reasons=(regime, Message.of("jkm_membership_not_active")),
            payable_from=None,
            documents=_documents(case, documents_on, False),
        )
    bonus = scholarship(
        case.children,
        event_date=case.death_date,
        contribution_months=case.contribution_months,
        min_months_parameter="jkm.scholarship.min_contribution_months",
    )
    items = (
        _fixed_item("jkm_lump_sum", lump_sum),
        _fixed_item("jkm_periodic", lookup("jkm.periodic", case.death_date)),
        _fixed_item("jkm_funeral", lookup("jkm.funeral", case.death_date)),
        *bonus.items,
    )
    has_scholarship = bool(bonus.items or bonus.schedule)
    return build_result(
        "JKM",
        reasons=(regime, *bonus.reasons),
        payable_from=case.death_date,
        items=items,
        documents=_documents(case, documents_on, has_scholarship),
        schedule=bonus.schedule,
        notes=(*bonus.notes, Message.of("benefit_not_taxed")),
    )


def _fixed_item(code: str, parameter: ParameterValue) -> Item:
    return Item(code, parameter.value, *label(code), (Basis.of(parameter),))


def _documents(case: JkmCase, on: date, has_scholarship: bool) -> tuple[DocumentRequirement, ...]:
    facts: dict[str, bool] = {"scholarship": has_scholarship}
    if case.heir_is_spouse is not None:
        facts["heir_is_spouse"] = case.heir_is_spouse
    return required_documents("jkm", "death", on, facts)


def regulation_of(ref: str) -> str:
    """``"PP 82/2019 (mengubah …)"`` → ``"PP 82/2019"``: the regulation a reference cites first."""
    match = re.match(r"^(\w+ \d+/\d{4})", ref)
    return match.group(1) if match else ref
