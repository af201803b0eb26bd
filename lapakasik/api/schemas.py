from __future__ import annotations

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


# Every error an endpoint can answer with, declared so the OpenAPI document is complete.
ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
