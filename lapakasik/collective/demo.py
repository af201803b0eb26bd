"""Demo data for the collective channel: laid-off workers of PT Demo Sinar Madiun and an approved mandate.

Called by demo/loader.py; idempotent. The sample lists in docs/samples/ name these workers.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import zipfile

from django.core.files.base import ContentFile
from django.utils import timezone

from lapakasik.claims.models import JhtBalance
from lapakasik.lib.dates import today_at
from lapakasik.registry.models import Employer, Employment, Participant

from .lifecycle import CollectiveAction, move_mandates, record
from .models import Mandate

DEMO_NPP = "NN0DEMO01"
LAID_OFF_ON = dt.date(2026, 9, 30)  # PHK at the end of September 2026: the waiting month is over
# nik, kpj, name, birth date, sex, district, bank, account
WORKERS = [
    ("3519081204909001", "26900000001", "Agus Setiawan", dt.date(1990, 4, 12), "M", "35.19.08", "BRI", "001201009000101"),
    ("3577016508939002", "26900000002", "Wulan Sari", dt.date(1993, 8, 25), "F", "35.77.01", "BNI", "0119000002"),
    ("3502170301859003", "26900000003", "Eko Prasetyo", dt.date(1985, 1, 3), "M", "35.02.17", "MANDIRI", "1440090000003"),
    ("3521094911959004", "26900000004", "Ratna Dewi", dt.date(1995, 11, 9), "F", "35.21.09", "BRI", "001201009000104"),
    ("3519113006889005", "26900000005", "Budi Santoso", dt.date(1988, 6, 30), "M", "35.19.11", "BSI", "7190000005"),
    ("3501045402919006", "26900000006", "Siti Rahayu", dt.date(1991, 2, 14), "F", "35.01.04", "BTN", "0019000000006"),
]  # fmt: skip


def _blank_pdf(title: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if title:  # a title of its own makes each sample a different file, as scans are
        writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@functools.cache
def minimal_pdf() -> bytes:
    """One blank A4 page: stands in for scanned documents in the demo and tests."""
    return _blank_pdf()


def __getattr__(name: str) -> bytes:
    # MINIMAL_PDF made on first use, not at import: pypdf costs ~0.2 s of CPU to import, which every command
    # importing the demo would pay (a `demo load` that finds the demo loaded makes no PDF).
    if name == "MINIMAL_PDF":
        return minimal_pdf()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_collective_demo() -> None:
    employer = Employer.objects.filter(npp=DEMO_NPP).first()
    if employer is None:
        return
    for nik, kpj, name, born, sex, district, _bank, _account in WORKERS:
        if Participant.objects.filter(kpj=kpj).exclude(nik=nik).exists():
            continue
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
            defaults={"start": dt.date(2015, 3, 1), "end": LAID_OFF_ON, "end_reason": "phk"},
        )
        # The balance the core system reports, so a collective claim gets its estimate as a single one does.
        JhtBalance.objects.get_or_create(
            participant=person,
            defaults={"amount": 9_000_000 + int(kpj[-1]) * 4_350_000, "as_of": LAID_OFF_ON},
        )
    _approved_mandate(employer)


def _approved_mandate(employer: Employer) -> None:
    from lapakasik.accounts.models import User

    representative = User.objects.filter(username="pemberikerja", employer=employer).first()
    supervisor = User.objects.filter(username="supervisor").first()
    if (
        representative is None
        or Mandate.objects.filter(employer=employer, representative=representative).exists()
    ):
        return
    today = today_at(employer.branch.time_zone)
    # Created pending and approved through the mandate's one writer, as the console would.
    mandate = Mandate(
        employer=employer,
        representative=representative,
        poa_content_type="application/pdf",
        statement_accepted_at=timezone.now(),
        valid_from=today,
        valid_until=today + dt.timedelta(days=365),
    )
    mandate.power_of_attorney.save("surat-kuasa.pdf", ContentFile(minimal_pdf()), save=False)
    mandate.poa_sha256 = hashlib.sha256(minimal_pdf()).hexdigest()
    mandate.save()
    record(
        CollectiveAction.MANDATE_CREATED,
        by=representative,
        employer_id=employer.id,
        mandate=mandate,
        demo=True,
    )
    move_mandates([mandate], "approve", by=supervisor, decided_by=supervisor, decided_at=timezone.now())


def sample_rows() -> list[list[str]]:
    """The demo workers as list rows (dates written the Indonesian way)."""
    return [
        [
            nik,
            kpj,
            name,
            born.strftime("%d/%m/%Y"),
            LAID_OFF_ON.strftime("%d/%m/%Y"),
            "PHK",
            bank,
            account,
            name,
        ]
        for nik, kpj, name, born, _sex, _district, bank, account in WORKERS
    ]


# The JHT checklist for a PHK (rules/params/documents.yaml), as an HR department would name the files.
# The joint agreement (perjanjian bersama) is one letter for every worker of the layoff.
SAMPLE_DOCUMENTS = ("ktp", "kartu-kpj", "kk", "paklaring", "buku-tabungan", "formulir-klaim")
SHARED_AGREEMENT = "perjanjian-bersama.pdf"


def sample_documents(niks: list[str] | None = None) -> bytes:
    """A documents ZIP with one folder per NIK: the worker's own scans (tiny PDFs and a photo), each a
    different file as real scans are, and the company's one joint agreement in every folder."""
    agreement = _blank_pdf(f"Perjanjian bersama {DEMO_NPP}")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for nik in niks if niks is not None else [w[0] for w in WORKERS]:
            for kind in SAMPLE_DOCUMENTS:
                _add(archive, f"{nik}/{kind}.pdf", _blank_pdf(f"{kind} {nik}"))
            _add(archive, f"{nik}/{SHARED_AGREEMENT}", agreement)
            _add(archive, f"{nik}/foto.jpg", _photo(nik))
    return out.getvalue()


def _add(archive: zipfile.ZipFile, name: str, content: bytes) -> None:
    # A fixed entry time: the same workers' folder zipped again is the very same file, as a re-sent export
    # is (writestr would stamp the current time, so two uploads a second apart would differ).
    entry = zipfile.ZipInfo(name, date_time=(2020, 7, 1, 8, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(entry, content)


def _photo(nik: str) -> bytes:
    from PIL import Image

    shade = int(nik[-3:]) % 200
    out = io.BytesIO()
    Image.new("RGB", (120, 160), (shade, 120, 200 - shade)).save(out, "JPEG", quality=80)
    return out.getvalue()
