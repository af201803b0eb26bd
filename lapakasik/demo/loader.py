"""Loads the deterministic demo: the Madiun branch's 2020 history, a second branch, and demo users.

Idempotent: a second run finds everything in place and adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from lapakasik.accounts.models import Role, User
from lapakasik.accounts.otp import demo_device
from lapakasik.booking.demo import ensure_demo_calendar
from lapakasik.claims.history import HistoryRow, import_history
from lapakasik.collective.demo import load_collective_demo
from lapakasik.lib.bulk import insert_rows
from lapakasik.payments.demo import load_payments_demo
from lapakasik.registry.models import (
    Branch,
    Employer,
    Employment,
    Heir,
    Participant,
    Region,
    ServiceArea,
)  # fmt: skip
from lapakasik.registry.regions import ensure_regions

from .generate import DemoHistory, generate_history

DEMO_PASSWORD = "lapakasik-demo"  # noqa: S105 — printed by `make run`; demo data only
# Its hash, made once (`make_password(DEMO_PASSWORD, salt="lapakasikdemo2020")`): hashing at every load is
# a million PBKDF2 rounds (~0.35 s of CPU) for a value that never changes. A test checks it still matches;
# Django re-hashes it at the first log-in if its hasher's default rounds ever grow.
DEMO_PASSWORD_HASH = "pbkdf2_sha256$1000000$lapakasikdemo2020$lYl17xbbEQeq7j1ej6ImNbkZxBQT7I5QQ5IURoEGRpE="  # noqa: S105
DEMO_VERIFIED_AT = dt.datetime(2026, 9, 1, 2, 0, tzinfo=dt.UTC)  # fixed: the demo is deterministic

BRANCHES = [
    # code, name, time zone, address, [(area, [regency codes])]
    ("madiun", "Kantor Cabang Madiun", "Asia/Jakarta", "Jl. Pahlawan, Kota Madiun, Jawa Timur",
     [("Madiun", ["35.19", "35.77"]), ("Ponorogo", ["35.02"]), ("Ngawi", ["35.21"]), ("Pacitan", ["35.01"])]),
    ("makassar", "Kantor Cabang Makassar", "Asia/Makassar", "Jl. Jenderal Sudirman, Kota Makassar",
     [("Makassar", ["73.71"]), ("Gowa", ["73.06"]), ("Maros", ["73.09"])]),
]  # fmt: skip
REGIONAL_OFFICES = {"madiun": "Jawa Timur", "makassar": "Sulawesi Maluku"}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    branch: str | None
    description: str


DEMO_LOGINS = [
    DemoLogin("peserta", Role.PARTICIPANT, None, "Peserta: Sri Wahyuni, berhenti kerja Sep 2026 (klaim JHT)"),
    DemoLogin("ahliwaris", Role.HEIR, None, "Ahli waris: istri almarhum Bambang Sutrisno (klaim JKM)"),
    DemoLogin(
        "pemberikerja", Role.EMPLOYER_REP, None, "Wakil pemberi kerja: PT Demo Sinar Madiun (kolektif)"
    ),
    DemoLogin("cso", Role.CSO, "madiun", "Petugas layanan (CSO) Madiun"),
    DemoLogin("supervisor", Role.SUPERVISOR, "madiun", "Supervisor Madiun"),
    DemoLogin("kepalacabang", Role.BRANCH_HEAD, "madiun", "Kepala Kantor Cabang Madiun"),
    DemoLogin("keuangan", Role.FINANCE, "madiun", "Keuangan Madiun (pembuat)"),
    DemoLogin("keuangan2", Role.FINANCE, "madiun", "Keuangan Madiun (pemeriksa)"),
    DemoLogin("admin", Role.ADMIN, None, "Administrator sistem"),
    DemoLogin("cso.makassar", Role.CSO, "makassar", "CSO cabang Makassar (tidak melihat data Madiun)"),
]


def load_demo(seed: int = 2020) -> bool:
    """Returns False when the demo was already loaded."""
    if Branch.objects.filter(code="madiun", claims__isnull=False).exists():
        load_collective_demo()  # idempotent; reaches a demo loaded before the collective channel existed
        ensure_demo_calendar()  # idempotent: opening hours and session templates
        load_payments_demo()  # idempotent: approved claims waiting for finance
        return False
    if not Region.objects.exists():
        ensure_regions()  # normally done by migration; a flushed test database needs it again
    with transaction.atomic():
        branches = _create_branches()
        history = generate_history(seed)
        _create_registry(history, branches["madiun"])
        result = import_history(_history_rows(history))
        if result.errors:
            raise RuntimeError(f"demo history did not import: {result.errors[:3]}")
        _create_live_people(branches["madiun"])
        _create_users(branches)
        load_collective_demo()
        _create_live_claims(branches["madiun"])
        ensure_demo_calendar()
        load_payments_demo()
    return True


def _create_branches() -> dict[str, Branch]:
    branches = {}
    for code, name, tz, address, areas in BRANCHES:
        branch, _ = Branch.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "time_zone": tz,
                "address": address,
                "regional_office": REGIONAL_OFFICES[code],
            },
        )
        for position, (area_name, regencies) in enumerate(areas):
            area, _ = ServiceArea.objects.get_or_create(
                branch=branch, name=area_name, defaults={"position": position}
            )
            area.regencies.set(Region.objects.filter(code__in=regencies))
        branches[code] = branch
    return branches


def _create_registry(history: DemoHistory, branch: Branch) -> None:
    # insert_rows, not bulk_create: tens of thousands of generated rows, a third of the demo's load time.
    insert_rows(
        Employer,
        [
            {"npp": e.npp, "name": e.name, "region_id": e.regency_code, "branch_id": branch.pk}
            for e in history.employers
        ],
    )
    insert_rows(
        Participant,
        [
            {
                "nik": p.nik,
                "kpj": p.kpj,
                "full_name": p.full_name,
                "birth_date": p.birth_date,
                "sex": p.sex,
                "mother_maiden_name": p.mother_maiden_name,
                "phone": p.phone,
                "email": p.email,
                "region_id": p.district_code,
                "deceased_on": p.deceased_on,
                "status": "deceased" if p.deceased_on else "inactive",
            }
            for p in history.participants
        ],
    )
    participant_ids = dict(Participant.objects.values_list("kpj", "id"))
    employer_ids = dict(Employer.objects.values_list("npp", "id"))
    insert_rows(
        Employment,
        [
            {
                "participant_id": participant_ids[e.kpj],
                "employer_id": employer_ids[e.npp],
                "start": e.start,
                "end": e.end,
                "end_reason": e.end_reason or "",
            }
            for e in history.employments
        ],
    )
    insert_rows(
        Heir,
        [
            {
                "participant_id": participant_ids[h.participant_kpj],
                "nik": h.nik,
                "full_name": h.full_name,
                "relationship": h.relationship,
                "birth_date": h.birth_date,
                "sex": h.sex,
            }
            for h in history.heirs
        ],
    )


def _history_rows(history: DemoHistory) -> list[HistoryRow]:
    nik_by_kpj = {p.kpj: p.nik for p in history.participants}
    return [
        HistoryRow(
            line=i,
            branch="madiun",
            program=c.program,
            region=c.region,
            nik=nik_by_kpj[c.kpj],
            kpj=c.kpj,
            reason=c.reason,
            channel=c.channel,
            submitted_on=c.submitted_on,
            paid_on=c.paid_on,
            amount=c.amount,
            npp=c.npp,
        )
        for i, c in enumerate(history.claims, start=1)
    ]


LIVE_EMPLOYER_NPP = "NN0DEMO01"
DEMO_JKP_NIK = "3519081205900009"


def _create_live_people(branch: Branch) -> None:
    """People for today's service: a participant who can claim JHT now and a widow claiming JKM."""
    employer, _ = Employer.objects.get_or_create(
        npp=LIVE_EMPLOYER_NPP,
        defaults={"name": "PT Demo Sinar Madiun", "region_id": "35.19", "branch": branch},
    )
    sri, _ = Participant.objects.get_or_create(
        nik="3519084507880003",
        defaults={
            "kpj": "19001234567",
            "full_name": "Sri Wahyuni",
            "birth_date": dt.date(1988, 7, 5),
            "sex": "F",
            "mother_maiden_name": "Sumarni",
            "phone": "+6281234500001",
            "email": "sri.wahyuni@example.id",
            "region_id": "35.19.08",
        },
    )
    Employment.objects.get_or_create(
        participant=sri,
        employer=employer,
        defaults={"start": dt.date(2012, 3, 1), "end": dt.date(2026, 9, 15), "end_reason": "resign"},
    )
    bambang, _ = Participant.objects.get_or_create(
        nik="3577011203750002",
        defaults={
            "kpj": "19001234568",
            "full_name": "Bambang Sutrisno",
            "birth_date": dt.date(1975, 3, 12),
            "sex": "M",
            "mother_maiden_name": "Sulastri",
            "region_id": "35.77.01",
            "status": "deceased",
            "deceased_on": dt.date(2026, 10, 20),
        },
    )
    Employment.objects.get_or_create(
        participant=bambang,
        employer=employer,
        defaults={"start": dt.date(2009, 1, 5), "end": dt.date(2026, 10, 20), "end_reason": "death"},
    )
    # Laid off (PHK) in November 2026 with a reported wage: who may claim JKP online (no account yet: the
    # portal's identify step creates one from NIK, KPJ, name and birth date).
    joko, _ = Participant.objects.get_or_create(
        nik=DEMO_JKP_NIK,
        defaults={
            "kpj": "19001234580",
            "full_name": "Joko Susilo",
            "birth_date": dt.date(1990, 5, 12),
            "sex": "M",
            "mother_maiden_name": "Suparmi",
            "email": "joko.susilo@example.id",
            "region_id": "35.19.08",
            "status": "inactive",
        },
    )
    Employment.objects.get_or_create(
        participant=joko,
        employer=employer,
        defaults={
            "start": dt.date(2018, 4, 2),
            "end": dt.date(2026, 11, 13),
            "end_reason": "phk",
            "reported_wage": 4_500_000,
        },
    )
    Heir.objects.get_or_create(
        participant=bambang,
        nik="3577015608780004",
        defaults={
            "full_name": "Siti Aminah",
            "relationship": "spouse",
            "birth_date": dt.date(1978, 8, 16),
            "sex": "F",
            "phone": "+6281234500002",
        },
    )


