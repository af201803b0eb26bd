"""Public benefit estimates: the same case and result as ``python -m lapakasik rules estimate``.

Both endpoints are public (``auth=None``): a participant estimates before having an account, and
neither reads nor writes anything of ours, so there is no session to protect and no CSRF check
(django-ninja only checks CSRF inside its cookie/session authentication).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.utils.translation import get_language
from ninja import Query, Router, Schema, Status
from ninja.params.models import Body, BodyModel
from pydantic import GetJsonSchemaHandler
from pydantic_core import core_schema

from lapakasik.rules.api import EstimateRequest, EstimateResult, InputErrorOut, estimate
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
