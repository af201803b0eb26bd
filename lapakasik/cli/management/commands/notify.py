"""Notifications (docs/notifications.md):

python -m lapakasik notify outbox [--status pending|sent|failed] [--limit N] [--format json|table]
python -m lapakasik notify send-pending        # the worker runs it every sweep; cron may too
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.utils import translation

from lapakasik.notify.models import MessageStatus, OutboxMessage
from lapakasik.notify.outbox import mask, send_pending


def row(message: OutboxMessage) -> dict:
    return {
        "id": message.pk,
        "channel": message.channel,
        "to_masked": mask(message.channel, message.to),
        "template": message.template,
        "status": message.status,
        "attempts": message.attempts,
        "created_at": message.created_at.isoformat(),
    }


class Command(BaseCommand):
    help = "Notifications: list the outbox (addresses masked); send the messages that are due."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="job", required=True, parser_class=type(parser))
        outbox = sub.add_parser("outbox", help="the outbox's messages, newest first")
        outbox.add_argument("--status", choices=MessageStatus.values, help="only messages in this status")
        outbox.add_argument("--limit", type=int, default=1000, help="at most this many (default 1000)")
        outbox.add_argument("--format", choices=["json", "table"], default="table")
        sub.add_parser("send-pending", help="send the due messages, retrying failures with backoff")

    def handle(self, *args, **options):
        translation.activate("id")
        if options["job"] == "outbox":
            self.outbox(options.get("status"), options["limit"], options["format"])
        else:
            outcomes = send_pending()
            self.stdout.write(
                f"terkirim {outcomes['sent']}, dicoba lagi nanti {outcomes['retry']}, gagal {outcomes['failed']}"
            )

    def outbox(self, status: str | None, limit: int, fmt: str) -> None:
        messages = OutboxMessage.objects.order_by("-created_at", "-id")
        if status:
            messages = messages.filter(status=status)
        rows = [row(message) for message in messages[: max(limit, 0)]]
        if fmt == "json":
            self.stdout.write(json.dumps({"messages": rows}, ensure_ascii=False, indent=2))
            return
        for r in rows:
            self.stdout.write(
                f"{r['id']:>6}  {r['channel']:<8} {r['to_masked']:<28} {r['template']:<32} "
                f"{r['status']:<7} {r['attempts']:>2}  {r['created_at']}"
            )
        self.stdout.write(f"{len(rows)} pesan")
