"""Two people deciding one mandate at once, on PostgreSQL (SQLite serialises writers, so it proves nothing)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from lapakasik.accounts.models import User
from lapakasik.collective.actions import approve_mandate, reject_mandate
from lapakasik.collective.models import CollectiveEvent, Mandate, MandateStatus
from lapakasik.lib.errors import DomainError
from lapakasik.lib.lifecycle import CHANGED_MEANWHILE

from .test_mandate import new_mandate

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")


def _race(*jobs):
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


def test_an_approval_and_a_rejection_at_once_decide_the_mandate_once(
    demo_world, employer_rep, supervisor, madiun
):
    mandate = new_mandate(employer_rep)
    head = User.objects.filter(role="branch_head", branch=madiun).first() or User.objects.create(
        username="kepala2", role="branch_head", branch=madiun
    )
    outcomes = _race(
        lambda: approve_mandate(Mandate.objects.get(pk=mandate.pk), by=supervisor),
        lambda: reject_mandate(Mandate.objects.get(pk=mandate.pk), by=head, note="Tanda tangan tidak sah"),
    )
    winners = [o for o in outcomes if isinstance(o, Mandate)]
    losers = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].code == CHANGED_MEANWHILE
    decided = Mandate.objects.get(pk=mandate.pk)
    assert decided.status == winners[0].status != MandateStatus.PENDING
    decisions = CollectiveEvent.objects.filter(
        mandate=mandate, action__in=["mandate_approved", "mandate_rejected"]
    )
    assert list(decisions.values_list("to_status", flat=True)) == [decided.status]
