"""The staff's second factor: TOTP (django-otp) with one-time recovery codes.

Branch staff and administrators (``User.needs_second_factor``) pass it once per session before the console,
the staff APIs or the admin answer (``middleware.SecondFactorMiddleware``). The first time, they enrol: scan
the QR code, confirm with one code, and receive ten recovery codes, shown once and stored hashed.
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlencode

import segno
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import RecoveryCodes, User, hash_recovery_code

RECOVERY_CODE_COUNT = 10


def second_factor_required(request):
    """The answer to a staff request whose session has not passed the second factor."""
    if request.path.startswith("/api/"):
        message = _("Masukkan kode verifikasi dua langkah terlebih dahulu (%(url)s).") % {
            "url": reverse("otp_verify")
        }
        return JsonResponse({"code": "second_factor_required", "message": message, "field": None}, status=403)
    target = "otp_verify" if user_has_device(request.user) else "otp_enrol"
    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def pending_device(user: User) -> TOTPDevice:
    """The authenticator being enrolled (unconfirmed until its first code is right)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=_("Aplikasi autentikator"), confirmed=False)


def qr_svg_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5)


def readable_secret(device: TOTPDevice) -> str:
    """The key as people type it into an authenticator app by hand (base32, in groups of four)."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes (the old ones stop working); only their hashes are kept."""
    codes = ["-".join(secrets.token_hex(5)[i : i + 5] for i in (0, 5)) for _ in range(RECOVERY_CODE_COUNT)]
    device, _created = RecoveryCodes.objects.get_or_create(
        user=user, defaults={"name": "recovery", "confirmed": True}
    )
    device.hashes = [hash_recovery_code(code) for code in codes]
    device.save(update_fields=["hashes"])
    return codes


def recovery_codes_left(user: User) -> int:
    device = RecoveryCodes.objects.filter(user=user).first()
    return len(device.hashes) if device else 0


def current_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the authenticator shows now (the demo prints it; tests type it)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def demo_device(user: User) -> TOTPDevice:
    """The demo's authenticator for a staff login: a random key made on first use, kept in the database.
    A code may be used once (django-otp refuses a replay), so the demo forgets the last one used."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    device.last_t = -1
    device.throttle_reset(commit=False)
    device.save(update_fields=["last_t", "throttling_failure_count", "throttling_failure_timestamp"])
    return device
