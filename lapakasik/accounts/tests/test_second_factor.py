"""Staff who can move a claim or money pass a second factor (TOTP, or a recovery code) before the console,
the staff APIs or the admin answer. These tests take the product path: password, then code."""

from __future__ import annotations

import re

import time_machine
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from lapakasik.accounts.models import RecoveryCodes, User
from lapakasik.accounts.otp import current_code, demo_device
from lapakasik.demo.loader import DEMO_PASSWORD


def _password(client, username: str):
    return client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})


def test_a_password_alone_opens_no_console_page_no_staff_api_and_no_admin(client, cso, db):
    assert _password(client, "cso").status_code == 302
    page = client.get("/console/klaim/")
    assert page.status_code == 302 and page.url.startswith("/accounts/verifikasi/?next=")
    api = client.get("/api/staff/claims/")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_required"
    assert client.get("/").status_code == 200  # the public pages stay open


def test_the_code_from_the_authenticator_opens_the_console_once(client, cso, db):
    _password(client, "cso")
    code = current_code(demo_device(cso))
    passed = client.post("/accounts/verifikasi/", {"token": code, "next": "/console/klaim/"})
    assert passed.status_code == 302 and passed.url == "/console/klaim/"
    assert client.get("/console/klaim/").status_code == 200
    assert client.get("/api/staff/claims/").status_code == 200
    other = client.__class__()
    _password(other, "cso")
    replay = other.post("/accounts/verifikasi/", {"token": code})
    assert replay.status_code == 400 and "Kode tidak cocok" in replay.text


def test_wrong_codes_wait_like_wrong_passwords(client, cso, db, settings):
    _password(client, "cso")
    for _ in range(settings.LOGIN_ATTEMPTS_LIMIT):
        refused = client.post("/accounts/verifikasi/", {"token": "000000"})
    assert "coba lagi dalam 1 menit" in refused.text
    locked = client.post("/accounts/verifikasi/", {"token": current_code(demo_device(cso))})
    assert "coba lagi dalam" in locked.text and client.get("/console/klaim/").status_code == 302


def test_first_log_in_enrols_an_authenticator_and_shows_recovery_codes_once(client, madiun):
    fresh = User.objects.create_user(
        "supervisor.baru", password=DEMO_PASSWORD, role="supervisor", branch=madiun
    )
    _password(client, "supervisor.baru")
    page = client.get("/console/klaim/")
    assert page.url.startswith("/accounts/verifikasi/daftar/")
    enrol = client.get(page.url)
    assert "data:image/svg+xml" in enrol.text and "Aktifkan" in enrol.text
    pending = TOTPDevice.objects.get(user=fresh, confirmed=False)
    shown = client.post(page.url, {"token": current_code(pending), "next": "/console/klaim/"})
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", shown.text)
    assert len(codes) == 10
    stored = RecoveryCodes.objects.get(user=fresh).hashes
    assert len(stored) == 10 and not set(codes) & set(stored)  # only hashes are kept
    assert client.get("/console/klaim/").status_code == 200


def test_a_recovery_code_works_once(client, madiun):
    fresh = User.objects.create_user("keuangan.baru", password=DEMO_PASSWORD, role="finance", branch=madiun)
    device = TOTPDevice.objects.create(user=fresh, name="ponsel", confirmed=True)
    from lapakasik.accounts.otp import new_recovery_codes

    codes = new_recovery_codes(fresh)
    _password(client, "keuangan.baru")
    assert client.post("/accounts/verifikasi/", {"token": codes[0].upper()}).status_code == 302
    assert client.get("/console/klaim/").status_code == 200
    other = client.__class__()
    _password(other, "keuangan.baru")
    assert other.post("/accounts/verifikasi/", {"token": codes[0]}).status_code == 400
    assert RecoveryCodes.objects.get(user=fresh).hashes.__len__() == 9
    assert device.confirmed


def test_the_admin_site_needs_the_second_factor_too(client, db):
    admin = User.objects.get(username="admin")
    client.post("/admin/login/", {"username": "admin", "password": DEMO_PASSWORD})
    assert client.get("/admin/").url.startswith("/accounts/verifikasi/")
    client.post("/accounts/verifikasi/", {"token": current_code(demo_device(admin))})
    assert client.get("/admin/").status_code == 200


def test_participants_have_no_second_factor(client, participant):
    assert _password(client, "peserta").status_code == 302
    assert client.get("/klaim/").status_code == 200


def test_the_demo_prints_a_code_that_lets_staff_in(client, cso, capsys, db):
    with time_machine.travel("2026-12-03 03:00:00+00:00", tick=False):
        call_command("demo", "otp", "cso")
        code = re.search(r": (\d{6})\n", capsys.readouterr().out).group(1)
        _password(client, "cso")
        assert client.post("/accounts/verifikasi/", {"token": code}).status_code == 302
    call_command("demo", "logins")
    assert "demo otp <username>" in capsys.readouterr().out
