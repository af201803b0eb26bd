"""A bank result file is applied by the worker, line by line (issue 18 finding 13).

The request checks and stores the file and queues it; the job applies each line in its own short
transaction that also moves the import's ``lines_done`` on by one, so a job killed mid-file resumes
at the first line not committed, and no line is ever applied twice — not by a rerun, not by a second
worker beside the first.
"""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapakasik.claims.models import Claim, ClaimEvent
from lapakasik.payments import actions, bankfiles
from lapakasik.payments.models import BankResultImport, Payment, PaymentBatch, ResultIssue

from .conftest import result_csv

BANK_DAY = "2026-11-26"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sent(approved_claim, sent_batch):
    """sent(n) → the n payments of one sent batch."""

    def make(n: int) -> list[Payment]:
        for _ in range(n):
            approved_claim(gross=10_000_000)
        return list(sent_batch().payments.order_by("id"))

    return make


def _queue(madiun, finance, content, name="hasil.csv") -> BankResultImport:
    return actions.import_bank_result(madiun, content=content, file_name=name, file_format="csv", by=finance)


def _paid_events(payments) -> int:
    return ClaimEvent.objects.filter(claim_id__in=[p.claim_id for p in payments], action="paid").count()


def test_the_upload_stores_the_checked_file_and_queues_it_without_applying_a_line(
    sent, madiun, finance, django_capture_on_commit_callbacks
):
    (payment,) = sent(1)
    with django_capture_on_commit_callbacks(execute=True):
        queued = _queue(madiun, finance, result_csv((payment.reference, "paid", payment.net, BANK_DAY)))
    assert (queued.status, queued.lines_done, queued.line_count) == ("queued", 0, 1)
    assert default_storage.exists(queued.file.name) and "hasil" not in queued.file.name.rsplit("/", 1)[-1]
    assert Payment.objects.get(pk=payment.pk).status == "sent"
    task = DBTaskResult.objects.get(task_path__endswith="apply_result_task")
    assert (task.status, task.args_kwargs["args"]) == ("READY", [queued.pk])


def test_a_3000_line_file_is_applied_by_the_job(sent, madiun, finance):
    payments = sent(2990)
    rows = [(p.reference, "paid", p.net, BANK_DAY) for p in payments[:-1]]
    rows.append((payments[-1].reference, "failed", 0, BANK_DAY, "AC04", "Rekening ditutup"))
    rows += [(payments[0].reference, "paid", payments[0].net, BANK_DAY)] * 5  # duplicates
    rows += [(f"LA{n:010d}", "paid", 1_000, BANK_DAY) for n in range(5)]  # unknown
    assert len(rows) == 3000
    queued = _queue(madiun, finance, result_csv(*rows))
    done = actions.run_result_import(queued.pk)
    assert (done.status, done.lines_done, done.line_count) == ("done", 3000, 3000)
    assert (done.paid_count, done.failed_count, done.flagged_count) == (2989, 1, 10)
    assert _paid_events(payments) == 2989
    assert set(done.issues.values_list("kind", flat=True)) == {"duplicate", "unknown"}
    assert PaymentBatch.objects.get(pk=payments[0].batch_id).status == "reconciled"
    assert actions.run_result_import(queued.pk).paid_count == 2989  # a second run changes nothing


@pytest.fixture
def killed_on_line(monkeypatch):
    """killed_on_line(k): the worker dies (kill -9) while applying the k-th line that changes a payment."""

    def arm(k: int) -> None:
        real, calls = actions._apply, {"n": 0}

        def dies(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == k:
                raise SystemExit("kill -9")
            return real(*args, **kwargs)

        monkeypatch.setattr(actions, "_apply", dies)

    return arm


def test_a_job_killed_mid_file_is_resumed_by_the_sweep_and_applies_each_line_once(
    sent, madiun, finance, killed_on_line, monkeypatch, django_capture_on_commit_callbacks
):
    payments = sent(6)
    rows = [(p.reference, "paid", p.net, BANK_DAY) for p in payments]
    queued = _queue(madiun, finance, result_csv(*rows, ("LA0000000000", "paid", 1, BANK_DAY)))
    killed_on_line(4)
    with pytest.raises(SystemExit):
        actions.run_result_import(queued.pk)
    monkeypatch.undo()
    stopped = BankResultImport.objects.get(pk=queued.pk)
    assert (stopped.status, stopped.lines_done, stopped.paid_count) == ("applying", 3, 3)
    assert Payment.objects.get(pk=payments[3].pk).status == "sent"  # the line being applied rolled back

    assert actions.resume_stalled_imports() == []  # the lease is fresh: the worker may only be slow
    BankResultImport.objects.filter(pk=queued.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.resume_stalled_imports() == [queued.pk]
        assert actions.resume_stalled_imports() == []  # taken over once
    assert DBTaskResult.objects.filter(task_path__endswith="apply_result_task", status="READY").count() == 1

    done = actions.run_result_import(queued.pk)  # what the worker runs for the queued task
    assert (done.status, done.lines_done, done.paid_count, done.flagged_count) == ("done", 7, 6, 1)
    assert _paid_events(payments) == 6
    assert all(Claim.objects.get(pk=p.claim_id).status == "paid" for p in payments)


def test_a_second_worker_on_the_same_import_applies_no_line_twice(sent, madiun, finance):
    payments = sent(2)
    queued = _queue(madiun, finance, result_csv(*[(p.reference, "paid", p.net, BANK_DAY) for p in payments]))
    lines = bankfiles.parse_result(queued.file.read(), "csv").lines
    first_line_of = {line.reference: i for i, line in reversed(list(enumerate(lines)))}
    actions.run_result_import(queued.pk)
    # A second run that read lines_done = 0 before the first one committed line 0:
    late = BankResultImport.objects.get(pk=queued.pk)
    assert actions._apply_one(late, lines[0], 0, first_line_of) is False
    assert _paid_events(payments) == 2 and not ResultIssue.objects.exists()


def test_the_result_page_shows_the_worker_s_progress(
    client, sent, madiun, finance, killed_on_line, monkeypatch
):
    payments = sent(2)
    queued = _queue(madiun, finance, result_csv(*[(p.reference, "paid", p.net, BANK_DAY) for p in payments]))
    client.force_login(finance)
    page = client.get(reverse("console:payments:result", args=[queued.pk])).content.decode()
    assert "Menunggu giliran" in page and "0 / 2" in page and "hx-get" in page
    killed_on_line(2)
    with pytest.raises(SystemExit):
        actions.run_result_import(queued.pk)
    monkeypatch.undo()
    progress = client.get(reverse("console:payments:result_progress", args=[queued.pk]))
    assert "Sedang diterapkan" in progress.content.decode() and "50% · 1 / 2" in progress.content.decode()
    assert "HX-Refresh" not in progress and b"worker-stopped" not in progress.content
    BankResultImport.objects.filter(pk=queued.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(minutes=5)
    )
    progress = client.get(reverse("console:payments:result_progress", args=[queued.pk]))
    assert b'data-testid="worker-stopped"' in progress.content  # no worker renewed the lease: say so
    home = client.get(reverse("console:payments:home")).content.decode()
    assert "Sedang diterapkan (50%)" in home
    actions.run_result_import(queued.pk)
    progress = client.get(reverse("console:payments:result_progress", args=[queued.pk]))
    assert progress["HX-Refresh"] == "true" and "2 / 2" in progress.content.decode()
    page = client.get(reverse("console:payments:result", args=[queued.pk])).content.decode()
    assert "2 dibayar, 0 gagal, 0 ditandai" in page and "hx-get" not in page
