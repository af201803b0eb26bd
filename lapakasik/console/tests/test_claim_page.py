"""The claim page: the decision panel beside the facts, failed findings first with their evidence, each
failing finding's written reason recorded from its own form, readable history."""

from __future__ import annotations

from django.urls import reverse

from lapakasik.claims.models import Claim, ClaimEvent


def _verified_with_failures() -> Claim:
    claim = Claim.objects.filter(branch__code="madiun", status="verified", findings__level="fail").first()
    assert claim is not None
    return claim


def test_failed_findings_come_first_in_the_panel_with_their_evidence(client, supervisor):
    claim = _verified_with_failures()
    client.force_login(supervisor)
    response = client.get(reverse("console:claim", args=[claim.number]))
    levels = [f.level for f in response.context["findings"]]
    assert levels == sorted(levels, key=["fail", "warn", "pass"].index)
    html = response.content.decode()
    panel = html[html.index('data-testid="decision-panel"') :]
    assert panel.index('data-testid="failing-') < panel.index('value="approve"')
    evidence = {item["finding"].code: item["evidence"] for item in response.context["failing_evidence"]}
    assert evidence and all(isinstance(items, list) for items in evidence.values())
    if "documents" in evidence:
        assert evidence["documents"][0]["url"].endswith("#dokumen")
    assert "Perkiraan manfaat dan dasarnya" in html and 'id="riwayat"' in html


def test_a_reason_is_recorded_per_finding_then_the_supervisor_approves(client, supervisor):
    claim = _verified_with_failures()
    client.force_login(supervisor)
    url = reverse("console:claim_override", args=[claim.number])
    refused = client.post(url, {"code": "documents", "reason": "  ", "seen_status": "verified"})
    assert refused.status_code == 400
    for finding in claim.findings.filter(level="fail"):
        response = client.post(
            url, {"code": finding.code, "reason": "Asli dilihat di loket", "seen_status": "verified"}
        )
        assert response.status_code == 302
    assert (
        ClaimEvent.objects.filter(claim=claim, action="finding_overridden").count()
        == claim.findings.filter(level="fail").count()
    )
    page = client.get(reverse("console:claim", args=[claim.number])).content.decode()
    assert "Diabaikan oleh" in page and "override-form-" not in page
    client.post(
        reverse("console:claim_decide", args=[claim.number]),
        {"decision": "approve", "seen_status": "verified"},
    )
    assert Claim.objects.get(pk=claim.pk).status == "approved"


def test_an_override_of_a_finding_that_does_not_fail_or_on_a_stale_page_is_refused(client, supervisor):
    claim = _verified_with_failures()
    client.force_login(supervisor)
    url = reverse("console:claim_override", args=[claim.number])
    assert (
        client.post(url, {"code": "nik_format", "reason": "x", "seen_status": "verified"}).status_code == 409
    )
    assert (
        client.post(url, {"code": "documents", "reason": "x", "seen_status": "submitted"}).status_code == 409
    )
    assert not ClaimEvent.objects.filter(claim=claim, action="finding_overridden").exists()


def test_the_history_shows_labels_not_codes(client, cso):
    claim = Claim.objects.filter(branch__code="madiun", status="in_verification").first()
    client.force_login(cso)
    html = client.get(reverse("console:claim", args=[claim.number])).content.decode()
    history = html[html.index('id="riwayat"') :]
    history = history[: history.index("</section>")]
    for code in ("verification_started", "in_verification", "submitted", "document_added"):
        assert code not in history
