"""`python -m lapakasik import claims FILE.csv`: paid claims from a legacy system, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lapakasik.claims.history import HistoryFileError, import_history, parse_history


class Command(BaseCommand):
    help = "Import paid claims from a CSV file (columns: see docs/import.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, parser_class=type(parser))
        claims = sub.add_parser("claims", help="paid claims history (CSV)")
        claims.add_argument("file", type=Path)
        claims.add_argument("--max-errors", type=int, default=200, help="how many bad rows to list")

    def handle(self, *args, **options):
        translation.activate("id")
        rows, errors = self._parse(options["file"])
        if not errors:
            result = import_history(rows)
            errors = result.errors
        if errors:
            self._report_errors(errors, options["max_errors"])
        self.stdout.write(
            f"Diimpor {result.imported} klaim; {result.already_imported} sudah ada sebelumnya (dilewati); "
            f"{result.participants_created} peserta baru."
        )

    def _parse(self, path: Path):
        try:
            return parse_history(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"Berkas tidak ditemukan: {path}", returncode=2)
        except UnicodeDecodeError:
            raise CommandError("Berkas harus UTF-8 (simpan ulang sebagai 'CSV UTF-8').", returncode=2)
        except HistoryFileError as error:
            raise CommandError(str(error), returncode=2)

    def _report_errors(self, errors, limit):
        for error in errors[:limit]:
            self.stderr.write(str(error))
        if len(errors) > limit:
            self.stderr.write(f"… dan {len(errors) - limit} kesalahan lain.")
        raise CommandError(f"{len(errors)} kesalahan; tidak ada yang diimpor.", returncode=1)
