"""The summary of `make cluster-check` (scripts/cluster_check.py): what its last line says and when it passes.
The cluster itself takes minutes and runs outside the suite."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "cluster_check.py"


def _load():
    spec = importlib.util.spec_from_file_location("cluster_check", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["cluster_check"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


cluster = _load()
CLEAN = [200] * 990 + [302] * 5 + [201] * 5 + [404, 409, 429]


def test_the_summary_counts_5xx_and_dropped_connections_as_server_errors():
    summary = cluster.summarize([*CLEAN, 502, -1], [10.0] * 1005, True, 0, 42)
    assert summary == {
        "nodes": 2,
        "requests": 1005,
        "server_errors": 2,
        "node_killed": True,
        "lost_writes": 0,
        "replica_reads": 42,
        "p95_ms": 10,
    }
    assert json.loads(json.dumps(summary)) == summary


def test_p95_is_the_latency_below_which_95_in_100_requests_finished():
    latencies = [float(ms) for ms in range(1, 101)]
    assert cluster.percentile(latencies, 0.95) == 96.0
    assert cluster.summarize(CLEAN, latencies, True, 0, 0)["p95_ms"] == 96
    assert cluster.percentile([], 0.95) == 0.0


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({}, 0),
        ({"server_errors": 1}, 1),
        ({"lost_writes": 1}, 1),
        ({"node_killed": False}, 1),
        ({"requests": 999}, 1),
    ],
)
def test_it_passes_only_with_no_server_error_no_lost_write_a_killed_node_and_enough_requests(change, status):
    summary = {**cluster.summarize(CLEAN, [5.0] * len(CLEAN), True, 0, 3), **change}
    assert cluster.exit_status(summary) == status


def test_haproxy_retries_requests_of_a_dead_node_on_the_other_one():
    config = cluster.haproxy_cfg(8080, [9001, 9002])
    assert "retry-on all-retryable-errors" in config and "option redispatch" in config
    assert "server node1 127.0.0.1:9001 check" in config and "server node2 127.0.0.1:9002 check" in config


def test_the_script_explains_its_options():
    out = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, check=True)
    assert "--duration" in out.stdout and "--people" in out.stdout


def _clock_after(seconds: float):
    return cluster.Clock(60, 600, started=cluster.time.monotonic() - seconds)


def test_the_run_lasts_a_minute_and_a_thousand_requests_and_kills_the_node_halfway():
    assert not _clock_after(61).done(999) and not _clock_after(59).done(5000)
    assert _clock_after(61).done(1000)
    assert not _clock_after(31).halfway(499) and _clock_after(31).halfway(500)
    assert _clock_after(601).done(10) and _clock_after(301).halfway(10)  # a slow machine still ends
