"""One path per state: mandates, lists and rows move only through collective/lifecycle.py's writers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lapakasik.collective import actions
from lapakasik.collective.actions import approve_mandate, reject_mandate, run_submission
from lapakasik.collective.lifecycle import LIFECYCLES, CollectiveAction
from lapakasik.collective.models import (
    CollectiveEvent,
    ListStatus,
    Mandate,
    MandateStatus,
    MassList,
    RowStatus,
)
from lapakasik.lib.errors import DomainError
from lapakasik.lib.lifecycle import CHANGED_MEANWHILE

from .conftest import list_file
from .test_mandate import new_mandate

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2]


def _story(mass_list) -> list[tuple[str, str, str]]:
    events = CollectiveEvent.objects.filter(mass_list=mass_list).order_by("id")
    return [(e.action, e.from_status, e.to_status) for e in events]


def test_a_list_tells_its_whole_story_from_status_to_status(upload, submit, demo_rows, laid_off):
    mass_list = submit(upload([*demo_rows, laid_off(registered=False)]))
    assert mass_list.status == ListStatus.SUBMITTED
    assert _story(mass_list) == [
        ("list_uploaded", "", ""),
        ("list_validated", "received", "validated"),
        ("list_submitted", "validated", "submitting"),
        ("rows_claimed", "valid", "claimed"),
        ("list_claims_created", "submitting", "submitted"),
    ]
    claimed = CollectiveEvent.objects.get(mass_list=mass_list, action="rows_claimed")
    assert claimed.data == {"rows": 6, "lines": "2-7"}


def test_an_empty_list_is_rejected_with_an_event(employer_rep, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mass_list, _created = actions.upload_list(by=employer_rep, list_file=list_file([]))
    mass_list.refresh_from_db()
    assert mass_list.status == ListStatus.REJECTED
    assert _story(mass_list)[-1] == ("list_rejected", "received", "rejected")


def test_a_stopped_submission_records_the_move_back_and_the_rows_left(upload, submit, laid_off, supervisor):
    mass_list = upload([laid_off() for _ in range(3)])
    mandate = Mandate.objects.get(pk=mass_list.mandate_id)
    MassList.objects.filter(pk=mass_list.pk).update(status=ListStatus.SUBMITTING)
    actions.revoke_mandate(mandate, by=supervisor, note="Kuasa ditarik")
    mass_list = run_submission(mass_list.pk)
    assert mass_list.status == ListStatus.VALIDATED and mass_list.valid_rows == 3
    stopped = CollectiveEvent.objects.get(mass_list=mass_list, action="list_stopped")
    assert (stopped.from_status, stopped.to_status, stopped.data) == (
        "submitting",
        "validated",
        {"remaining": 3},
    )


def test_a_row_refused_at_submission_moves_with_an_event_naming_its_line(
    upload, submit, laid_off, monkeypatch
):
    rows = [laid_off(), laid_off()]
    mass_list = upload(rows)
    mass_list.rows.filter(line=3).update(reason="meninggal")  # no longer a JHT reason: refused at submission
    mass_list = submit(mass_list)
    assert list(mass_list.rows.order_by("line").values_list("status", flat=True)) == ["claimed", "invalid"]
    refused = CollectiveEvent.objects.get(mass_list=mass_list, action="rows_refused")
    assert (refused.from_status, refused.to_status, refused.data) == (
        "valid",
        "invalid",
        {"rows": 1, "lines": "3"},
    )


def test_a_decision_on_a_mandate_someone_else_just_decided_is_refused_as_changed_meanwhile(
    employer_rep, supervisor
):
    mandate = new_mandate(employer_rep)
    stale = Mandate.objects.get(pk=mandate.pk)
    approve_mandate(mandate, by=supervisor)
    with pytest.raises(DomainError) as refused:
        reject_mandate(stale, by=supervisor, note="Tanda tangan tidak sah")
    assert refused.value.code == CHANGED_MEANWHILE
    assert Mandate.objects.get(pk=mandate.pk).status == MandateStatus.APPROVED
    event = CollectiveEvent.objects.get(mandate=mandate, action="mandate_approved")
    assert (event.actor, event.from_status, event.to_status) == (supervisor, "pending", "approved")


def test_a_rejection_keeps_its_reason_in_the_audit_trail(employer_rep, supervisor):
    mandate = reject_mandate(new_mandate(employer_rep), by=supervisor, note="Tanda tangan direksi tidak ada")
    event = CollectiveEvent.objects.get(mandate=mandate, action="mandate_rejected")
    assert event.note == "Tanda tangan direksi tidak ada" and event.to_status == "rejected"


def test_every_recorded_action_is_named_once_in_collective_action(upload, submit, demo_rows):
    submit(upload(demo_rows))
    assert set(CollectiveEvent.objects.values_list("action", flat=True)) <= set(CollectiveAction.values)
    source = (PACKAGE / "collective").glob("*.py")
    literal = re.compile(r"""action=["']""")
    assert not [path.name for path in source if literal.search(path.read_text(encoding="utf-8"))]


def test_the_tables_know_every_status():
    for lifecycle in LIFECYCLES:
        reached = {move.to for move in lifecycle.moves} | {
            s for move in lifecycle.moves for s in move.sources
        }
        assert reached == set(lifecycle.statuses.values), lifecycle.model
    assert {RowStatus.VALID, RowStatus.INVALID} <= set(LIFECYCLES[2].statuses.values)


STATUS_WRITE = re.compile(
    r"(\.update\([^)]*\bstatus=|bulk_update\([^)]*[\"']status[\"']|\.status\s*=[^=])", re.DOTALL
)
COLLECTIVE_STATUS = re.compile(r"\b(ListStatus|MandateStatus|RowStatus)\.")


def test_no_status_of_a_collective_model_is_written_outside_its_lifecycle_module():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative == "collective/lifecycle.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "collective" not in relative and not COLLECTIVE_STATUS.search(text):
            continue
        for match in STATUS_WRITE.finditer(text):
            statement = text[match.start() : text.find("\n", match.end())]
            if "collective" in relative or COLLECTIVE_STATUS.search(statement):
                offenders.append(f"{relative}:{text[: match.start()].count(chr(10)) + 1}")
    assert offenders == []
