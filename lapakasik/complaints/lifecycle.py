"""A complaint's table of moves and its one writer (lib/lifecycle.py).

A complaint is triaged by an officer of the branch, answered, and closed with a reason. An objection
(keberatan) to a claim's decision goes to a supervisor who did not take that decision; the supervisor upholds
or rejects it with a written reason, and an officer closes it. Upholding an objection records the verdict: a
claim decision is changed only by the claims app's own moves. Every move tells the person who filed on
commit (complaints/notify.py); a failed e-mail never undoes a step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from lapakasik.lib.errors import DomainError
from lapakasik.lib.lifecycle import Lifecycle, Move, apply_move

from . import notify
from .models import Complaint, ComplaintAction, ComplaintEvent, ComplaintStatus

A = ComplaintAction
S = ComplaintStatus
NEW: frozenset[str] = frozenset()
FILERS = frozenset({"participant", "heir", "employer_rep"})
STAFF = frozenset({"cso", "supervisor", "branch_head", "finance", "admin"})
REVIEWERS = frozenset({"supervisor", "branch_head", "admin"})
DECISION = "the claim's approval or rejection"

COMPLAINT = Lifecycle(
    model="complaints.Complaint",
    statuses=ComplaintStatus,
    notes=(
        "Staff means cso, supervisor, branch_head, finance or admin of the complaint's branch. A participant or "
        "heir files about their own claims and payments or a branch's service; an employer representative about "
        "the employer's collective claims. The due date is the category's working days "
        "(rules/params/complaints.yaml) from the filing day at the branch. An objection is about a claim's "
        "decision: it is escalated to a supervisor who did not take that decision, who alone (or the branch "
        "head, if not the decider) upholds or rejects it."
    ),
    moves=(
        Move(A.FILED, NEW, S.FILED, FILERS, "own claims and payments; any branch's service",
             when="an objection: the claim was approved or rejected"),
        Move(A.TRIAGED, frozenset({S.FILED}), S.TRIAGED, STAFF, when="complaints only"),
        Move(A.ANSWERED, frozenset({S.FILED, S.TRIAGED}), S.ANSWERED, STAFF, when="complaints only",
             reason=True),
        Move(A.ESCALATED, frozenset({S.FILED}), S.WITH_SUPERVISOR, STAFF, four_eyes=DECISION,
             when="objections only; to a supervisor of the branch"),
        Move(A.UPHELD, frozenset({S.WITH_SUPERVISOR}), S.DECIDED, REVIEWERS, four_eyes=DECISION,
             when="the assigned supervisor, or the branch head", reason=True),
        Move(A.REJECTED, frozenset({S.WITH_SUPERVISOR}), S.DECIDED, REVIEWERS, four_eyes=DECISION,
             when="the assigned supervisor, or the branch head", reason=True),
        Move(A.CLOSED, frozenset({S.FILED, S.TRIAGED, S.ANSWERED, S.DECIDED}), S.CLOSED, STAFF, reason=True),
    ),
)  # fmt: skip

LIFECYCLES = (COMPLAINT,)


def not_permitted() -> DomainError:
    return DomainError("not_permitted", _("Peran Anda tidak berwenang untuk tindakan ini."), status=403)


def require_role(name: str, by) -> None:
    if not (by.is_admin_role or by.role in COMPLAINT.move(name).who):
        raise not_permitted()


def move(
    complaints: Sequence[Complaint],
    name: str,
    *,
    by,
    note: str = "",
    changes: dict[str, Any] | None = None,
    expect: str | None = None,
    data: dict[str, Any] | None = None,
) -> list[Complaint]:
    """The one writer of a complaint's status after filing: table check, guarded UPDATE, events, e-mail."""
    require_role(name, by)

    def event(obj, from_status: str, to_status: str) -> ComplaintEvent:
        return ComplaintEvent(
            complaint=obj, action=name, actor=by, note=note, from_status=from_status, to_status=to_status,
            data=data or {},
        )  # fmt: skip

    def tell(moved: Sequence[Any], to_status: str) -> None:
        for complaint in moved:
            notify.step(complaint, name, to_status, note)

    return apply_move(  # type: ignore[return-value]
        COMPLAINT, name, complaints, by=by, event=event, changes=changes, expect=expect, tell=tell
    )


def create(complaint: Complaint, attachments: Sequence[Any], *, by) -> Complaint:
    """The filing move: the complaint, its attachments and their events in one transaction (the caller's),
    the person told on commit. ``attachments`` are unsaved ``ComplaintAttachment``s with their file stored."""
    require_role(A.FILED, by)
    complaint.save()
    events = [ComplaintEvent(complaint=complaint, action=A.FILED, actor=by, to_status=complaint.status,
                             data={"kind": complaint.kind, "category": complaint.category,
                                   "due_on": complaint.due_on.isoformat()})]  # fmt: skip
    for attachment in attachments:
        attachment.complaint = complaint
        attachment.save()
        events.append(
            ComplaintEvent(
                complaint=complaint,
                action=A.ATTACHMENT_ADDED,
                actor=by,
                data={"attachment": attachment.pk, "sha256": attachment.sha256},
            )  # fmt: skip
        )
    ComplaintEvent.objects.bulk_create(events)
    notify.step(complaint, A.FILED, complaint.status)
    return complaint
