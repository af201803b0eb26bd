"""Service levels (docs/service-levels.md):

python -m lapakasik sla report --branch madiun [--on 2026-12-03] [--format json|csv|table]
python -m lapakasik sla escalate [--branch madiun]     # hourly; the worker runs it
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.utils import translation

from lapakasik.claims.escalation import escalate_all, escalate_branch
from lapakasik.claims.sla import SlaState, branch_report
from lapakasik.lib.errors import DomainError
from lapakasik.lib.spreadsheets import CsvWriter
from lapakasik.reporting.queries import get_branch

from ._base import iso_date, usage_error

COLUMNS = ("number", "program", "status", "due_on", "working_days_left", "state")


class Command(BaseCommand):
    help = "Service levels: the branch's claims against their working-day promise; escalation."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="job", required=True, parser_class=type(parser))
        report = sub.add_parser("report", help="every open claim's due date and state, at risk first")
        report.add_argument("--branch", required=True, help="branch code, e.g. madiun")
        report.add_argument("--on", type=iso_date, help="YYYY-MM-DD (default: today at the branch)")
        report.add_argument("--format", choices=["json", "csv", "table"], default="table")
        escalate = sub.add_parser("escalate", help="event + e-mail to supervisors for newly at-risk/breached")
        escalate.add_argument("--branch", help="branch code (default: every branch)")

    def handle(self, *args, **options):
        translation.activate("id")
        try:
            branch = get_branch(options["branch"]) if options.get("branch") else None
        except DomainError as error:
            raise usage_error(error)
        if options["job"] == "escalate":
            count = len(escalate_branch(branch)) if branch else escalate_all()
            self.stdout.write(f"{count} claims escalated")
            return
        report = branch_report(branch, options["on"])
        getattr(self, f"write_{options['format']}")(report)

    def write_json(self, report):
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))

    def write_csv(self, report):
        writer = CsvWriter(self.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in report["claims"]:
            writer.writerow([row[column] if row[column] is not None else "" for column in COLUMNS])

    def write_table(self, report):
        summary = report["summary"]
        self.stdout.write(f"Batas waktu layanan — cabang {report['branch']}, per {report['as_of']}")
        line = "{:<15} {:<7} {:<24} {:<11} {:>10}  {}"
        self.stdout.write(line.format("Klaim", "Program", "Status", "Tenggat", "Sisa (hk)", "Keadaan"))
        for row in report["claims"]:
            left = "" if row["working_days_left"] is None else row["working_days_left"]
            state = SlaState(row["state"]).label
            self.stdout.write(
                line.format(row["number"], row["program"], row["status"], row["due_on"] or "—", left, state)
            )
        counts = ", ".join(f"{SlaState(state).label}: {summary[state]}" for state in SlaState.values)
        self.stdout.write(f"Jumlah {summary['total']} ({counts})")
        predicted = summary["predicted_breaches"]
        rate = summary["handling_rate_per_working_day"]
        self.stdout.write(
            f"Laju penyelesaian {rate} klaim/hari kerja; diperkirakan terlambat: {len(predicted)}"
        )
