"""Demo: approved claims waiting for finance, so `make run` shows the payment side at once.

Idempotent (keyed on the participants' NIK); adds nothing to the 2020 history figures (nothing
here is paid). Live work, so each claim goes through the claims' writer, step by step, with its events:
the branch's CSO takes it in and verifies it, its supervisor approves it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

# (NIK, KPJ, name, birth date, sex, district, left work, program, reason, gross, bank, account)
READY_CLAIMS = [
    ("3519126508870009", "19001234581", "Wahyu Hidayat", dt.date(1987, 8, 25), "M", "35.19.12", dt.date(2026, 8, 31),
     "JHT", "phk", 68_450_000, "BRI", "002101000456789"),
    ("3577025103920010", "19001234582", "Nur Aini", dt.date(1992, 3, 11), "F", "35.77.02", dt.date(2026, 9, 15),
     "JHT", "resign", 21_730_000, "BRI", "002101000567890"),
    ("3521094712830011", "19001234583", "Yuli Astuti", dt.date(1983, 12, 7), "F", "35.21.09", dt.date(2026, 9, 30),
     "JHT", "end_of_contract", 12_480_000, "BNI", "0451234567"),
]  # fmt: skip


def load_payments_demo() -> int:
    """Returns how many claims were added (0 on a second run)."""
    from lapakasik.accounts.models import User
    from lapakasik.claims import lifecycle
    from lapakasik.claims.models import ClaimAction
    from lapakasik.registry.models import Branch, Employer, Employment, Participant, ServiceArea

    branch = Branch.objects.filter(code="madiun").first()
    employer = Employer.objects.filter(branch=branch).order_by("pk").first()
    cso = User.objects.filter(branch=branch, role="cso").order_by("pk").first()
    supervisor = User.objects.filter(branch=branch, role="supervisor").order_by("pk").first()
    if branch is None or employer is None or cso is None or supervisor is None:
        return 0
    added = 0
    with transaction.atomic():
        for nik, kpj, name, born, sex, district, left, program, reason, gross, bank, account in READY_CLAIMS:
            person, created = Participant.objects.get_or_create(
                nik=nik,
                defaults={
                    "kpj": kpj,
                    "full_name": name,
                    "birth_date": born,
                    "sex": sex,
                    "region_id": district,
                    "status": "inactive",
                    "email": f"{kpj}@example.id",
                },
            )
            if not created:
                continue
            Employment.objects.create(
                participant=person, employer=employer, start=dt.date(2013, 2, 1), end=left, end_reason=reason
            )
            area = ServiceArea.objects.get(branch=branch, regencies__code=district[:5])
            claim = lifecycle.create_claim(
                by=cso,
                participant=person,
                program=program,
                reason=reason,
                channel="online",
                branch=branch,
                area=area,
            )
            values = {
                "bank_code": bank,
                "account_number": account,
                "holder_name": name.upper(),
                "name_match": 100,
            }
            lifecycle.save_account(claim, by=cso, values=values)
            submitted = {"submitted_on": left + dt.timedelta(days=40), "amount_claimed": gross}
            lifecycle.move([claim], ClaimAction.SUBMITTED, by=cso, changes=submitted)
            lifecycle.move([claim], ClaimAction.VERIFICATION_STARTED, by=cso)
            lifecycle.move([claim], ClaimAction.VERIFIED, by=cso, changes={"verified_by": cso})
            lifecycle.move(
                [claim], ClaimAction.APPROVED, by=supervisor, note="demo", changes={"approved_by": supervisor}
            )
            added += 1
    return added
