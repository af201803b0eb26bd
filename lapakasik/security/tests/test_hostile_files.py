"""Findings 6, 8 and 9: uploads stored before any check, bank imports that take any bytes, active PDFs."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from lapakasik.claims.cases import assess
from lapakasik.claims.models import ClaimDocument
from lapakasik.claims.tests.helpers import jpeg, online_jht_draft
from lapakasik.claims.uploads import RefusedFile, check_file
from lapakasik.collective.models import MassList
from lapakasik.lib.dates import today_at


def _pdf(change=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if change:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action(writer):
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('x')")}
    )
    writer._root_object[NameObject("/OpenAction")] = action


def _attachment(writer):
    writer.add_attachment("payload.exe", b"MZ\x90\x00")


@pytest.mark.parametrize(
    "data",
    [
        _pdf(_open_action),
        _pdf(_attachment),
        _pdf() + b"\n<html><script>alert(1)</script></html>",
        _pdf().replace(b"/Type /Catalog", b"/Type /Catalog /J#61vaScript 1 0 R", 1),
    ],
    ids=["open-action-javascript", "embedded-file", "html-after-eof", "hex-escaped-name"],
)
def test_a_pdf_with_active_content_is_refused(data):
    with pytest.raises(RefusedFile) as refused:
        check_file("paklaring.pdf", data, max_bytes=5 * 2**20)
    assert refused.value.code == "file_active_pdf"


def test_a_plain_pdf_is_still_accepted():
    assert check_file("paklaring.pdf", _pdf(), max_bytes=5 * 2**20).content_type == "application/pdf"


@pytest.fixture
def draft(participant, madiun):
    return online_jht_draft(participant, madiun)


def _stored_files(settings) -> list:
    return [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] if settings.MEDIA_ROOT.exists() else []


def test_a_claim_upload_past_the_limit_is_refused_while_streaming_and_nothing_is_kept(
    client, participant, draft, settings
):
    settings.UPLOAD_MAX_BYTES = 2000
    kind = assess(participant.participant, "JHT", "resign", on=today_at("Asia/Jakarta")).documents[0][0]
    client.force_login(participant)
    big = jpeg(size=(400, 400), color="blue")
    assert big.size > 2000
    response = client.post(
        reverse("claims_upload", args=[draft.number]), {"kind": kind, "file": big}, follow=True
    )
    assert response.redirect_chain and response.context["document_form"].errors["file"]
    assert not ClaimDocument.objects.filter(claim=draft).exists() and _stored_files(settings) == []


def test_a_collective_upload_past_the_limit_is_refused_and_nothing_is_kept(client, employer_rep, settings):
    settings.COLLECTIVE_DOCUMENTS_MAX_BYTES = 10_000
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
        z.writestr("3519081204900001/ktp.pdf", b"%PDF-" + bytes(range(256)) * 100)
    lists_before = MassList.objects.count()
    client.force_login(employer_rep)
    response = client.post(
        reverse("collective:upload"),
        {
            "list_file": SimpleUploadedFile("daftar.csv", b"NIK;KPJ\n1;2\n"),
            "documents_file": SimpleUploadedFile("dokumen.zip", archive.getvalue()),
        },
    )
    assert response.status_code == 400 and b"documents_file" in response.content
    assert MassList.objects.count() == lists_before and _stored_files(settings) == []


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))


def test_a_png_is_not_an_mt940_statement():
    from lapakasik.payments.bankfiles import parse_result

    parsed = parse_result(PNG, "mt940")
    assert parsed.lines == () and parsed.errors and "not an MT940 statement" in parsed.errors[0].message


def test_text_without_the_statement_fields_is_not_an_mt940_statement():
    from lapakasik.payments.bankfiles import parse_result

    parsed = parse_result(b"Hello, this is a letter.\r\nRegards\r\n", "mt940")
    assert parsed.errors and "opening balance" in parsed.errors[0].message


def test_a_result_csv_with_no_lines_is_not_a_result():
    from lapakasik.payments.bankfiles import parse_result

    parsed = parse_result(b"reference,status,amount,value_date\n", "csv")
    assert parsed.errors and parsed.lines == ()


@pytest.fixture
def temporary_uploads(settings, tmp_path):
    """Every upload streams through a temporary file of its own directory, so a test sees what is left."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()
    return tmp_path / "upload-tmp"


