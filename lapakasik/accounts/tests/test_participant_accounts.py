"""Participant accounts (issue 18, finding 11): one account per participant, a verified e-mail before any
claim mail goes to it, password reset by e-mail, and a log-in that asks for the e-mail."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from lapakasik.accounts import verification
from lapakasik.accounts.models import AccountEvent, User
from lapakasik.booking.models import Booking
from lapakasik.booking.notify import recipient as booking_recipient
from lapakasik.claims import actions
from lapakasik.claims import lifecycle as claim_lifecycle
from lapakasik.claims.notify import recipient as claim_recipient
from lapakasik.claims.tests.helpers import online_jht_draft
from lapakasik.demo.loader import DEMO_PASSWORD
from lapakasik.payments.models import Payment
from lapakasik.payments.notify import recipient as payment_recipient

SRI = {
    "nik": "3519084507880003",
    "kpj": "19001234567",
    "full_name": "Sri Wahyuni",
    "birth_date": "1988-07-05",
}
ACCOUNT = {
    "account-email": "sri.kedua@example.id",
    "account-phone": "0812-3450-0099",
    "account-password": "Kopi-Tubruk-2026",
    "account-password2": "Kopi-Tubruk-2026",
}
NEW_PASSWORD = "Rujak-Cingur-2027"


def _link(message, prefix: str) -> str:
    """The path of the link in an e-mail that starts with ``prefix`` (links in mail are absolute, on SITE_URL)."""
    found = re.search(re.escape(settings.SITE_URL.rstrip("/") + prefix) + r"\S+", message.body)
    assert found, message.body
    return found.group(0).removeprefix(settings.SITE_URL.rstrip("/"))


VERIFY = "/accounts/verifikasi-email/"
RESET = "/accounts/atur-ulang/"


# One account per participant -------------------------------------------------------------------------------


def test_a_second_account_for_a_participant_who_has_one_is_refused_and_points_to_password_reset(client, db):
    response = client.post(reverse("claims_identify"), {**SRI, **ACCOUNT})
    assert response.status_code == 400
    errors = " ".join(response.context["account"].non_field_errors())
    assert "sudah memiliki akun" in errors
    assert (
        "sri.wahyuni@example.id" not in response.content.decode()
    )  # the existing account's address stays hidden
    assert reverse("password_reset") in response.content.decode()
    assert not User.objects.filter(username=ACCOUNT["account-email"]).exists()
    assert not mail.outbox


def test_the_database_refuses_a_second_participant_account_but_not_several_heirs(participant, heir):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(
            username="kembar@example.id", role="participant", participant=participant.participant
        )
    # Each heir of a deceased participant opens an account of their own, all pointing at the participant.
    User.objects.create(username="anak@example.id", role="heir", participant=heir.participant)
    assert User.objects.filter(participant=heir.participant, role="heir").count() == 2


# Verified e-mail -----------------------------------------------------------------------------------------------


@pytest.fixture
def newcomer(client, db, django_capture_on_commit_callbacks):
    """Sri registers afresh (her demo account no longer points at her), from the portal's step 1."""
    User.objects.filter(username="peserta").update(participant=None)
    with django_capture_on_commit_callbacks(execute=True):  # the link is mailed once the account is stored
        response = client.post(reverse("claims_identify"), {**SRI, **ACCOUNT})
    assert response.status_code == 302
    return User.objects.get(username=ACCOUNT["account-email"])


def test_registration_mails_a_link_that_verifies_the_address_on_confirmation(client, newcomer):
    assert not newcomer.has_verified_email
    assert [m.to for m in mail.outbox] == [[ACCOUNT["account-email"]]]
    link = _link(mail.outbox[0], VERIFY)
    page = client.get(link)  # a mail scanner opening the link verifies nothing
    assert page.status_code == 200 and b'method="post"' in page.content
    newcomer.refresh_from_db()
    assert not newcomer.has_verified_email
    assert client.post(link).status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.has_verified_email and newcomer.email_verified_at is not None
    assert set(AccountEvent.objects.filter(user=newcomer).values_list("action", flat=True)) == {
        "registered",
        "verification_sent",
        "email_verified",
    }


def test_an_expired_or_tampered_link_verifies_nothing(client, newcomer, time_machine):
    token = verification.token_for(newcomer)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert client.post(reverse("verify_email", args=[tampered])).status_code == 404
    forged = verification.token_for(User(pk=newcomer.pk, email="orang.lain@example.id"))
    assert client.post(reverse("verify_email", args=[forged])).status_code == 404  # not the account's address
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=verification.MAX_AGE + 60))
    assert client.post(reverse("verify_email", args=[token])).status_code == 404
    newcomer.refresh_from_db()
    assert not newcomer.has_verified_email


def test_the_banner_offers_a_new_link_within_the_throttle(
    client, newcomer, settings, django_capture_on_commit_callbacks
):
    settings.LOGIN_ATTEMPTS_LIMIT = 2
    home = client.get(reverse("claims_home")).content.decode()
    assert "E-mail belum diverifikasi" in home and reverse("verify_email_resend") in home
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("verify_email_resend"))  # the registration's link was the first of two
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(reverse("verify_email_resend"), follow=True)
    assert "Terlalu banyak" in refused.content.decode() and len(mail.outbox) == 2


def test_a_changed_address_is_unverified_again(participant):
    assert participant.has_verified_email  # the demo's Sri
    participant.email = "sri.baru@example.id"
    assert not participant.has_verified_email and participant.awaits_email_verification


def test_staff_addresses_count_as_verified(cso):
    assert cso.email and cso.email_verified_at is None and cso.has_verified_email


