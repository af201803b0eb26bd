"""The entry point interfaces call: validate one case, compute it, return JSON-ready data.

``estimate(case)`` is what ``python -m lapakasik rules estimate``, the API endpoint and the
"Perkiraan manfaat" page all call. The pydantic models are plain ``BaseModel``s so django-ninja
can use them as request/response schemas (and document them in OpenAPI) unchanged.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from . import jht, jkk, jkm, jp
from .dates import parse_month
from .errors import RulesInputError
from .params import ParameterNotDefined
from .results import Result
from .scholarship import LEVELS, Child

Rupiah = Annotated[int, Field(ge=0, description="Whole rupiah")]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM", examples=["2020-03"])]
Level = Literal["belum_sekolah", "tk", "sd", "smp", "sma", "pt"]
assert set(LEVELS) == set(Level.__args__)  # type: ignore[attr-defined]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChildIn(_Input):
    birth_date: date
    level: Level = Field(description="belum_sekolah, tk, sd, smp, sma, pt (university or training)")


class ContributionIn(_Input):
    month: Month
    amount: Rupiah | None = Field(None, description="Contribution paid for the month (both parts)")
    wage: Rupiah | None = Field(None, description="Wage the 5.7% contribution was paid on")

    @model_validator(mode="after")
    def _amount_or_wage(self) -> ContributionIn:
        if (self.amount is None) == (self.wage is None):
            raise PydanticCustomError("amount_or_wage", "Give exactly one of amount or wage.")
        return self


class WageIn(_Input):
    month: Month
    wage: Rupiah


class TransportIn(_Input):
    mode: Literal["land", "sea", "air"]
    amount: Rupiah


class JhtCaseIn(_Input):
    program: Literal["JHT"]
    reason: Literal[
        "resignation",
        "phk",
        "contract_end",
        "self_employed_stop",
        "retirement",
        "death",
        "total_disability",
        "leaving_indonesia",
        "partial_10",
        "partial_30",
    ]
    claim_date: date
    separation_date: date | None = None
    balance: Rupiah | None = None
    contributions: list[ContributionIn] | None = None
    membership_start: date | None = None
    birth_date: date | None = None
    company_retirement_age: Annotated[int, Field(ge=40, le=70)] | None = None
    partial_claimed_before: bool = False
    foreign_national: bool = False
    heir_is_spouse: bool | None = None


class JkmCaseIn(_Input):
    program: Literal["JKM"]
    death_date: date
    contribution_months: Annotated[int, Field(ge=0)]
    children: list[ChildIn] = []
    claim_date: date | None = None
    membership_active: bool = True
    heir_is_spouse: bool | None = None


class JkkCaseIn(_Input):
    program: Literal["JKK"]
    benefit: Literal["stmb", "partial_disability", "total_disability", "death"]
    accident_date: date
    monthly_wage: Rupiah
    incapacity_days: Annotated[int, Field(ge=0, le=36500)] | None = None
    disability_percent: Annotated[Decimal, Field(gt=0, le=100)] | None = None
    disability_item: str | None = None
    claim_date: date | None = None
    transport: list[TransportIn] = []
    children: list[ChildIn] = []
    contribution_months: Annotated[int, Field(ge=0)] = 0
    heir_is_spouse: bool | None = None


class JpCaseIn(_Input):
    program: Literal["JP"]
    event: Literal["old_age", "death", "disability"]
    event_date: date
    contribution_months: Annotated[int, Field(ge=0, le=600)]
    wages: list[WageIn] = []
    birth_date: date | None = None
    membership_start: date | None = None
    beneficiary: Literal["spouse", "child", "parent"] = "spouse"
    balance: Rupiah | None = None
    claim_date: date | None = None
    heir_is_spouse: bool | None = None


CaseIn = Annotated[JhtCaseIn | JkkCaseIn | JkmCaseIn | JpCaseIn, Field(discriminator="program")]


class EstimateRequest(RootModel[CaseIn]):
    """One case, discriminated by ``program`` (JHT, JKK, JKM, JP)."""


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
    program: Literal["JHT", "JKK", "JKM", "JP"]
    eligible: bool
    reasons: list[MessageOut]
    payable_from: date | None
    items: list[ItemOut]
    total: int = Field(
        description="Cash payable now: one-off items only (not monthly pensions or scholarships)"
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


def estimate(case: dict[str, Any] | str | bytes) -> dict[str, Any]:
    """Validate ``case`` (a dict or JSON text), compute it and return the result as JSON-ready data.

    Raises :class:`RulesInputError` naming the field for invalid input, and for a date the
    recorded law does not cover (code ``parameter_not_defined``).
    """
    return estimate_model(parse_case(case))


def estimate_model(model: JhtCaseIn | JkkCaseIn | JkmCaseIn | JpCaseIn) -> dict[str, Any]:
    """For an already validated case (e.g. django-ninja's ``payload.root``): compute, JSON-ready."""
    return result_to_dict(compute(model))


def result_to_dict(result: Result) -> dict[str, Any]:
    return EstimateResult.model_validate(result).model_dump(mode="json")


def parse_case(case: dict[str, Any] | str | bytes) -> JhtCaseIn | JkkCaseIn | JkmCaseIn | JpCaseIn:
    try:
        if isinstance(case, str | bytes):
            return EstimateRequest.model_validate_json(case).root
        return EstimateRequest.model_validate(case).root
    except ValidationError as error:
        raise input_error_from(error) from None


def compute(model: JhtCaseIn | JkkCaseIn | JkmCaseIn | JpCaseIn) -> Result:
    try:
        return _calculate(model)
    except ParameterNotDefined as error:
        field = _FIELD_OF_PARAMETER.get(error.name) or _field_for_date(model, error.on)
        raise RulesInputError(
            field,
            f"Tidak ada ketentuan tercatat untuk tanggal {error.on.isoformat()} (parameter {error.name}).",
            f"No recorded rule covers {error.on.isoformat()} (parameter {error.name}).",
            code="parameter_not_defined",
        ) from error


def _calculate(model: JhtCaseIn | JkkCaseIn | JkmCaseIn | JpCaseIn) -> Result:
    if isinstance(model, JhtCaseIn):
        return jht.calculate(to_jht_case(model))
    if isinstance(model, JkmCaseIn):
        return jkm.calculate(to_jkm_case(model))
    if isinstance(model, JkkCaseIn):
        return jkk.calculate(to_jkk_case(model))
    return jp.calculate(to_jp_case(model))


def to_jht_case(model: JhtCaseIn) -> jht.JhtCase:
    if model.balance is not None and model.contributions:
        raise RulesInputError(
            "balance",
            "Isi saldo atau riwayat iuran, bukan keduanya.",
            "Give either balance or contributions, not both.",
        )
    contributions = tuple(
        jht.Contribution(parse_month(c.month), c.amount, c.wage) for c in model.contributions or ()
    )
    fields = model.model_dump(exclude={"program", "contributions"})
    return jht.JhtCase(contributions=contributions, **fields)


def to_jkm_case(model: JkmCaseIn) -> jkm.JkmCase:
    fields = model.model_dump(exclude={"program", "children"})
    return jkm.JkmCase(children=_children(model.children), **fields)


def to_jkk_case(model: JkkCaseIn) -> jkk.JkkCase:
    fields = model.model_dump(exclude={"program", "children", "transport"})
    transport = tuple(jkk.TransportClaim(t.mode, t.amount) for t in model.transport)
    return jkk.JkkCase(children=_children(model.children), transport=transport, **fields)


def to_jp_case(model: JpCaseIn) -> jp.JpCase:
    fields = model.model_dump(exclude={"program", "wages"})
    wages = tuple(jp.MonthlyWage(parse_month(w.month), w.wage) for w in model.wages)
    return jp.JpCase(wages=wages, **fields)


def _children(children: list[ChildIn]) -> tuple[Child, ...]:
    return tuple(Child(child.birth_date, child.level) for child in children)


_PRIMARY_DATE = {"JHT": "claim_date", "JKK": "accident_date", "JKM": "death_date", "JP": "event_date"}
# Parameters read on a date that comes from one particular input, whatever that date is.
_FIELD_OF_PARAMETER = {"jp.wage_ceiling": "wages", "jht.contribution_rate": "contributions"}


def _field_for_date(model: JhtCaseIn | JkkCaseIn | JkmCaseIn | JpCaseIn, on: date) -> str:
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
    "union_tag_invalid": "Program harus salah satu dari JHT, JKK, JKM, JP.",
    "union_tag_not_found": "Program wajib diisi (JHT, JKK, JKM, JP).",
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
    kind = problem["type"]
    location = [str(part) for part in problem["loc"] if part not in _PRIMARY_DATE]
    field = ".".join(location) or "case"
    if kind.startswith("union_tag"):
        field = "program"
    message_id = _ERROR_TEXT_ID.get(kind, "Isian tidak valid.")
    return {"field": field, "code": kind, "message_id": message_id, "message_en": str(problem["msg"])}


def error_json(error: RulesInputError) -> str:
    body: dict[str, Any] = {"error": error.as_dict()}
    if getattr(error, "details", None):
        body["error"]["details"] = error.details  # type: ignore[attr-defined]
    return json.dumps(body, ensure_ascii=False)
