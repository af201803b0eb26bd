"""The report replica router (reporting/replica.py) against real connections: a "replica" alias that is the
test database itself (a replica in step), one whose server cannot be reached, one that answers but lacks the
tables. No streaming replica is needed; the one of `make cluster-check` exercises the same code."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.db import connections
from django.db.utils import load_backend

from lapakasik.registry.models import Branch, ServiceArea
from lapakasik.reporting import replica
from lapakasik.reporting.models import PaidCell
from lapakasik.reporting.queries import claims_paid_report, claims_paid_report_direct

pytestmark = pytest.mark.django_db(transaction=True)
ROUTER = "lapakasik.reporting.replica.ReportReplicaRouter"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def _replica_like(kind: str, tmp_path) -> dict:
    """Settings of a replica alias: the test database ("same"), a server that is down, or a database that
    answers but has none of the tables ("empty")."""
    config = dict(connections["default"].settings_dict)
    postgres = config["ENGINE"].endswith("postgresql")
    if kind == "down":
        if postgres:
            config.update(HOST="127.0.0.1", PORT=str(_closed_port()))
        else:
            config["NAME"] = str(tmp_path / "missing-directory" / "replica.sqlite3")
    elif kind == "empty":
        config["NAME"] = "postgres" if postgres else str(tmp_path / "empty.sqlite3")
    else:
        config["NAME"] = connections["default"].settings_dict["NAME"]
    return config


@pytest.fixture
def replica_as(settings, tmp_path):
    """Install the router with a "replica" alias of the given kind; removed again after the test."""

    def install(kind: str) -> None:
        # A connection made here, not declared in DATABASES: Django's test case lets such connections open.
        config = _replica_like(kind, tmp_path)
        connections[replica.REPLICA_ALIAS] = load_backend(config["ENGINE"]).DatabaseWrapper(
            config, replica.REPLICA_ALIAS
        )
        settings.DATABASE_ROUTERS = [ROUTER]
        settings.DATABASE_REPLICA_CHECK_SECONDS = 0  # probe on every read: no waiting in tests

    replica._health.clear()
    yield install
    if hasattr(connections._connections, replica.REPLICA_ALIAS):
        connections[replica.REPLICA_ALIAS].close()
        del connections[replica.REPLICA_ALIAS]
    replica._health.clear()


@pytest.fixture
def branch():
    branch = Branch.objects.create(code="ngawi", name="Kantor Cabang Ngawi", time_zone="Asia/Jakarta")
    ServiceArea.objects.create(branch=branch, name="Ngawi")
    return branch


PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def _routed_read() -> str | None:
    return replica.ReportReplicaRouter().db_for_read(PaidCell)


def test_only_reads_inside_a_report_are_offered_to_the_replica(replica_as):
    replica_as("same")
    assert _routed_read() is None
    assert replica.report_read(_routed_read)() == replica.REPLICA_ALIAS
    assert replica.ReportReplicaRouter().db_for_write(PaidCell) == "default"


def test_a_report_reads_a_replica_in_step_and_gets_the_primarys_answer(replica_as, branch):
    replica_as("same")
    assert replica.measure_lag(replica.REPLICA_ALIAS) == 0.0
    assert claims_paid_report(branch, *PERIOD) == claims_paid_report_direct(branch, *PERIOD)


def test_a_replica_that_is_down_leaves_reports_on_the_primary(replica_as, branch):
    replica_as("down")
    assert replica.measure_lag(replica.REPLICA_ALIAS) is None
    assert replica.report_read(_routed_read)() is None
    assert claims_paid_report(branch, *PERIOD) == claims_paid_report_direct(branch, *PERIOD)


def test_a_replica_failing_in_the_middle_of_a_report_gives_way_to_the_primary(replica_as, branch):
    replica_as("empty")  # answers the probe, has no report tables
    assert replica.measure_lag(replica.REPLICA_ALIAS) == 0.0
    assert claims_paid_report(branch, *PERIOD) == claims_paid_report_direct(branch, *PERIOD)
    assert not replica.health_of(replica.REPLICA_ALIAS).ok  # the next report does not try it again


def test_a_replica_is_used_only_within_the_allowed_lag():
    assert replica.usable(0.0, 10)
    assert replica.usable(10.0, 10)
    assert not replica.usable(10.5, 10)
    assert not replica.usable(None, 10)  # unreachable, or no replay yet


def test_reads_inside_a_transaction_on_the_primary_stay_there(replica_as):
    from django.db import transaction

    replica_as("same")
    with transaction.atomic():
        assert replica.report_read(_routed_read)() is None  # a report after a write sees that write


@pytest.mark.skipif("DATABASE_REPLICA_URL" in __import__("os").environ, reason="a replica is configured")
def test_without_a_replica_the_settings_install_no_router():
    from django.conf import settings

    assert replica.REPLICA_ALIAS not in settings.DATABASES
    assert settings.DATABASE_ROUTERS == []
