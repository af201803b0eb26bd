"""Public benefit estimates: the same case and result as ``python -m lapakasik rules estimate``.

``/estimate`` takes one case, ``/estimate/batch`` a list of at most :data:`BATCH_LIMIT` (each answered
as ``/estimate`` would answer it alone, an invalid case with its own error entry). The endpoints are public (``auth=None``): a participant estimates before having an account, and
neither reads nor writes anything of ours, so there is no session to protect and no CSRF check
(django-ninja only checks CSRF inside its cookie/session authentication).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from django.utils.translation import get_language
from ninja import Query, Router, Schema, Status
from ninja.params.models import Body, BodyModel
from pydantic import GetJsonSchemaHandler
from pydantic_core import core_schema

from lapakasik.rules.api import EstimateRequest, EstimateResult, InputErrorOut, estimate, estimate_many
from lapakasik.rules.errors import RulesInputError
from lapakasik.rules.params import params_missing_on, params_on

from .schemas import ErrorOut, StrictDate

router = Router(tags=["rules"], auth=None)


class CaseBody:
    """The request body's documented type: ``EstimateRequest``, validated by ``rules.estimate`` itself.

    Letting ninja validate would answer with its generic error (or, for bad JSON, a bare 400);
    ``estimate`` names the case's field (``death_date``, ``children.0.birth_date``…) exactly as the
    CLI does. So this type only lends its JSON schema to the OpenAPI document.
    """

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.any_schema()

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        return handler(EstimateRequest.__pydantic_core_schema__)


class _RawBodyModel(BodyModel):
    @classmethod
    def resolve(cls, request, api, path_params):  # type: ignore[no-untyped-def,override]
        return cls.model_construct(**dict.fromkeys(cls.model_fields, request.body))


class RawBody(Body):  # type: ignore[misc]
    """A JSON body documented like ninja's ``Body`` but handed to the view unparsed (as bytes).

    Uses ninja's param hooks (``_model``, ``_param_source``, as its own ``_MultiPartBody`` does);
    test_rules_api pins both the raw body and the documented schema, so an upgrade that changes
    them fails there.
    """

    _model = _RawBodyModel

    @classmethod
    def _param_source(cls) -> str:
        return "body"


class EstimateErrorOut(InputErrorOut):
    """``InputErrorOut`` plus ``message`` in the request's language, like every other API error."""

    message: str
    details: list[InputErrorOut] = []


@router.post(
    "/estimate",
    response={200: EstimateResult, 400: EstimateErrorOut, 422: EstimateErrorOut},
    summary="Estimate the benefit of one case",
)
def estimate_case(request, case: Annotated[CaseBody, RawBody(...)]):
    """Itemized benefit with its legal basis, tax, net amount and document checklist.

    400: the body is not JSON. 422: a field is invalid, or no recorded rule covers its date
    (``parameter_not_defined``); ``field`` names it.
    """
    try:
        return Status(200, estimate(case))  # type: ignore[arg-type]  # raw bytes, see RawBody
    except RulesInputError as error:
        return Status(400 if error.code == "json_invalid" else 422, _error_body(error))


BATCH_LIMIT = 1000


