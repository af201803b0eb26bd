"""Shared pieces of the command-line interface (`python -m lapakasik …`)."""

from __future__ import annotations

import argparse
import datetime as dt

from django.core.management.base import CommandError

from lapakasik.lib.errors import DomainError


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD (e.g. 2020-07-23)")


def usage_error(error: DomainError) -> CommandError:
    """Refused input exits with status 2, as argparse does for bad arguments."""
    return CommandError(str(error.message), returncode=2)
