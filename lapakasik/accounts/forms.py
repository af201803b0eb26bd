from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from . import throttle, unlock
from .models import AccountAction, AccountEvent, User

LOGIN_SCOPE = "login"
RESET_SCOPE = "reset"  # per address asked for and source, and per source
RESET_ACCOUNT_SCOPE = "reset_account"  # per account, whatever the source


def account_for(identifier: str) -> User | None:
    """The account a log-in names: its user name (any case), else the one active account with that e-mail.

    New portal accounts use the e-mail as user name; older accounts and staff have a user name of their own
    and may also sign in with their e-mail. An address shared by two accounts names neither.
    """
    name = (identifier or "").strip()
    if not name:
        return None
    user = User.objects.filter(username__iexact=name).first()
    if user is None and "@" in name:
        matches = list(User.objects.filter(email__iexact=name, is_active=True)[:2])
        user = matches[0] if len(matches) == 1 else None
    return user


def login_attempt(request, username: str) -> tuple[throttle.Attempt, User | None]:
    """The throttle's view of a log-in: the account named (by its user name, lower case, whether it was
    typed as the name or the e-mail, so switching between the two buys no extra guesses) from this address
    or device."""
    user = account_for(username)
    account = user.username.lower() if user else (username or "").strip().lower()
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
        if user is not None:
            data["username"] = user.username  # an e-mail (or another case) signs in as the account it names
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
    """The portal and console log-in: participants sign in with their e-mail, staff with their user name."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "E-mail/nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil pada kata sandi."
        ),
    }

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-mail (atau nama pengguna untuk petugas)")
        self.fields["username"].help_text = _(
            "Peserta dan ahli waris masuk dengan alamat e-mail yang didaftarkan; petugas dengan nama pengguna."
        )


class ThrottledAdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """/admin/login/: the same throttle as every other log-in (issue 18, 1)."""


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form; a link goes to an account at most as often as the per-account throttle allows.

    The view has already counted the request per address and source. What is decided here is never shown:
    the page says the same whether the address has an account, has several, or is held back.
    """

    def get_users(self, email):
        for user in super().get_users(email):
            attempt = throttle.per_account(RESET_ACCOUNT_SCOPE, str(user.pk))
            if throttle.wait_seconds(attempt):
                continue
            throttle.failed(attempt)
            AccountEvent.objects.create(user=user, action=AccountAction.RESET_SENT)
            yield user
