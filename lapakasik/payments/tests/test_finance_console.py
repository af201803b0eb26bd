import hashlib

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lapakasik.claims.models import Claim
from lapakasik.payments.models import PaymentBatch

from .conftest import WEDNESDAY_MORNING, result_csv


@pytest.fixture
def as_finance(client, finance):
    client.force_login(finance)
    return client


def test_finance_sees_the_claims_ready_for_payment_per_bank(as_finance, approved_claim):
    approved_claim(gross=68_450_000)
    page = as_finance.get(reverse("console:payments:home"))
    assert page.status_code == 200
    assert b"Rp68.450.000" in page.content and b'data-testid="prepare-BRI"' in page.content


def test_a_cso_or_an_anonymous_visitor_cannot_open_the_payments_console(client, cso):
    assert client.get(reverse("console:payments:home")).status_code == 302
    client.force_login(cso)
    assert client.get(reverse("console:payments:home")).status_code == 404


def test_another_branch_s_batch_is_not_found(client, approved_claim, sent_batch, db):
    from lapakasik.accounts.models import User

    approved_claim()
    batch = sent_batch()
    makassar_finance = User.objects.create(
        username="keuangan.makassar", role="finance", branch=User.objects.get(username="cso.makassar").branch
    )
    client.force_login(makassar_finance)
    assert client.get(reverse("console:payments:batch", args=[batch.number])).status_code == 404


