"""Re-queue collective imports whose worker died (no heartbeat for two minutes): cron it, or run after a restart.

python -m lapakasik kolektif_resume [--force]
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from lapakasik.collective.actions import resume_list
from lapakasik.collective.models import ListStatus, MassList


class Command(BaseCommand):
    help = "Re-queue stalled collective list imports; each picks up only what is not done yet."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="also lists whose heartbeat is recent")

    def handle(self, *args, force: bool = False, **options):
        resumed = [
            mass_list.pk
            for mass_list in MassList.objects.filter(status__in=[ListStatus.RECEIVED, ListStatus.SUBMITTING])
            if resume_list(mass_list, force=force)
        ]
        self.stdout.write(f"{len(resumed)} list(s) re-queued: {resumed}")
