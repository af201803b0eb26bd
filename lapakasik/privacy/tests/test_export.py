"""A participant's copy of their data: the command staff run and the portal download."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from lapakasik.privacy import actions
from lapakasik.privacy.models import PrivacyAction, PrivacyEvent
from lapakasik.security.models import DownloadKind, DownloadRecord

from .conftest import claim_with_documents

KEYS = {"participant", "claims", "bookings", "payments", "consents", "events"}


def _open(path) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(path)
    return json.loads(archive.read("data.json")), archive


def test_the_export_command_writes_data_json_with_the_exact_keys_and_the_documents(participant, tmp_path):
    person = participant.participant
    claim = claim_with_documents(person, by=participant, documents=2)
    actions.give_consent(person, "whatsapp", by=participant, how="portal")
    out = tmp_path / "sri.zip"

    call_command("privacy", "export", "--nik", person.nik, "--out", str(out), stdout=io.StringIO())

    data, archive = _open(out)
    assert set(data) >= KEYS
    assert data["participant"]["nik"] == person.nik
    exported = next(c for c in data["claims"] if c["number"] == claim.number)
    assert len(exported["documents"]) == 2
    for document, stored in zip(exported["documents"], claim.documents.order_by("pk"), strict=True):
        assert archive.read(document["file"]) == stored.file.open("rb").read()
    assert [c["purpose"] for c in data["consents"]] == ["whatsapp"]
    assert any(e["action"] == "consent_given" for e in data["events"])
    assert all("actor_id" not in e for e in data["events"])  # staff appear by role only


def test_every_export_is_recorded(participant, tmp_path):
    person = participant.participant
    call_command(
        "privacy", "export", "--nik", person.nik, "--out", str(tmp_path / "a.zip"), stdout=io.StringIO()
    )
    record = DownloadRecord.objects.get(kind=DownloadKind.PRIVACY_EXPORT)
    assert record.actor is None and record.identifiers and person.nik not in record.subject
    assert PrivacyEvent.objects.filter(participant=person, action=PrivacyAction.DATA_EXPORTED).count() == 1


def test_the_download_record_page_says_the_command_line_took_it(client, participant, tmp_path):
    from lapakasik.accounts.models import User

    person = participant.participant
    call_command(
        "privacy", "export", "--nik", person.nik, "--out", str(tmp_path / "a.zip"), stdout=io.StringIO()
    )
    client.force_login(User.objects.get(username="admin"))
    page = client.get(reverse("console:downloads")).text
    assert "baris perintah" in page and "Salinan data pribadi" in page


def test_staff_can_name_themselves_on_the_record(participant, cso, tmp_path):
    out = tmp_path / "a.zip"
    call_command(
        "privacy", "export", "--nik", participant.participant.nik, "--out", str(out), "--by", "cso",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert DownloadRecord.objects.get(kind=DownloadKind.PRIVACY_EXPORT).actor == cso


@pytest.mark.parametrize("nik", ["3519999999999999", "12345", "35190845O7880003"])
def test_an_unknown_or_malformed_nik_exits_2_and_writes_nothing(db, tmp_path, nik):
    out = tmp_path / "x.zip"
    with pytest.raises(CommandError) as refused:
        call_command("privacy", "export", "--nik", nik, "--out", str(out))
    assert refused.value.returncode == 2
    assert list(tmp_path.iterdir()) == []
    assert not DownloadRecord.objects.filter(kind=DownloadKind.PRIVACY_EXPORT).exists()


def test_the_command_exits_2_through_python_m(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "x.zip"
    done = subprocess.run(
        [sys.executable, "-m", "lapakasik", "privacy", "export", "--nik", "12", "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and "NIK" in done.stderr and not out.exists()


def test_a_participant_downloads_their_own_data_from_the_account_page(client, participant):
    person = participant.participant
    claim = claim_with_documents(person, by=participant, documents=1)
    client.force_login(participant)
    response = client.post(reverse("privacy_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data, archive = _open(io.BytesIO(b"".join(response.streaming_content)))
    assert set(data) >= KEYS
    path = next(c for c in data["claims"] if c["number"] == claim.number)["documents"][0]["file"]
    assert archive.read(path)
    assert DownloadRecord.objects.get(kind=DownloadKind.PRIVACY_EXPORT).actor == participant


def test_staff_have_no_self_export_and_anonymous_users_log_in(client, cso):
    assert client.post(reverse("privacy_export")).status_code == 302
    client.force_login(cso)
    assert client.post(reverse("privacy_export")).status_code == 404


def test_an_heirs_account_does_not_reach_the_deceased_participants_data_page(client, heir):
    assert heir.participant_id is not None  # linked to the deceased whose benefits the heir claims
    client.force_login(heir)
    assert client.get(reverse("privacy_home")).status_code == 404
    assert client.post(reverse("privacy_export")).status_code == 404


def test_the_export_lists_the_messages_sent_to_the_person(participant, tmp_path):
    from django.db import transaction

    from lapakasik.notify.outbox import enqueue

    person = participant.participant
    with transaction.atomic():
        enqueue(
            channel="email", to="sri@example.com", template="claims.status", context={"number": "X"},
            key="export-test", participant=person,
        )  # fmt: skip
    out = tmp_path / "sri.zip"
    call_command("privacy", "export", "--nik", person.nik, "--out", str(out), stdout=io.StringIO())
    data, _archive = _open(out)
    assert [(m["channel"], m["to"], m["template"]) for m in data["messages"]] == [
        ("email", "sri@example.com", "claims.status")
    ]
