import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lapakasik.claims.models import Claim

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
    makassar_finance = User.objects.create(username="keuangan.makassar", role="finance",
                                           branch=User.objects.get(username="cso.makassar").branch)  # fmt: skip
    client.force_login(makassar_finance)
    assert client.get(reverse("console:payments:batch", args=[batch.number])).status_code == 404


@time_machine.travel(WEDNESDAY_MORNING, tick=True)
def test_prepare_approve_send_and_import_through_the_console(client, approved_claim, finance, checker):
    claim = approved_claim(gross=68_450_000)
    client.force_login(finance)
    response = client.post(reverse("console:payments:prepare"), {"bank": "BRI"})
    number = response.url.rstrip("/").rsplit("/", 1)[-1]
    # the maker's own approval is refused with a message, and the batch stays prepared
    page = client.post(reverse("console:payments:batch", args=[number]), {"action": "approve"}, follow=True)
    assert "petugas keuangan lain" in page.content.decode()
    client.force_login(checker)
    client.post(reverse("console:payments:batch", args=[number]), {"action": "approve"})
    client.post(reverse("console:payments:batch", args=[number]), {"action": "send"})
    transfer = client.get(reverse("console:payments:batch_file", args=[number]))
    assert transfer["Content-Type"].startswith("text/csv") and b"67527500" in transfer.content
    reference = Claim.objects.get(pk=claim.pk).payments.get().reference
    upload = SimpleUploadedFile("hasil.csv", result_csv((reference, "paid", 67_527_500, "2026-11-26")))
    result = client.post(
        reverse("console:payments:import_result"), {"file": upload, "format": "csv"}, follow=True
    )
    assert "1 dibayar, 0 gagal, 0 ditandai" in result.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "paid"
    slip = client.get(reverse("console:payments:slip", args=[reference]))
    assert slip["Content-Type"] == "application/pdf" and slip.content.startswith(b"%PDF")
    reconciliation = client.get(
        reverse("console:payments:reconciliation"), {"from": "2026-11-01", "to": "2026-11-30"}
    )
    assert number in reconciliation.content.decode()
    export = client.get(reverse("console:payments:reconciliation"),
                        {"from": "2026-11-01", "to": "2026-11-30", "format": "csv"})  # fmt: skip
    rows = b"".join(export.streaming_content).decode().splitlines()
    assert rows[0].startswith("batch,bank,value_date") and rows[1].startswith(f"{number},BRI,")
    assert ",1,67527500,0,0,0,0" in rows[1]


def test_a_bad_date_on_the_reconciliation_page_is_explained(as_finance):
    page = as_finance.get(reverse("console:payments:reconciliation"), {"from": "25/11/2026"})
    assert page.status_code == 400 and "TTTT-BB-HH" in page.content.decode()
