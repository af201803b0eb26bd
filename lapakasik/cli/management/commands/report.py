"""`python -m lapakasik report claims --branch madiun --from 2020-01-01 --to 2020-07-23 [--format …]`
`python -m lapakasik report press --branch madiun --from 2020-01-01 --to 2020-07-23`
`python -m lapakasik report rebuild-rollups`"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.utils import translation

from lapakasik.lib.errors import DomainError
from lapakasik.lib.idtext import format_thousands
from lapakasik.lib.spreadsheets import CsvWriter
from lapakasik.reporting.press import compose_press_summary, press_name
from lapakasik.reporting.queries import claims_paid_report, get_branch
from lapakasik.reporting.rollup import rebuild_rollups

from ._base import iso_date, usage_error


class Command(BaseCommand):
    help = "Branch reports: claims paid by program × region, the press summary, rollup maintenance."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True, parser_class=type(parser))
        claims = sub.add_parser("claims", help="claims paid by program × region, with totals")
        claims.add_argument("--branch", required=True, help="branch code, e.g. madiun")
        claims.add_argument("--from", dest="date_from", required=True, type=iso_date, help="YYYY-MM-DD")
        claims.add_argument("--to", dest="date_to", required=True, type=iso_date, help="YYYY-MM-DD")
        claims.add_argument("--format", choices=["table", "json", "csv"], default="table")
        press = sub.add_parser("press", help="the press summary in Indonesian (newsroom style)")
        press.add_argument("--branch", required=True, help="branch code, e.g. madiun")
        press.add_argument("--from", dest="date_from", required=True, type=iso_date, help="YYYY-MM-DD")
        press.add_argument("--to", dest="date_to", required=True, type=iso_date, help="YYYY-MM-DD")
        sub.add_parser("rebuild-rollups", help="recompute the report rollups from the claims table")

    def handle(self, *args, **options):
        translation.activate("id")
        if options["report"] == "rebuild-rollups":
            rebuild_rollups()
            self.stdout.write("rollups rebuilt")
            return
        if options["report"] == "press":
            return self.write_press(options)
        try:
            report = claims_paid_report(
                get_branch(options["branch"]), options["date_from"], options["date_to"]
            )
        except DomainError as error:
            raise usage_error(error)
        getattr(self, f"write_{options['format']}")(report)

    def write_press(self, options):
        try:
            branch = get_branch(options["branch"])
            report = claims_paid_report(branch, options["date_from"], options["date_to"])
        except DomainError as error:
            raise usage_error(error)
        self.stdout.write(compose_press_summary(report, unit_name=press_name(branch)), ending="")

    def write_json(self, report):
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))

    def write_csv(self, report):
        writer = CsvWriter(self.stdout, lineterminator="\n")
        writer.writerow(["program", "region", "cases", "amount"])
        for row in report["rows"]:
            writer.writerow([row["program"], row["region"], row["cases"], row["amount"]])
        for total in report["totals"]:
            writer.writerow([total["program"], "TOTAL", total["cases"], total["amount"]])
        writer.writerow(["ALL", "TOTAL", report["grand_total"]["cases"], report["grand_total"]["amount"]])

    def write_table(self, report):
        period = report["period"]
        self.stdout.write(
            f"Klaim dibayar — cabang {report['branch']}, {period['from']} s.d. {period['to']}\n"
        )
        line = "{:<8} {:<12} {:>8} {:>22}"
        self.stdout.write(line.format("Program", "Wilayah", "Kasus", "Nominal (Rp)"))
        for total in report["totals"]:
            for row in (r for r in report["rows"] if r["program"] == total["program"]):
                self.stdout.write(
                    line.format(
                        row["program"],
                        row["region"],
                        format_thousands(row["cases"]),
                        format_thousands(row["amount"]),
                    )
                )
            self.stdout.write(
                line.format(
                    total["program"],
                    "Jumlah",
                    format_thousands(total["cases"]),
                    format_thousands(total["amount"]),
                )
            )
        grand = report["grand_total"]
        self.stdout.write(
            line.format("TOTAL", "", format_thousands(grand["cases"]), format_thousands(grand["amount"]))
        )
