"""Periodic jobs of the schedule, for cron or systemd timers (docs/booking.md):

python -m lapakasik booking generate-sessions [--branch madiun] [--days N]   # daily, e.g. 00:30
python -m lapakasik booking send-reminders                                   # hourly
python -m lapakasik booking mark-no-shows                                    # every 5 minutes
python -m lapakasik booking send-turn-near                                   # every minute (the worker does it)
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lapakasik.booking import actions, waiting
from lapakasik.lib.dates import today_at
from lapakasik.registry.models import Branch


class Command(BaseCommand):
    help = "Schedule jobs: generate sessions, send reminders, mark no-shows."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="job", required=True, parser_class=type(parser))
        generate = sub.add_parser("generate-sessions", help="sessions from templates for the booking window")
        generate.add_argument("--branch", help="branch code (default: every branch)")
        generate.add_argument("--days", type=int, help="days from today (default: the branch's window + 1)")
        sub.add_parser("send-reminders", help="H-1 and same-day reminders, each once")
        sub.add_parser("mark-no-shows", help="bookings past the grace period become no-shows")
        sub.add_parser("send-turn-near", help="e-mail checked-in people whose turn is near (virtual calling)")

    def handle(self, *args, **options):
        translation.activate("id")
        if options["job"] == "generate-sessions":
            branches = Branch.objects.all()
            if options["branch"]:
                branches = branches.filter(code=options["branch"])
                if not branches:
                    raise CommandError(f"unknown branch {options['branch']!r}", returncode=2)
            for branch in branches:
                days = options["days"] or actions.calendar_for(branch).days_ahead + 1
                n = actions.generate_sessions(branch, start=today_at(branch.time_zone), days=days)
                self.stdout.write(f"{branch.code}: {n} sessions created")
        elif options["job"] == "send-reminders":
            self.stdout.write(f"{actions.send_reminders()} reminders sent")
        elif options["job"] == "send-turn-near":
            self.stdout.write(f"{waiting.send_turn_near()} turn-near messages sent")
        else:
            self.stdout.write(f"{actions.mark_no_shows()} bookings marked as no-show")
