"""`python -m lapakasik capacity simulate --branch CODE --date YYYY-MM-DD --officers N --mode one_to_one|one_to_many
--group-size K --seed S [--replications R] [--arrivals-per-hour X] [--booths B] [--no-show-rate P] [--late-rate P]
[--incomplete-rate P] --format json|table`

Simulates a branch day from its bookings and its measured service times (docs/capacity.md). Refused input
(unknown branch, a date without sessions, zero officers, an impossible group size) exits with status 2 and
says why, in Indonesian then English.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lapakasik.capacity import queries
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Branch

from ._base import iso_date

ROWS = [
    ("arrivals", "arrivals"), ("served", "served"), ("unserved_at_closing", None), ("no_shows", None),
    ("walk_ins", None), ("late", None), ("incomplete_documents", None), ("wait_minutes.mean", "wait_minutes_mean"),
    ("wait_minutes.p90", "wait_minutes_p90"), ("officer_utilisation", "officer_utilisation"),
    ("served_per_officer_hour", "served_per_officer_hour"), ("mean_group_size", None), ("overtime_minutes", None),
]  # fmt: skip


def both_languages(message) -> str:
    with translation.override("id"):
        indonesian = str(message)
    with translation.override("en"):
        english = str(message)
    return indonesian if indonesian == english else f"{indonesian}\n{english}"


class Command(BaseCommand):
    help = "Capacity planning: simulate a branch day (officers, one-to-one or groups, what-if arrivals)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="job", required=True, parser_class=type(parser))
        sim = sub.add_parser("simulate", help="simulate a day at a branch")
        sim.add_argument("--branch", required=True, help="branch code, e.g. madiun")
        sim.add_argument("--date", required=True, type=iso_date, help="YYYY-MM-DD, a day with sessions")
        sim.add_argument("--officers", required=True, type=int)
        sim.add_argument("--mode", required=True, choices=["one_to_one", "one_to_many"])
        sim.add_argument(
            "--group-size", type=int, default=None, help="people per officer at once (default 1 / 5)"
        )
        sim.add_argument("--seed", type=int, default=2020)
        sim.add_argument("--replications", type=int, default=1)
        sim.add_argument(
            "--arrivals-per-hour", type=float, default=None, help="what-if: replaces the bookings"
        )
        sim.add_argument("--booths", type=int, default=None, help="booths at the branch (default: enough)")
        sim.add_argument("--no-show-rate", type=float, default=None, help="0..1 (default: measured)")
        sim.add_argument("--late-rate", type=float, default=None, help="0..1 (default: measured)")
        sim.add_argument("--incomplete-rate", type=float, default=None, help="0..1 (default: measured)")
        sim.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args, **options):
        try:
            report = self._simulate(options)
        except DomainError as error:
            raise CommandError(both_languages(error.message), returncode=2) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            self.stdout.write(self._table(report))

    def _simulate(self, o) -> dict:
        branch = Branch.objects.filter(code=o["branch"]).first()
        if branch is None:
            raise DomainError(
                "unknown_branch", queries.Formatted(queries.UNKNOWN_BRANCH, {"code": o["branch"]})
            )
        group_size = (
            o["group_size"] if o["group_size"] is not None else (1 if o["mode"] == "one_to_one" else 5)
        )
        what_if = queries.WhatIf(
            officers=o["officers"],
            mode=o["mode"],
            group_size=group_size,
            booths=o["booths"],
            arrivals_per_hour=o["arrivals_per_hour"],
            no_show_rate=o["no_show_rate"],
            late_rate=o["late_rate"],
            incomplete_rate=o["incomplete_rate"],
        )
        plan = queries.day_plan(branch, o["date"])
        measured = queries.measure(branch, until=o["date"])
        return queries.simulate(plan, measured, what_if, seed=o["seed"], replications=o["replications"])

    def _table(self, report: dict) -> str:
        lines = [
            f"{report['branch']} {report['date']} {report['opening']}  {report['officers']} officer(s), "
            f"{report['mode']} × {report['group_size']}, {report['replications']} replication(s), "
            f"seed {report['seed']}",
            "",
        ]
        for name, ci in ROWS:
            value = report
            for part in name.split("."):
                value = value[part]
            interval = report["ci95"].get(ci) if ci else None
            shown = f"{value}" + (f"   (95% CI {interval[0]} – {interval[1]})" if interval else "")
            lines.append(f"{name:<26}{shown}")
        return "\n".join(lines)
