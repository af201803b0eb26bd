"""Uploading a list: every row check against the registry, the summary, and uploading twice."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lapakasik.claims.models import Claim
from lapakasik.collective.demo import MINIMAL_PDF
from lapakasik.collective.models import ListStatus, Mandate, RowStatus
from lapakasik.registry.models import Employer

from .conftest import documents_for, list_file

pytestmark = pytest.mark.django_db


def messages(mass_list, line_index=0, *, warnings=False) -> dict[str, str]:
    row = list(mass_list.rows.order_by("line"))[line_index]
    issues = row.warning_issues() if warnings else row.error_issues()
    return {issue.column: issue.render() for issue in issues}


def test_the_demo_list_is_valid_in_full(upload, demo_rows):
    mass_list = upload(demo_rows)
    assert mass_list.status == ListStatus.VALIDATED
    assert (mass_list.total_rows, mass_list.valid_rows, mass_list.error_rows) == (6, 6, 0)
    row = mass_list.rows.first()
    assert row.participant is not None and row.area.name == "Madiun" and len(row.documents) == 8


def test_each_worker_is_attributed_to_the_area_of_their_own_regency(upload, demo_rows):
    areas = dict(upload(demo_rows).rows.values_list("nik", "area__name"))
    assert areas == {
        "3519081204909001": "Madiun",
        "3577016508939002": "Madiun",
        "3502170301859003": "Ponorogo",
        "3521094911959004": "Ngawi",
        "3519113006889005": "Madiun",
        "3501045402919006": "Pacitan",
    }


def test_a_nik_not_in_the_registry_is_an_error(upload, laid_off):
    assert "tidak terdaftar" in messages(upload([laid_off(registered=False)]))["nik"]


def test_a_kpj_of_someone_else_is_an_error(upload, laid_off, demo_rows):
    row = laid_off()
    row[1] = demo_rows[0][1]
    assert "KPJ tidak sama" in messages(upload([row]))["kpj"]


def test_a_name_that_is_not_the_registered_persons_is_an_error(upload, laid_off):
    row = laid_off(name="Joko Susilo")
    row[2] = row[8] = "Bambang Hartono"
    assert "Nama tidak sama" in messages(upload([row]))["full_name"]


def test_a_small_spelling_difference_in_the_name_is_accepted(upload, laid_off):
    row = laid_off(name="Muhammad Joko Susilo")
    row[2] = row[8] = "Muhamad Joko Susilo"
    assert messages(upload([row])) == {}


def test_a_birth_date_that_differs_from_the_registry_is_an_error(upload, laid_off):
    row = laid_off(born=dt.date(1987, 5, 17))
    row[0] = row[0][:6] + "180587" + row[0][12:]
    row[3] = "18/05/1987"
    errors = messages(upload([row]))
    assert "tidak terdaftar" in errors["nik"]  # another NIK altogether: the person is unknown


def test_a_worker_of_another_employer_is_an_error(upload, laid_off):
    other = Employer.objects.exclude(npp="NN0DEMO01").first()
    assert "bukan" not in messages(upload([laid_off(employer=other)]))["nik"]
    assert (
        "tidak tercatat sebagai pekerja perusahaan ini" in messages(upload([laid_off(employer=other)]))["nik"]
    )


def test_a_termination_date_other_than_the_registered_one_is_an_error(upload, laid_off):
    row = laid_off(ended=dt.date(2026, 8, 31))
    row[4] = "15/08/2026"
    assert "31/08/2026" in messages(upload([row]))["termination_date"]


def test_a_termination_not_yet_recorded_in_the_registry_is_a_flag_not_an_error(
    upload, laid_off, demo_employer
):
    from lapakasik.registry.models import Employment

    row = laid_off()
    Employment.objects.filter(participant__nik=row[0]).update(end=None, end_reason="")
    mass_list = upload([row])
    assert (
        mass_list.valid_rows == 1
        and "belum tercatat" in messages(mass_list, warnings=True)["termination_date"]
    )


@time_machine.travel(dt.datetime(2026, 9, 20, 10, tzinfo=dt.UTC), tick=False)
def test_the_one_month_waiting_period_must_be_over(upload, laid_off):
    Mandate.objects.update(valid_from=dt.date(2026, 1, 1))
    mass_list = upload([laid_off(ended=dt.date(2026, 9, 1))])
    assert "mulai 01/10/2026" in messages(mass_list)["termination_date"]


def test_a_termination_in_the_future_is_an_error(upload, laid_off):
    row = laid_off(ended=dt.date(2030, 1, 31))
    assert "belum terjadi" in messages(upload([row]))["termination_date"]


def test_a_worker_with_an_open_jht_claim_is_an_error(upload, laid_off, employer_rep, madiun):
    from lapakasik.claims.actions import start_claim
    from lapakasik.registry.models import Participant

    row = laid_off()
    person = Participant.objects.get(nik=row[0])
    claim = start_claim(
        participant=person,
        program="JHT",
        reason="phk",
        channel="online",
        by=employer_rep,
        branch=madiun,
        area=madiun.areas.first(),
    )
    assert claim.number in messages(upload([row]))["nik"]


def test_the_same_worker_twice_in_the_file_is_an_error_on_the_second_row(upload, laid_off):
    row = laid_off()
    mass_list = upload([row, row])
    assert messages(mass_list, 0) == {}
    assert "Sama dengan baris 2" in messages(mass_list, 1)["nik"]


def test_one_bank_account_for_several_workers_is_flagged_on_each(upload, laid_off):
    rows = [laid_off(account="0012999888777"), laid_off(account="0012999888777"), laid_off()]
    mass_list = upload(rows)
    assert mass_list.flagged_rows == 2 and mass_list.valid_rows == 3
    assert "2 pekerja" in messages(mass_list, 0, warnings=True)["account_number"]


def test_an_account_in_someone_elses_name_is_an_error(upload, laid_off):
    row = laid_off()
    row[8] = "Sutrisno Wibowo"
    assert "atas nama peserta sendiri" in messages(upload([row]))["holder_name"]


def test_a_worker_without_documents_in_the_zip_is_an_error(upload, laid_off):
    rows = [laid_off(), laid_off()]
    mass_list = upload(rows, documents=documents_for(rows[:1]))
    assert messages(mass_list, 0) == {} and "Tidak ada dokumen" in messages(mass_list, 1)["documents"]


def test_documents_named_with_a_nik_prefix_count_and_fake_ones_do_not(upload, laid_off):
    rows = [laid_off(), laid_off()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(f"{rows[0][0]}_ktp.pdf", MINIMAL_PDF)
        archive.writestr(f"{rows[1][0]}_ktp.pdf", b"MZ this is a program")
        archive.writestr("catatan.txt", b"?")
    mass_list = upload(rows, documents=SimpleUploadedFile("d.zip", out.getvalue()))
    assert messages(mass_list, 0) == {}
    assert (
        messages(mass_list, 1)["documents"]
        == f"{rows[1][0]}_ktp.pdf: Isi berkas bukan gambar JPG/PNG/BMP atau PDF."
    )
    assert "catatan.txt" in mass_list.notice_issues()[0].render()


def test_each_document_gets_the_same_checks_as_a_single_upload(upload, laid_off):
    rows = [laid_off(), laid_off(), laid_off()]
    mass_list = upload(
        rows,
        documents=_zip(
            {
                f"{rows[0][0]}/ktp.jpg": _jpeg(
                    b"<script>alert(1)</script>"
                ),  # trailing payload: re-encoded away
                f"{rows[1][0]}/ktp.pdf": b"%PDF-1.4 only a header",  # the right first bytes, not a PDF
                f"{rows[1][0]}/paklaring.pdf": MINIMAL_PDF,
                f"{rows[2][0]}/ktp.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 64,  # a PNG signature, no image
            }
        ),
    )
    assert messages(mass_list, 0) == {}
    assert messages(mass_list, 1)["documents"] == "ktp.pdf: PDF rusak atau bukan PDF yang sah."
    assert messages(mass_list, 2)["documents"] == "ktp.png: Isi berkas bukan gambar JPG/PNG/BMP atau PDF."
    stored = mass_list.rows.get(line=2).documents
    assert [(d["name"], d["kind"], d["content_type"]) for d in stored] == [("ktp.jpg", "ektp", "image/jpeg")]
    with default_storage.open(stored[0]["file"], "rb") as f:
        assert b"<script>" not in f.read()
    # A row with an error keeps no stored file: only the valid row's one document is on disk.
    assert mass_list.rows.get(line=3).documents == [] and mass_list.rows.get(line=4).documents == []
    assert stored_files(mass_list) == [stored[0]["file"].rsplit("/", 1)[1]]


def test_a_document_whose_kind_the_name_does_not_tell_is_kept_with_a_warning(upload, laid_off):
    rows = [laid_off()]
    mass_list = upload(rows, documents=_zip({f"{rows[0][0]}/scan001.pdf": MINIMAL_PDF}))
    row = mass_list.rows.get()
    assert row.status == "valid" and row.documents[0]["kind"] == "other"
    assert "scan001.pdf" in row.warning_issues()[0].render()


def test_a_restarted_check_removes_what_the_interrupted_run_stored(upload, laid_off):
    from lapakasik.collective.actions import prepare_list
    from lapakasik.collective.models import ListStatus, MassList

    mass_list = upload([laid_off()])
    directory = f"kolektif/dokumen/{mass_list.pk}"
    before = default_storage.listdir(directory)[1]
    assert len(before) == 8
    MassList.objects.filter(pk=mass_list.pk).update(status=ListStatus.RECEIVED)  # as if it died mid-way
    prepare_list(mass_list.pk)
    after = default_storage.listdir(directory)[1]
    assert len(after) == 8 and not set(before) & set(after)


def test_a_row_that_fails_a_later_check_keeps_no_stored_file(upload, laid_off):
    rows = [laid_off(district="31.71.01")]  # Jakarta: no branch of this system serves it
    mass_list = upload(rows)
    row = mass_list.rows.get()
    assert "tidak dilayani" in row.error_issues()[0].render() and row.documents == []
    assert stored_files(mass_list) == []


def test_a_damaged_file_in_the_zip_is_an_error_on_its_row_not_a_crash(upload, laid_off):
    rows = [laid_off(), laid_off()]
    archive = _zip(
        {f"{rows[0][0]}/ktp.pdf": MINIMAL_PDF, f"{rows[1][0]}/ktp.pdf": MINIMAL_PDF},
        compression=zipfile.ZIP_STORED,
    )
    data = bytearray(archive.read())
    second = data.rfind(MINIMAL_PDF)  # the second worker's file, stored as is: flip a byte inside it
    data[second + len(MINIMAL_PDF) // 2] ^= 0xFF
    mass_list = upload(rows, documents=SimpleUploadedFile("d.zip", bytes(data)))
    assert mass_list.status == ListStatus.VALIDATED
    assert messages(mass_list, 0) == {}
    assert messages(mass_list, 1)["documents"] == "ktp.pdf: Berkas di dalam ZIP rusak dan tidak dapat dibaca."


def test_a_valid_file_before_a_bad_one_is_not_kept(upload, laid_off):
    rows = [laid_off()]
    mass_list = upload(
        rows,
        documents=_zip(
            {f"{rows[0][0]}/a-ktp.pdf": MINIMAL_PDF, f"{rows[0][0]}/z-kk.pdf": b"%PDF-1.4 broken"}
        ),
    )
    assert "z-kk.pdf" in messages(mass_list, 0)["documents"]
    assert stored_files(mass_list) == []


def test_the_heartbeat_moves_while_a_long_chunk_is_checked(upload, laid_off, monkeypatch):
    from lapakasik.collective import actions
    from lapakasik.collective.models import MassList

    beats = []
    real = actions._heartbeat

    def counting(mass_list):
        beat = real(mass_list)
        return lambda: (beats.append(1), beat())

    monkeypatch.setattr(actions, "HEARTBEAT_EVERY", dt.timedelta(0))
    monkeypatch.setattr(actions, "_heartbeat", counting)
    mass_list = upload([laid_off(), laid_off(), laid_off()])
    assert len(beats) == 3 and MassList.objects.get(pk=mass_list.pk).heartbeat_at is not None


def stored_files(mass_list) -> list[str]:
    """The names of the files staged for a list (none, when nothing was ever stored for it)."""
    try:
        return default_storage.listdir(f"kolektif/dokumen/{mass_list.pk}")[1]
    except FileNotFoundError:
        return []


def _jpeg(trailer: bytes = b"") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue() + trailer


def test_a_list_without_a_documents_zip_has_every_row_in_error(upload, demo_rows):
    mass_list = upload(demo_rows, documents=None)
    assert mass_list.error_rows == 6 and "ZIP" in messages(mass_list)["documents"]


def _zip(entries: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("dokumen.zip", out.getvalue())


def test_a_zip_with_path_traversal_is_refused_as_a_whole(upload, demo_rows):
    mass_list = upload(demo_rows, documents=_zip({"../../etc/cron.d/x.pdf": b"%PDF-"}))
    assert mass_list.status == ListStatus.REJECTED and mass_list.rows.count() == 0
    assert "tidak aman" in mass_list.file_error[0] % mass_list.file_error[1]


def test_a_zip_bomb_is_refused_without_being_inflated(upload, demo_rows):
    mass_list = upload(
        demo_rows, documents=_zip({f"{demo_rows[0][0]}/ktp.pdf": b"%PDF-" + b"\0" * 30_000_000})
    )
    assert mass_list.status == ListStatus.REJECTED and "zip bomb" in mass_list.file_error[0]


def test_an_unreadable_file_is_rejected_with_its_reason(
    upload, employer_rep, django_capture_on_commit_callbacks
):
    from lapakasik.collective.actions import upload_list

    with django_capture_on_commit_callbacks(execute=True):
        mass_list, _ = upload_list(
            by=employer_rep, list_file=SimpleUploadedFile("d.csv", b"Nama;Umur\nA;1\n")
        )
    mass_list.refresh_from_db()
    assert (
        mass_list.status == ListStatus.REJECTED and "Kolom wajib tidak ditemukan" in mass_list.file_error[0]
    )


def test_uploading_the_very_same_files_twice_returns_the_first_list(upload, demo_rows, employer_rep):
    first = upload(demo_rows)
    again = upload(demo_rows)
    assert again.pk == first.pk
    assert first.rows.count() == 6


def test_the_same_workers_in_another_file_format_are_recognised_as_a_duplicate(upload, demo_rows):
    first = upload(demo_rows)
    rows = [[*r[:3], r[3].replace("/", "-"), r[4], "phk", *r[6:]] for r in demo_rows]
    second = upload(rows)
    assert second.pk != first.pk
    assert second.status == ListStatus.DUPLICATE and second.duplicate_of == first and second.rows.count() == 0
    assert stored_files(second) == []  # its checked files are not kept


def test_a_list_is_checked_without_creating_any_claim(upload, demo_rows):
    before = Claim.objects.count()
    upload(demo_rows)
    assert Claim.objects.count() == before


def test_rows_with_errors_stay_for_correction_beside_the_valid_ones(upload, laid_off):
    bad = laid_off()
    bad[3] = "31/02/1987"
    mass_list = upload([laid_off(), bad])
    statuses = list(mass_list.rows.values_list("status", flat=True))
    assert statuses == [RowStatus.VALID, RowStatus.INVALID]
    assert mass_list.rows.get(status=RowStatus.INVALID).cells["birth_date"] == "31/02/1987"


def test_a_bigger_list_is_checked_in_the_background_with_progress(
    employer_rep, laid_off, settings, django_capture_on_commit_callbacks
):
    from lapakasik.collective.actions import upload_list

    settings.COLLECTIVE_INLINE_BYTES = 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    rows = [laid_off() for _ in range(30)]
    with django_capture_on_commit_callbacks(execute=True):
        mass_list, _ = upload_list(
            by=employer_rep, list_file=list_file(rows), documents_file=documents_for(rows)
        )
    mass_list.refresh_from_db()
    assert (
        mass_list.status == ListStatus.VALIDATED
        and mass_list.rows_done == 30
        and mass_list.percent_done == 100
    )


def test_the_sample_lists_in_the_docs_behave_as_documented(upload_files):
    good = upload_files("kolektif-daftar-contoh.csv")
    assert (good.valid_rows, good.error_rows) == (6, 0)
    bad = upload_files("kolektif-daftar-salah.csv")
    assert (bad.valid_rows, bad.error_rows) == (1, 7)


@pytest.fixture
def upload_files(employer_rep, django_capture_on_commit_callbacks):
    from pathlib import Path

    from lapakasik.collective.actions import upload_list

    samples = Path(__file__).resolve().parents[3] / "docs" / "samples"

    def go(name):
        files = {
            "list_file": SimpleUploadedFile(name, (samples / name).read_bytes()),
            "documents_file": SimpleUploadedFile(
                "d.zip", (samples / "kolektif-dokumen-contoh.zip").read_bytes()
            ),
        }
        with django_capture_on_commit_callbacks(execute=True):
            mass_list, _ = upload_list(by=employer_rep, **files)
        mass_list.refresh_from_db()
        return mass_list

    return go
