"""Issue 18, findings 1–4 and 15: guessing is throttled on every door, shared by all processes, and never
locks the real person out. Each test replays what the outside test did against the code before."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.urls import reverse

from lapakasik.accounts import throttle
from lapakasik.accounts.models import User
from lapakasik.booking import actions as booking_actions
from lapakasik.booking.tests.conftest import make_claimant, make_session
from lapakasik.demo.loader import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[3]
WRONG = "bukan-kata-sandinya"


def _login(client, username: str, password: str, address: str, path: str = "/accounts/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_admin_login_is_throttled_like_every_other_log_in(client, db, settings):
    """Finding 1: /admin/login/ evaluated 20 wrong passwords and then let the superuser in."""
    for _ in range(settings.LOGIN_ATTEMPTS_LIMIT):
        refused = _login(client, "admin", WRONG, "10.1.0.1", "/admin/login/")
    assert "Terlalu banyak percobaan" in refused.text and "coba lagi dalam 1 menit" in refused.text
    right = _login(client, "admin", DEMO_PASSWORD, "10.1.0.1", "/admin/login/")
    assert right.status_code == 200 and "Terlalu banyak percobaan" in right.text


def test_failures_from_many_addresses_never_lock_out_the_right_password_from_another(client, cso, settings):
    """Finding 2 (log-in): 20 wrong passwords from 20 addresses, then the right one from a fresh address."""
    for n in range(20):
        _login(client, "cso", WRONG, f"10.2.0.{n}")
    assert _login(client, "cso", DEMO_PASSWORD, "10.2.1.1").status_code == 302


def test_the_persons_recognised_device_still_logs_in_beside_a_guesser_on_the_same_network(
    client, cso, settings
):
    """Finding 2: an office network is one address; the device the person logged in from before has a pair
    of its own, so a colleague's (or attacker's) wrong guesses from that address do not lock it."""
    assert _login(client, "cso", DEMO_PASSWORD, "10.3.0.1").status_code == 302
    device = client.cookies[throttle.DEVICE_COOKIE].value
    client.logout()
    from django.test import Client

    stranger = Client()
    for _ in range(settings.LOGIN_ATTEMPTS_LIMIT + 2):
        locked = _login(stranger, "cso", WRONG, "10.3.0.1")
    assert "Terlalu banyak percobaan" in locked.text
    assert "Terlalu banyak percobaan" in _login(stranger, "cso", DEMO_PASSWORD, "10.3.0.1").text
    client.cookies[throttle.DEVICE_COOKIE] = device
    assert _login(client, "cso", DEMO_PASSWORD, "10.3.0.1").status_code == 302


def test_the_owner_gets_an_unlock_link_that_clears_every_pair(client, cso, settings):
    cso.email = "cso@example.id"
    cso.save(update_fields=["email"])
    for _ in range(settings.LOGIN_ATTEMPTS_LIMIT + 1):
        _login(client, "cso", WRONG, "10.4.0.1")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["cso@example.id"]
    link = re.search(r"/accounts/buka-kunci/\S+/", mail.outbox[0].body)
    assert link is not None
    path = link.group(0)
    assert "Buka kunci" in client.get(path).text  # a mail scanner's GET unlocks nothing
    assert "Terlalu banyak" in _login(client, "cso", DEMO_PASSWORD, "10.4.0.1").text
    assert "sudah dibuka kembali" in client.post(path).text
    assert _login(client, "cso", DEMO_PASSWORD, "10.4.0.1").status_code == 302
    assert client.get(path.replace("buka-kunci/", "buka-kunci/x")).status_code == 404


def test_waits_double_with_each_failure_past_the_limit(client, cso, settings):
    settings.LOGIN_ATTEMPTS_LIMIT = 2
    start = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        _login(client, "cso", WRONG, "10.5.0.1")
        assert "1 menit" in _login(client, "cso", WRONG, "10.5.0.1").text
        clock.shift(61)
        assert "2 menit" in _login(client, "cso", WRONG, "10.5.0.1").text
        clock.shift(121)
        assert "4 menit" in _login(client, "cso", WRONG, "10.5.0.1").text
        clock.shift(241)
        assert _login(client, "cso", DEMO_PASSWORD, "10.5.0.1").status_code == 302


def test_the_identity_look_up_keys_by_nik_and_address(client, db):
    """Finding 2 (identity look-up): wrong data for a NIK from 20 addresses; the person's own right data
    from another address is accepted."""
    sri = {
        "nik": "3519084507880003",
        "kpj": "19001234567",
        "full_name": "Sri Wahjuni",
        "birth_date": "1988-07-05",
    }
    account = {
        "account-email": "sri.baru@example.id",
        "account-phone": "0812-3450-0099",
        "account-password": "Kopi-Tubruk-2026",
        "account-password2": "Kopi-Tubruk-2026",
    }
    User.objects.filter(username="peserta").update(participant=None)  # a first account: one per participant
    for n in range(20):
        client.post(
            reverse("claims_identify"), {**sri, **account, "kpj": "19009999999"}, REMOTE_ADDR=f"10.6.0.{n}"
        )
    right = client.post(reverse("claims_identify"), {**sri, **account}, REMOTE_ADDR="10.6.1.1")
    assert right.status_code == 302


def _nik4_other_than(claim) -> str:
    return "0000" if not claim.participant.nik.endswith("0000") else "1111"


def test_a_successful_check_in_does_not_clear_the_failures(client, db, settings):
    """Finding 4: the attacker's own check-in (even a repeat) cleared the counter, so 100 guesses ran."""
    tuesday = dt.date(2026, 12, 1)
    with time_machine.travel(dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC), tick=False):
        mine, victim = make_claimant(), make_claimant()
        my_booking = booking_actions.book_seat(make_session(day=tuesday), mine, by=mine.claimant)
        their_booking = booking_actions.book_seat(
            make_session(day=tuesday, at=dt.time(10)), victim, by=victim.claimant
        )
    own = {"code": my_booking.display_code, "nik4": mine.participant.nik[-4:]}
    with time_machine.travel(dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC), tick=False):
        answers = []
        guesses = [g for g in map(str, range(9000, 9010)) if g != victim.participant.nik[-4:]][:6]
        for guess in guesses:
            wrong = {"code": their_booking.display_code, "nik4": guess}
            answers.append(client.post("/jadwal/hadir/madiun/", wrong, REMOTE_ADDR="10.7.0.1").status_code)
            assert client.post("/jadwal/hadir/madiun/", own, REMOTE_ADDR="10.7.0.1").status_code == 302
    limit = settings.LOGIN_ATTEMPTS_LIMIT
    assert answers == [404] * (limit - 1) + [429] * (len(guesses) - limit + 1)


