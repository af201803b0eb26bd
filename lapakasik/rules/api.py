"""The entry point interfaces call: validate one case, compute it, return JSON-ready data.

``estimate(case)`` is what ``python -m lapakasik rules estimate``, the API endpoint and the
"Perkiraan manfaat" page all call; ``estimate_many(cases)`` is the same for a list (the collective
channel, ``rules estimate --batch``, ``POST /api/rules/estimate/batch``), answered case by case. The
pydantic models are plain ``BaseModel``s so django-ninja can use them as request/response schemas (and
document them in OpenAPI) unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal, Required

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    TypeAdapter,
    ValidationError,
    WrapValidator,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict

from . import jht, jkk, jkm, jkp, jp, reasons
from .dates import parse_month
from .errors import RulesInputError
from .memo import batch_scope
from .messages import long_date
from .params import ParameterNotDefined
from .results import Basis, DocumentRequirement, Item, Message, Result, ScheduleEntry
from .scholarship import LEVELS, Child

# Strict: "40" and true are not numbers, and 4.0 is not a whole count (JSON text and Python alike).
Rupiah = Annotated[int, Field(ge=0, strict=True, description="Whole rupiah")]
Count = Annotated[int, Field(ge=0, strict=True)]
Flag = Annotated[bool, Field(strict=True)]


def _number_not_text(value: Any) -> Any:
    if isinstance(value, bool | str):
        raise PydanticCustomError("number_type", "Input should be a number, not text or true/false.")
    return value


Percent = Annotated[Decimal, BeforeValidator(_number_not_text), Field(gt=0, le=100)]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM", examples=["2020-03"])]
Level = Literal["belum_sekolah", "tk", "sd", "smp", "sma", "pt"]
assert set(LEVELS) == set(Level.__args__)  # type: ignore[attr-defined]


def _canonical_reason(value: Any) -> Any:
    """The rules' former codes (``resignation``…) are accepted and become the one vocabulary's."""
    return reasons.canonical(value) if isinstance(value, str) else value


JhtReason = Annotated[
    Literal[
        "resign",
        "phk",
        "end_of_contract",
        "self_employed_stop",
        "retirement_age",
        "death",
        "disability",
        "leaving_indonesia",
        "partial_10",
        "partial_30",
    ],
    BeforeValidator(_canonical_reason),
    Field(
        description="Claim reason (docs/import.md); old codes resignation, contract_end, retirement, "
        "total_disability are accepted and answered with the current code"
    ),
]
assert set(JhtReason.__origin__.__args__) == set(reasons.JHT_REASONS)  # type: ignore[attr-defined]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChildIn(_Input):
    birth_date: date
    level: Level = Field(description="belum_sekolah, tk, sd, smp, sma, pt (university or training)")


class _ContributionFields(TypedDict, total=False):
    """One month of a JHT contribution history. A typed dict, not a model: a history has 60 or more of them
    and building a frozen model per month was a third of a JHT estimate's time (bench/bench_rules.py)."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]
    month: Required[Month]
    amount: Rupiah | None
    wage: Rupiah | None


def _amount_or_wage(month: _ContributionFields) -> _ContributionFields:
    if (month.get("amount") is None) == (month.get("wage") is None):
        raise PydanticCustomError("amount_or_wage", "Give exactly one of amount or wage.")
    return month


ContributionIn = Annotated[
    _ContributionFields,
    AfterValidator(_amount_or_wage),
    Field(
        description="amount: contribution paid for the month (both parts); or wage: the wage the 5.7% "
        "contribution was paid on — exactly one of them"
    ),
]


class WageIn(_Input):
    month: Month
    wage: Rupiah


class TransportIn(_Input):
    mode: Literal["land", "sea", "air"]
    amount: Rupiah


class CappedCostIn(_Input):
    kind: Literal["home_care", "glasses"]
    amount: Rupiah
    days: Annotated[int, Field(ge=1, le=36500, strict=True)] | None = Field(
        None, description="Home care: days of care the amount covers (at most 365 are reimbursed)"
    )


