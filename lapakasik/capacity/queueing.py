"""Closed-form queueing results the simulation is checked against (pure)."""

from __future__ import annotations

import math


def erlang_c(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Probability that an arrival must wait in an M/M/c queue (Erlang's C formula)."""
    load = arrival_rate / service_rate  # offered load in erlangs
    if load >= servers:
        raise ValueError("unstable: arrivals outpace the servers")
    top = load**servers / math.factorial(servers) * servers / (servers - load)
    bottom = sum(load**k / math.factorial(k) for k in range(servers)) + top
    return top / bottom


def mmc_mean_wait(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Mean time in the queue (before service starts) of an M/M/c queue, in the rates' time unit."""
    return erlang_c(servers, arrival_rate, service_rate) / (servers * service_rate - arrival_rate)