def _left(directory) -> list:
    return [p for p in directory.rglob("*") if p.is_file()]


def test_a_collective_list_past_the_limit_is_refused_while_streaming_and_nothing_is_kept(
    client, employer_rep, settings, monkeypatch, temporary_uploads
):
    from lapakasik.portal import collective_views

    monkeypatch.setitem(collective_views.upload.upload_limits, "list_file", 1000)
    lists_before = MassList.objects.count()
    client.force_login(employer_rep)
    big = b"NIK;KPJ\n" + b"3519081204900001;27000000001\n" * 200
    response = client.post(reverse("collective:upload"), {"list_file": SimpleUploadedFile("daftar.csv", big)})
    assert response.status_code == 400 and b"list_file" in response.content
    assert MassList.objects.count() == lists_before
    assert _stored_files(settings) == [] and _left(temporary_uploads) == []


def _traversal_zip() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../etc/cron.d/x.pdf", b"%PDF-")
    return archive.getvalue()


@pytest.mark.parametrize(
    ("list_bytes", "documents"),
    [
        (PNG, None),
        (b"Nama;Umur\nA;1\n", None),
        (None, b"not a zip at all"),
        (None, _traversal_zip()),
    ],
    ids=["png-as-list", "no-list-columns", "documents-not-a-zip", "zip-path-traversal"],
)
def test_a_refused_collective_upload_leaves_no_file_behind(
    client,
    employer_rep,
    settings,
    temporary_uploads,
    django_capture_on_commit_callbacks,
    list_bytes,
    documents,
):
    from lapakasik.collective.demo import sample_rows
    from lapakasik.collective.parse import template_header, write_csv

    data = {
        "list_file": SimpleUploadedFile(
            "daftar.csv", list_bytes or write_csv(template_header(), sample_rows())
        )
    }
    if documents is not None:
        data["documents_file"] = SimpleUploadedFile("dokumen.zip", documents)
    client.force_login(employer_rep)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("collective:upload"), data)
    mass_list = MassList.objects.filter(uploaded_by=employer_rep).latest("pk")
    assert mass_list.status == "rejected" and mass_list.file_error
    assert not mass_list.list_file and not mass_list.documents_file
    assert _stored_files(settings) == [] and _left(temporary_uploads) == []


def test_a_list_refused_by_the_background_check_keeps_no_file(
    employer_rep, settings, django_capture_on_commit_callbacks
):
    """A list whose header is right but which holds no row is refused by the worker, after storing."""
    from lapakasik.collective.actions import upload_list
    from lapakasik.collective.parse import template_header, write_csv

    with django_capture_on_commit_callbacks(execute=True):
        mass_list, _ = upload_list(
            by=employer_rep, list_file=SimpleUploadedFile("daftar.csv", write_csv(template_header(), []))
        )
    mass_list.refresh_from_db()
    assert mass_list.status == "rejected" and not mass_list.list_file
    assert _stored_files(settings) == []


def test_a_png_uploaded_as_a_bank_statement_is_refused_on_the_page_and_not_stored(client, finance, settings):
    from lapakasik.payments.models import BankResultImport

    client.force_login(finance)
    page = client.post(
        reverse("console:payments:import_result"),
        {"file": SimpleUploadedFile("statement.sta", PNG), "format": "mt940"},
        follow=True,
    )
    assert "not an MT940 statement" in page.content.decode()
    assert not BankResultImport.objects.exists() and _stored_files(settings) == []