@time_machine.travel(WEDNESDAY_MORNING, tick=True)
def test_prepare_approve_send_and_import_through_the_console(
    client, approved_claim, finance, checker, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    claim = approved_claim(gross=68_450_000)
    client.force_login(finance)
    response = client.post(reverse("console:payments:prepare"), {"bank": "BRI"})
    number = response.url.rstrip("/").rsplit("/", 1)[-1]
    # the maker's own approval is refused with a message, and the batch stays prepared
    page = client.post(reverse("console:payments:batch", args=[number]), {"action": "approve"}, follow=True)
    assert "petugas keuangan lain" in page.content.decode()
    client.force_login(checker)
    client.post(reverse("console:payments:batch", args=[number]), {"action": "approve"})
    # marking sent before the file was downloaded is refused: the officer must hold the file first
    page = client.post(reverse("console:payments:batch", args=[number]), {"action": "send"}, follow=True)
    assert "Unduh berkas transfer dahulu" in page.content.decode()
    assert PaymentBatch.objects.get(number=number).status == "approved"
    transfer = client.get(reverse("console:payments:batch_file", args=[number]))
    assert transfer["Content-Type"].startswith("text/csv") and b"67527500" in transfer.content
    client.post(reverse("console:payments:batch", args=[number]), {"action": "send"})
    batch = PaymentBatch.objects.get(number=number)
    assert batch.status == "sent" and batch.file_sha256 == hashlib.sha256(transfer.content).hexdigest()
    reference = Claim.objects.get(pk=claim.pk).payments.get().reference
    upload = SimpleUploadedFile("hasil.csv", result_csv((reference, "paid", 67_527_500, "2026-11-25")))
    with django_capture_on_commit_callbacks(execute=True):  # the queued task runs (immediate backend)
        queued = client.post(reverse("console:payments:import_result"), {"file": upload, "format": "csv"})
    result = client.get(queued.url)
    assert "1 dibayar, 0 gagal, 0 ditandai" in result.content.decode()
    assert 'data-testid="result-status">Selesai' in result.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "paid"
    slip = client.get(reverse("console:payments:slip", args=[reference]))
    assert slip["Content-Type"] == "application/pdf" and slip.content.startswith(b"%PDF")
    reconciliation = client.get(
        reverse("console:payments:reconciliation"), {"from": "2026-11-01", "to": "2026-11-30"}
    )
    assert number in reconciliation.content.decode()
    export = client.get(
        reverse("console:payments:reconciliation"),
        {"from": "2026-11-01", "to": "2026-11-30", "format": "csv"},
    )
    rows = b"".join(export.streaming_content).decode().splitlines()
    assert rows[0].startswith("batch,bank,value_date") and rows[1].startswith(f"{number},BRI,")
    assert ",1,67527500,0,0,0,0" in rows[1]


def test_a_bad_date_on_the_reconciliation_page_is_explained(as_finance):
    page = as_finance.get(reverse("console:payments:reconciliation"), {"from": "25/11/2026"})
    assert page.status_code == 400 and "TTTT-BB-HH" in page.content.decode()


def test_a_malformed_result_file_lists_every_problem_at_once_and_refuses_a_future_bank_date(
    as_finance, approved_claim, sent_batch
):
    from lapakasik.payments.models import BankResultImport

    approved_claim(gross=10_000_000), approved_claim(gross=12_000_000)
    first, second = sent_batch().payments.order_by("id")
    content = result_csv(
        (first.reference, "paid", "12.5", "2026-11-26"),
        (second.reference, "paid", second.net, "2999-01-01"),
        ("", "paid", 1, "2026-11-26"),
        (second.reference, "maybe", 1, "2026-11-26"),
    )
    upload = SimpleUploadedFile("hasil.csv", content)
    page = as_finance.post(
        reverse("console:payments:import_result"), {"file": upload, "format": "csv"}, follow=True
    )
    problems = [str(m) for m in page.context["messages"] if "problem" in m.tags]
    assert len(problems) == 4
    assert "baris 3: tanggal bank 2999-01-01 belum terjadi" in problems[1]
    assert "4 masalah" in page.content.decode()
    assert not BankResultImport.objects.exists()


@time_machine.travel(WEDNESDAY_MORNING, tick=False)
def test_the_result_page_shows_every_line_with_its_outcome_flagged_first(
    as_finance, approved_claim, sent_batch, madiun, finance
):
    from lapakasik.payments import actions

    for gross in (10_000_000, 12_000_000, 14_000_000):
        approved_claim(gross=gross)
    paid, failed, short = sent_batch().payments.select_related("claim").order_by("id")
    content = result_csv(
        (paid.reference, "paid", paid.net, "2026-11-25"),
        (failed.reference, "failed", failed.net, "2026-11-25", "R01", "Rekening ditutup"),
        (short.reference, "paid", short.net - 1_000, "2026-11-25"),
        ("ZZZZZZZZ", "paid", 5_000, "2026-11-25"),
        (paid.reference, "paid", paid.net, "2026-11-25"),
    )
    queued = actions.import_bank_result(
        madiun, content=content, file_name="hasil.csv", file_format="csv", by=finance
    )
    actions.run_result_import(queued.pk)
    page = as_finance.get(reverse("console:payments:result", args=[queued.pk]))
    html = page.content.decode()
    assert "5 baris: 1 dibayar, 1 gagal, 3 ditandai" in html  # the summary stays
    rows = html.split('data-testid="result-line-')[1:]
    assert [row.split('"', 1)[0] for row in rows] == [
        "4",
        "5",
        "6",
        "2",
        "3",
    ]  # flagged first, then file order
    by_line = {row.split('"', 1)[0]: row.split("</tr>", 1)[0] for row in rows}
    # the outcome in words, the claim linked, amounts as rupiah
    assert (
        "dibayar" in by_line["2"]
        and f'href="{reverse("console:claim", args=[paid.claim.number])}"' in by_line["2"]
    )
    assert f"Rp{paid.net:,}".replace(",", ".") in by_line["2"]
    assert "gagal" in by_line["3"] and "R01 Rekening ditutup" in by_line["3"]
    assert "ditandai" in by_line["4"] and "Nominal tidak sama" in by_line["4"]
    assert f"Rp{short.net:,}".replace(",", ".") in by_line["4"] and short.claim.number in by_line["4"]
    assert "Referensi tidak dikenal" in by_line["5"] and "ZZZZZZZZ" in by_line["5"]
    assert (
        "Baris ganda: referensi muncul lebih dari sekali di berkas ini" in by_line["6"]
    )  # not the code's English
    only = as_finance.get(reverse("console:payments:result", args=[queued.pk]), {"tampil": "ditandai"})
    assert only.content.decode().count('data-testid="result-line-') == 3
