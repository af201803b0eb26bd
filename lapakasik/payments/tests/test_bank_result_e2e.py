"""Finance reads a bank result in a real browser: every line with its outcome in words, flagged first, and
the filter to the flagged ones (issue 13)."""

import pytest
import time_machine

from lapakasik.accounts.tests.browser import log_in

from .conftest import WEDNESDAY_MORNING, result_csv

pytestmark = pytest.mark.e2e


def _imported_result(approved_claim, sent_batch, madiun, finance):
    from lapakasik.payments import actions

    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        mine = [approved_claim(gross=gross) for gross in (10_000_000, 12_000_000)]
        # The batch takes every approved BRI claim of the branch (the demo's too): read back these two.
        payments = {payment.claim_id: payment for payment in sent_batch().payments.all()}
        paid, failed = (payments[claim.pk] for claim in mine)
        content = result_csv(
            (paid.reference, "paid", paid.net, "2026-11-25"),
            (failed.reference, "failed", failed.net, "2026-11-25", "R01", "Rekening ditutup"),
            ("ZZZZZZZZ", "paid", 5_000, "2026-11-25"),
        )
        queued = actions.import_bank_result(
            madiun, content=content, file_name="hasil.csv", file_format="csv", by=finance
        )
        actions.run_result_import(queued.pk)
    return queued


def test_finance_sees_every_line_of_a_bank_result_and_can_keep_only_the_flagged(
    live_server, demo_world, browser_page, approved_claim, sent_batch, madiun, finance
):
    result = _imported_result(approved_claim, sent_batch, madiun, finance)
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server.url, "keuangan")
    page.goto(f"{live_server.url}/console/payments/results/{result.pk}/")

    lines = page.locator("[data-testid^=result-line-]")
    assert lines.count() == 3
    assert "Referensi tidak dikenal" in lines.nth(0).inner_text()  # flagged first
    outcomes = page.inner_text("main")
    assert "dibayar" in outcomes and "gagal" in outcomes and "R01 Rekening ditutup" in outcomes
    page.screenshot(path=str(_shots() / "bank-result-1366.png"), full_page=True)

    page.click("text=Tampilkan hanya yang ditandai")
    assert page.locator("[data-testid^=result-line-]").count() == 1


def _shots():
    from django.conf import settings

    folder = settings.VAR_DIR / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
