"""Hostile request parameters answer 400 with the field named, in pages and in the API — never 500.

Every query-string and form value, and every string of a JSON body, goes through ``lib.params.text``
before any view runs: a NUL byte (which PostgreSQL refuses) or another control character stops here,
once, instead of in each of the hundred places that read a parameter. Views then parse ids, dates and
periods with the other ``lib.params`` functions; an :class:`InvalidParameter` they raise becomes the
same 400 (the API turns it into its documented error body itself, as a ``DomainError``).
"""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lapakasik.lib.params import LARGEST_ID, InvalidParameter, first_control_character, text

from .uploads import refused_uploads


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def invalid_parameter_response(request, error: InvalidParameter) -> HttpResponse:
    if is_api(request):
        return JsonResponse(error.as_dict(), status=400)
    return render(request, "400.html", {"field": error.field, "message": str(error.message)}, status=400)


class StrictParametersMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request) -> HttpResponse:
        try:
            self._check(request)
        except InvalidParameter as error:
            return invalid_parameter_response(request, error)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs) -> HttpResponse | None:
        # A path id past the largest database id is no object of ours; PostgreSQL would answer such a
        # number with "bigint out of range" (a 500) before the lookup could say "not found".
        refused = refused_uploads(request)
        if refused and not getattr(view_func, "shows_refused_uploads", False):
            field, message = next(iter(refused.items()))
            return invalid_parameter_response(request, InvalidParameter(field, message))
        for value in (*view_args, *view_kwargs.values()):
            if _too_large(value):
                if is_api(request):
                    return JsonResponse(
                        {"code": "not_found", "message": _("Tidak ditemukan."), "field": None}, status=404
                    )
                raise Http404
        return None

    def process_exception(self, request, exception) -> HttpResponse | None:
        if isinstance(exception, InvalidParameter):
            return invalid_parameter_response(request, exception)
        return None

    def _check(self, request) -> None:
        for field, value in _pairs(request.GET):
            text(value, field)
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            # Reading POST here parses uploads through settings.FILE_UPLOAD_HANDLERS (the size-capped
            # one): views never swap handlers, so nothing is lost by parsing first.
            for field, value in _pairs(request.POST):
                text(value, field)
        elif content_type == "application/json" and request.body:
            self._check_json(request)

    def _check_json(self, request) -> None:
        try:
            body = json.loads(request.body)
        except ValueError:
            return  # unparsable bodies are the API's to refuse, in its error schema
        field = first_control_character(body)
        if field is not None:
            raise InvalidParameter(
                field, _("%(field)s berisi karakter kendali yang tidak sah.") % {"field": field}
            )


def _too_large(value) -> bool:
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    return isinstance(value, int) and value > LARGEST_ID


def _pairs(query) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, values in query.lists():
        text(key, "parameter")
        pairs.extend((key, value) for value in values)
    return pairs
