"""The collective channel's lifecycles: mandates, lists and list rows, and their one writer each.

Every status write of a ``Mandate``, a ``MassList`` or a ``ListRow`` goes through ``move_mandates``,
``move_lists`` or ``move_rows`` below (lib/lifecycle: table check, guarded UPDATE from the status the
caller saw, the audit event in the same transaction). The actions in collective/actions.py decide
*whether* a move may happen (roles, the employer's branch, an active mandate); these functions are
the only place that writes it. A row is created valid or invalid by the check; after that it only moves.

Rows move in sets of thousands (a chunk of a list becoming claims), so their audit is one event per
list and move naming the lines, not one per row: a row has no history of its own beyond its list's,
and the claim it becomes carries its own ClaimEvents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from lapakasik.lib.errors import DomainError
from lapakasik.lib.lifecycle import Lifecycle, Move, apply_move, guarded_update, not_allowed

from .models import CollectiveEvent, ListRow, ListStatus, Mandate, MandateStatus, MassList, RowStatus

SUPERVISORS = frozenset({"supervisor", "branch_head", "admin"})
SYSTEM = frozenset({"system"})


class CollectiveAction(models.TextChoices):
    """Every action the collective channel records, named once."""

    MANDATE_CREATED = "mandate_created", _("Surat kuasa diunggah")
    MANDATE_APPROVED = "mandate_approved", _("Surat kuasa disetujui")
    MANDATE_REJECTED = "mandate_rejected", _("Surat kuasa ditolak")
    MANDATE_REVOKED = "mandate_revoked", _("Surat kuasa dicabut")
    LIST_UPLOADED = "list_uploaded", _("Daftar diunggah")
    LIST_VALIDATED = "list_validated", _("Daftar selesai diperiksa")
    LIST_DUPLICATE = "list_duplicate", _("Daftar sama dengan daftar sebelumnya")
    LIST_REJECTED = "list_rejected", _("Berkas daftar ditolak")
    LIST_SUBMITTED = "list_submitted", _("Daftar diajukan")
    LIST_RESUMED = "list_resumed", _("Pemrosesan daftar dilanjutkan")
    LIST_STOPPED = "list_stopped", _("Pengajuan daftar dihentikan")
    LIST_CLAIMS_CREATED = "list_claims_created", _("Klaim daftar selesai dibuat")
    ROWS_CLAIMED = "rows_claimed", _("Baris menjadi klaim")
    ROWS_REFUSED = "rows_refused", _("Baris ditolak saat klaim dibuat")
    BATCH_VERIFICATION_STARTED = "batch_verification_started", _("Verifikasi daftar dimulai")


MANDATE = Lifecycle(
    model="collective.Mandate",
    statuses=MandateStatus,
    notes="Created pending by the employer's representative (`create_mandate`), with the no-misuse statement.",
    moves=(
        Move("approve", frozenset({MandateStatus.PENDING}), MandateStatus.APPROVED, SUPERVISORS,
             scope="employer's branch", when="before the end of its validity"),
        Move("reject", frozenset({MandateStatus.PENDING}), MandateStatus.REJECTED, SUPERVISORS,
             scope="employer's branch", reason=True),
        Move("revoke", frozenset({MandateStatus.PENDING, MandateStatus.APPROVED}), MandateStatus.REVOKED,
             frozenset({"employer_rep", *SUPERVISORS}), scope="own (representative) or employer's branch"),
    ),
)  # fmt: skip

MASS_LIST = Lifecycle(
    model="collective.MassList",
    statuses=ListStatus,
    notes=(
        "Created received by `upload_list` (an active mandate); the worker checks it (`prepare_list`) and "
        "makes its claims (`run_submission`), chunk by chunk, resumable."
    ),
    moves=(
        Move("validate", frozenset({ListStatus.RECEIVED}), ListStatus.VALIDATED, SYSTEM, scope="any"),
        Move("mark_duplicate", frozenset({ListStatus.RECEIVED}), ListStatus.DUPLICATE, SYSTEM, scope="any",
             when="an earlier list of the employer has the same content"),
        Move("reject_file", frozenset({ListStatus.RECEIVED}), ListStatus.REJECTED, SYSTEM, scope="any",
             when="the file or ZIP is unreadable, unsafe or empty"),
        Move("submit", frozenset({ListStatus.VALIDATED}), ListStatus.SUBMITTING, frozenset({"employer_rep"}),
             scope="own employer", when="the representative's mandate is active; some row is valid"),
        Move("finish", frozenset({ListStatus.SUBMITTING}), ListStatus.SUBMITTED, SYSTEM, scope="any",
             when="no valid row is left"),
        Move("stop", frozenset({ListStatus.SUBMITTING}), ListStatus.VALIDATED, SYSTEM, scope="any",
             when="the mandate was revoked or expired mid-way"),
    ),
)  # fmt: skip

LIST_ROW = Lifecycle(
    model="collective.ListRow",
    statuses=RowStatus,
    notes="Created valid or invalid by the list's check; one event per list and move names the lines.",
    moves=(
        Move("claim", frozenset({RowStatus.VALID}), RowStatus.CLAIMED, SYSTEM, scope="any"),
        Move("refuse", frozenset({RowStatus.VALID}), RowStatus.INVALID, SYSTEM, scope="any",
             when="an open claim appeared between the check and the submission"),
    ),
)  # fmt: skip

LIFECYCLES = (MANDATE, MASS_LIST, LIST_ROW)

MANDATE_ACTIONS = {
    "approve": CollectiveAction.MANDATE_APPROVED,
    "reject": CollectiveAction.MANDATE_REJECTED,
    "revoke": CollectiveAction.MANDATE_REVOKED,
}
LIST_ACTIONS = {
    "validate": CollectiveAction.LIST_VALIDATED,
    "mark_duplicate": CollectiveAction.LIST_DUPLICATE,
    "reject_file": CollectiveAction.LIST_REJECTED,
    "submit": CollectiveAction.LIST_SUBMITTED,
    "finish": CollectiveAction.LIST_CLAIMS_CREATED,
    "stop": CollectiveAction.LIST_STOPPED,
}
ROW_ACTIONS = {"claim": CollectiveAction.ROWS_CLAIMED, "refuse": CollectiveAction.ROWS_REFUSED}


def record(
    action: CollectiveAction, *, by, employer_id: int, mandate=None, mass_list=None, **data: Any
) -> None:
    """An event that changes no status (an upload, a resume): the same table, the same action names."""
    CollectiveEvent.objects.create(
        action=action, actor=by, employer_id=employer_id, mandate=mandate, mass_list=mass_list, data=data
    )


def move_mandates(
    mandates: Sequence[Mandate], move: str, *, by, reason: str = "", expect: str | None = None, **changes: Any
) -> list[Mandate]:
    """The one writer of a mandate's status; ``reason`` goes into the event (and is required where the table says)."""
    if MANDATE.move(move).reason and not reason.strip():
        raise DomainError("reason_required", _("Alasan wajib diisi."), field="note")

    def event(mandate, old: str, new: str) -> CollectiveEvent:
        return CollectiveEvent(
            action=MANDATE_ACTIONS[move],
            actor=by,
            employer_id=mandate.employer_id,
            mandate=mandate,
            from_status=old,
            to_status=new,
            note=reason,
        )

    with transaction.atomic():
        return apply_move(MANDATE, move, mandates, by=by, event=event, changes=changes, expect=expect)  # type: ignore[return-value]


