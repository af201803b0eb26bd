"""The branch head in a real browser (Debian's chromium driven by Playwright)."""

import pytest

from lapakasik.accounts.tests.browser import log_in

pytestmark = pytest.mark.e2e


def test_the_branch_head_logs_in_and_sees_the_grand_total(live_server, demo_world, browser_page):
    page = browser_page
    log_in(page, live_server.url, "kepalacabang")
    page.click("text=Laporan klaim dibayar 1 Januari – 23 Juli 2020")
    assert page.inner_text("[data-testid=grand-amount]") == "Rp96.091.106.200"
    assert page.inner_text("[data-testid=grand-cases]") == "11.729"
