"""Personal-data rights (docs/privacy.md):

python -m lapakasik privacy export --nik NIK --out FILE.zip [--by USERNAME]   # a participant's copy of their data
python -m lapakasik privacy purge-documents [--dry-run]                       # daily: scans past retention
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lapakasik.accounts.models import User
from lapakasik.lib.errors import DomainError
from lapakasik.privacy import export, retention

from ._base import usage_error


class Command(BaseCommand):
    help = "Personal-data rights: a participant's data export; removal of documents past retention."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="job", required=True, parser_class=type(parser))
        out = sub.add_parser(
            "export", help="ZIP of data.json and the documents of the participant with this NIK"
        )
        out.add_argument("--nik", required=True, help="the participant's NIK (16 digits)")
        out.add_argument("--out", required=True, help="the ZIP file to write")
        out.add_argument("--by", help="username of the staff member handling the request (for the record)")
        purge = sub.add_parser(
            "purge-documents", help="remove scans of claims closed longer than the retention"
        )
        purge.add_argument(
            "--dry-run", action="store_true", help="report what would be removed, remove nothing"
        )

    def handle(self, *args, **options):
        translation.activate("id")
        if options["job"] == "export":
            self.export(options["nik"], Path(options["out"]), options.get("by"))
        else:
            self.purge(options["dry_run"])

    def export(self, nik: str, out: Path, username: str | None) -> None:
        by = None
        if username:
            by = User.objects.filter(username=username).first()
            if by is None or not (by.is_branch_staff or by.is_admin_role):
                raise CommandError(f"--by {username!r} is not a staff account", returncode=2)
        try:
            participant = export.participant_by_nik(nik)
        except DomainError as error:
            raise usage_error(error)
        if not out.parent.is_dir():
            raise CommandError(f"the directory of --out does not exist: {out.parent}", returncode=2)
        # Written beside the target and renamed at the end: a failed export leaves no partial ZIP behind.
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=".privacy-export-", suffix=".zip")
        try:
            with os.fdopen(handle, "wb") as stream:
                summary = export.export(participant, stream, by=by, via="cli")
            os.replace(temporary, out)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(
            f"{out}: {summary['claims']} klaim, {summary['documents']} dokumen"
            + (f", {summary['missing']} dokumen hilang dari penyimpanan" if summary["missing"] else "")
        )

    def purge(self, dry_run: bool) -> None:
        report = retention.purge_documents(dry_run=dry_run)
        verb = "akan dihapus" if dry_run else "dihapus"
        self.stdout.write(f"Batas: klaim ditutup sebelum {report.cutoff:%Y-%m-%d %H:%M} UTC")
        for claim in report.claims:
            self.stdout.write(
                f"{claim.number}  {claim.status:<10} ditutup {claim.closed_at:%Y-%m-%d}  "
                f"{claim.documents} dokumen, {claim.size} byte"
            )
        self.stdout.write(
            f"{report.documents} dokumen dari {len(report.claims)} klaim {verb} ({report.size} byte)"
            + (" — uji coba, tidak ada yang dihapus" if dry_run else "")
        )