def _create_users(branches: dict[str, Branch]) -> None:
    sri = Participant.objects.get(nik="3519084507880003")
    links: dict[str, dict[str, Any]] = {
        # Sri's address is verified (as if she had opened the registration link) so demo status mail flows.
        "peserta": {
            "participant": sri,
            "email": sri.email,
            "email_verified": sri.email,
            "email_verified_at": DEMO_VERIFIED_AT,
            "first_name": "Sri",
            "last_name": "Wahyuni",
        },
        "ahliwaris": {
            "participant": Participant.objects.get(nik="3577011203750002"),
            "first_name": "Siti",
            "last_name": "Aminah",
        },
        "pemberikerja": {"employer": Employer.objects.get(npp=LIVE_EMPLOYER_NPP), "first_name": "Hadi"},
        "admin": {"is_staff": True, "is_superuser": True},
        # Officers are shown to participants by display name (never by login name): the demo's have one.
        "cso": {"first_name": "Rahmat", "last_name": "Hidayat"},
        "supervisor": {"first_name": "Yuni", "last_name": "Astuti"},
        "cso.makassar": {"first_name": "Andi", "last_name": "Pratama"},
        "kepalacabang": {"first_name": "Bambang", "last_name": "Suryanto"},
        "keuangan": {"first_name": "Dian", "last_name": "Kusuma"},
        "keuangan2": {"first_name": "Eko", "last_name": "Saputra"},
    }
    password_hash = DEMO_PASSWORD_HASH  # demo accounts share one password
    for login in DEMO_LOGINS:
        staff_mail = {"email": f"{login.username}@lapakasik.example.id"} if login.branch else {}
        user, _created = User.objects.get_or_create(
            username=login.username,
            defaults={
                "role": login.role,
                "branch": branches.get(login.branch or ""),
                "password": password_hash,
                **staff_mail,  # escalations and unlock links reach branch staff by e-mail
                **links.get(login.username, {}),
            },
        )
        if user.needs_second_factor:
            # Staff's authenticator, with a random key: `python -m lapakasik demo otp <username>` prints its
            # current code (the demo's way past the second factor).
            demo_device(user)


