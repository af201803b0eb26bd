"""In Debian's chromium: the participant's data page and the breach register on a 390 px phone (no sideways
scrolling, no serious axe finding), consent withdrawn and the ZIP downloaded by clicking."""

from __future__ import annotations

import json
import zipfile

import pytest

from lapakasik.accounts.tests.browser import confirm, log_in, log_out
from lapakasik.portal.tests.test_phone_a11y_e2e import _visit

pytestmark = pytest.mark.e2e


@pytest.mark.timeout(600)
def test_the_data_page_works_on_a_phone(live_server, demo_world, browser_page, tmp_path):
    page, url = browser_page, live_server.url
    log_in(page, url, "peserta")
    found = _visit(page, f"{url}/akun/data-pribadi/", "privacy")
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("[data-testid=consent-whatsapp] button:has-text('Beri persetujuan')")
    page.click("[data-testid=consent-whatsapp] button:has-text('Tarik persetujuan')")
    assert page.locator("[data-testid=consent-whatsapp] button:has-text('Beri persetujuan')").is_visible()
    with page.expect_download() as download:
        page.click("[data-testid=privacy-export]")
    path = tmp_path / "data.zip"
    download.value.save_as(path)
    data = json.loads(zipfile.ZipFile(path).read("data.json"))
    assert [c["purpose"] for c in data["consents"]] == ["whatsapp"]
    page.click("[data-testid=privacy-delete]")
    confirm(page)
    page.wait_for_selector("[data-testid=privacy-request]")
    assert "Ditolak" in page.text_content("[data-testid=privacy-request]") or "sebagian" in page.content()
    found += _visit(page, f"{url}/akun/data-pribadi/", "privacy-after-request")
    log_out(page)
    log_in(page, url, "kepalacabang")
    found += _visit(page, f"{url}/console/data-pribadi/insiden/", "breach-register")
    assert found == []
