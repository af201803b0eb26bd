from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, ValidationInfo

from lapakasik.lib import params


def _strict_date(value: Any, info: ValidationInfo) -> dt.date | None:
    """YYYY-MM-DD within the service's dates, through the one strict parser: pydantic alone reads
    ``0`` as 1970-01-01 and lets year 1 or 9999 through. Its InvalidParameter is a 400 naming the field."""
    field = (info.field_name or "date").rstrip("_")
    if isinstance(value, dt.date):
        return params.within(value, field)
    return params.day(value if isinstance(value, str) else repr(value), field)


StrictDate = Annotated[dt.date, BeforeValidator(_strict_date)]


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


# Every error an endpoint can answer with, declared so the OpenAPI document is complete.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