class JhtCaseIn(_Input):
    program: Literal["JHT"]
    reason: JhtReason
    claim_date: date
    separation_date: date | None = None
    balance: Rupiah | None = None
    contributions: list[ContributionIn] | None = None
    membership_start: date | None = None
    birth_date: date | None = None
    company_retirement_age: Annotated[int, Field(ge=40, le=70, strict=True)] | None = None
    partial_claimed_before: Flag = False
    foreign_national: Flag = False
    heir_is_spouse: Flag | None = None
    has_npwp: Flag = Field(True, description="false: Pasal 17 tax is 20% higher (UU PPh ps. 21 (5a))")


class JkmCaseIn(_Input):
    program: Literal["JKM"]
    death_date: date
    contribution_months: Count
    children: list[ChildIn] = []
    claim_date: date | None = None
    membership_active: Flag = True
    heir_is_spouse: Flag | None = None


class JkkCaseIn(_Input):
    program: Literal["JKK"]
    benefit: Literal["stmb", "partial_disability", "total_disability", "death"]
    accident_date: date
    monthly_wage: Rupiah
    incapacity_days: Annotated[int, Field(ge=0, le=36500, strict=True)] | None = None
    disability_percent: Percent | None = None
    disability_item: str | None = None
    left_handed: Flag = Field(False, description="Left-handed: the table's right and left percentages swap")
    claim_date: date | None = None
    transport: list[TransportIn] = []
    capped_costs: list[CappedCostIn] = []
    children: list[ChildIn] = []
    contribution_months: Count = 0
    heir_is_spouse: Flag | None = None


class JpCaseIn(_Input):
    program: Literal["JP"]
    event: Literal["old_age", "death", "disability"]
    event_date: date
    contribution_months: Annotated[int, Field(ge=0, le=600, strict=True)]
    wages: list[WageIn] = []
    birth_date: date | None = None
    membership_start: date | None = None
    beneficiary: Literal["spouse", "child", "parent"] = "spouse"
    balance: Rupiah | None = None
    claim_date: date | None = None
    heir_is_spouse: Flag | None = None
    has_npwp: Flag = Field(True, description="false: Pasal 17 tax is 20% higher (UU PPh ps. 21 (5a))")


AnyReason = Annotated[
    Literal[
        "resign",
        "phk",
        "end_of_contract",
        "self_employed_stop",
        "retirement_age",
        "death",
        "disability",
        "leaving_indonesia",
        "partial_10",
        "partial_30",
        "accident",
        "occupational_disease",
        "accident_death",
        "old_age_lump_sum",
        "old_age_pension",
    ],
    BeforeValidator(_canonical_reason),
    Field(description="Why employment ended (docs/import.md codes); JKP pays only for phk"),
]
assert set(AnyReason.__origin__.__args__) == set(reasons.ALL)  # type: ignore[attr-defined]
Months24 = Annotated[int, Field(ge=0, le=24, strict=True)]


class JkpCaseIn(_Input):
    program: Literal["JKP"]
    reason: AnyReason
    termination_date: date
    monthly_wage: Rupiah = Field(description="The last wage the employer reported")
    contribution_months_last_24: Months24 = Field(description="Months paid within the 24 before the PHK")
    consecutive_months: Months24 = Field(description="Consecutive months paid right before the PHK")
    registered_age: Annotated[int, Field(ge=0, le=120, strict=True)] | None = Field(
        None, description="Age when first registered for JKP (must be under 54)"
    )


CaseIn = Annotated[JhtCaseIn | JkkCaseIn | JkmCaseIn | JpCaseIn | JkpCaseIn, Field(discriminator="program")]
AnyCase = JhtCaseIn | JkkCaseIn | JkmCaseIn | JpCaseIn | JkpCaseIn


class EstimateRequest(RootModel[CaseIn]):
    """One case, discriminated by ``program`` (JHT, JKK, JKM, JP, JKP)."""


_REFUSED = object()


def _refused_alone(case: Any, handler: Any) -> Any:
    """In a list, a case that fails validation takes this marker's place; the others still validate."""
    try:
        return handler(case)
    except ValidationError:
        return _REFUSED


# A list of cases for estimate_many: one pydantic call for all of them, each case refused on its own.
_CASE_LIST: TypeAdapter[list[Any]] = TypeAdapter(list[Annotated[CaseIn, WrapValidator(_refused_alone)]])


# --- result schema (mirrors results.py) --------------------------------------------------------


class _Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class BasisOut(_Output):
    ref: str
    parameter: str | None
    on: date | None
    doubt: str | None


