"""Fixtures for the collective channel: laid-off workers in the registry and lists made of them."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lapakasik.collective.demo import WORKERS, sample_documents, sample_rows
from lapakasik.collective.parse import template_header, write_csv
from lapakasik.registry.models import Employer, Employment, Participant

_serial = itertools.count(7001)


@pytest.fixture
def demo_employer(db):
    return Employer.objects.get(npp="NN0DEMO01")


@pytest.fixture
def laid_off(demo_employer):
    """make(**overrides) → a new worker of the demo employer, laid off on 31 Aug 2026, as a list row."""

    def make(
        *,
        name="Joko Susilo",
        born=dt.date(1987, 5, 17),
        ended=dt.date(2026, 8, 31),
        employer=None,
        district="35.19.08",
        registered=True,
        bank="BRI",
        account=None,
        reason="PHK",
    ) -> list[str]:
        serial = next(_serial)
        nik = f"{district.replace('.', '')}{born:%d%m%y}{serial:04d}"
        kpj = f"27{serial:09d}"
        if registered:
            person = Participant.objects.create(
                nik=nik,
                kpj=kpj,
                full_name=name,
                birth_date=born,
                sex="M",
                region_id=district,
                status="inactive",
            )
            Employment.objects.create(
                participant=person,
                employer=employer or demo_employer,
                start=dt.date(2016, 1, 4),
                end=ended,
                end_reason="phk",
            )
        return [
            nik,
            kpj,
            name,
            born.strftime("%d/%m/%Y"),
            ended.strftime("%d/%m/%Y"),
            reason,
            bank,
            account or f"0012{serial:011d}",
            name,
        ]

    return make


def list_file(rows: list[list[str]], name: str = "daftar.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, write_csv(template_header(), rows), content_type="text/csv")


def documents_for(rows: list[list[str]]) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "dokumen.zip",
        sample_documents(list(dict.fromkeys(r[0] for r in rows))),
        content_type="application/zip",
    )


@pytest.fixture
def upload(employer_rep, django_capture_on_commit_callbacks):
    """upload(rows) → the MassList after its (inline) check, as the demo employer's representative."""
    from lapakasik.collective.actions import upload_list

    def go(rows, *, documents="auto", by=None, name="daftar.csv"):
        docs = documents_for(rows) if documents == "auto" else documents
        with django_capture_on_commit_callbacks(execute=True):
            mass_list, _created = upload_list(
                by=by or employer_rep, list_file=list_file(rows, name), documents_file=docs
            )
        mass_list.refresh_from_db()
        return mass_list

    return go


@pytest.fixture
def submit(employer_rep, django_capture_on_commit_callbacks):
    from lapakasik.collective.actions import submit_list

    def go(mass_list, *, by=None):
        with django_capture_on_commit_callbacks(execute=True):
            submit_list(mass_list, by=by or employer_rep)
        mass_list.refresh_from_db()
        return mass_list

    return go


@pytest.fixture
def demo_rows():
    return sample_rows()


@pytest.fixture
def demo_niks():
    return [w[0] for w in WORKERS]