class BatchBody:
    """``{"cases": [case, …]}``, documented with each case's schema and validated by ``estimate_many``."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.any_schema()

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        return {
            "type": "object",
            "properties": {
                "cases": {
                    "type": "array",
                    "items": handler(EstimateRequest.__pydantic_core_schema__),
                    "maxItems": BATCH_LIMIT,
                    "description": f"At most {BATCH_LIMIT} cases, each as for POST /api/rules/estimate",
                }
            },
            "required": ["cases"],
            "additionalProperties": False,
        }


class BatchEntryOut(Schema):
    """One case's answer: ``result`` when it was computed, else ``error`` (as ``/estimate``'s 422 body)."""

    result: EstimateResult | None = None
    error: EstimateErrorOut | None = None


class BatchOut(Schema):
    results: list[BatchEntryOut]
    computed: int
    refused: int


@router.post(
    "/estimate/batch",
    response={200: BatchOut, 400: EstimateErrorOut, 422: EstimateErrorOut},
    summary="Estimate the benefit of a list of cases",
)
def estimate_cases(request, body: Annotated[BatchBody, RawBody(...)]):
    """Each case answered, in order, exactly as ``POST /api/rules/estimate`` answers it alone.

    An invalid case gets its own ``error`` entry; the others are still computed. 400: the body is not
    JSON, or holds more than 1,000 cases (``too_many_cases``). 422: the body is not ``{"cases": [...]}``.
    """
    try:
        cases = _batch_cases(body)  # type: ignore[arg-type]  # raw bytes, see RawBody
    except RulesInputError as error:
        return Status(400 if error.code in {"json_invalid", "too_many_cases"} else 422, _error_body(error))
    answers = estimate_many(cases)
    results = [
        {"error": _error_body(answer)} if isinstance(answer, RulesInputError) else {"result": answer}
        for answer in answers
    ]
    refused = sum(1 for answer in answers if isinstance(answer, RulesInputError))
    return Status(200, {"results": results, "computed": len(answers) - refused, "refused": refused})


def _batch_cases(body: bytes) -> list[Any]:
    """The body's list of cases, refused whole only when it is not one (or is longer than the limit)."""
    try:
        data = json.loads(body)
    except ValueError:
        raise RulesInputError(
            "body", "Bukan JSON yang valid.", "The body is not valid JSON.", code="json_invalid"
        ) from None
    if not isinstance(data, dict):
        raise RulesInputError(
            "body", "Harus berupa objek JSON.", "The body must be a JSON object.", code="model_type"
        )
    unknown = sorted(set(data) - {"cases"})
    if unknown:
        raise RulesInputError(unknown[0], "Isian tidak dikenal.", "Unknown field.", code="extra_forbidden")
    if "cases" not in data:
        raise RulesInputError("cases", "Wajib diisi.", "Required.", code="missing")
    cases = data["cases"]
    if not isinstance(cases, list):
        raise RulesInputError("cases", "Harus berupa daftar.", "Must be a list.", code="list_type")
    if len(cases) > BATCH_LIMIT:
        raise RulesInputError(
            "cases",
            f"Paling banyak {BATCH_LIMIT} kasus sekali kirim ({len(cases)} dikirim); bagi daftarnya.",
            f"At most {BATCH_LIMIT} cases a request ({len(cases)} sent); split the list.",
            code="too_many_cases",
        )
    # A case that is not an object goes in as its JSON text, so it is refused as /estimate refuses
    # such a body (estimate_many would read a string as a case's JSON text).
    return [case if isinstance(case, dict) else json.dumps(case) for case in cases]


def _error_body(error: RulesInputError) -> dict[str, Any]:
    english = (get_language() or "id").startswith("en")
    details = getattr(error, "details", None) or [error.as_dict()]
    return {
        **error.as_dict(),
        "message": error.message_en if english else error.message_id,
        "details": details,
    }


class ParamsQuery(Schema):
    on: StrictDate


class ParameterOut(Schema):
    name: str
    value: Any
    unit: str
    valid_from: dt.date
    valid_to: dt.date | None
    ref: str
    doubt: str | None


class ParamsOut(Schema):
    on: dt.date
    parameters: list[ParameterOut]
    not_defined: list[str]


@router.get(
    "/params",
    response={200: ParamsOut, 400: ErrorOut, 422: ErrorOut},
    summary="Parameters in force on a date",
)
def parameters_on(request, query: Query[ParamsQuery]):
    """Every benefit-law parameter in force on ``on`` with its legal reference, and those not defined then."""
    return {"on": query.on, "parameters": params_on(query.on), "not_defined": params_missing_on(query.on)}