class MessageOut(_Output):
    code: str
    message_id: str
    message_en: str


class ItemOut(_Output):
    code: str
    amount: int
    label_id: str
    label_en: str
    basis: list[BasisOut]
    periodicity: Literal["once", "monthly"]


class TaxLineOut(_Output):
    code: str
    taxable: int
    percent: str
    amount: int
    basis: BasisOut


class ScheduleEntryOut(_Output):
    code: str
    beneficiary: int
    due_from: date
    level: str
    amount: int
    basis: list[BasisOut]


class DocumentOut(_Output):
    code: str
    label_id: str
    label_en: str


class EstimateResult(_Output):
    program: Literal["JHT", "JKK", "JKM", "JP", "JKP"]
    eligible: bool
    reasons: list[MessageOut]
    payable_from: date | None
    items: list[ItemOut]
    total: int = Field(
        description="Cash payable: one-off items (not monthly pensions or scholarships); "
        "for JKP the sum of its six monthly payments"
    )
    tax: int
    net: int
    documents: list[DocumentOut]
    tax_lines: list[TaxLineOut]
    schedule: list[ScheduleEntryOut] = Field(
        description="Yearly scholarships, claimed each year; not in total"
    )
    estimate: bool
    notes: list[MessageOut]


class InputErrorOut(BaseModel):
    field: str
    code: str
    message_id: str
    message_en: str


# --- entry points ------------------------------------------------------------------------------


def estimate(case: dict[str, Any] | str | bytes, *, today: date | None = None) -> dict[str, Any]:
    """Validate ``case`` (a dict or JSON text), compute it and return the result as JSON-ready data.

    Raises :class:`RulesInputError` naming the field for invalid input, and for a date the
    recorded law does not cover (code ``parameter_not_defined``). ``today`` (default: the system
    date) decides whether the case lies in the future, which the result then says.
    """
    return estimate_model(parse_case(case), today=today)


def estimate_many(
    cases: Sequence[dict[str, Any] | str | bytes], *, today: date | None = None
) -> list[dict[str, Any] | RulesInputError]:
    """:func:`estimate` for each case of a list, in order: its result, or the :class:`RulesInputError`
    ``estimate`` would have raised for it (an invalid case spoils only its own entry).

    Each entry equals what ``estimate(case, today=today)`` returns or raises (a property test holds
    them to that); ``today`` is read once for the whole list. What it saves over a loop of ``estimate``
    (bench/RESULTS.md has the figures): the dict cases are validated in one pydantic call (an invalid
    one alone again, for its exact error); a case identical to an earlier one of the list is computed
    once; and inside :func:`memo.batch_scope` every lump-sum tax is worked out once per gross and
    dates. Parameter look-ups, document checklists, JHT eligibility (per loaded parameter set:
    ``params.lookup``, ``params.per_parameter_set``) and explanation lines (``memo.per_process_text``)
    are remembered per process, so ``estimate`` alone has those too. Results may share their (never changed) inner dicts, as :func:`_basis` already makes
    single results do; each entry has its own top-level dict and lists.
    """
    today = today or date.today()
    models = _validate_many(cases)
    answers: list[dict[str, Any] | RulesInputError] = []
    computed: dict[Any, dict[str, Any]] = {}
    with batch_scope():
        for model in models:
            if isinstance(model, RulesInputError):
                answers.append(model)
                continue
            key = _case_key(model)
            earlier = computed.get(key)
            if earlier is not None:
                answers.append(_own_copy(earlier))
                continue
            try:
                answer = computed[key] = result_to_dict(compute(model, today=today))
            except RulesInputError as error:
                answers.append(error)  # not remembered: a repeat raises its own error again
            else:
                answers.append(answer)
    return answers


def _case_key(model: _Input) -> tuple[Any, ...]:
    """Everything a validated case says, hashable: equal keys, equal results.

    Exact where equal values would be shown differently: a ``Decimal`` by its digits (12.5 and 12.50
    label an item differently). The schema is strict, so a field never holds both ``1`` and ``True``.
    """
    return (model.__class__, *[_key_part(part) for part in model.__dict__.values()])


def _key_part(part: Any) -> Any:
    if part.__class__ is list:
        return tuple(_case_key(entry) if isinstance(entry, _Input) else _month_key(entry) for entry in part)
    if part.__class__ is Decimal:
        return (Decimal, str(part))
    return part