def move_lists(
    lists: Sequence[MassList], move: str, *, by, data: dict[str, Any] | None = None, **changes: Any
) -> list[MassList]:
    """The one writer of a list's status; ``changes`` are the list's other columns the move sets."""

    def event(mass_list, old: str, new: str) -> CollectiveEvent:
        return CollectiveEvent(
            action=LIST_ACTIONS[move],
            actor=by,
            employer_id=mass_list.employer_id,
            mass_list=mass_list,
            from_status=old,
            to_status=new,
            data=data or {},
        )

    with transaction.atomic():
        return apply_move(MASS_LIST, move, lists, by=by, event=event, changes=changes)  # type: ignore[return-value]


def move_rows(rows: Sequence[ListRow], move: str, *, by, employer_id: int) -> list[ListRow]:
    """The one writer of a row's status: one guarded UPDATE per status seen, one event per list."""
    step = LIST_ROW.move(move)
    for row in rows:
        if row.status not in step.sources:
            raise not_allowed(RowStatus(row.status).label, RowStatus(step.to).label)
    if not rows:
        return []
    lines: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        lines[row.mass_list_id].append(row.line)
    with transaction.atomic():
        guarded_update(ListRow, [(row.pk, row.status) for row in rows], step.to)
        CollectiveEvent.objects.bulk_create(
            [
                CollectiveEvent(
                    action=ROW_ACTIONS[move],
                    actor=by,
                    employer_id=employer_id,
                    mass_list_id=list_id,
                    from_status=RowStatus.VALID,
                    to_status=step.to,
                    data={"rows": len(found), "lines": _ranges(sorted(found))},
                )
                for list_id, found in lines.items()
            ]
        )
    for row in rows:
        row.status = step.to
    return list(rows)


def _ranges(lines: list[int]) -> str:
    """ "2-5,9,11-12": the lines of a chunk in a few characters, however many rows it moved."""
    parts: list[str] = []
    start = previous = None
    for line in [*lines, None]:
        if previous is not None and line == previous + 1:
            previous = line
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = line
    return ",".join(parts)
