import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from lapakasik.claims import actions
from lapakasik.claims.models import Claim
from lapakasik.claims.queries import overdue_since
from lapakasik.lib.workdays import working_days_between


def _claim(status: str) -> Claim:
    return Claim.objects.filter(branch__code="madiun", status=status, channel="offline").first()


def test_the_queue_shows_the_branchs_open_claims_and_filters_overdue_ones(client, cso):
    client.force_login(cso)
    everything = client.get(reverse("console:claims_queue")).context["claims"]
    assert {c.status for c in everything} >= {
        "submitted",
        "in_verification",
        "verified",
        "returned_for_documents",
    }
    overdue = client.get(reverse("console:claims_queue"), {"age": "overdue"}).context["claims"]
    assert [c.participant.full_name for c in overdue] == ["Agus Prasetyo"] and overdue[0].age > 5


def test_an_officer_of_another_branch_gets_404_for_the_claim_page_and_sees_an_empty_queue(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("console:claim", args=[_claim("submitted").number])).status_code == 404
    assert client.get(reverse("console:claims_queue"), {"branch": "madiun"}).status_code == 404


def test_participants_and_anonymous_users_cannot_open_the_console(client, participant):
    url = reverse("console:claims_queue")
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(participant)
    assert client.get(url).status_code == 404


def test_an_officer_verifies_and_a_supervisor_approves_from_the_claim_page(client, cso, supervisor):
    claim = _claim("submitted")
    client.force_login(cso)
    url = reverse("console:claim_decide", args=[claim.number])
    client.post(url, {"decision": "start", "seen_status": "submitted"})
    client.post(url, {"decision": "verify", "seen_status": "in_verification"})
    response = client.post(url, {"decision": "approve", "seen_status": "verified"})
    assert response.status_code == 403 and "harus disetujui oleh petugas lain" in response.context["error"]
    client.force_login(supervisor)
    response = client.post(url, {"decision": "approve", "seen_status": "verified"})
    assert response.status_code == 409 and "alasan tertulis" in response.context["error"]  # no documents
    failing = claim.findings.filter(level="fail").values_list("code", flat=True)
    overrides = {f"override_{code}": "Berkas asli diperiksa di loket" for code in failing}
    client.post(url, {"decision": "approve", "seen_status": "verified", **overrides})
    assert Claim.objects.get(pk=claim.pk).status == "approved"


def test_returning_a_claim_requires_a_reason(client, cso):
    claim = _claim("in_verification")
    client.force_login(cso)
    response = client.post(
        reverse("console:claim_decide", args=[claim.number]),
        {"decision": "return", "seen_status": "in_verification", "note": " "},
    )
    assert response.status_code == 400 and Claim.objects.get(pk=claim.pk).status == "in_verification"


def test_a_decision_on_a_stale_page_loses_with_a_clear_message(client, cso):
    claim = _claim("in_verification")
    actions.verify_claim(claim, by=cso)
    client.force_login(cso)
    response = client.post(
        reverse("console:claim_decide", args=[claim.number]),
        {"decision": "return", "seen_status": "in_verification", "note": "KK buram"},
    )
    assert response.status_code == 409 and "baru saja diubah" in response.context["error"]


def test_large_claims_wait_for_a_supervisor_and_show_on_the_supervisor_page(client, supervisor, cso):
    client.force_login(cso)
    verified = _claim("verified")  # Rp62,3 juta, verified by the CSO
    response = client.post(
        reverse("console:claim_decide", args=[verified.number]),
        {"decision": "approve", "seen_status": "verified"},
    )
    assert response.status_code == 403
    client.force_login(supervisor)
    page = client.get(reverse("console:claims_supervisor"))
    assert verified in list(page.context["waiting"])
    late = {row["number"]: row["state"] for row in page.context["sla_rows"]}
    assert late[_claim("submitted").number] == "breached"  # Agus: 7 working days against JHT's 5
    assert any(r["actor__username"] == "cso" for r in page.context["by_officer"])


def test_a_cso_does_not_see_the_supervisor_page(client, cso):
    client.force_login(cso)
    assert client.get(reverse("console:claims_supervisor")).status_code == 404


def test_overdue_counts_working_days_skipping_weekends_and_holidays():
    import datetime as dt

    # Eid al-Fitr 2026 and its cuti bersama close the branch from 18 to 24 March.
    assert working_days_between(dt.date(2026, 3, 17), dt.date(2026, 3, 25)) == 1
    today = dt.date(2026, 11, 24)
    for back in range(30):
        submitted = today - dt.timedelta(days=back)
        assert (submitted < overdue_since(today)) == (working_days_between(submitted, today) > 5)


@pytest.mark.postgres
def test_two_officers_deciding_at_once_only_one_wins(demo_world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL")
    from lapakasik.accounts.models import User
    from lapakasik.lib.errors import DomainError

    number = Claim.objects.get(participant__nik="3521104311850006").number
    officers = [User.objects.get(username="cso"), User.objects.get(username="supervisor")]
    barrier, outcomes = threading.Barrier(2), []

    def decide(officer, decision):
        try:
            claim = Claim.objects.get(number=number)
            barrier.wait()
            if decision == "verify":
                actions.verify_claim(claim, by=officer)
            else:
                actions.reject_claim(claim, by=officer, code="not_eligible", note="Masa kerja tidak cocok")
            outcomes.append("won")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(o, d))
        for o, d in zip(officers, ["verify", "reject"], strict=True)
    ]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(outcomes) == ["changed_meanwhile", "won"]
    claim = Claim.objects.get(number=number)
    assert claim.status in {"verified", "rejected"}
    assert claim.events.filter(action__in=["verified", "rejected"]).count() == 1


def test_a_work_accident_claim_opens_with_its_checklist_and_findings(client, cso):
    """JKK amounts come from the accident report, not the registry: the page says so instead of failing."""
    from lapakasik.claims.checks import compute_findings, recompute_findings_for

    claim = Claim.objects.filter(branch__code="madiun", program="JKK").first()
    client.force_login(cso)
    page = client.get(reverse("console:claim", args=[claim.number]))
    assert page.status_code == 200
    assessment = page.context["assessment"]
    assert "laporan kecelakaan" in assessment.problem
    assert [code for code, _label in assessment.documents][:4] == [
        "kpj_card",
        "ektp",
        "accident_report",
        "doctor_statement",
    ]
    findings = {f.code: f.level for f in compute_findings(claim)}
    assert findings["eligibility"] == "warn" and len(findings) == 9
    assert {f.code for f in recompute_findings_for([claim.pk])[claim.pk]} == set(findings)
