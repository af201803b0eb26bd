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


def test_the_branch_head_reads_a_tile_and_drills_down_to_its_claims(live_server, demo_world, browser_page):
    page = browser_page
    log_in(page, live_server.url, "kepalacabang")
    page.goto(f"{live_server.url}/console/dashboard/?from=2020-06-01&to=2020-06-30")
    tile = page.locator("[data-testid=tile-cases]")
    cases = tile.locator("[data-testid=tile-cases-link]").inner_text()
    assert "Periode sebelumnya (2 Mei 2020 – 31 Mei 2020)" in tile.inner_text()
    assert any(word in tile.inner_text() for word in ("naik", "turun", "tetap"))  # said in words, not colour
    page.click("[data-testid=tile-cases-link]")
    page.wait_for_url("**/console/klaim/**")
    assert "Dibayar: Senin, 1 Juni 2020 – Selasa, 30 Juni 2020" in page.inner_text("[data-testid=drill-down]")
    assert page.inner_text("[data-testid=summary]").endswith(f"dari {cases.replace('.', '')}")
