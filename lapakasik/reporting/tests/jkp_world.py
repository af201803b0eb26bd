"""A branch's January–February 2027 with JKP being paid: the paid lines the reports, the exports, the median
and the drill-down must agree on. Built directly (intake and payments have their own tests), and added to the
rollups through their one entry point, as the payments action does."""

from __future__ import annotations

import datetime as dt
import itertools

from lapakasik.claims.models import Claim
from lapakasik.payments.models import Payment, PaymentBatch
from lapakasik.registry.models import Participant, ServiceArea
from lapakasik.reporting.rollup import instalment_paid, record_paid

JANUARY_1, FEBRUARY_28 = dt.date(2027, 1, 1), dt.date(2027, 2, 28)
_serial = itertools.count(1)


def _person() -> Participant:
    n = next(_serial)
    return Participant.objects.create(
        nik=f"35190845079{n:05d}",
        kpj=f"79{n:09d}",
        full_name=f"Peserta Laporan {n}",
        birth_date=dt.date(1986, 7, 5),
        sex="F",
        region_id="35.19.08",
    )


def _claim(branch, area: str, program: str, *, status="paid", paid_on=None, amount=None, submitted_on=None):
    return Claim.objects.create(
        program=program,
        reason="phk" if program == "JKP" else "resign",
        channel="online" if program != "JKM" else "offline",
        status=status,
        participant=_person(),
        branch=branch,
        area=ServiceArea.objects.get(branch=branch, name=area),
        amount_claimed=amount,
        amount_paid=amount if status == "paid" else None,
        paid_on=paid_on,
        submitted_on=submitted_on,
    )


def build(branch, finance) -> dict[str, Claim]:
    """Lump sums paid in and after the period; a JKP claim approved with months 1 and 2 of 6 paid in it (the
    claim itself not paid yet); a JKP claim of imported history, paid whole without payment rows."""
    jht = _claim(branch, "Madiun", "JHT", paid_on=dt.date(2027, 1, 10), amount=10_000_000,
                 submitted_on=dt.date(2027, 1, 3))  # fmt: skip
    jkm = _claim(branch, "Ngawi", "JKM", paid_on=dt.date(2027, 2, 5), amount=42_000_000,
                 submitted_on=dt.date(2027, 1, 30))  # fmt: skip
    later = _claim(branch, "Madiun", "JHT", paid_on=dt.date(2027, 3, 5), amount=5_000_000,
                   submitted_on=dt.date(2027, 2, 20))  # fmt: skip
    jkp = _claim(
        branch, "Madiun", "JKP", status="approved", amount=18_000_000, submitted_on=dt.date(2027, 1, 5)
    )
    history = _claim(branch, "Ngawi", "JKP", paid_on=dt.date(2027, 2, 10), amount=18_000_000)
    months = []
    for month, day in ((1, dt.date(2027, 1, 20)), (2, dt.date(2027, 2, 22))):
        batch = PaymentBatch.objects.create(
            number=f"BATCH-JKP-{jkp.pk}-{month}",
            branch=branch,
            bank_code="BRI",
            value_date=day,
            status="reconciled",
            prepared_by=finance,
        )
        months.append(
            Payment.objects.create(
                claim=jkp,
                batch=batch,
                bank_code="BRI",
                account_number="0123456789",
                holder_name="PESERTA",
                gross=3_000_000,
                tax=0,
                net=3_000_000,
                instalment=month,
                instalment_count=6,
                due_on=day,
                status="paid",
                paid_on=day,
                prepared_by=finance,
            )  # fmt: skip
        )
    record_paid([jht, jkm, later, history, *(instalment_paid(m, jkp) for m in months)])
    return {"jht": jht, "jkm": jkm, "later": later, "jkp": jkp, "history": history}
