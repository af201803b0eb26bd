from __future__ import annotations

from . import otp, throttle

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
