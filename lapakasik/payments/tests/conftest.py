"""Claims ready for payment, built directly: intake's path to `approved` is tested by intake."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from lapakasik.claims.models import Claim, PayoutAccount
from lapakasik.registry.models import Employer, Employment, Participant, ServiceArea

# A Wednesday morning in Madiun, before the 14:00 cut-off.
WEDNESDAY_MORNING = dt.datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
_serial = itertools.count(1)


def make_approved_claim(
    branch,
    *,
    gross=10_000_000,
    program="JHT",
    reason="resign",
    bank="BRI",
    account="0123456789012345",
    left_on=dt.date(2026, 9, 30),
    claimant=None,
) -> Claim:
    n = next(_serial)
    participant = Participant.objects.create(
        nik=f"35190845078{n:05d}",
        kpj=f"78{n:09d}",  # 77… are the booking tests' claimants
        full_name=f"Peserta Uji {n}",
        birth_date=dt.date(1985, 7, 5),
        sex="F",
        region_id="35.19.08",
        email=f"peserta{n}@example.id",
    )
    employer = Employer.objects.filter(branch=branch).first()
    Employment.objects.create(
        participant=participant,
        employer=employer,
        start=dt.date(2015, 1, 5),
        end=left_on,
        end_reason="resign",
    )
    claim = Claim.objects.create(
        program=program,
        reason=reason,
        channel="online",
        status="approved",
        participant=participant,
        branch=branch,
        area=ServiceArea.objects.get(branch=branch, name="Madiun"),
        amount_claimed=gross,
        submitted_on=dt.date(2026, 11, 2),
        claimant=claimant,
    )
    PayoutAccount.objects.create(
        claim=claim, bank_code=bank, account_number=account, holder_name=participant.full_name, name_match=100
    )
    return claim


@pytest.fixture(autouse=True)
def _demo_claims_out_of_the_way(request):
    """The demo's ready claims would join every test's batch; tests that want them ask for `demo_ready`."""
    names = request.fixturenames
    if "demo_ready" in names or not ({"db", "transactional_db"} & set(names)):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    from lapakasik.payments.demo import READY_CLAIMS

    Claim.objects.filter(participant__nik__in=[row[0] for row in READY_CLAIMS]).update(status="verified")


@pytest.fixture
def demo_ready(db):
    return None


@pytest.fixture
def approved_claim(madiun):
    return lambda **kwargs: make_approved_claim(madiun, **kwargs)


@pytest.fixture
def checker(db):
    from lapakasik.accounts.models import User

    return User.objects.get(username="keuangan2")


@pytest.fixture
def sent_batch(madiun, finance, checker):
    """Prepare (keuangan), approve (keuangan2) and send a BRI batch of the given claims."""
    from lapakasik.payments import actions

    def build():
        batch = actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)
        actions.approve_batch(batch, by=checker)
        actions.mark_batch_sent(batch, by=finance)
        batch.refresh_from_db()
        return batch

    return build


def result_csv(*rows: tuple) -> bytes:
    """Rows of (reference, status, amount, value_date[, reason_code, reason]) as the bank returns them."""
    lines = ["reference,status,amount,value_date,bank_reference,reason_code,reason"]
    for row in rows:
        reference, status, amount, day, *rest = row
        code, reason = (rest + ["", ""])[:2]
        lines.append(f"{reference},{status},{amount},{day},TRX-{reference},{code},{reason}")
    return ("\r\n".join(lines) + "\r\n").encode()
