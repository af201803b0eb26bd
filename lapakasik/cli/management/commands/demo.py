"""`python -m lapakasik demo load|logins|otp`: the deterministic demo data, its logins, and a staff login's
current second-factor code."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Load the demo data (idempotent) or list the demo logins."
    # `make setup` has just run the checks in `migrate`; running them again imports every view and API
    # schema (a second of start-up) for a command that touches none of them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        sub.add_parser("load", help="load the Madiun 2020 demo once")
        sub.add_parser("logins", help="print the demo logins")
        otp = sub.add_parser("otp", help="print a demo staff login's current verification code")
        otp.add_argument("username")

    def handle(self, *args, **options):
        if options["action"] == "load":
            self._load()
        elif options["action"] == "otp":
            self._otp(options["username"])
        else:
            self._logins()

    def _load(self):
        from lapakasik.demo.loader import load_demo

        started = time.perf_counter()
        loaded = load_demo()
        took = time.perf_counter() - started
        self.stdout.write(f"Demo data loaded in {took:.1f} s." if loaded else "Demo data already present.")

    def _logins(self):
        from lapakasik.demo.loader import DEMO_LOGINS, DEMO_PASSWORD

        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<14} {login.description}")
        self.stdout.write(
            "Staff logins (CSO, supervisor, branch head, finance, admin) then ask for a second-factor code:\n"
            "  python -m lapakasik demo otp <username>   prints the code valid now (or scan the QR code\n"
            "  shown on first log-in with an authenticator app instead)."
        )

    def _otp(self, username: str):

        from lapakasik.accounts.models import User
        from lapakasik.accounts.otp import current_code, demo_device, readable_secret
        from lapakasik.demo.loader import DEMO_LOGINS

        user = User.objects.filter(username=username).first()
        if user is None or username not in {login.username for login in DEMO_LOGINS}:
            raise CommandError(f"{username!r} is not a demo login.")
        if not user.needs_second_factor:
            raise CommandError(f"{username!r} needs no second factor (not staff).")
        device = demo_device(user)
        self.stdout.write(f"Code for {username} (valid about 30 s, once): {current_code(device)}")
        self.stdout.write(f"Authenticator key (to add it to an app): {readable_secret(device)}")
