"""The database cache's table is made by ``migrate`` itself (after every migrate, the test database's
included), so that neither ``make setup`` nor a deployment can forget ``createcachetable``."""

from __future__ import annotations

from django.core.management import call_command


def create_throttle_table(sender, using: str = "default", verbosity: int = 0, **kwargs) -> None:
    call_command("createcachetable", database=using, verbosity=0)
