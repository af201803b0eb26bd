import pytest

from lapakasik.api.api import api
from lapakasik.claims import actions
from lapakasik.claims.models import Claim
from lapakasik.claims.tests.helpers import jpeg


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_participant_starts_uploads_and_sees_only_her_own_claims(client, participant, heir):
    client.force_login(participant)
    started = client.post(
        "/api/claims/", {"program": "JHT", "reason": "resign"}, content_type="application/json"
    )
    assert started.status_code == 201, started.content
    number = started.json()["number"]
    uploaded = client.post(f"/api/claims/{number}/documents", {"kind": "ektp", "file": jpeg()})
    assert uploaded.status_code == 201 and len(uploaded.json()["sha256"]) == 64
    hostile = client.post(f"/api/claims/{number}/documents", {"kind": "ektp", "file": jpeg("x.exe")})
    assert hostile.status_code == 400 and hostile.json()["code"] == "file_type"
    incomplete = client.post(f"/api/claims/{number}/submit")
    assert incomplete.status_code == 400 and incomplete.json()["code"] == "documents_incomplete"
    client.force_login(heir)
    assert client.get(f"/api/claims/{number}").status_code == 404
    assert client.get("/api/claims/").json() == []


def test_an_officer_decides_through_the_api_and_another_branch_gets_404(client, cso, outsider):
    number = Claim.objects.get(participant__nik="3521104311850006").number
    client.force_login(outsider)
    assert client.get(f"/api/staff/claims/{number}").status_code == 404
    client.force_login(cso)
    assert number in [c["number"] for c in client.get("/api/staff/claims/").json()]
    refused = client.post(
        f"/api/staff/claims/{number}/decision",
        {"decision": "return", "note": ""},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    done = client.post(
        f"/api/staff/claims/{number}/decision",
        {"decision": "verify", "seen_status": "in_verification"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "verified"
    stale = client.post(
        f"/api/staff/claims/{number}/decision",
        {"decision": "return", "note": "x", "seen_status": "in_verification"},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["code"] == "changed_meanwhile"


def test_participants_cannot_use_staff_endpoints_and_anonymous_callers_get_401(client, participant):
    assert client.get("/api/claims/").status_code == 401
    client.force_login(participant)
    assert client.get("/api/staff/claims/").status_code == 404


def test_every_claims_endpoint_declares_its_errors_in_openapi():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        if not path.startswith(("/api/claims", "/api/staff/claims")):
            continue
        for operation in operations.values():
            assert {400, 401, 403, 404, 409, 422} <= {int(code) for code in operation["responses"]}, path


def test_the_participant_sees_the_status_after_a_decision(client, participant, cso, madiun):
    from lapakasik.registry.models import ServiceArea

    claim = actions.start_claim(
        participant=participant.participant,
        program="JHT",
        reason="resign",
        channel="online",
        by=participant,
        branch=madiun,
        area=ServiceArea.objects.get(branch=madiun, name="Madiun"),
    )
    actions.submit_claim(claim, by=participant)
    actions.start_verification(claim, by=cso)
    client.force_login(participant)
    body = client.get(f"/api/claims/{claim.number}").json()
    assert (
        body["status"] == "in_verification"
        and [e["action"] for e in body["events"]][-1] == "verification_started"
    )


def test_the_staff_queue_pages_searches_and_says_its_total(client, cso):
    """The API's queue is the console's: search across statuses, a total, pages linked; never cut silently."""
    client.force_login(cso)
    total = Claim.objects.filter(branch=cso.branch).count()
    assert total >= 3

    first = client.get("/api/staff/claims/", {"status": "all", "page_size": 2})
    assert first.status_code == 200 and len(first.json()) == 2
    assert first["X-Total-Count"] == str(total)
    assert 'rel="next"' in first["Link"] and "page=2" in first["Link"]

    second = client.get("/api/staff/claims/", {"status": "all", "page_size": 2, "page": 2})
    assert {c["number"] for c in second.json()}.isdisjoint(c["number"] for c in first.json())
    assert 'rel="prev"' in second["Link"]

    number = first.json()[0]["number"]
    found = client.get("/api/staff/claims/", {"q": number})
    assert [c["number"] for c in found.json()] == [number] and found["X-Total-Count"] == "1"


def test_the_staff_queue_names_a_bad_parameter(client, cso):
    client.force_login(cso)
    for query, field in (
        ({"sort": "salary"}, "sort"),
        ({"page_size": 1000}, "page_size"),
        ({"area": "x"}, "area"),
    ):
        answer = client.get("/api/staff/claims/", query)
        assert answer.status_code in (400, 422) and answer.json()["field"] == field, (query, answer.json())


def test_jkp_is_started_through_the_api_for_a_phk_and_refused_after_a_resignation(client, participant):
    from lapakasik.accounts.models import User
    from lapakasik.demo.loader import DEMO_JKP_NIK
    from lapakasik.registry.models import Participant

    client.force_login(User.objects.create_user(
        username="joko", password="x", role="participant", participant=Participant.objects.get(nik=DEMO_JKP_NIK)
    ))  # fmt: skip
    started = client.post(
        "/api/claims/", {"program": "JKP", "reason": "phk"}, content_type="application/json"
    )
    assert started.status_code == 201, started.content
    assert Claim.objects.get(number=started.json()["number"]).program == "JKP"
    client.force_login(participant)  # Sri Wahyuni resigned: JKP is only for a PHK
    refused = client.post(
        "/api/claims/", {"program": "JKP", "reason": "phk"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "PHK" in refused.content.decode()
