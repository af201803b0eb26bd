"""`python -m lapakasik rules params --on 2020-03-01 [--format text|json]` and
`python -m lapakasik rules estimate --format json < case.json` and
`python -m lapakasik rules estimate --batch cases.json` (a JSON list; each case answered or refused on its own).

A thin forwarder: `lapakasik.rules.cli.run` owns the arguments, the output and the exit status
(0 ok, 2 invalid input with a JSON error naming the field on stdout), so this command,
`python -m lapakasik.rules` and the API give one behaviour.
"""

from __future__ import annotations

import argparse
import sys

from django.core.management.base import BaseCommand, CommandError

from lapakasik.rules.cli import run


class Command(BaseCommand):
    help = "Benefit law: `params --on YYYY-MM-DD` lists parameters in force; `estimate` reads a JSON case on stdin."
    requires_system_checks: list[str] = []  # pure computation: no database, no models
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "rules_args",
            nargs=argparse.REMAINDER,
            metavar="params|estimate ...",
            help="`params --on YYYY-MM-DD [--format text|json]`, `estimate --format json` (case on stdin) "
            "or `estimate --batch FILE.json` (a list of cases)",
        )

    def handle(self, *args, rules_args, **options):
        # The underlying stream, not Django's OutputWrapper, so stdout carries exactly the JSON.
        stdout = getattr(self.stdout, "_out", self.stdout)
        code = run(rules_args, stdin=options.get("stdin") or sys.stdin, stdout=stdout)
        if code:
            raise CommandError("invalid input: see the JSON error on stdout", returncode=code)
