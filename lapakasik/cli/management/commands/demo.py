"""`python -m lapakasik demo load|logins`: the deterministic demo data and its logins."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo data (idempotent) or list the demo logins."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        sub.add_parser("load", help="load the Madiun 2020 demo once")
        sub.add_parser("logins", help="print the demo logins")

    def handle(self, *args, **options):
        if options["action"] == "load":
            self._load()
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
