"""makemessages that also collects `N_("…")` (gettext_noop under its short name).

Bulk paths store a msgid with its parameters and translate it when shown (lib/errors.py
DeferredMessageError, collective.parse.Issue); those msgids are marked with N_ and would otherwise
never reach the catalogue, so an English reader would see them in Indonesian.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
