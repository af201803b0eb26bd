"""The supervisor plans a day in a real browser: what-if inputs, the chart, and the recommended templates."""

import datetime as dt

import pytest

from lapakasik.accounts.tests.browser import log_in
from lapakasik.booking.models import SessionTemplate
from lapakasik.booking.tests.conftest import make_session

pytestmark = pytest.mark.e2e

DAY = dt.date(2026, 12, 8)  # a Tuesday


def test_the_supervisor_tries_group_sizes_and_makes_the_recommended_templates(
    live_server, demo_world, browser_page
):
    make_session(day=DAY, at=dt.time(9), seats=5, minutes=45)
    page = browser_page
    log_in(page, live_server.url, "supervisor")
    page.click("nav >> text=Perencanaan kapasitas")
    page.fill("input[name=date]", DAY.isoformat())
    page.fill("input[name=officers]", "2")
    page.select_option("select[name=mode]", "one_to_many")
    page.fill("input[name=group_size]", "1")  # one officer "serving a group" of one
    page.fill("input[name=arrivals_per_hour]", "3")
    page.fill("input[name=replications]", "3")
    page.click("button:has-text('Simulasikan')")
    assert "harus 2 sampai 6 orang (diminta 1)" in page.inner_text("#capacity-form")
    page.fill("input[name=group_size]", "5")
    page.click("button:has-text('Simulasikan')")
    served = int(page.inner_text("[data-metric=served]"))
    assert served > 0
    chart = page.locator("img[src*='grafik.svg']")
    chart.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    assert page.locator("#capacity-compare tbody tr").count() == 6
    slots = page.locator("#capacity-slots tbody tr").count()
    assert slots > 0 and "petugas" in page.inner_text("#capacity-recommendation").lower()
    with page.expect_navigation():
        page.click("button:has-text('Jadikan templat sesi')")
    assert "templat sesi dibuat" in page.inner_text("body"), page.inner_text("main")
    assert "/sesi/templat/" in page.url
    made = SessionTemplate.objects.filter(
        weekday=DAY.weekday(), channel="offline", active=True, branch__code="madiun"
    )
    assert made.count() == slots
