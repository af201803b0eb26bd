"""One path per state: batches and payments move only through payments/lifecycle.py's writers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lapakasik.lib.errors import DomainError
from lapakasik.lib.lifecycle import CHANGED_MEANWHILE
from lapakasik.payments import actions
from lapakasik.payments.lifecycle import BATCH, PAYMENT, PaymentAction, move_batches
from lapakasik.payments.models import BatchStatus, Payment, PaymentBatch, PaymentEvent

from .conftest import WEDNESDAY_MORNING, result_csv

PACKAGE = Path(__file__).resolve().parents[2]


@pytest.fixture
def batch(approved_claim, madiun, finance):
    approved_claim(gross=68_450_000)
    approved_claim(gross=20_000_000)
    return actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)


def test_the_writer_itself_refuses_the_maker_as_checker(batch, finance):
    with pytest.raises(DomainError) as refused:
        move_batches([batch], "approve", by=finance)
    assert refused.value.code == "four_eyes"
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.PREPARED


def test_a_batch_is_not_cancelled_without_a_written_reason_even_by_the_writer(batch, checker):
    with pytest.raises(DomainError) as refused:
        move_batches([batch], "cancel", by=checker, note="  ")
    assert refused.value.code == "reason_required"


def test_a_stale_page_cannot_send_a_batch_someone_else_just_sent(batch, checker, finance):
    actions.approve_batch(batch, by=checker)
    stale = PaymentBatch.objects.get(pk=batch.pk)
    actions.mark_batch_sent(batch, by=finance)
    assert stale.status == BatchStatus.APPROVED
    with pytest.raises(DomainError) as refused:
        actions.mark_batch_sent(stale, by=finance)
    assert refused.value.code == CHANGED_MEANWHILE


def test_a_whole_payment_run_records_each_move_with_from_and_to(batch, checker, finance, madiun):
    actions.approve_batch(batch, by=checker)
    actions.mark_batch_sent(batch, by=finance)
    first, second = Payment.objects.filter(batch=batch).order_by("pk")
    queued = actions.import_bank_result(
        madiun,
        content=result_csv(
            (first.reference, "paid", first.net, "2026-11-26"),
            (second.reference, "failed", second.net, "2026-11-26", "AC01", "Rekening ditutup"),
        ),
        file_name="hasil.csv",
        file_format="csv",
        by=finance,
    )
    actions.run_result_import(queued.pk)
    batch_story = list(
        PaymentEvent.objects.filter(batch=batch, payment__isnull=True)
        .exclude(action__in=["batch_opened", "lines_added"])
        .values_list("action", "from_status", "to_status")
    )
    assert batch_story == [
        ("approved", "prepared", "approved"),
        ("sent", "approved", "sent"),
        ("reconciled", "sent", "reconciled"),
    ]
    failed = PaymentEvent.objects.get(payment=second, action="failed")
    assert (failed.from_status, failed.to_status, failed.note) == ("sent", "failed", "Rekening ditutup")
    assert set(PaymentEvent.objects.values_list("action", flat=True)) <= set(PaymentAction.values)


def test_the_tables_cover_every_status():
    for lifecycle in (BATCH, PAYMENT):
        reached = {m.to for m in lifecycle.moves} | {s for m in lifecycle.moves for s in m.sources}
        assert reached == set(lifecycle.statuses.values), lifecycle.model
    assert BATCH.move("approve").four_eyes


PAYMENT_STATUS = re.compile(r"\b(BatchStatus|PaymentStatus)\.|PaymentBatch|Payment\.objects|\.payments\b")
STATUS_WRITE = re.compile(r"(\.update\([^)]*\bstatus=|bulk_update\([^)]*[\"']status[\"']|\.status\s*=[^=])")


def test_no_batch_or_payment_status_is_written_outside_its_lifecycle_module():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative == "payments/lifecycle.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "payments" not in relative and not PAYMENT_STATUS.search(text):
            continue
        for match in STATUS_WRITE.finditer(text):
            line_start = text.rfind("\n", 0, match.start()) + 1
            statement = text[line_start : text.find("\n", match.end())]
            if "Claim." in statement or "claim" in statement.split(".update")[0].lower():
                continue  # the claim's move is the claims app's writer's
            offenders.append(f"{relative}:{text[: match.start()].count(chr(10)) + 1}: {statement.strip()}")
    assert offenders == []