def test_walk_in_guesses_of_a_claims_nik_digits_are_throttled(client, db, settings):
    """Finding 4: a walk-in ticket was taken for someone else's claim by guessing 4 NIK digits."""
    victim = make_claimant()
    with time_machine.travel(dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC), tick=False):
        make_session(day=dt.date(2026, 12, 1), at=dt.time(9), seats=4)
        answers = [
            client.post(
                "/jadwal/hadir/madiun/",
                {"code": victim.number, "nik4": f"{guess:04d}", "walk_in": "1"},
                REMOTE_ADDR="10.8.0.1",
            ).status_code
            for guess in range(10)
            if f"{guess:04d}" != victim.participant.nik[-4:]
        ]
    assert answers[-1] == 429 and answers.count(404) == settings.LOGIN_ATTEMPTS_LIMIT - 1


def test_a_session_just_after_midnight_checks_in_the_evening_before(client, db):
    """Finding 15: a 00:22 session's window opens at 23:22 the evening before; 23:54 was refused as "not
    matching" (today's date, not the session's) and counted as a failed guess."""
    claim = make_claimant()
    with time_machine.travel(dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC), tick=False):
        session = make_session(day=dt.date(2026, 12, 1), at=dt.time(0, 22))
        booking = booking_actions.book_seat(session, claim, by=claim.claimant)
    evening = dt.datetime(2026, 11, 30, 16, 54, tzinfo=dt.UTC)  # 23:54 WIB on Monday
    with time_machine.travel(evening, tick=False):
        answer = client.post(
            "/jadwal/hadir/madiun/", {"code": booking.display_code, "nik4": claim.participant.nik[-4:]}
        )
    assert answer.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "checked_in"


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


COUNT_FAILURES = """
import django
django.setup()
from lapakasik.accounts import throttle
from lapakasik.accounts.models import User
for _ in range({n}):
    throttle.failed(throttle.Attempt("login", "korban", "10.9.0.1"))
"""


@pytest.mark.django_db(transaction=True)
def test_two_processes_count_into_the_same_counters():
    """Finding 3: with two gunicorn workers each kept its own count (7–10 tries instead of 5) and a restart
    forgot them. Two separate processes, each with its own database connection, fail 3 times each at the
    same moment: this process sees all 6 failures and the wait they lead to."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lapakasik.settings",
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": django_settings.SECRET_KEY,
        "LOGIN_ATTEMPTS_LIMIT": "5",
        "LOGIN_SOURCE_ATTEMPTS_LIMIT": "20",
    }
    attempt = throttle.Attempt("login", "korban", "10.9.0.1")
    try:
        workers = [
            subprocess.Popen([sys.executable, "-c", COUNT_FAILURES.format(n=3)], cwd=ROOT, env=env)
            for _ in range(2)
        ]
        assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
        assert throttle.failures(attempt) == 6
        assert throttle.wait_seconds(attempt) > 0
    finally:
        throttle._cache().clear()
