"""Service levels on the demo branch: the report command, escalation, the participant's tracking, the
supervisor's list. The demo's live claims are 7 (Agus, submitted), 2 (Dewi, in verification) and 3 (Hendra,
verified) working days old; Rina's claim waits for her documents."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from lapakasik.claims import actions
from lapakasik.claims.escalation import escalate_branch
from lapakasik.claims.models import Claim, ClaimEvent
from lapakasik.claims.sla import clock_for
from lapakasik.claims.tracking import WAITING_FOR
from lapakasik.demo.loader import LIVE_CLAIMS

pytestmark = pytest.mark.django_db


def live(name: str) -> Claim:
    nik = next(row[0] for row in LIVE_CLAIMS if row[2] == name)
    return Claim.objects.select_related("branch").get(participant__nik=nik, channel="offline")


def report(*args: str) -> str:
    out = io.StringIO()
    call_command("sla", "report", "--branch", "madiun", *args, stdout=out)
    return out.getvalue()


def test_the_report_prints_the_documented_json_with_broken_promises_first(madiun):
    printed = json.loads(report("--format", "json"))
    assert {"as_of", "claims", "summary"} <= set(printed)
    rows = {row["number"]: row for row in printed["claims"]}
    for row in printed["claims"]:
        assert set(row) == {"number", "program", "status", "due_on", "working_days_left", "state"}
        assert (row["due_on"] is None) == (row["state"] == "paused")
    assert rows[live("Agus Prasetyo").number]["state"] == "breached"
    assert rows[live("Agus Prasetyo").number]["working_days_left"] == -2
    assert rows[live("Hendra Gunawan").number]["state"] == "at_risk"
    assert rows[live("Dewi Lestari").number]["state"] == "on_track"
    assert rows[live("Rina Marlina").number]["state"] == "paused"
    order = [row["state"] for row in printed["claims"]]
    assert order == sorted(order, key=["breached", "at_risk", "on_track", "paused"].index)
    summary = printed["summary"]
    assert (
        summary["total"]
        == len(rows)
        == sum(summary[s] for s in ("on_track", "at_risk", "breached", "paused"))
    )


def test_the_report_as_csv_and_as_a_table_and_a_clear_error_for_an_unknown_branch(madiun):
    rows = list(csv.DictReader(io.StringIO(report("--format", "csv"))))
    assert rows and list(rows[0]) == ["number", "program", "status", "due_on", "working_days_left", "state"]
    assert "Melewati tenggat" in report()
    with pytest.raises(CommandError, match="tidak dikenal"):
        call_command("sla", "report", "--branch", "nowhere")


def test_the_days_a_claim_waits_for_its_participant_do_not_count(madiun, cso):
    claim = live("Dewi Lestari")
    due = clock_for(claim).due_on
    actions.return_for_documents(claim, by=cso, reason="Surat keterangan kerja belum ada.")
    paused = clock_for(Claim.objects.select_related("branch").get(pk=claim.pk))
    assert (paused.state, paused.due_on) == ("paused", None)
    claim.refresh_from_db()
    actions.submit_claim(claim, by=cso)  # handed back the same day: no working day paused
    assert clock_for(Claim.objects.select_related("branch").get(pk=claim.pk)).due_on == due


def test_escalation_writes_one_event_per_claim_and_state_and_mails_the_supervisors_once(
    madiun, supervisor, branch_head, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        escalated = escalate_branch(madiun)
    numbers = {e.number for e in escalated}
    assert {live("Agus Prasetyo").number, live("Hendra Gunawan").number} <= numbers
    assert live("Dewi Lestari").number not in numbers
    events = ClaimEvent.objects.filter(action="sla_escalated")
    assert events.count() == len(escalated)
    assert events.get(claim=live("Agus Prasetyo")).data["state"] == "breached"
    [message] = mail.outbox
    assert set(message.to) >= {u.email for u in (supervisor, branch_head) if u.email}
    assert live("Agus Prasetyo").number in message.body and "terlambat 2 hari kerja" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_branch(madiun) == []  # nothing new: no second event, no second e-mail
    assert len(mail.outbox) == 1 and events.count() == len(escalated)


def test_the_participant_sees_why_the_claim_waits_and_when_it_should_be_paid(client, participant):
    claim = actions.start_online_claim(
        by=participant, participant=participant.participant, program="JHT", reason="resign"
    )
    client.force_login(participant)
    draft = client.get(f"/api/claims/{claim.number}").json()["tracking"]
    assert (draft["waiting_for"], draft["expected_payment_on"], draft["sla_state"]) == (
        "not_submitted",
        None,
        None,
    )
    actions.submit_claim(claim, by=participant)
    page = client.get(reverse("claims_detail", args=[claim.number])).content.decode()
    assert 'data-testid="tracking"' in page and "Yang dapat Anda lakukan" in page
    assert "Perkiraan dibayar paling lambat" in page
    tracking = client.get(f"/api/claims/{claim.number}").json()["tracking"]
    clock = clock_for(Claim.objects.select_related("branch").get(pk=claim.pk))
    assert tracking == {
        "status": "submitted",
        "waiting_for": "video_session",  # online, not yet booked
        "waiting_reason": str(WAITING_FOR["video_session"]),
        "next_step": tracking["next_step"],
        "expected_payment_on": clock.due_on.isoformat(),
        "sla_state": "on_track",
        "late": False,
    }


def test_the_supervisor_sees_broken_and_at_risk_promises_first(client, supervisor, madiun):
    client.force_login(supervisor)
    page = client.get(reverse("console:claims_supervisor")).content.decode()
    table = page[page.index('data-testid="sla"') :]
    agus, hendra = live("Agus Prasetyo").number, live("Hendra Gunawan").number
    assert table.index(agus) < table.index(hendra)  # breached before at risk
    assert live("Dewi Lestari").number not in table[: table.index("</table>")]
