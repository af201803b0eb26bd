"""Finding 13: a 3,000-line bank result import ran 2 minutes inside one web request holding row locks.

The request now only checks and stores the file and queues it for the worker; it applies no line and
so locks no payment. (The job itself, a 3,000-line file, its resume and its idempotency are tested in
payments/tests/test_result_import_job.py.)
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lapakasik.payments.models import BankResultImport, Payment
from lapakasik.payments.tests.conftest import result_csv


def test_the_upload_request_applies_no_line_and_answers_with_the_progress_page(
    client, finance, approved_claim, sent_batch, django_capture_on_commit_callbacks
):
    approved_claim(gross=10_000_000)
    payments = list(sent_batch().payments.all())
    content = result_csv(*[(p.reference, "paid", p.net, "2026-11-26") for p in payments])
    client.force_login(finance)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("console:payments:import_result"),
            {"file": SimpleUploadedFile("hasil.csv", content), "format": "csv"},
        )
    queued = BankResultImport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "console:payments:result", args=[queued.pk]
    )
    assert (queued.status, queued.lines_done, queued.line_count) == ("queued", 0, len(payments))
    assert set(Payment.objects.filter(pk__in=[p.pk for p in payments]).values_list("status", flat=True)) == {
        "sent"
    }
    page = client.get(response.url).content.decode()
    assert "Menunggu giliran" in page and "hx-get" in page
