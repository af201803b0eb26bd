from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.db import connections, router
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from lapakasik.lib import rows

from . import otp, throttle
from .models import User

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

REMEMBER = "_lapakasik_remember_device"


def mark_device_recognised(sender, request, user, **kwargs) -> None:
    """Every successful log-in (portal, console, /admin/, a new account) makes this device recognised."""
    if request is not None:
        setattr(request, REMEMBER, user.pk)


class RecognisedDeviceMiddleware:
    """Sets the recognised-device cookie on the answer to a successful log-in (accounts/throttle.py)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user_pk = getattr(request, REMEMBER, None)
        if user_pk is not None:
            throttle.remember_device(request, response, user_pk)
        return response


# Where the second factor is required: the console, the API (staff APIs and anything a staff session calls)
# and Django's admin. The pages that ask for the code, log-out and static files stay reachable.
GUARDED_PREFIXES = ("/console/", "/api/", "/admin/")


class SecondFactorMiddleware:
    """Staff (everyone who can move a claim or money) must have passed their second factor in this session
    before any console page, staff API or admin page answers; the first time, they enrol."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(GUARDED_PREFIXES)
            and user.is_authenticated
            and user.needs_second_factor
            and not user.is_verified()
        ):
            return otp.second_factor_required(request)
        return self.get_response(request)


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, with the signed-in user of an ordinary session read in one plain statement: the ORM's
    ``get(pk=…)`` cost ~1.5 ms of CPU per request, most of a small API call's own work (issue 19)."""

    def process_request(self, request) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))


def _cached_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = _session_user(request)
    return request._cached_user


def _session_user(request):
    """What ``django.contrib.auth.get_user`` answers. Only its everyday case is done here — a session of the
    model backend, an active user, the session hash made with the current secret key — with the same checks;
    anything else (no session, another backend, a fallback key to rotate, a session to flush) is Django's."""
    session = request.session
    try:
        user_id = User._meta.pk.to_python(session[auth.SESSION_KEY])
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except (KeyError, ValueError):
        return auth.get_user(request)
    if backend_path != MODEL_BACKEND or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    user = _read_user(user_id)
    if user is None or not ModelBackend().user_can_authenticate(user):
        return auth.get_user(request)
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if session_hash and constant_time_compare(session_hash, user.get_session_auth_hash()):
        return user
    return auth.get_user(request)


def _read_user(pk) -> User | None:
    using = router.db_for_read(User)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT {rows.columns(User, 'u', using)} FROM {User._meta.db_table} u WHERE u.id = %s",  # noqa: S608
            [pk],
        )
        row = cursor.fetchone()
    return rows.build(User, row, using=using) if row else None
