"""Issue 14 in Debian's chromium at 390x844 (and 320 px): the estimator, step by step, on a phone.

One question per page, then only the case's fields; a refused answer puts focus on the error summary at
the top of the form and its links move to the fields; a good answer shows the result with "Mulai klaim
ini"; the JP wage table gains rows without reloading. No page scrolls sideways and axe-core finds no
serious or critical WCAG 2.1 A/AA violation on any of them."""

import pytest

from lapakasik.portal.tests.test_phone_a11y_e2e import NARROW, PHONE, _problems

pytestmark = pytest.mark.e2e


def _check(page, name: str) -> list[str]:
    """Layout and axe at 390 px, layout at 320 px, back to 390 px (the page is not reloaded)."""
    found = _problems(page, name)
    page.set_viewport_size(NARROW)
    found += _problems(page, name)
    page.set_viewport_size(PHONE)
    return found


@pytest.mark.timeout(600)
def test_a_resignation_estimate_on_a_phone(live_server, transactional_db, browser_page):
    page, url = browser_page, live_server.url
    page.set_viewport_size(PHONE)
    found: list[str] = []

    page.goto(f"{url}/perkiraan-manfaat/")
    found += _check(page, "estimate-program")
    page.check("input[name=program][value=JHT]")
    page.click("button:has-text('Lanjut')")
    assert page.locator("input[type=date]").count() == 0  # one question per page
    found += _check(page, "estimate-case")
    page.check("input[name=kasus][value=resign]")
    page.click("button:has-text('Lanjut')")
    assert page.locator("input[name=birth_date]").count() == 0  # only the case's fields
    found += _check(page, "estimate-fields")

    # Refused: focus lands on the summary at the top of the form; its link moves to the field.
    page.click("button:has-text('Hitung perkiraan')")
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    active = "document.activeElement.outerHTML.slice(0, 80)"
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')"), page.evaluate(active)
    box = summary.bounding_box()
    assert box is not None and -2 < box["y"] < PHONE["height"]  # scrolled to, not left below the fold
    found += _check(page, "estimate-errors")
    summary.locator("a[href='#id_separation_date']").click()
    assert page.evaluate("document.activeElement.id") == "id_separation_date"

    page.fill("#id_separation_date", "2020-01-10")
    page.fill("#id_claim_date", "2020-03-05")
    page.fill("#id_balance", "46 250 000")
    page.click("button:has-text('Hitung perkiraan')")
    page.wait_for_load_state()
    assert "hasil=1" in page.url
    assert page.inner_text("[data-testid=total]") == "Rp46.250.000"
    start = page.locator("[data-testid=start-claim]")
    assert start.inner_text() == "Mulai klaim ini" and "choice=JHT%3Aresign" in start.get_attribute("href")
    found += _check(page, "estimate-result")
    assert found == []


@pytest.mark.timeout(600)
def test_the_jp_wage_table_grows_without_reloading(live_server, transactional_db, browser_page):
    page, url = browser_page, live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{url}/perkiraan-manfaat/?program=JP&kasus=death")
    rows = page.locator("[data-wage-row]")
    assert rows.count() == 6
    page.click("[data-add-wage-row]")
    assert rows.count() == 7 and page.input_value("input[name=upah-TOTAL_FORMS]") == "7"
    assert page.evaluate("document.activeElement.name") == "upah-6-month"
    page.fill("#id_event_date", "2020-03-10")
    page.fill("#id_contribution_months", "24")
    page.fill("#id_upah-6-month", "2019-03")
    page.fill("#id_upah-6-wage", "4.500.000")
    page.click("button:has-text('Hitung perkiraan')")
    page.wait_for_load_state()
    assert "hasil=1" in page.url, page.inner_text("main")
    assert _check(page, "estimate-jp") == []
