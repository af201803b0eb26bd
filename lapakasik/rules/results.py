"""What every calculator returns: frozen, itemized, explained, in Indonesian and English."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from .memo import per_process_text
from .messages import text
from .params import ParameterValue

Periodicity = Literal["once", "monthly"]


@dataclass(frozen=True)
class Basis:
    """Why an amount is what it is: the legal reference, the parameter and the date it was read on."""

    ref: str
    parameter: str | None = None
    on: date | None = None
    doubt: str | None = None

    @classmethod
    def of(cls, parameter: ParameterValue) -> Basis:
        return cls(parameter.ref, parameter.name, parameter.on, parameter.doubt)


@dataclass(frozen=True)
class Message:
    """A reason or note with a stable code and its text in both UI languages."""

    code: str
    message_id: str
    message_en: str

    @classmethod
    def of(cls, code: str, **values: Any) -> Message:
        return _message(code, **values)


@per_process_text  # each distinct line is formatted and translated once
def _message(code: str, **values: Any) -> Message:
    message_id, message_en = text(code, **values)
    return Message(code, message_id, message_en)


@dataclass(frozen=True)
class Item:
    """One line of the benefit; ``once`` items make up ``total``, ``monthly`` ones are a pension."""

    code: str
    amount: int
    label_id: str
    label_en: str
    basis: tuple[Basis, ...]
    periodicity: Periodicity = "once"


@dataclass(frozen=True)
class TaxLine:
    """One bracket of the tax computation, so the tax is as explainable as the benefit."""

    code: str
    taxable: int
    percent: str
    amount: int
    basis: Basis


@dataclass(frozen=True)
class ScheduleEntry:
    """A future yearly payment (JKM/JKK scholarship): promised, claimed each year, not in ``total``."""

    code: str
    beneficiary: int
    due_from: date
    level: str
    amount: int
    basis: tuple[Basis, ...]


@dataclass(frozen=True)
class DocumentRequirement:
    code: str
    label_id: str
    label_en: str


@dataclass(frozen=True)
class Result:
    program: str
    eligible: bool
    reasons: tuple[Message, ...]
    payable_from: date | None
    items: tuple[Item, ...]
    total: int
    tax: int
    net: int
    documents: tuple[DocumentRequirement, ...]
    tax_lines: tuple[TaxLine, ...] = ()
    schedule: tuple[ScheduleEntry, ...] = ()
    estimate: bool = False
    notes: tuple[Message, ...] = field(default=())


def once_total(items: Iterable[Item]) -> int:
    """Cash payable now: the one-off items only (monthly pensions and scholarships are separate)."""
    return sum(item.amount for item in items if item.periodicity == "once")


def build_result(
    program: str,
    *,
    reasons: Iterable[Message],
    payable_from: date | None,
    items: Iterable[Item] = (),
    tax_lines: Iterable[TaxLine] = (),
    documents: Iterable[DocumentRequirement] = (),
    schedule: Iterable[ScheduleEntry] = (),
    estimate: bool = False,
    notes: Iterable[Message] = (),
    eligible: bool = True,
    basis: Iterable[Basis] = (),
    total_of: Literal["once", "all"] = "once",
) -> Result:
    """Assemble a result; an ineligible case pays nothing now, whatever was computed for it.

    ``basis`` names rules that decided the result without being an item's basis (eligibility, the
    tax regime); with the items', tax lines' and schedule's bases they make up the one note that says
    which uncertain rules the result rests on.
    """
    items = tuple(items) if eligible else ()
    tax_lines = tuple(tax_lines) if eligible else ()
    schedule = tuple(schedule) if eligible else ()
    notes = (*notes, *uncertainty_note((*basis, *_bases_of(items, tax_lines, schedule))))
    # JKP's whole entitlement is its six monthly payments, so its total is their sum.
    total = once_total(items) if total_of == "once" else sum(item.amount for item in items)
    tax = sum(line.amount for line in tax_lines)
    return Result(
        program=program,
        eligible=eligible,
        reasons=tuple(reasons),
        payable_from=payable_from,
        items=items,
        total=total,
        tax=tax,
        net=total - tax,
        documents=tuple(documents),
        tax_lines=tax_lines,
        schedule=schedule,
        estimate=estimate,
        notes=tuple(notes),
    )


def _bases_of(
    items: tuple[Item, ...], tax_lines: tuple[TaxLine, ...], schedule: tuple[ScheduleEntry, ...]
) -> list[Basis]:
    bases = [basis for item in items for basis in item.basis]
    bases.extend(line.basis for line in tax_lines)
    # A schedule's entries share one basis tuple: a hundred entries, a handful of distinct bases.
    seen: set[int] = set()
    for entry in schedule:
        if id(entry.basis) not in seen:
            seen.add(id(entry.basis))
            bases.extend(entry.basis)
    return bases


def uncertainty_note(bases: Iterable[Basis]) -> tuple[Message, ...]:
    """One note per result naming, by their legal references, the uncertain rules it used.

    The parameters' names and their doubts stay in each basis (for the API and the officers); the note
    a participant reads names regulations, never parameter keys (issue 14).
    """
    # The citation only: a reference's explanatory parenthesis is Indonesian text, and the note is read in
    # either language ("Permenaker 4/2022 (menambah berakhirnya PKWT …)" → "Permenaker 4/2022").
    references = sorted({basis.ref.split(" (", 1)[0] for basis in bases if basis.doubt})
    if not references:
        return ()
    return (Message.of("uncertain_rules", references="; ".join(references)),)
