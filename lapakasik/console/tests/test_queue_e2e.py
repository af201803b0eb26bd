"""The officer finds a claim and works it, in Debian's chromium at 1366×768: search, paging with the
"Menampilkan A–B dari N" line, and the claim page's decision panel beside the facts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lapakasik.accounts.tests.browser import log_in
from lapakasik.claims.models import Claim, ClaimEvent

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("LAPAKASIK_SHOTS", "/tmp/shots-h13queue"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_the_officer_searches_pages_and_opens_a_paid_claim(live_server, demo_world, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    paid = Claim.objects.filter(branch__code="madiun", status="paid").order_by("id").first()
    total = Claim.objects.filter(branch__code="madiun", status="paid").count()
    log_in(page, live_server.url, "cso")
    page.goto(f"{live_server.url}/console/klaim/")
    page.click("[data-testid=facet-status-paid]")
    assert page.inner_text("[data-testid=summary]") == f"Menampilkan 1–50 dari {total}"
    page.click("[data-testid=pager] >> text=2")
    assert "Menampilkan 51–100 dari" in page.inner_text("[data-testid=summary]")
    assert "page=2" in page.url
    _shot(page, "queue-paid-page-2")

    page.fill("#queue-q", paid.participant.nik)
    page.press("#queue-q", "Enter")
    assert page.locator(f"[data-testid=row-{paid.number}]").is_visible()
    assert "Menampilkan 1–" in page.inner_text("[data-testid=summary]")
    _shot(page, "queue-search-by-nik")
    page.click(f"[data-testid=row-{paid.number}] a")
    assert page.inner_text("h1 .status") == "Dibayar"


def test_the_supervisor_decides_from_the_panel_beside_the_facts(live_server, demo_world, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    claim = Claim.objects.filter(branch__code="madiun", status="verified", findings__level="fail").first()
    failing = list(claim.findings.filter(level="fail").values_list("code", flat=True))
    log_in(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/console/klaim/?q={claim.number}")
    page.click(f"[data-testid=row-{claim.number}] a")
    panel = page.locator("[data-testid=decision-panel]")
    facts = page.locator(".facts")
    assert panel.bounding_box()["x"] > facts.bounding_box()["x"] + facts.bounding_box()["width"] - 1  # beside
    assert panel.locator("button[value=approve]").is_visible()  # no scrolling to decide
    _shot(page, "claim-decision-panel")
    page.evaluate("window.scrollTo(0, 700)")
    page.wait_for_function("window.scrollY >= 600")
    assert 0 <= panel.bounding_box()["y"] <= 20  # sticky: still at the top while the facts scroll
    for code in failing:
        page.fill(f"#override-{code}", "Berkas asli diperiksa di loket")
        page.click(f"[data-testid=override-form-{code}] button[type=submit]")
        assert "Alasan tercatat" in page.inner_text(".flash")
    page.click("button[name=decision][value=approve]")
    page.locator("#confirm-dialog").wait_for(state="visible")
    with page.expect_navigation():
        page.click("[data-testid=confirm-yes]")
    assert page.inner_text("h1 .status") == "Disetujui"
    assert ClaimEvent.objects.filter(claim=claim, action="finding_overridden").count() == len(failing)
    _shot(page, "claim-approved")


def _serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    from lapakasik.portal.tests.test_phone_a11y_e2e import WCAG_21_AA

    results = Axe().run(page, options=WCAG_21_AA)
    return [
        f"{v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_queue_claim_page_and_supervisor_list_pass_axe(live_server, demo_world, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    claim = Claim.objects.filter(branch__code="madiun", status="verified").first()
    log_in(page, live_server.url, "supervisor")
    found = []
    for path in (
        "/console/klaim/",
        "/console/klaim/?q=agus",
        f"/console/klaim/{claim.number}/",
        "/console/klaim/supervisor/",
    ):
        page.goto(f"{live_server.url}{path}")
        found += [f"{path}: {problem}" for problem in _serious(page)]
    page.evaluate("document.querySelector('table.approvals').scrollIntoView()")
    _shot(page, "supervisor-list")
    assert not found, "\n".join(found)
