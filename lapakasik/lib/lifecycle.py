"""One path per state change: the shared shape of every lifecycle (ARCHITECTURE §3, items 2, 3 and 11).

Each stateful model has, beside it, a ``Lifecycle``: a table of the moves it can make (from which
statuses, who may make it, when, and whether a written reason or passing findings are needed), and
exactly one writer of its status, built on ``apply_move`` below. That writer is bulk-first: a single
change is the writer called with a list of one. It checks the table, does the guarded UPDATE (which
must hit every row the caller saw in the status it saw), writes one audit event per object in the same
transaction, and queues its messages to people in that transaction too (``tell``: the outbox of
lapakasik/notify, which sends them once the transaction commits).

Every app's audit events share ``AuditEvent``'s columns; each app names its actions once, in a
``TextChoices``. "Changed meanwhile" is one error with one code, whichever model it is about.

This module holds no rule of any program: the tables live beside their models, the permission checks
in their apps. By convention each app's tables are ``LIFECYCLES`` in its ``lifecycle.py``;
``python -m lapakasik lifecycles --write`` renders them all into ``docs/decisions.md``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

CHANGED_MEANWHILE = "changed_meanwhile"


def changed_meanwhile() -> DomainError:
    """The one refusal for "someone else changed this between your reading it and your deciding"."""
    return DomainError(
        CHANGED_MEANWHILE,
        _("Data ini baru saja diubah oleh orang lain. Muat ulang halaman untuk melihat keadaannya sekarang."),
        status=409,
    )


def not_allowed(label_from: Any, label_to: Any) -> DomainError:
    return DomainError(
        "transition_not_allowed",
        _("Status '%(status)s' tidak dapat diubah menjadi '%(to)s'.")
        % {"status": label_from, "to": label_to},
        status=409,
    )


@dataclass(frozen=True)
class Move:
    """One row of a lifecycle table.

    ``who`` names the roles that may make the move ("system" for the worker and periodic jobs,
    "claimant" for the person the object belongs to); ``scope`` says whose objects ("own branch",
    "serving branch", "own", "any"); ``four_eyes`` names the earlier step whose actor may not make
    this one; ``when`` is the time rule in words (its check lives in the action); ``reason`` says a
    written reason is required; ``findings`` says failing findings must pass or be overridden with a
    written reason.
    """

    name: str
    sources: frozenset[str]
    to: str
    who: frozenset[str]
    scope: str = "own branch"
    four_eyes: str = ""
    when: str = ""
    reason: bool = False
    findings: bool = False


@dataclass(frozen=True)
class Lifecycle:
    """A model's table of moves, keyed by move name; statuses are the model's ``TextChoices``."""

    model: str
    statuses: type[models.TextChoices]
    moves: tuple[Move, ...]
    notes: str = ""
    by_name: dict[str, Move] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {move.name: move for move in self.moves})

    def move(self, name: str) -> Move:
        return self.by_name[name]

    def targets(self, status: str) -> frozenset[str]:
        return frozenset(move.to for move in self.moves if status in move.sources)

    def can(self, name: str, status: str) -> bool:
        return status in self.by_name[name].sources

    def offers(self, name: str, status: str, user) -> bool:
        """Whether a page shows this move's button to ``user``: the status allows it and the role may make it.

        Branch scope and four eyes stay the action's to check (pages add them where they know them): a
        button shown here can still be refused, but a button hidden here could never succeed.
        """
        role = "admin" if user.is_admin_role else user.role
        return self.can(name, status) and role in self.by_name[name].who

    def open_statuses(self) -> tuple[str, ...]:
        """Statuses some move leaves: the object is still in play."""
        return tuple(status for status in self.statuses if self.targets(status))

    def as_markdown(self) -> str:
        label = {status.value: status.value for status in self.statuses}
        rows = [
            f"| {move.name} | {', '.join(sorted(label[s] for s in move.sources))} | {move.to} | "
            f"{', '.join(sorted(move.who))} | {move.scope} | {move.four_eyes or '—'} | {move.when or '—'} | "
            f"{'yes' if move.reason else '—'} | {'pass or override' if move.findings else '—'} |"
            for move in self.moves
        ]
        head = (
            f"### {self.model}\n\n"
            + (f"{self.notes}\n\n" if self.notes else "")
            + "| move | from | to | who | scope | not the same person as | when | written reason | findings |\n"
            + "|---|---|---|---|---|---|---|---|---|\n"
        )
        return head + "\n".join(rows) + "\n"


class AuditEvent(models.Model):
    """The one shape of an audit event; each app keeps its own table of it (claims, booking, …)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


def guarded_update(
    model: type[models.Model], seen: Iterable[tuple[int, str]], to: str, **changes: Any
) -> None:
    """UPDATE … SET status = to WHERE pk = … AND status = <what the caller saw>, for every object at once.

    One statement per status seen; if any row is no longer in the status its caller saw, nothing is
    written (the caller's transaction rolls back) and the one "changed meanwhile" error is raised.
    """
    by_status: dict[str, list[int]] = defaultdict(list)
    for pk, status in seen:
        by_status[status].append(pk)
    manager = model._default_manager
    for status, pks in by_status.items():
        hit = manager.filter(pk__in=pks, status=status).update(status=to, **changes)
        if hit != len(pks):
            raise changed_meanwhile()


def apply_move(
    lifecycle: Lifecycle,
    name: str,
    objects: Sequence[models.Model],
    *,
    by,
    event: Callable[[models.Model, str, str], models.Model],
    changes: dict[str, Any] | None = None,
    expect: str | None = None,
    tell: Callable[[Sequence[models.Model], str], None] | None = None,
    after_commit: Callable[[Sequence[models.Model], str], None] | None = None,
) -> list[models.Model]:
    """The body of every lifecycle writer: table check, guarded UPDATE, events, messages to the outbox.

    ``event(obj, from_status, to_status)`` builds (unsaved) the audit event of one object; ``expect``
    pins the status the caller believes every object is in (a stale page then fails instead of moving
    from another status). Permission checks are the caller's: they differ per model and per move.
    The objects come back with their new status set in memory.
    """
    move = lifecycle.move(name)
    changes = changes or {}
    for obj in objects:
        status = obj.status  # type: ignore[attr-defined]
        if (expect is not None and status != expect) or status not in move.sources:
            raise not_allowed(_label(lifecycle, status), _label(lifecycle, move.to))
    if not objects:
        return []
    seen = [(obj.pk, obj.status) for obj in objects]  # type: ignore[attr-defined]
    with transaction.atomic():
        guarded_update(type(objects[0]), seen, move.to, **changes)
        events = [event(obj, obj.status, move.to) for obj in objects]  # type: ignore[attr-defined]
        type(events[0])._default_manager.bulk_create(events)
        if tell is not None:  # in the transaction (the outbox): a move that rolls back tells nobody
            tell(list(objects), move.to)
        if after_commit is not None:  # mail not yet through the outbox (complaints)
            moved = list(objects)
            transaction.on_commit(lambda: after_commit(moved, move.to))
    for obj in objects:
        obj.status = move.to  # type: ignore[attr-defined]
        for key, value in changes.items():
            setattr(obj, key, value)
    return list(objects)


def _label(lifecycle: Lifecycle, status: str) -> Any:
    try:
        return lifecycle.statuses(status).label
    except ValueError:
        return status
