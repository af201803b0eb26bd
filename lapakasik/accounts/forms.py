from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import throttle

LOGIN_SCOPE = "login"


class ThrottledLoginForm(AuthenticationForm):
    """Django's login form, refusing further tries after repeated failures per account and per client."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Terlalu banyak percobaan masuk yang gagal. Silakan coba lagi dalam 15 menit."),
    }

    def clean(self):
        keys = (self.cleaned_data.get("username", "").lower(), throttle.client_address(self.request))
        if throttle.is_locked(LOGIN_SCOPE, *keys):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(LOGIN_SCOPE, *keys)
            raise
        throttle.clear(LOGIN_SCOPE, keys[0])
        return cleaned
