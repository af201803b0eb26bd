"""Finding 16: after kill -9 of the worker mid-list, a restarted worker did not resume the list by itself.

The heartbeat is a lease: a worker sweeping for expired leases takes each over once (a guarded UPDATE on
the heartbeat it read) and queues the stage again; a list whose worker is alive is left alone.
"""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapakasik.cli.management.commands.worker import sweep_once
from lapakasik.collective import actions
from lapakasik.collective.models import ListStatus, MassList


@pytest.fixture
def list_whose_worker_died(upload, submit, laid_off, monkeypatch):
    monkeypatch.setattr(actions, "CLAIM_CHUNK", 4)
    mass_list = upload([laid_off() for _ in range(10)])
    real = actions._write_claim_details
    calls = {"n": 0}

    def killed_on_the_second_chunk(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("kill -9")
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "_write_claim_details", killed_on_the_second_chunk)
    with pytest.raises(SystemExit):
        submit(mass_list)
    monkeypatch.setattr(actions, "_write_claim_details", real)
    return mass_list


def _queued(mass_list) -> int:
    return DBTaskResult.objects.filter(
        status="READY", task_path__endswith="submit_list_task", args_kwargs__args=[mass_list.pk]
    ).count()


def test_a_list_whose_lease_expired_is_resumed_once_by_the_next_worker(
    list_whose_worker_died, django_capture_on_commit_callbacks
):
    mass_list = list_whose_worker_died
    assert sweep_once() == []  # the lease is still fresh: the worker may only be slow
    MassList.objects.filter(pk=mass_list.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_once() == [mass_list.pk]
        assert sweep_once() == []  # taken over: never queued twice beside itself
    assert _queued(mass_list) == 1
    finished = actions.run_submission(mass_list.pk)  # what the worker runs for the queued task
    assert finished.status == ListStatus.SUBMITTED and finished.claims_created == 10
