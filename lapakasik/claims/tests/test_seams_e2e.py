"""The claim seams as people click them, in Debian's chromium (issue 12).

A supervisor cannot approve the Rp62 juta counter claim without documents in one click: the page asks for a
written reason per failing finding and keeps it. Finance then sees the approved claim and what stops it (no
account). The officer records the counter claimant's account on the claim page: the claim goes back to
verification; the officer cannot approve it again, the branch head does, and the claim is ready for payment.
"""

from __future__ import annotations

import pytest

from lapakasik.accounts.tests.browser import log_in, log_out
from lapakasik.claims.models import Claim, ClaimEvent, PayoutAccount

pytestmark = pytest.mark.e2e

REASON = "Berkas asli diperiksa di loket dan cocok."


def _approve(page) -> None:
    """Approval asks for a confirmation in the page's dialog (console/tests/test_safe_forms_e2e.py)."""
    page.click("button[name=decision][value=approve]")
    with page.expect_navigation():
        page.click("[data-testid=confirm-yes]")


def _hendra() -> Claim:
    from lapakasik.demo.loader import LIVE_CLAIMS

    nik = next(row[0] for row in LIVE_CLAIMS if row[2] == "Hendra Gunawan")
    return Claim.objects.get(participant__nik=nik, channel="offline")


def test_findings_need_a_written_override_and_an_account_after_approval_needs_a_second_person(
    live_server, demo_world, browser_page
):
    page = browser_page
    claim = _hendra()
    claim_url = f"{live_server.url}/console/klaim/{claim.number}/"

    # c. blocking findings: one click is refused, the reasons are asked for and kept
    log_in(page, live_server.url, "supervisor")
    page.goto(claim_url)
    _approve(page)
    assert "alasan tertulis" in page.inner_text("p.error")
    assert Claim.objects.get(pk=claim.pk).status == "verified"
    # each failing finding's reason is recorded from its own form in the decision panel, then approve
    page.fill("#override-documents", REASON)
    page.click("[data-testid=override-form-documents] button[type=submit]")
    page.fill("#override-npwp", "NPWP dilihat di loket")
    page.click("[data-testid=override-form-npwp] button[type=submit]")
    _approve(page)
    assert page.inner_text("h1 .status") == "Disetujui"
    assert REASON in page.inner_text("[data-testid=override-documents]")
    assert ClaimEvent.objects.filter(claim=claim, action="finding_overridden", note=REASON).exists()
    log_out(page)

    # a. finance sees the approved counter claim and what stops its payment
    log_in(page, live_server.url, "keuangan")
    page.click("nav >> text=Pembayaran")
    assert "Belum ada rekening" in page.inner_text(f"[data-testid=not-ready-{claim.number}]")
    log_out(page)

    # a + b. the officer records the account at the counter: the claim goes back for a recheck
    log_in(page, live_server.url, "cso")
    page.goto(claim_url)
    page.select_option("#desk-bank", "BRI")
    page.fill("#desk-number", "002101000777888")
    page.click("[data-testid=desk-account] button[type=submit]")
    assert page.inner_text("h1 .status") == "Sedang diverifikasi"
    assert page.is_visible("[data-testid=account-recheck]")
    page.click("button[name=decision][value=verify]")
    assert page.inner_text("h1 .status") == "Terverifikasi"
    log_out(page)

    # b. the supervisor did not change the account and did not verify: the re-approval is theirs
    log_in(page, live_server.url, "supervisor")
    page.goto(claim_url)
    _approve(page)
    assert page.inner_text("h1 .status") == "Disetujui"
    assert PayoutAccount.objects.get(claim=claim).status == "checked"
    log_out(page)

    log_in(page, live_server.url, "keuangan")
    page.click("nav >> text=Pembayaran")
    assert page.locator(f"[data-testid=not-ready-{claim.number}]").count() == 0
    assert page.is_visible("[data-testid=prepare-BRI]")