@pytest.fixture
def sri_claim(participant, madiun):
    return online_jht_draft(participant, madiun)


def test_an_unverified_address_gets_no_status_mail_and_a_verified_one_does(
    sri_claim, participant, cso, django_capture_on_commit_callbacks
):
    participant.email, participant.email_verified_at = "sri.typo@example.id", None
    participant.save()
    participant.participant.email = ""  # nothing on the registry to fall back on
    participant.participant.save()
    with django_capture_on_commit_callbacks(execute=True):
        claim_lifecycle.move([sri_claim], "submitted", by=participant)
    assert not mail.outbox
    assert claim_recipient(sri_claim) == booking_recipient(Booking(claim=sri_claim)) == ""
    assert payment_recipient(Payment(claim=sri_claim)) == ""

    verification.verify(participant)
    sri_claim.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        actions.start_verification(sri_claim, by=cso)
    assert [m.to for m in mail.outbox] == [["sri.typo@example.id"]]
    sri_claim.refresh_from_db()
    assert booking_recipient(Booking(claim=sri_claim)) == "sri.typo@example.id"
    assert payment_recipient(Payment(claim=sri_claim)) == "sri.typo@example.id"


def test_without_a_verified_account_address_mail_goes_to_the_registry_address(sri_claim, participant):
    participant.email, participant.email_verified_at = "sri.typo@example.id", None
    participant.save()
    sri_claim.refresh_from_db()
    assert claim_recipient(sri_claim) == "sri.wahyuni@example.id"  # the membership record's, not the typo


# Password reset ------------------------------------------------------------------------------------------------


def _reset(client, email: str, address: str = "10.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_by_e_mail_end_to_end(client, participant):
    asked = _reset(client, "SRI.WAHYUNI@example.id")
    assert asked.status_code == 302 and asked["Location"] == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [["sri.wahyuni@example.id"]]
    link = _link(mail.outbox[0], RESET)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert client.post(reverse("logout")).status_code == 302
    assert (
        client.post(reverse("login"), {"username": "peserta", "password": DEMO_PASSWORD}).status_code == 200
    )
    assert client.post(reverse("login"), {"username": "peserta", "password": NEW_PASSWORD}).status_code == 302
    assert client.get(link, follow=True).context["validlink"] is False  # a link works once
    assert AccountEvent.objects.filter(user=participant, action="password_reset").exists()


def test_password_reset_says_the_same_whether_or_not_the_address_has_an_account(client, participant):
    unknown = _reset(client, "tidak.ada@example.id")
    known = _reset(client, "sri.wahyuni@example.id")
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert [m.to for m in mail.outbox] == [["sri.wahyuni@example.id"]]


def test_password_reset_is_throttled_per_address_and_per_account(client, participant, settings):
    settings.LOGIN_ATTEMPTS_LIMIT = 2
    assert _reset(client, "sri.wahyuni@example.id").status_code == 302
    assert _reset(client, "sri.wahyuni@example.id").status_code == 302
    refused = _reset(client, "sri.wahyuni@example.id")
    assert refused.status_code == 200 and "Terlalu banyak" in refused.content.decode()
    # An address without an account waits the same way: the wait tells nothing about the account.
    assert _reset(client, "tidak.ada@example.id").status_code == 302
    assert _reset(client, "tidak.ada@example.id").status_code == 302
    assert "Terlalu banyak" in _reset(client, "tidak.ada@example.id").content.decode()
    # From other sources the page is the usual one, but the account gets no more links for now.
    assert _reset(client, "sri.wahyuni@example.id", "10.0.0.2").status_code == 302
    assert len(mail.outbox) == 2


def test_staff_still_pass_their_second_factor_after_a_reset(client, cso):
    _reset(client, cso.email)
    link = _link(mail.outbox[0], RESET)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "_auth_user_id" not in client.session  # the link does not log anyone in
    logged = client.post(reverse("login"), {"username": "cso", "password": NEW_PASSWORD})
    assert logged.status_code == 302 and logged["Location"].startswith(reverse("otp_verify"))
    console = client.get(reverse("console:claims_queue"))
    assert console.status_code == 302 and console["Location"].startswith(reverse("otp_verify"))


# Log-in by e-mail ----------------------------------------------------------------------------------------------


def test_the_log_in_asks_for_the_e_mail_and_says_staff_use_their_user_name(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "E-mail (atau nama pengguna untuk petugas)" in page
    assert reverse("password_reset") in page


def test_a_participant_logs_in_with_her_e_mail(client, participant):
    response = client.post(
        reverse("login"), {"username": "Sri.Wahyuni@example.id", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == participant.pk


def test_staff_still_log_in_with_their_user_name(client, cso):
    response = client.post(reverse("login"), {"username": "cso", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_verify"))


def test_failures_by_e_mail_and_by_user_name_count_on_the_same_account(client, participant, settings):
    settings.LOGIN_ATTEMPTS_LIMIT = 3
    for name in ("sri.wahyuni@example.id", "peserta", "SRI.WAHYUNI@example.id"):
        assert client.post(reverse("login"), {"username": name, "password": "salah-salah"}).status_code == 200
    locked = client.post(reverse("login"), {"username": "sri.wahyuni@example.id", "password": DEMO_PASSWORD})
    assert locked.status_code == 200 and "Terlalu banyak" in locked.content.decode()


def test_an_address_shared_by_two_accounts_names_neither(client, participant, employer_rep):
    employer_rep.email = participant.email
    employer_rep.save()
    response = client.post(reverse("login"), {"username": participant.email, "password": DEMO_PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
