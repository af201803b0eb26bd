"""Report reads on a streaming replica, with the primary as the fallback (docs/scaling.md).

With ``DATABASE_REPLICA_URL`` set, settings add the ``replica`` alias and this router. Only reads made
inside a report (functions decorated with :func:`report_read`) go to the replica, and only while it
answers and replays within ``DATABASE_REPLICA_MAX_LAG_SECONDS`` of the primary; otherwise, and inside
any transaction on the primary (a report read after a write must see that write), they stay on the
primary. Writes, migrations and every other read never touch the replica. Without a replica nothing
here is installed and every read is on the default database exactly as before.

The replica's health is probed at most every ``DATABASE_REPLICA_CHECK_SECONDS`` per process, so a
report costs one extra query now and then, not one per read.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger("lapakasik.replica")

REPLICA_ALIAS = "replica"
_in_report: contextvars.ContextVar[bool] = contextvars.ContextVar("lapakasik_report_read", default=False)
# Set by the router when it sent a read of the current report to the replica.
_served: contextvars.ContextVar[str | None] = contextvars.ContextVar("lapakasik_replica_served", default=None)

F = TypeVar("F", bound=Callable[..., Any])

# A standby's replay lag: 0 when it has replayed everything it received (an idle primary writes no WAL,
# so the age of the last replayed transaction alone would call an idle pair "late"); NULL before the
# first replay. A server that is not in recovery is a primary: nothing to replay.
LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())
END
"""


def report_read(func: F) -> F:
    """Mark a report: the reads it makes may be served by the replica."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _in_report.get():
            return func(*args, **kwargs)  # a report inside a report: the outer one decides
        token, served = _in_report.set(True), _served.set(None)
        try:
            return func(*args, **kwargs)
        except DatabaseError:
            alias = _served.get()
            if alias is None:
                raise
            # The replica went away between its probe and this read: the report is read again on the
            # primary rather than failing, and no report tries the replica before its next probe.
            logger.warning("report replica %r failed mid-report; reading the primary", alias)
            connections[alias].close()
            health_of(alias).mark_down()
            _in_report.set(False)
            return func(*args, **kwargs)
        finally:
            _in_report.reset(token)
            _served.reset(served)

    return wrapper  # type: ignore[return-value]


def measure_lag(alias: str) -> float | None:
    """Seconds the database behind ``alias`` is behind its primary; None when it cannot be asked."""
    connection = connections[alias]
    try:
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return 0.0  # a copy that is not streaming has no replay position to compare
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            row = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("report replica %r unreachable, reports read the primary: %s", alias, error)
        connection.close()  # a broken connection must not be reused by the next probe
        return None
    return None if row is None or row[0] is None else float(row[0])


def usable(lag: float | None, max_lag: float) -> bool:
    """A replica serves reports when it answered and is no more than ``max_lag`` seconds behind."""
    return lag is not None and lag <= max_lag


class _Health:
    """The last probe of one alias, shared by the threads of a process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.ok = False

    def fresh(self, alias: str, every: float, max_lag: float) -> bool:
        with self.lock:
            now = time.monotonic()
            if now - self.checked_at >= every:
                self.ok = usable(measure_lag(alias), max_lag)
                self.checked_at = now
            return self.ok

    def mark_down(self) -> None:
        with self.lock:
            self.ok, self.checked_at = False, time.monotonic()


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def health_of(alias: str) -> _Health:
    with _health_lock:
        return _health.setdefault(alias, _Health())


class ReportReplicaRouter:
    """Django database router: report reads to the replica when it is fresh enough."""

    def __init__(self, alias: str = REPLICA_ALIAS) -> None:
        self.alias = alias

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if not _in_report.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        every = settings.DATABASE_REPLICA_CHECK_SECONDS
        if health_of(self.alias).fresh(self.alias, every, settings.DATABASE_REPLICA_MAX_LAG_SECONDS):
            _served.set(self.alias)
            return self.alias
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != self.alias  # a standby is read-only: it gets the schema by replication
