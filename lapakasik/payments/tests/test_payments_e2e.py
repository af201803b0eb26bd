"""From approved claim to paid, in Debian's chromium: maker prepares, checker approves, the bank answers."""

import datetime as dt

import pytest

from lapakasik.accounts.tests.browser import confirm, log_in, log_out
from lapakasik.claims.models import Claim

from .conftest import result_csv

pytestmark = pytest.mark.e2e


def test_finance_pays_the_demo_s_approved_claims_from_batch_to_bank_result(
    live_server, demo_world, demo_ready, browser_page, settings
):
    # The result file is applied by the worker: here the queued task runs as soon as it is queued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page = browser_page
    log_in(page, live_server.url, "keuangan")
    page.click("nav >> text=Pembayaran")
    page.click("[data-testid=prepare-BRI]")
    assert page.inner_text("[data-testid=batch-status]") == "Disiapkan"
    batch_url = page.url
    log_out(page)

    log_in(page, live_server.url, "keuangan2")
    page.goto(batch_url)
    page.click("[data-testid=approve]")
    with page.expect_navigation():
        confirm(page)
    assert page.inner_text("[data-testid=batch-status]") == "Disetujui"
    with page.expect_download() as download:
        page.click("[data-testid=transfer-file]")
    assert download.value.suggested_filename.endswith(".csv")
    page.reload()
    page.click("[data-testid=send]")
    with page.expect_navigation():
        confirm(page)
    assert page.inner_text("[data-testid=batch-status]") == "Dikirim ke bank"
    references = page.eval_on_selector_all("tr[data-reference]", "rows => rows.map(r => r.dataset.reference)")
    assert len(references) == 2

    from lapakasik.payments.models import Payment

    nets = dict(Payment.objects.filter(reference__in=references).values_list("reference", "net"))
    today = dt.date.today().isoformat()
    content = result_csv(
        (references[0], "paid", nets[references[0]], today),
        (references[1], "failed", 0, today, "AC04", "Rekening ditutup"),
    )
    page.click("nav >> text=Pembayaran")
    page.set_input_files(
        "input[name=file]", {"name": "hasil-bri.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.click("button:has-text('Impor')")
    assert "1 dibayar, 1 gagal, 0 ditandai" in page.inner_text("[data-testid=result-counts]")

    paid = Claim.objects.get(payments__reference=references[0])
    assert paid.status == "paid" and paid.paid_on.isoformat() == today
    assert Claim.objects.get(payments__reference=references[1]).status == "approved"
