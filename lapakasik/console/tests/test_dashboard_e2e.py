"""The branch head filters the dashboard and downloads the PDF in a real browser."""

import pytest

from lapakasik.accounts.tests.browser import log_in

pytestmark = pytest.mark.e2e


def test_the_branch_head_filters_the_dashboard_and_downloads_the_pdf(live_server, demo_world, browser_page):
    page = browser_page
    log_in(page, live_server.url, "kepalacabang")
    page.click("nav >> text=Dasbor")
    page.fill("input[name=from]", "2020-01-01")
    page.fill("input[name=to]", "2020-07-23")
    page.click("button:has-text('Tampilkan')")
    assert page.inner_text("[data-testid=matrix-amount]") == "Rp96.091.106.200"
    page.select_option("select[name=program]", "JKK")
    page.click("button:has-text('Tampilkan')")
    assert page.inner_text("[data-testid=matrix-amount]") == "Rp1.985.343.400"
    chart = page.locator("#h-channels + figure img")
    chart.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    with page.expect_download() as caught:
        page.click("[data-testid=pdf]")
    download = caught.value
    assert download.suggested_filename == "klaim-madiun-2020-01-01-2020-07-23.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
