"""The portal's and the console's complaint pages: filing with attachments, the queue, the steps, the scope."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from lapakasik.claims.models import Status
from lapakasik.complaints import actions
from lapakasik.complaints.models import Complaint

from .conftest import claim_of, html_pretending_to_be_pdf, pdf_upload, stored_files


def _post_new(client, **fields):
    data = {
        "kind": "complaint",
        "category": "claim_delay",
        "text": "Klaim saya belum juga diproses.",
        **fields,
    }
    return client.post("/pengaduan/baru/", data)


def test_a_participant_files_from_the_portal(client, participant, django_capture_on_commit_callbacks):
    claim = claim_of(participant)
    client.force_login(participant)
    page = client.get("/pengaduan/baru/")
    assert page.status_code == 200 and f"claim:{claim.number}" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_new(client, about=f"claim:{claim.number}", attachments=[pdf_upload()])
    complaint = Complaint.objects.get(filed_by=participant)
    assert response.status_code == 302 and response.url == f"/pengaduan/{complaint.number}/"
    detail = client.get(response.url).content.decode()
    assert complaint.number in detail and "Pengaduan diajukan" in detail
    assert client.get("/pengaduan/").content.decode().count(complaint.number) >= 1
    attachment = complaint.attachments.get()
    served = client.get(f"/pengaduan/{complaint.number}/lampiran/{attachment.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert len(mail.outbox) == 1


def test_the_form_names_the_field_and_keeps_nothing(client, participant, settings):
    claim = claim_of(participant)
    client.force_login(participant)
    response = _post_new(client, about=f"claim:{claim.number}", attachments=[html_pretending_to_be_pdf()])
    assert response.status_code == 400 and "bukan gambar" in response.content.decode()
    response = _post_new(client, about=f"claim:{claim.number}", text="")
    assert response.status_code == 400
    response = _post_new(client, about=f"claim:{claim.number}", category="cuaca")
    assert response.status_code == 400
    assert not Complaint.objects.filter(filed_by=participant).exists() and stored_files(settings) == []


def test_someone_elses_claim_is_not_offered_nor_accepted(client, participant, heir):
    claim = claim_of(participant)
    client.force_login(heir)
    assert claim.number not in client.get("/pengaduan/baru/").content.decode()
    response = _post_new(client, about=f"claim:{claim.number}")
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_staff_use_the_console_not_the_portal_form(client, cso):
    client.force_login(cso)
    assert client.get("/pengaduan/baru/").status_code == 404


def _complaint(participant):
    return actions.file_complaint(
        by=participant, kind="complaint", category="claim_delay", subject="claim",
        claim=claim_of(participant), text="Klaim saya belum juga diproses.",
    )  # fmt: skip


def test_an_officer_works_it_from_the_console(client, cso, participant, django_capture_on_commit_callbacks):
    complaint = _complaint(participant)
    client.force_login(cso)
    queue = client.get("/console/pengaduan/").content.decode()
    assert complaint.number in queue
    page = client.get(f"/console/pengaduan/{complaint.number}/").content.decode()
    assert 'value="triage"' in page and 'value="escalate"' not in page
    url = f"/console/pengaduan/{complaint.number}/langkah/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"step": "triage", "seen_status": "filed"})
        client.post(url, {"step": "answer", "text": "Klaim Anda dibayar hari ini.", "seen_status": "triaged"})
        client.post(url, {"step": "close", "text": "Terjawab", "seen_status": "answered"})
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.answer == "Klaim Anda dibayar hari ini."
    assert len(mail.outbox) == 3  # triaged, answered, closed (filing was before the capture)


def test_a_refused_step_says_why(client, cso, participant):
    complaint = _complaint(participant)
    client.force_login(cso)
    response = client.post(
        f"/console/pengaduan/{complaint.number}/langkah/", {"step": "close", "text": ""}, follow=True
    )
    assert "wajib diisi" in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == "filed"


def test_another_branch_gets_404(client, outsider, participant):
    complaint = _complaint(participant)
    client.force_login(outsider)
    assert client.get(f"/console/pengaduan/{complaint.number}/").status_code == 404
    assert (
        client.post(f"/console/pengaduan/{complaint.number}/langkah/", {"step": "triage"}).status_code == 404
    )
    assert complaint.number not in client.get("/console/pengaduan/").content.decode()
    attachment_url = f"/pengaduan/{complaint.number}/lampiran/1/"
    assert client.get(attachment_url).status_code == 404


def test_a_step_without_the_csrf_token_is_refused(cso, participant):
    complaint = _complaint(participant)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cso)
    response = client.post(f"/console/pengaduan/{complaint.number}/langkah/", {"step": "triage"})
    assert response.status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).status == "filed"


def test_the_objection_page_offers_only_other_supervisors(
    client, cso, participant, supervisor, second_supervisor
):
    claim = claim_of(participant, status=Status.REJECTED, decided_by=supervisor)
    objection = actions.file_complaint(
        by=participant, kind="objection", category="claim_decision", subject="claim", claim=claim,
        text="Saya keberatan atas penolakan ini.",
    )  # fmt: skip
    client.force_login(cso)
    page = client.get(f"/console/pengaduan/{objection.number}/").content.decode()
    assert 'value="supervisor2"' in page and 'value="supervisor"' not in page
    client.post(
        f"/console/pengaduan/{objection.number}/langkah/", {"step": "escalate", "supervisor": "supervisor"}
    )
    assert Complaint.objects.get(pk=objection.pk).status == "filed"


def test_the_claim_page_leads_to_a_complaint_about_that_claim(client, participant):
    claim = claim_of(participant)
    client.force_login(participant)
    link = f"/pengaduan/baru/?about=claim:{claim.number}"
    assert link in client.get(f"/klaim/{claim.number}/").content.decode()
    assert f'<option value="claim:{claim.number}" selected>' in client.get(link).content.decode()
