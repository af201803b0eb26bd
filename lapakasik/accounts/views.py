from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from . import otp, throttle, unlock, verification
from .forms import LOGIN_SCOPE, RESET_SCOPE, ThrottledLoginForm, ThrottledPasswordResetForm
from .models import AccountAction, AccountEvent


def unlock_view(request, token: str):
    """The e-mailed link: a GET only asks (mail scanners open links), the POST unlocks."""
    account = unlock.account_of(token)
    if account is None:
        return render(request, "registration/unlock.html", {"invalid": True}, status=404)
    if request.method == "POST":
        throttle.unlock_account(LOGIN_SCOPE, account)
        return render(request, "registration/unlock.html", {"done": True})
    return render(request, "registration/unlock.html", {})


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("console:claims_queue") if request.user.needs_second_factor else "/"


def _otp_attempt(request) -> throttle.Attempt:
    user = request.user
    device = throttle.device_for(request, user.pk)
    return throttle.Attempt("otp", str(user.pk), throttle.client_address(request), device)


def _check_code(request, verify) -> tuple[object | None, str]:
    """Run ``verify(code)`` under the throttle: the device that accepted the code, or the error to show."""
    attempt = _otp_attempt(request)
    wait = throttle.wait_seconds(attempt)
    if wait:
        return None, throttle.locked_message(wait)
    device = verify(request.POST.get("token", "").strip())
    if device is None:
        wait = throttle.failed(attempt)
        return None, throttle.locked_message(wait) if wait else _(
            "Kode tidak cocok. Coba kode yang sedang tampil."
        )
    throttle.succeeded(attempt)
    return device, ""


@login_required
def otp_verify(request):
    """Second step of a staff log-in: a code from the authenticator app, or one recovery code."""
    if not user_has_device(request.user):
        return redirect(f"{reverse('otp_enrol')}?{request.META.get('QUERY_STRING', '')}")
    error = ""
    if request.method == "POST":
        device, error = _check_code(request, lambda token: match_token(request.user, token))
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
    context = {"error": error, "next": _next_url(request)}
    return render(request, "registration/otp_verify.html", context, status=400 if error else 200)


@login_required
def otp_enrol(request):
    """First staff log-in: add the authenticator app, confirm with one code, receive the recovery codes."""
    if user_has_device(request.user):
        return redirect(f"{reverse('otp_verify')}?{request.META.get('QUERY_STRING', '')}")
    device = otp.pending_device(request.user)
    error = ""
    if request.method == "POST":

        def confirm(token):
            return device if device.verify_token(token) else None

        accepted, error = _check_code(request, confirm)
        if accepted is not None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = otp.new_recovery_codes(request.user)
            return render(
                request, "registration/otp_codes.html", {"codes": codes, "next": _next_url(request)}
            )
    context = {
        "qr": otp.qr_svg_data_uri(device),
        "secret": otp.readable_secret(device),
        "error": error,
        "next": _next_url(request),
    }
    return render(request, "registration/otp_enrol.html", context, status=400 if error else 200)


@login_required
def otp_recovery(request):
    """New recovery codes (the old ones stop working); only in a session that passed the second factor."""
    if not request.user.is_verified():
        return otp.second_factor_required(request)
    if request.method == "POST":
        codes = otp.new_recovery_codes(request.user)
        return render(request, "registration/otp_codes.html", {"codes": codes, "next": _next_url(request)})
    context = {"left": otp.recovery_codes_left(request.user), "next": _next_url(request)}
    return render(request, "registration/otp_recovery.html", context)


class LoginView(auth_views.LoginView):
    """Django's log-in; staff go straight on to their second factor, then to where they were going."""

    authentication_form = ThrottledLoginForm

    def get_success_url(self):
        target = super().get_success_url()
        user = self.request.user  # just logged in: no second factor passed in this new session yet
        if user.needs_second_factor:
            step = "otp_verify" if user_has_device(user) else "otp_enrol"
            return f"{reverse(step)}?{urlencode({'next': target})}"
        return target


def verify_email(request, token: str):
    """The e-mailed verification link: a GET only asks (mail scanners open links), the POST verifies."""
    user = verification.user_of(token)
    if user is None:
        return render(request, "registration/verify_email.html", {"invalid": True}, status=404)
    if request.method == "POST":
        verification.verify(user)
        return render(request, "registration/verify_email.html", {"done": True})
    return render(request, "registration/verify_email.html", {"already": user.has_verified_email})


@require_POST
@login_required
def resend_verification(request):
    """The portal banner's button: a fresh link to the account's address, within the throttle's allowance."""
    user = request.user
    if not user.awaits_email_verification:
        messages.info(request, _("Alamat e-mail Anda sudah terverifikasi."))
    else:
        wait = verification.send(user, throttle.client_address(request))
        if wait:
            messages.error(request, throttle.locked_message(wait))
        else:
            messages.success(
                request,
                _("Tautan verifikasi sudah dikirim. Periksa kotak masuk (dan folder spam) e-mail Anda."),
            )
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("home")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail. Every request counts per address asked for and source, and per source, and
    the page always says the same ("if an account uses this address, a link is on its way"): nothing tells
    whether the address has an account. Links to one account are also limited whatever the source
    (``ThrottledPasswordResetForm``)."""

    form_class = ThrottledPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        attempt = throttle.Attempt(RESET_SCOPE, address, throttle.client_address(self.request))
        wait = throttle.wait_seconds(attempt)
        if wait:
            form.add_error(None, throttle.locked_message(wait))
            return self.form_invalid(form)
        throttle.failed(attempt)  # every request spends from the allowance: a reset link is never "wrong"
        # Links in e-mail name SITE_URL, like every other mail, never the Host header of the request.
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link sets a new password and nothing more: the person then logs in as usual, so staff still pass
    their second factor (no ``post_reset_login``). The link reached the account's address, so that address
    is verified by it; the account's log-in waits start afresh (the unlock link's effect)."""

    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user = form.user
            if not user.has_verified_email and user.email:
                user.mark_email_verified()
                user.save(update_fields=["email_verified", "email_verified_at"])
            AccountEvent.objects.create(user=user, actor=user, action=AccountAction.PASSWORD_RESET)
        throttle.unlock_account(LOGIN_SCOPE, user.username.lower())
        return response