# Today's work for the consoles: (NIK, KPJ, name, birth, sex, district, end, end reason, claim reason,
# status, working days since submission, JHT balance). Claims at the counter (luring), no portal account.
LIVE_CLAIMS = [
    ("3519111402900005", "19001234571", "Agus Prasetyo", dt.date(1990, 2, 14), "M", "35.19.11",
     dt.date(2026, 8, 31), "phk", "phk", "submitted", 7, 28_750_000),
    ("3521104311850006", "19001234572", "Dewi Lestari", dt.date(1985, 11, 3), "F", "35.21.10",
     dt.date(2026, 9, 30), "resign", "resign", "in_verification", 2, 19_400_000),
    ("3502172106790007", "19001234573", "Hendra Gunawan", dt.date(1979, 6, 21), "M", "35.02.17",
     dt.date(2026, 7, 31), "phk", "phk", "verified", 3, 62_300_000),
    ("3501044904920008", "19001234574", "Rina Marlina", dt.date(1992, 4, 9), "F", "35.01.04",
     dt.date(2026, 10, 10), "end_of_contract", "end_of_contract", "returned_for_documents", 4, 9_850_000),
]  # fmt: skip
# Chose WhatsApp at the counter (a consent the CSO recorded): his claim's news reaches the outbox's WhatsApp
# channel as well as the file backend's var/notify/whatsapp.jsonl.
LIVE_WHATSAPP = {"3519111402900005": "+6281234500005"}


