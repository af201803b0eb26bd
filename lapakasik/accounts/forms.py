from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from . import throttle, unlock
from .models import User

LOGIN_SCOPE = "login"


def login_attempt(request, username: str) -> tuple[throttle.Attempt, User | None]:
    """The throttle's view of a log-in: the account named (lower case) from this address or device."""
    account = (username or "").strip().lower()
    user = User.objects.filter(username__iexact=account).first() if account else None
    device = throttle.device_for(request, user.pk if user else None)
    return throttle.Attempt(LOGIN_SCOPE, account, throttle.client_address(request), device), user


class ThrottledLoginMixin:
    """Refuses a try while the account-and-source pair (or the source) waits; counts every failure.

    The wait is checked before the password is: a locked pair learns nothing, right or wrong. The person's
    own recognised device has a pair of its own, so a stranger's failures never lock it.
    """

    def clean(self):
        request, data = getattr(self, "request", None), getattr(self, "cleaned_data", {})
        attempt, user = login_attempt(request, data.get("username", ""))
        wait = throttle.wait_seconds(attempt)
        if wait:
            raise forms.ValidationError(throttle.locked_message(wait), code="locked")
        try:
            cleaned = super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            wait = throttle.failed(attempt)
            if user is not None and wait:
                unlock.offer(user, attempt)
            if wait:
                raise forms.ValidationError(throttle.locked_message(wait), code="locked")
            raise
        throttle.succeeded(attempt)
        return cleaned


class ThrottledLoginForm(ThrottledLoginMixin, AuthenticationForm):
    """The portal and console log-in."""


class ThrottledAdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """/admin/login/: the same throttle as every other log-in (issue 18, 1)."""
