"""The privacy app's tables of moves and their one writer (lib/lifecycle.py).

A deletion request is decided when it is made (privacy/erasure.py applies the retention rules; nobody has
to weigh anything), so its table has one row from *new*. A correction request needs two people: one
checks it against the evidence and writes what must change, a second (supervisor or branch head) confirms
that the change was made in the membership register. An incident stays open until both notices of UU PDP
ps. 46 went out; notices move no status, they are dated once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from lapakasik.lib.errors import DomainError
from lapakasik.lib.lifecycle import Lifecycle, Move, apply_move

from .models import DataRequest, Incident, IncidentStatus, PrivacyAction, PrivacyEvent, RequestStatus

A = PrivacyAction
R = RequestStatus
I = IncidentStatus  # noqa: E741
NEW: frozenset[str] = frozenset()
CLAIMANT = "claimant"
STAFF = frozenset({"cso", "supervisor", "branch_head", "admin"})
SECOND = frozenset({"supervisor", "branch_head", "admin"})
BREACH_OWNERS = frozenset({"branch_head", "admin"})

DATA_REQUEST = Lifecycle(
    model="privacy.DataRequest",
    statuses=RequestStatus,
    notes=(
        "Deletion is decided by the retention rules when asked (privacy/erasure.py): honoured, partly "
        "honoured or refused, each kept category with its legal reason. Correction: a first officer checks "
        "and writes what must change; a second person confirms the register was changed (four eyes)."
    ),
    moves=(
        Move(A.DELETION_DECIDED, NEW, "honoured | partly_honoured | refused", frozenset({CLAIMANT, *STAFF}),
             "own; staff: any participant", when="at once, by the retention rules"),
        Move(A.CORRECTION_REQUESTED, NEW, R.OPEN, frozenset({CLAIMANT, *STAFF}), "own; staff: any participant"),
        Move(A.CORRECTION_CHECKED, frozenset({R.OPEN}), R.CHECKED, STAFF, "any participant", reason=True),
        Move(A.CORRECTION_CORRECTED, frozenset({R.CHECKED}), R.CORRECTED, SECOND, "any participant",
             four_eyes="correction_checked"),
        Move(A.CORRECTION_REJECTED, frozenset({R.OPEN, R.CHECKED}), R.REJECTED, SECOND, "any participant",
             reason=True),
    ),
)  # fmt: skip

INCIDENT = Lifecycle(
    model="privacy.Incident",
    statuses=IncidentStatus,
    notes=(
        "Recording an incident starts the 3 × 24-hour clock (UU PDP ps. 46). Each notice is dated once and "
        "moves no status; the incident closes only after both."
    ),
    moves=(
        Move(A.INCIDENT_RECORDED, NEW, I.OPEN, BREACH_OWNERS, "own branch (admin: any or none)"),
        Move(A.AUTHORITY_NOTIFIED, frozenset({I.OPEN}), I.OPEN, BREACH_OWNERS, when="once"),
        Move(A.SUBJECTS_NOTIFIED, frozenset({I.OPEN}), I.OPEN, BREACH_OWNERS, when="once"),
        Move(A.INCIDENT_CLOSED, frozenset({I.OPEN}), I.CLOSED, BREACH_OWNERS, when="both notices sent",
             reason=True),
    ),
)  # fmt: skip

LIFECYCLES = (DATA_REQUEST, INCIDENT)


def not_permitted() -> DomainError:
    return DomainError("not_permitted", _("Peran Anda tidak berwenang untuk tindakan ini."), status=403)


def require_role(lifecycle: Lifecycle, name: str, by) -> None:
    if not (by.is_admin_role or by.role in lifecycle.move(name).who):
        raise not_permitted()


def move_requests(
    requests: Sequence[DataRequest], name: str, *, by, note: str = "", changes: dict[str, Any]
) -> list[DataRequest]:
    """The one writer of a data request's status after it was made."""
    require_role(DATA_REQUEST, name, by)

    def event(obj, from_status: str, to_status: str) -> PrivacyEvent:
        return PrivacyEvent(
            action=name, actor=by, note=note, request=obj, participant_id=obj.participant_id,
            from_status=from_status, to_status=to_status,
        )  # fmt: skip

    return apply_move(DATA_REQUEST, name, requests, by=by, event=event, changes=changes)  # type: ignore[return-value]


def move_incidents(
    incidents: Sequence[Incident], name: str, *, by, note: str = "", changes: dict[str, Any]
) -> list[Incident]:
    """The one writer of an incident's status and notice dates after it was recorded."""
    require_role(INCIDENT, name, by)

    def event(obj, from_status: str, to_status: str) -> PrivacyEvent:
        return PrivacyEvent(
            action=name, actor=by, note=note, incident=obj, from_status=from_status, to_status=to_status,
            data={"affected_count": obj.affected_count},
        )  # fmt: skip

    return apply_move(INCIDENT, name, incidents, by=by, event=event, changes=changes)  # type: ignore[return-value]
