"""Two finance officers at once, on PostgreSQL (SQLite serialises writers, so it proves nothing)."""

import threading

import pytest
from django.db import connection, connections

from lapakasik.accounts.models import User
from lapakasik.lib.errors import DomainError
from lapakasik.payments import actions
from lapakasik.payments.models import Payment, PaymentBatch, PaymentEvent

from .conftest import WEDNESDAY_MORNING

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")


def _race(*jobs):
    """Run the jobs at the same instant, each in its own connection; return what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            outcomes[i] = job()
        except Exception as error:  # noqa: BLE001 — the outcome is what the test inspects
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_checkers_approving_one_batch_at_once_approve_it_once(
    demo_world, approved_claim, madiun, finance
):
    for gross in (68_450_000, 20_000_000, 5_000_000):
        approved_claim(gross=gross)
    batch = actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)
    checkers = [
        User.objects.get(username="keuangan2"),
        User.objects.create(username="keuangan3", role="finance", branch=madiun),
    ]
    jobs = [
        lambda user=user: actions.approve_batch(PaymentBatch.objects.get(pk=batch.pk), by=user)
        for user in checkers
    ]
    outcomes = _race(*jobs)
    winners = [o for o in outcomes if isinstance(o, PaymentBatch)]
    losers = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].code in {"changed_meanwhile", "transition_not_allowed"}
    batch.refresh_from_db()
    assert batch.status == "approved" and batch.approved_by == winners[0].approved_by
    assert PaymentEvent.objects.filter(batch=batch, payment__isnull=True, action="approved").count() == 1
    # One approval event per line of the batch (the demo's own approved claims may share the bank).
    lines = Payment.objects.filter(batch=batch).count()
    assert lines >= 3
    assert PaymentEvent.objects.filter(batch=batch, payment__isnull=False, action="approved").count() == lines


def test_two_makers_preparing_at_once_never_put_a_claim_in_two_payments(
    demo_world, approved_claim, madiun, finance
):
    claims = [approved_claim() for _ in range(5)]
    makers = [finance, User.objects.create(username="keuangan3", role="finance", branch=madiun)]
    jobs = [
        lambda user=user: actions.prepare_batch(madiun, "BRI", by=user, now=WEDNESDAY_MORNING)
        for user in makers
    ]
    outcomes = _race(*jobs)
    assert any(isinstance(o, PaymentBatch) for o in outcomes), outcomes
    assert all(isinstance(o, PaymentBatch | DomainError) for o in outcomes), outcomes
    for claim in claims:
        assert Payment.objects.filter(claim=claim).count() == 1


def _sent_payments(approved_claim, madiun, finance, n: int) -> list[Payment]:
    for _ in range(n):
        approved_claim(gross=10_000_000)
    batch = actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING)
    actions.approve_batch(batch, by=User.objects.get(username="keuangan2"))
    actions.mark_batch_sent(batch, by=finance)
    return list(Payment.objects.filter(batch=batch).order_by("id"))


def _queued_result(madiun, finance, payments):
    from .conftest import result_csv

    content = result_csv(*[(p.reference, "paid", p.net, "2026-11-26") for p in payments])
    return actions.import_bank_result(
        madiun, content=content, file_name="h.csv", file_format="csv", by=finance
    )


def test_the_result_job_holds_no_lock_on_the_lines_it_is_not_applying(
    demo_world, approved_claim, madiun, finance, monkeypatch, settings, tmp_path
):
    """Finding 13: the import held every payment of the file locked for the whole file."""
    settings.MEDIA_ROOT = tmp_path
    payments = _sent_payments(approved_claim, madiun, finance, 3)
    queued = _queued_result(madiun, finance, payments)
    real, seen = actions._apply, []

    def apply_after_looking(line, payment, by):
        if line.reference == payments[1].reference:  # the job is on the second line
            seen.extend(_race(lambda: _lock_now([payments[0].pk, payments[2].pk])))
        return real(line, payment, by)

    monkeypatch.setattr(actions, "_apply", apply_after_looking)
    actions.run_result_import(queued.pk)
    assert seen == [2], seen  # the line done and the line to come: both free for others meanwhile


def _lock_now(pks: list[int]) -> int:
    from django.db import transaction

    with transaction.atomic():
        return len(list(Payment.objects.select_for_update(nowait=True, of=("self",)).filter(pk__in=pks)))


def test_two_workers_on_one_result_import_apply_each_line_once(
    demo_world, approved_claim, madiun, finance, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    payments = _sent_payments(approved_claim, madiun, finance, 20)
    queued = _queued_result(madiun, finance, payments)
    _race(lambda: actions.run_result_import(queued.pk), lambda: actions.run_result_import(queued.pk))
    from lapakasik.claims.models import ClaimEvent
    from lapakasik.payments.models import BankResultImport

    done = BankResultImport.objects.get(pk=queued.pk)
    n = len(payments)  # the demo's ready claims of the bank join the batch too
    assert (done.status, done.lines_done, done.paid_count, done.flagged_count) == ("done", n, n, 0)
    claims = [p.claim_id for p in payments]
    assert ClaimEvent.objects.filter(claim_id__in=claims, action="paid").count() == n
