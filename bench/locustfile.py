"""The page mix of bench/bench_pages.py: participants, officers and a branch head on the demo, logged in.

Each role's session cookie and its pages come from the plan file that bench_pages.py writes
(LAPAKASIK_BENCH_PLAN): the demo's own accounts, already past the staff second factor, so the run measures
pages, not log-ins. Weights follow a branch day: many participants looking at their claims and sessions,
officers working the queue (every filter, search, sorting and deep pages), one branch head per ten on the
dashboard.
"""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LAPAKASIK_BENCH_PLAN"], encoding="utf-8").read())  # noqa: SIM115


class _Role(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", PLAN["cookies"][self.role])
        self.client.headers["Accept-Language"] = "id"

    def visit(self, group: str) -> None:
        url, name = random.choice(PLAN["pages"][group])
        self.client.get(url, name=name)


class Participant(_Role):
    role = "participant"
    weight = 25

    @task(3)
    def my_claims(self) -> None:
        self.visit("participant_claims")

    @task(2)
    def my_sessions(self) -> None:
        self.visit("participant_sessions")


class Officer(_Role):
    role = "officer"
    weight = 20

    @task(5)
    def queue(self) -> None:
        self.visit("queue")

    @task(2)
    def claim(self) -> None:
        self.visit("officer_claim")

    @task(1)
    def sessions(self) -> None:
        self.visit("officer_sessions")


class BranchHead(_Role):
    role = "branch_head"
    weight = 5

    @task
    def dashboard(self) -> None:
        self.visit("dashboard")
