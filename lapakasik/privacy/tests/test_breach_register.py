"""The breach register: recording starts the 3 × 24-hour clock; the console lists time left and notices."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from lapakasik.lib.errors import DomainError
from lapakasik.privacy import actions
from lapakasik.privacy.models import Incident, IncidentStatus, PrivacyAction, PrivacyEvent
from lapakasik.privacy.queries import clocks


def _record(by, madiun, **extra):
    values = {"title": "Laptop hilang", "description": "Berisi daftar klaim", "affected_count": 120}
    return actions.record_incident(by=by, branch=madiun, **{**values, **extra})


def test_recording_starts_the_72_hour_clock(branch_head, madiun):
    incident = _record(branch_head, madiun)
    assert incident.notify_by - incident.aware_at == dt.timedelta(hours=72)
    assert PrivacyEvent.objects.get(incident=incident).action == PrivacyAction.INCIDENT_RECORDED
    with time_machine.travel(timezone.now() + dt.timedelta(hours=73)):
        [clock] = clocks([incident])
    assert clock.state == "overdue" and clock.hours_left < 0


def test_only_the_branch_head_or_an_admin_records_and_only_their_branch(cso, branch_head, madiun):
    from lapakasik.registry.models import Branch

    with pytest.raises(DomainError):
        _record(cso, madiun)
    with pytest.raises(DomainError):
        _record(branch_head, Branch.objects.exclude(pk=madiun.pk).first())
    with pytest.raises(DomainError):
        _record(branch_head, madiun, aware_at=timezone.now() + dt.timedelta(hours=1))


def test_an_incident_closes_only_after_both_notices(branch_head, madiun):
    incident = _record(branch_head, madiun)
    with pytest.raises(DomainError):
        actions.close_incident(incident, by=branch_head, note="selesai")
    actions.notify_incident(incident, by=branch_head, whom="authority")
    with pytest.raises(DomainError):
        actions.notify_incident(incident, by=branch_head, whom="authority")
    actions.notify_incident(incident, by=branch_head, whom="subjects")
    closed = actions.close_incident(incident, by=branch_head, note="selesai")
    assert closed.status == IncidentStatus.CLOSED
    assert [e.action for e in PrivacyEvent.objects.filter(incident=incident)] == [
        "incident_recorded", "authority_notified", "subjects_notified", "incident_closed",
    ]  # fmt: skip


def test_the_console_page_records_and_lists_with_time_left_and_notice_state(client, branch_head, madiun):
    client.force_login(branch_head)
    response = client.post(
        reverse("console:privacy_incidents"),
        {"title": "Surel salah kirim", "description": "Daftar 40 peserta", "affected_count": "40"},
    )
    assert response.status_code == 302
    incident = Incident.objects.get(title="Surel salah kirim")
    client.post(reverse("console:privacy_incident_step", args=[incident.pk]), {"step": "authority"})
    page = client.get(reverse("console:privacy_incidents")).text
    assert "Surel salah kirim" in page and "40" in page and "jam lagi" in page and "belum" in page
    incident.refresh_from_db()
    assert incident.authority_notified_at is not None and incident.subjects_notified_at is None


def test_a_bad_incident_form_says_what_is_wrong(client, branch_head):
    client.force_login(branch_head)
    response = client.post(reverse("console:privacy_incidents"), {"title": "", "affected_count": "-1"})
    assert response.status_code == 400
    assert not Incident.objects.exists()


def test_other_staff_and_other_branches_do_not_see_the_register(client, cso, outsider, branch_head, madiun):
    incident = _record(branch_head, madiun)
    client.force_login(cso)
    assert client.get(reverse("console:privacy_incidents")).status_code == 404
    client.force_login(outsider)
    assert (
        client.post(
            reverse("console:privacy_incident_step", args=[incident.pk]), {"step": "subjects"}
        ).status_code
        == 404
    )


def test_the_console_lists_corrections_and_staff_check_them(client, participant, cso):
    from .conftest import claim_with_documents

    claim_with_documents(participant.participant, by=participant, documents=0)  # a claim at Madiun
    request = actions.request_correction(participant.participant, by=participant, text="Tanggal lahir salah")
    client.force_login(cso)
    page = client.get(reverse("console:privacy_requests")).text
    assert "Tanggal lahir salah" in page
    client.post(
        reverse("console:privacy_request_step", args=[request.pk]), {"step": "check", "note": "Cek KK"}
    )
    request.refresh_from_db()
    assert request.status == "checked" and request.checked_by == cso


def test_staff_record_a_consent_given_at_the_counter(client, cso, participant):
    client.force_login(cso)
    nik = participant.participant.nik
    form = {"nik": nik, "purpose": "sms", "how": "counter", "give": "1"}
    assert client.post(reverse("console:privacy_counter_consent"), form).status_code == 302
    consent = participant.participant.consents.get(purpose="sms", withdrawn_at=None)
    assert consent.given_how == "counter" and consent.given_by == cso
    unknown = client.post(reverse("console:privacy_counter_consent"), {**form, "nik": "3519084507880099"})
    assert unknown.status_code == 400 and "Tidak ada peserta" in unknown.text