def _month_key(month: dict[str, Any]) -> tuple[Any, ...]:
    return (month["month"], month.get("amount"), month.get("wage"))


def _own_copy(result: dict[str, Any]) -> dict[str, Any]:
    """A repeated case's answer: its own dict and lists, sharing the (never changed) inner dicts."""
    return {name: part.copy() if part.__class__ is list else part for name, part in result.items()}


def _validate_many(cases: Sequence[dict[str, Any] | str | bytes]) -> list[AnyCase | RulesInputError]:
    """Every case validated: the dicts together in one pydantic call, any other case alone.

    A dict the list call refuses is validated again alone through :func:`parse_case`, so that its
    error is exactly the one ``estimate`` raises (not a list-position variant of it); the list's valid
    cases are not validated twice.
    """
    if not isinstance(cases, list | tuple):
        raise TypeError("estimate_many takes a list of cases")
    at = [index for index, case in enumerate(cases) if type(case) is dict]
    models: list[Any] = [None] * len(cases)
    for index, model in zip(at, _CASE_LIST.validate_python([cases[index] for index in at]), strict=True):
        models[index] = model
    for index, case in enumerate(cases):
        if models[index] is None or models[index] is _REFUSED:
            try:
                models[index] = parse_case(case)
            except RulesInputError as error:
                models[index] = error
    return models


def estimate_model(model: AnyCase, *, today: date | None = None) -> dict[str, Any]:
    """For an already validated case (e.g. django-ninja's ``payload.root``): compute, JSON-ready."""
    return result_to_dict(compute(model, today=today))


def result_to_dict(result: Result) -> dict[str, Any]:
    """The result as JSON-ready data, shaped exactly like :class:`EstimateResult`.

    Written out by hand because pydantic's from-attributes validation plus dump cost half of an
    estimate; a test checks that both give the same data for every legislation case.
    """
    return {
        "program": result.program,
        "eligible": result.eligible,
        "reasons": [_message(message) for message in result.reasons],
        "payable_from": _iso(result.payable_from),
        "items": [_item(item) for item in result.items],
        "total": result.total,
        "tax": result.tax,
        "net": result.net,
        "documents": [_document(d) for d in result.documents],
        "tax_lines": [
            {
                "code": t.code,
                "taxable": t.taxable,
                "percent": t.percent,
                "amount": t.amount,
                "basis": _basis(t.basis),
            }
            for t in result.tax_lines
        ],
        "schedule": _schedule(result.schedule) if result.schedule else [],
        "estimate": result.estimate,
        "notes": [_message(message) for message in result.notes],
    }


def result_to_dict_by_schema(result: Result) -> dict[str, Any]:
    """The same through the pydantic schema (the reference the hand-written version is tested against)."""
    return EstimateResult.model_validate(result).model_dump(mode="json")


def _schedule(schedule: tuple[ScheduleEntry, ...]) -> list[dict[str, Any]]:
    """The yearly entries; a schedule's entries share one basis tuple, converted once per result (each
    entry still gets its own list)."""
    bases: dict[int, list[dict[str, Any]]] = {}
    rows = []
    for e in schedule:
        basis = bases.get(id(e.basis))
        if basis is None:
            basis = bases[id(e.basis)] = [_basis(b) for b in e.basis]
        rows.append(
            {
                "code": e.code,
                "beneficiary": e.beneficiary,
                "due_from": e.due_from.isoformat(),
                "level": e.level,
                "amount": e.amount,
                "basis": basis.copy(),
            }
        )
    return rows


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _message(message: Message) -> dict[str, str]:
    return {"code": message.code, "message_id": message.message_id, "message_en": message.message_en}


@lru_cache(maxsize=4096)
def _basis(basis: Basis) -> dict[str, Any]:
    """Cached: a scholarship schedule repeats the same few legal bases in every entry (a hundred and more
    per estimate). The dict is shared between results, which are only ever serialised, never changed."""
    return {"ref": basis.ref, "parameter": basis.parameter, "on": _iso(basis.on), "doubt": basis.doubt}


@lru_cache(maxsize=1024)
def _document(document: DocumentRequirement) -> dict[str, str]:
    """Cached like :func:`_basis`: every JHT result lists the same handful of documents."""
    return {"code": document.code, "label_id": document.label_id, "label_en": document.label_en}


