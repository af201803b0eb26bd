"""The supervisor's list: which claims waiting for approval exceed the Rp50 juta threshold, and their
failed findings with any written reason."""

from __future__ import annotations

from django.urls import reverse

from lapakasik.claims import actions
from lapakasik.claims.models import Claim


def test_claims_above_the_threshold_come_first_marked_with_their_failed_findings(client, supervisor, cso):
    client.force_login(supervisor)
    response = client.get(reverse("console:claims_supervisor"))
    waiting = response.context["waiting"]
    above = [c for c in waiting if c.above_threshold]
    assert above, "the demo has a verified claim of Rp62,3 juta"
    assert waiting[: len(above)] == above
    assert all((c.amount_claimed or 0) > 50_000_000 for c in above)
    assert response.context["above_threshold"] == len(above)
    html = response.content.decode()
    claim = above[0]
    assert f'data-testid="above-{claim.number}"' in html
    assert "di atas Rp50.000.000" in html
    for finding in claim.failing:
        assert finding.message in html
    assert "belum ada alasan tertulis" in html


def test_a_written_reason_shows_beside_its_finding(client, supervisor):
    claim = Claim.objects.filter(branch__code="madiun", status="verified", findings__level="fail").first()
    code = claim.findings.filter(level="fail").first().code
    actions.override_finding(claim, by=supervisor, code=code, reason="Dokumen asli dilihat")
    client.force_login(supervisor)
    html = client.get(reverse("console:claims_supervisor")).content.decode()
    row = html[html.index(f'data-testid="waiting-{claim.number}"') :]
    row = row[: row.index("</tr>")]
    assert "Dokumen asli dilihat" in row
