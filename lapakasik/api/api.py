"""The HTTP API (django-ninja) at /api/, with its OpenAPI document at /api/openapi.json."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from lapakasik.lib.errors import DomainError

from .schemas import ErrorOut

api = NinjaAPI(
    title="Lapak Asik API",
    version="1",
    description="Claim service of a BPJS Ketenagakerjaan branch office. Session authentication; "
    "unsafe methods need the CSRF token.",
    auth=django_auth,
    urls_namespace="api",
)


def _error(request, status: int, code: str, message: str, field: str | None = None):
    return api.create_response(
        request, ErrorOut(code=code, message=message, field=field).model_dump(), status=status
    )


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    response = _error(request, exc.status, exc.code, str(exc.message), exc.field)
    if retry_after := getattr(exc, "retry_after", None):
        response["Retry-After"] = str(retry_after)  # a rate limit's refusal (booking/rate.py)
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", str(_("Tidak ditemukan.")))


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    return _error(request, 401, "not_authenticated", str(_("Silakan masuk terlebih dahulu.")))


# ninja's own refusals (a body that is not JSON, a failed CSRF check, a throttle) answer {"detail": …};
# every error of this API has the documented shape instead.
HTTP_ERROR_CODES = {400: "invalid_body", 403: "csrf_failed", 405: "method_not_allowed", 429: "throttled"}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    code = HTTP_ERROR_CODES.get(exc.status_code, "http_error")
    messages = {
        "invalid_body": _("Isi permintaan bukan JSON yang sah."),
        "csrf_failed": _("Pemeriksaan CSRF gagal: muat ulang halaman lalu coba lagi."),
        "throttled": _("Terlalu banyak permintaan; coba lagi nanti."),
    }
    return _error(request, exc.status_code, code, str(messages.get(code, exc.message)))


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    field = ".".join(str(part) for part in first.get("loc", [])[1:]) or None
    message = _("Isian tidak sah: %(detail)s") % {"detail": first.get("msg", "")}
    return _error(request, 422, "invalid_input", str(message), field)


def _register_routers() -> None:
    from .reports import router as reports_router

    api.add_router("/reports/", reports_router)

    from .booking import router as booking_router

    api.add_router("/booking/", booking_router)

    from .claims import router as claims_router
    from .claims import staff_router as staff_claims_router

    api.add_router("/claims/", claims_router)
    api.add_router("/staff/claims/", staff_claims_router)

    from .complaints import router as complaints_router
    from .complaints import staff_router as staff_complaints_router

    api.add_router("/complaints/", complaints_router)
    api.add_router("/staff/complaints/", staff_complaints_router)

    from .rules import router as rules_router

    api.add_router("/rules/", rules_router)


_register_routers()