def _item(item: Item) -> dict[str, Any]:
    return {
        "code": item.code,
        "amount": item.amount,
        "label_id": item.label_id,
        "label_en": item.label_en,
        "basis": [_basis(b) for b in item.basis],
        "periodicity": item.periodicity,
    }


def parse_case(case: dict[str, Any] | str | bytes) -> AnyCase:
    try:
        if isinstance(case, str | bytes):
            return EstimateRequest.model_validate_json(case).root
        return EstimateRequest.model_validate(case).root
    except ValidationError as error:
        raise input_error_from(error) from None


def compute(model: AnyCase, *, today: date | None = None) -> Result:
    try:
        return _with_future_note(_calculate(model), model, today or date.today())
    except ParameterNotDefined as error:
        field = _FIELD_OF_PARAMETER.get(error.name) or _field_for_date(model, error.on)
        raise RulesInputError(
            field,
            f"Tidak ada ketentuan tercatat untuk tanggal {long_date(error.on)}.",
            f"No recorded rule covers {long_date(error.on, 'en')}.",
            code="parameter_not_defined",
        ) from error


def _with_future_note(result: Result, model: Any, today: date) -> Result:
    """A case dated after today is computed with the law recorded today, and the result says so."""
    # The model's own dict: ``getattr`` on a field a program lacks goes through pydantic's slow
    # ``__getattr__`` to fail, five times an estimate.
    fields = model.__dict__
    latest = max((d for d in (fields.get(name) for name in _CASE_DATES) if isinstance(d, date)), default=None)
    if latest is None or latest <= today:
        return result
    return replace(result, notes=(*result.notes, Message.of("future_date", on=latest, today=today)))


# Every date field a case may carry; the latest decides whether the case lies in the future.
_CASE_DATES = (
    "claim_date",
    "death_date",
    "accident_date",
    "event_date",
    "separation_date",
    "termination_date",
)


def _calculate(model: AnyCase) -> Result:
    if isinstance(model, JhtCaseIn):
        return jht.calculate(to_jht_case(model))
    if isinstance(model, JkmCaseIn):
        return jkm.calculate(to_jkm_case(model))
    if isinstance(model, JkkCaseIn):
        return jkk.calculate(to_jkk_case(model))
    if isinstance(model, JkpCaseIn):
        return jkp.calculate(jkp.JkpCase(**_fields(model, {"program"})))
    return jp.calculate(to_jp_case(model))


def to_jht_case(model: JhtCaseIn) -> jht.JhtCase:
    if model.balance is not None and model.contributions:
        raise RulesInputError(
            "balance",
            "Isi saldo atau riwayat iuran, bukan keduanya.",
            "Give either the balance or the contribution history, not both.",
        )
    make = jht.Contribution._make  # a history has one per month: the cheapest way to build each
    contributions = tuple(
        [make((parse_month(c["month"]), c.get("amount"), c.get("wage"))) for c in model.contributions or ()]
    )
    fields = _fields(model, {"program", "contributions"})
    return jht.JhtCase(contributions=contributions, **fields)


def to_jkm_case(model: JkmCaseIn) -> jkm.JkmCase:
    fields = _fields(model, {"program", "children"})
    return jkm.JkmCase(children=_children(model.children), **fields)


def to_jkk_case(model: JkkCaseIn) -> jkk.JkkCase:
    fields = _fields(model, {"program", "children", "transport", "capped_costs"})
    transport = tuple(jkk.TransportClaim(t.mode, t.amount) for t in model.transport)
    costs = tuple(jkk.CappedCost(c.kind, c.amount, c.days) for c in model.capped_costs)
    return jkk.JkkCase(children=_children(model.children), transport=transport, capped_costs=costs, **fields)


def to_jp_case(model: JpCaseIn) -> jp.JpCase:
    fields = _fields(model, {"program", "wages"})
    wages = tuple(jp.MonthlyWage(parse_month(w.month), w.wage) for w in model.wages)
    return jp.JpCase(wages=wages, **fields)


def _fields(model: _Input, exclude: set[str]) -> dict[str, Any]:
    """The model's plain fields as they are (``model_dump`` would copy the same values, slower).

    Only for fields holding dates, numbers, strings and booleans; nested models are excluded and
    converted by the caller.
    """
    return {name: field_value for name, field_value in model.__dict__.items() if name not in exclude}


