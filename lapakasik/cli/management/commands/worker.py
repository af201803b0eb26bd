"""The background worker: django-tasks-db's ``db_worker`` plus the lease sweep of long jobs.

python -m lapakasik worker [db_worker options]

A worker killed in the middle of a job (kill -9, a crash, a reboot) leaves the job's task marked as
running forever; ``db_worker`` alone never picks it up again. Beside the task loop this command sweeps
for jobs whose lease (their heartbeat) expired — when it starts and every ``--sweep-every`` seconds — and
queues each again exactly once (collective.actions.resume_stalled_lists, and for bank result imports
payments.actions.resume_stalled_imports), so a crashed list or import resumes by itself as soon as any
worker runs. The same sweep sends the "your turn is near" e-mails of the branch queue (booking.waiting),
which must go out within a minute to be of use, draws each day's quota lottery when its window closes
(booking.lottery), and once an hour escalates claims whose service level is at risk or broken
(claims.escalation; idempotent, so an extra run sends nothing twice). Each sweep also sends the outbox's
due messages (notify.outbox.send_pending: retries with backoff, each message locked while it is sent).
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from lapakasik.booking.lottery import draw_due
from lapakasik.booking.waiting import send_turn_near
from lapakasik.claims.escalation import escalate_all
from lapakasik.collective.actions import resume_stalled_lists
from lapakasik.notify.outbox import send_pending
from lapakasik.payments.actions import resume_stalled_imports

logger = logging.getLogger("lapakasik.worker")
ESCALATE_EVERY_SECONDS = 3600
_last_escalation = {"at": float("-inf")}


def sweep_once() -> list[int]:
    resumed = resume_stalled_lists()
    if resumed:
        logger.info("resumed collective lists whose worker died: %s", resumed)
    imports = resume_stalled_imports()
    if imports:
        logger.info("resumed bank result imports whose worker died: %s", imports)
    draw_due()  # a day's quota lottery is drawn within a minute of its window closing
    send_turn_near()  # virtual calling needs minutes, not the hourly cron of the reminders
    send_pending()  # the outbox: messages not sent on commit, and retries whose backoff is over
    if time.monotonic() - _last_escalation["at"] >= ESCALATE_EVERY_SECONDS:
        _last_escalation["at"] = time.monotonic()
        escalated = escalate_all()
        if escalated:
            logger.info("escalated %s claims at risk of missing their service level", escalated)
    return resumed


def _sweep_forever(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        close_old_connections()
        try:
            sweep_once()
        except Exception:  # a sweep that fails (database restarting) is retried at the next interval
            logger.exception("lease sweep failed")
        finally:
            connection.close()  # this thread's own connection; the task loop keeps its own
        stop.wait(every)


class Command(DbWorkerCommand):
    help = "Run background tasks (db_worker) and resume long jobs whose worker died (expired lease)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--sweep-every", type=float, default=60.0, help="seconds between lease sweeps")

    def handle(self, *args, **options):  # type: ignore[override]  # db_worker's handle takes its options by name
        sweep_every = float(options.pop("sweep_every", 60.0))
        stop = threading.Event()
        sweeper = threading.Thread(
            target=_sweep_forever, args=(stop, sweep_every), daemon=True, name="lease-sweep"
        )
        sweeper.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
