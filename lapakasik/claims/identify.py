"""Step 1 of an online claim: confirming who asks against the registry, and their portal account.

Security of the whole service rests on this check (DOMAIN.md §1). A failed attempt never says which
field was wrong, counts against the NIK tried from this address and against the address
(accounts/throttle.py: growing waits, the wait said in the refusal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from lapakasik.accounts import throttle
from lapakasik.accounts.models import AccountAction, AccountEvent, Role, User
from lapakasik.lib.errors import DomainError
from lapakasik.lib.identifiers import normalize_digits, normalize_phone
from lapakasik.lib.names import NameCheck, name_matches
from lapakasik.registry.models import Heir, Participant

SCOPE = "identify"


@dataclass(frozen=True)
class Identity:
    participant: Participant
    heir: Heir | None = None

    @property
    def role(self) -> str:
        return Role.HEIR if self.heir else Role.PARTICIPANT

    @property
    def claimant_name(self) -> str:
        return self.heir.full_name if self.heir else self.participant.full_name


def _not_confirmed() -> DomainError:
    return DomainError(
        "identity_not_confirmed",
        _(
            "Data tidak cocok dengan data kepesertaan. Periksa kembali NIK, nomor KPJ, nama, dan tanggal lahir."
        ),
        status=400,
    )


def _locked(wait: int) -> DomainError:
    return DomainError("identity_locked", throttle.locked_message(wait), status=429)


def identify(
    *, nik: str, kpj: str, full_name: str, birth_date: dt.date, heir_nik: str = "", client: str = ""
) -> Identity:
    """The participant (and the heir, when ``heir_nik`` is given) these facts describe, or a refusal."""
    nik, kpj, heir_nik = normalize_digits(nik), normalize_digits(kpj), normalize_digits(heir_nik)
    attempt = throttle.Attempt(SCOPE, nik, client)
    wait = throttle.wait_seconds(attempt)
    if wait:
        raise _locked(wait)
    identity = _match(nik, kpj, full_name, birth_date, heir_nik)
    if identity is None:
        wait = throttle.failed(attempt)
        raise _locked(wait) if wait else _not_confirmed()
    throttle.succeeded(attempt)
    return identity


def _match(nik: str, kpj: str, full_name: str, birth_date: dt.date, heir_nik: str) -> Identity | None:
    participant = Participant.objects.filter(nik=nik, kpj=kpj, birth_date=birth_date).first()
    if participant is None or not name_matches(full_name, participant.full_name, NameCheck.IDENTITY)[1]:
        return None
    if not heir_nik:
        return Identity(participant)
    heir = Heir.objects.filter(participant=participant, nik=heir_nik).first()
    # An heir claims only what a death opens; a living participant's heirs have nothing to claim yet.
    if heir is None or participant.deceased_on is None:
        return None
    return Identity(participant, heir)


def register_claimant(identity: Identity, *, email: str, phone: str, password: str) -> User:
    """A portal account for the identified person; the username is the e-mail address."""
    email = (email or "").strip().lower()
    try:
        phone = normalize_phone(phone)
    except ValueError as error:
        raise DomainError("invalid_phone", str(error), field="phone")
    user = User(
        username=email, email=email, phone=phone, role=identity.role, participant=identity.participant
    )
    first, _sep, last = identity.claimant_name.partition(" ")
    user.first_name, user.last_name = first[:150], last[:150]
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError("weak_password", " ".join(error.messages), field="password")
    user.set_password(password)
    if _participant_has_account(identity):
        raise _participant_account_exists()
    if User.objects.filter(username__iexact=email).exists():
        raise _account_exists()
    try:
        with transaction.atomic():
            user.save()
            AccountEvent.objects.create(user=user, actor=user, action=AccountAction.REGISTERED)
    except IntegrityError:  # the same person or e-mail registered a moment ago in another tab
        raise _participant_account_exists() if _participant_has_account(identity) else _account_exists()
    return user


def _participant_has_account(identity: Identity) -> bool:
    """One portal account per participant (the database says so too: ``one_account_per_participant``).
    Heirs are not counted: each heir of a deceased participant may open one of their own."""
    return identity.role == Role.PARTICIPANT and (
        User.objects.filter(participant=identity.participant, role=Role.PARTICIPANT).exists()
    )


def _participant_account_exists() -> DomainError:
    # Said only after the NIK, KPJ, name and birth date matched; it names no address and no user name.
    return DomainError(
        "participant_has_account",
        _(
            "Peserta ini sudah memiliki akun Lapak Asik; satu peserta hanya boleh memiliki satu akun. "
            "Silakan masuk dengan akun tersebut. Lupa kata sandi? Minta tautan atur ulang kata sandi ke "
            "e-mail akun itu. Jika Anda tidak dapat membuka e-mail tersebut, hubungi kantor cabang."
        ),
        status=409,
    )


def _account_exists() -> DomainError:
    return DomainError(
        "account_exists", _("Alamat e-mail ini sudah terdaftar. Silakan masuk."), field="email", status=409
    )


def may_act_for(user: User, identity: Identity) -> bool:
    """A signed-in account may continue only for the person it was opened for."""
    return user.participant_id == identity.participant.pk and user.role == identity.role
