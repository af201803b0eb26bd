"""The complaints API: filing with attachments, the person's own list, staff steps, scope and documented errors."""

from __future__ import annotations

from lapakasik.api.api import api
from lapakasik.claims.models import Status
from lapakasik.complaints.models import Complaint

from .conftest import claim_of, html_pretending_to_be_pdf, pdf_upload, stored_files


def _file(client, **fields):
    data = {
        "kind": "complaint",
        "category": "claim_delay",
        "text": "Klaim saya belum juga diproses.",
        **fields,
    }
    return client.post("/api/complaints/", data)


def test_a_participant_files_and_reads_their_complaint(client, participant):
    claim = claim_of(participant)
    client.force_login(participant)
    response = _file(client, about=f"claim:{claim.number}", attachments=[pdf_upload(), pdf_upload("b.pdf")])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "filed" and body["claim_number"] == claim.number and body["resolution_days"] == 3
    assert [a["content_type"] for a in body["attachments"]] == ["application/pdf"] * 2
    assert [c["number"] for c in client.get("/api/complaints/").json()] == [body["number"]]
    detail = client.get(f"/api/complaints/{body['number']}").json()
    assert [e["action"] for e in detail["events"]] == ["filed", "attachment_added", "attachment_added"]


def test_bad_input_answers_the_documented_error(client, participant, settings):
    claim = claim_of(participant)
    client.force_login(participant)
    refused = _file(client, about=f"claim:{claim.number}", attachments=[html_pretending_to_be_pdf()])
    assert refused.status_code == 400 and refused.json()["field"] == "attachments"
    assert _file(client, about=f"claim:{claim.number}", category="cuaca").json()["field"] == "category"
    assert _file(client, about=f"claim:{claim.number}", text="").json()["field"] == "text"
    assert _file(client, about="claim:KLM-TIDAKADA").json()["code"] == "subject_not_found"
    assert not Complaint.objects.exists() and stored_files(settings) == []


def test_staff_work_it_through_the_api(client, cso, participant, supervisor, second_supervisor):
    claim = claim_of(participant, status=Status.REJECTED, decided_by=supervisor)
    client.force_login(participant)
    number = _file(client, kind="objection", category="claim_decision", about=f"claim:{claim.number}").json()[
        "number"
    ]
    client.force_login(cso)
    assert number in [c["number"] for c in client.get("/api/staff/complaints/").json()]
    url = f"/api/staff/complaints/{number}/steps"
    same = client.post(url, {"step": "escalate", "supervisor": "supervisor"}, content_type="application/json")
    assert same.status_code == 403 and same.json()["code"] == "same_person"
    moved = client.post(url, {"step": "escalate", "seen_status": "filed"}, content_type="application/json")
    assert moved.json()["status"] == "with_supervisor" and moved.json()["assigned_to"] == "supervisor2"
    stale = client.post(
        url, {"step": "close", "text": "Ganda", "seen_status": "filed"}, content_type="application/json"
    )
    assert stale.status_code == 409
    client.force_login(second_supervisor)
    decided = client.post(
        url, {"step": "reject", "text": "Keputusan sudah sesuai aturan."}, content_type="application/json"
    )
    assert decided.status_code == 200 and decided.json()["outcome"] == "rejected"


def test_scope_other_branch_and_other_people_get_404(client, participant, outsider, heir):
    claim = claim_of(participant)
    client.force_login(participant)
    number = _file(client, about=f"claim:{claim.number}").json()["number"]
    client.force_login(outsider)
    assert client.get(f"/api/staff/complaints/{number}").status_code == 404
    steps = client.post(
        f"/api/staff/complaints/{number}/steps", {"step": "triage"}, content_type="application/json"
    )
    assert steps.status_code == 404
    client.force_login(heir)
    assert client.get(f"/api/complaints/{number}").status_code == 404
    assert client.get("/api/staff/complaints/").status_code == 404


def test_anonymous_callers_get_401(client):
    assert client.get("/api/complaints/").status_code == 401


def test_every_complaints_endpoint_declares_its_errors_in_openapi():
    schema = api.get_openapi_schema()
    paths = [p for p in schema["paths"] if p.startswith(("/api/complaints", "/api/staff/complaints"))]
    assert len(paths) == 5
    for path in paths:
        for operation in schema["paths"][path].values():
            assert {400, 401, 403, 404, 409, 422, 429} <= {int(code) for code in operation["responses"]}, path