def _children(children: list[ChildIn]) -> tuple[Child, ...]:
    return tuple(Child(child.birth_date, child.level) for child in children)


_PRIMARY_DATE = {
    "JHT": "claim_date",
    "JKK": "accident_date",
    "JKM": "death_date",
    "JP": "event_date",
    "JKP": "termination_date",
}
# Parameters read on a date that comes from one particular input, whatever that date is.
_FIELD_OF_PARAMETER = {"jp.wage_ceiling": "wages", "jht.contribution_rate": "contributions"}


def _field_for_date(model: AnyCase, on: date) -> str:
    """The input field whose date the law does not cover (the program's main date otherwise)."""
    for name in type(model).model_fields:
        field_value = getattr(model, name)
        if field_value == on:
            return name
        if isinstance(field_value, list) and any(
            getattr(x, "month", None) == on.strftime("%Y-%m") for x in field_value
        ):
            return name
    return _PRIMARY_DATE[model.program]


# --- validation errors, in both languages ------------------------------------------------------------

_ERROR_TEXT_ID = {
    "missing": "Wajib diisi.",
    "extra_forbidden": "Isian tidak dikenal.",
    "literal_error": "Nilai tidak diizinkan.",
    "union_tag_invalid": "Program harus salah satu dari JHT, JKK, JKM, JP, JKP.",
    "union_tag_not_found": "Program wajib diisi (JHT, JKK, JKM, JP, JKP).",
    "date_from_datetime_parsing": "Tanggal tidak valid (format YYYY-MM-DD).",
    "date_parsing": "Tanggal tidak valid (format YYYY-MM-DD).",
    "date_type": "Tanggal tidak valid (format YYYY-MM-DD).",
    "int_parsing": "Harus bilangan bulat.",
    "int_type": "Harus bilangan bulat.",
    "int_from_float": "Harus bilangan bulat (rupiah tanpa sen).",
    "greater_than_equal": "Nilai terlalu kecil.",
    "greater_than": "Nilai terlalu kecil.",
    "less_than_equal": "Nilai terlalu besar.",
    "string_pattern_mismatch": "Format tidak valid (bulan: YYYY-MM).",
    "json_invalid": "Bukan JSON yang valid.",
    "model_type": "Harus berupa objek JSON.",
    "model_attributes_type": "Harus berupa objek JSON.",
    "list_type": "Harus berupa daftar.",
    "bool_parsing": "Harus true atau false.",
    "decimal_parsing": "Harus berupa angka.",
    "amount_or_wage": "Isi salah satu: amount atau wage.",
    "bool_type": "Harus true atau false.",
    "number_type": "Harus berupa angka (bukan teks atau true/false).",
    "decimal_type": "Harus berupa angka.",
}


def input_error_from(error: ValidationError) -> RulesInputError:
    """The first problem of a pydantic error as a :class:`RulesInputError`, with all of them in ``details``."""
    details = [_detail(problem) for problem in error.errors(include_url=False)]
    first = details[0]
    rules_error = RulesInputError(
        first["field"], first["message_id"], first["message_en"], code=first["code"]
    )
    rules_error.details = details  # type: ignore[attr-defined]
    return rules_error


def _detail(problem: Any) -> dict[str, str]:
    # A contribution month is a typed dict (see _ContributionFields): "not an object" keeps the code a model gives.
    kind = "model_type" if problem["type"] == "dict_type" else problem["type"]
    location = [str(part) for part in problem["loc"] if part not in _PRIMARY_DATE]
    field = ".".join(location) or "case"
    if kind.startswith("union_tag"):
        field = "program"
    message_id = _ERROR_TEXT_ID.get(kind, "Isian tidak valid.")
    return {"field": field, "code": kind, "message_id": message_id, "message_en": str(problem["msg"])}


def error_json(error: RulesInputError) -> str:
    return json.dumps({"error": error_dict(error)}, ensure_ascii=False)


def error_dict(error: RulesInputError) -> dict[str, Any]:
    """The error as the CLI prints it: field, code, both texts, and every problem in ``details``."""
    body: dict[str, Any] = error.as_dict()
    if getattr(error, "details", None):
        body["details"] = error.details  # type: ignore[attr-defined]
    return body