def _create_live_claims(branch: Branch) -> None:
    """A few live claims in different states. Live work, so through the claims' writer like any other: each
    step a move by the branch's CSO, with its event (the 2020 history is the bulk import's)."""
    from django.utils import timezone

    from lapakasik.claims import lifecycle
    from lapakasik.claims.checks import recompute_findings
    from lapakasik.claims.models import Claim, ClaimAction, JhtBalance
    from lapakasik.lib.dates import today_at
    from lapakasik.lib.workdays import is_working_day
    from lapakasik.privacy.actions import give_consent
    from lapakasik.privacy.models import ConsentMethod, Purpose

    employer = Employer.objects.get(npp=LIVE_EMPLOYER_NPP)
    cso = User.objects.get(username="cso")
    for nik, kpj, name, born, sex, district, end, end_reason, reason, status, age, balance in LIVE_CLAIMS:
        person, _ = Participant.objects.get_or_create(
            nik=nik,
            defaults={
                "kpj": kpj,
                "full_name": name,
                "birth_date": born,
                "sex": sex,
                "region_id": district,
                "status": "inactive",
            },
        )
        Employment.objects.get_or_create(
            participant=person,
            employer=employer,
            defaults={"start": dt.date(2014, 1, 6), "end": end, "end_reason": end_reason},
        )
        JhtBalance.objects.get_or_create(participant=person, defaults={"amount": balance, "as_of": end})
        if Claim.objects.filter(participant=person).exists():
            continue
        if nik in LIVE_WHATSAPP:
            Participant.objects.filter(pk=person.pk).update(phone=LIVE_WHATSAPP[nik])
            person.phone = LIVE_WHATSAPP[nik]
            give_consent(person, Purpose.WHATSAPP, by=cso, how=ConsentMethod.COUNTER)
        submitted = today_at(branch.time_zone)  # the branch's date (Jakarta's only for a WIB branch)
        while age:
            submitted -= dt.timedelta(days=1)
            age -= is_working_day(submitted)
        area = ServiceArea.objects.get(branch=branch, regencies__code=district[:5])
        claim = lifecycle.create_claim(
            by=cso,
            participant=person,
            program="JHT",
            reason=reason,
            channel="offline",
            branch=branch,
            area=area,
            employer=employer,
        )
        at = timezone.make_aware(dt.datetime.combine(submitted, dt.time(9, 30)))
        changes = {"submitted_on": submitted, "submitted_at": at, "amount_claimed": balance}
        lifecycle.move([claim], ClaimAction.SUBMITTED, by=cso, changes=changes)
        if status != "submitted":
            lifecycle.move([claim], ClaimAction.VERIFICATION_STARTED, by=cso)
        if status == "verified":
            lifecycle.move([claim], ClaimAction.VERIFIED, by=cso, changes={"verified_by": cso})
        if status == "returned_for_documents":
            note = "Paklaring belum diunggah."
            lifecycle.move([claim], ClaimAction.RETURNED, by=cso, note=note, changes={"decision_note": note})
        # Handed in on their submission day, not at load time: the history says so, and the service-level
        # clock (claims/sla.py), which reads it, counts from that day.
        claim.events.update(at=at)
        recompute_findings(claim)
    sri = Participant.objects.get(nik="3519084507880003")
    JhtBalance.objects.get_or_create(
        participant=sri, defaults={"amount": 46_250_000, "as_of": dt.date(2026, 9, 15)}
    )
    bambang = Participant.objects.get(nik="3577011203750002")
    JhtBalance.objects.get_or_create(
        participant=bambang, defaults={"amount": 71_480_000, "as_of": dt.date(2026, 10, 20)}
    )
