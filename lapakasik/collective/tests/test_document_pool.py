"""A list's documents checked in the process pool give exactly what the in-process check gives."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from lapakasik.collective.demo import MINIMAL_PDF
from lapakasik.collective.documents import DocumentChecker
from lapakasik.collective.files import StagedDocuments, index_documents
from lapakasik.collective.parse import parse_rows, read_table, template_header, write_csv
from lapakasik.collective.validate import LISTROW_FIELDS, Validator

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(out, "PNG")
    return out.getvalue()


def _world(laid_off):
    """Rows meeting every document case: valid, a refused file, a damaged entry, a row already wrong, an
    unsorted name, no file at all, and a PNG named .jpg."""
    rows = [laid_off() for _ in range(8)]
    rows[3][3] = "01/01/1990"  # birth date ≠ the registry: the row is invalid before its files
    entries = {
        f"{rows[0][0]}/ktp.pdf": MINIMAL_PDF,
        f"{rows[0][0]}/kk.png": _png(),
        f"{rows[1][0]}/ktp.pdf": b"%PDF-1.4 only a header",
        f"{rows[1][0]}/paklaring.pdf": MINIMAL_PDF,
        f"{rows[2][0]}/ktp.pdf": MINIMAL_PDF,
        f"{rows[3][0]}/ktp.pdf": MINIMAL_PDF,
        f"{rows[4][0]}/scan001.pdf": MINIMAL_PDF,
        f"{rows[6][0]}_ktp.jpg": _png(),
        f"{rows[7][0]}/ktp.pdf": MINIMAL_PDF,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    data = bytearray(out.getvalue())
    damaged = data.find(MINIMAL_PDF, data.find(rows[2][0].encode()))  # row 3's file: flip a byte inside it
    data[damaged + len(MINIMAL_PDF) // 2] ^= 0xFF
    return write_csv(template_header(), rows), bytes(data)


def _check(csv: bytes, documents: bytes, employer, directory: str, **pool_settings) -> list[dict]:
    """The chunk's ListRows as the validator makes them, each stored file replaced by its bytes."""
    staged = StagedDocuments(directory)
    with zipfile.ZipFile(io.BytesIO(documents)) as archive:
        index = index_documents(archive)
        files = sum(len(paths) for paths in index.by_nik.values())
        with DocumentChecker(staged, files=files) as checker:
            validator = Validator(
                1,
                employer.id,
                employer.branch_id,
                dt.date(2026, 11, 20),
                index,
                archive,
                staged,
                checker=checker,
            )
            rows = validator.check(list(parse_rows(read_table(csv, "daftar.csv"))))
            used_pool = checker._pool is not None
    out = []
    for values in rows:
        row = dict(zip(LISTROW_FIELDS, values, strict=True))
        documents_stored = json.loads(row["documents"])
        for document in documents_stored:
            name = document.pop("file")
            assert name.startswith(f"{directory}/")
            with default_storage.open(name, "rb") as stream:
                document["content"] = stream.read()  # what was stored, not only its record
        row["documents"] = documents_stored
        out.append(row)
    return out, used_pool


def test_the_pool_and_the_in_process_check_give_the_same_rows_and_files(laid_off, demo_employer, settings):
    csv, documents = _world(laid_off)
    settings.COLLECTIVE_POOL_MIN_FILES = 10**9
    serial, pooled_serial = _check(csv, documents, demo_employer, "kolektif/dokumen/test-serial")
    settings.COLLECTIVE_POOL_MIN_FILES = 1
    settings.COLLECTIVE_POOL_WORKERS = 2
    pooled, used_pool = _check(csv, documents, demo_employer, "kolektif/dokumen/test-pool")
    assert (pooled_serial, used_pool) == (False, True)
    assert pooled == serial
    by_line = {row["line"]: row for row in serial}
    # The cases are really met: stored files for valid rows, the refusals and the flag on their rows.
    assert [row["status"] for row in serial] == ["valid", "invalid", "invalid", "invalid", "valid", "invalid",
                                                 "valid", "valid"]  # fmt: skip
    assert {d["kind"] for d in by_line[2]["documents"]} == {"ektp", "kartu_keluarga"}
    assert "PDF rusak" in by_line[3]["errors"] and "rusak dan tidak dapat dibaca" in by_line[4]["errors"]
    assert by_line[5]["documents"] == [] and "tidak dikenali" in by_line[6]["warnings"]
    assert "Tidak ada dokumen" in by_line[7]["errors"]
    assert [d["content_type"] for d in by_line[8]["documents"]] == [
        "image/png"
    ]  # a PNG named .jpg, kept as PNG
    assert by_line[9]["documents"][0]["content"] == MINIMAL_PDF
