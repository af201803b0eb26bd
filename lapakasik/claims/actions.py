"""Every change of a claim's state, one function each (ARCHITECTURE §3.2).

Each action runs in one transaction, re-checks the state with a guarded UPDATE that must hit
exactly one row (so two officers deciding at once cannot both win), refuses with a DomainError
that carries a stable code, and writes a ClaimEvent in the same transaction. Portal, console,
API, collective import and tasks all call these; none of them writes a claim's status itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapakasik.accounts.models import Role
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Participant

from .models import REASONS_BY_PROGRAM, Claim, ClaimEvent, Program, Status

OPEN_STATUSES = frozenset(
    {Status.DRAFT, Status.SUBMITTED, Status.IN_VERIFICATION, Status.RETURNED_FOR_DOCUMENTS, Status.VERIFIED,
     Status.APPROVED}
)  # fmt: skip
VERIFYING_ROLES = frozenset({Role.CSO, Role.SUPERVISOR, Role.BRANCH_HEAD})
APPROVING_ROLES = frozenset({Role.CSO, Role.SUPERVISOR, Role.BRANCH_HEAD})
SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.BRANCH_HEAD})

NOT_FOUND = DomainError("not_found", _("Klaim tidak ditemukan."), status=404)


def _stale() -> DomainError:
    return DomainError(
        "claim_changed",
        _(
            "Klaim ini baru saja diubah oleh orang lain. Muat ulang halaman untuk melihat keadaannya sekarang."
        ),
        status=409,
    )


def transition(
    claim: Claim,
    to: str,
    *,
    by,
    action: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    **changes: Any,
) -> Claim:
    """Move `claim` from the status the caller saw to `to`, or refuse. The building block of every action."""
    if not claim.can_move_to(to):
        raise DomainError(
            "transition_not_allowed",
            _("Klaim berstatus '%(status)s' tidak dapat diubah menjadi '%(to)s'.")
            % {"status": Status(claim.status).label, "to": Status(to).label},
            status=409,
        )
    with transaction.atomic():
        hit = Claim.objects.filter(pk=claim.pk, status=claim.status).update(status=to, **changes)
        if hit != 1:
            raise _stale()
        ClaimEvent.objects.create(
            claim=claim,
            actor=by,
            action=action,
            from_status=claim.status,
            to_status=to,
            note=note,
            data=data or {},
        )
    claim.refresh_from_db()
    return claim


def _require_staff_of_branch(claim: Claim, by, roles: frozenset[str]) -> None:
    # Another branch's claim does not exist for this officer (404, not 403: nothing to learn by probing).
    if not by.can_see_branch(claim.branch_id):
        raise NOT_FOUND
    if not (by.role in roles or by.is_admin_role):
        raise DomainError("not_permitted", _("Peran Anda tidak berwenang untuk tindakan ini."), status=403)


def _require_claimant(claim: Claim, by) -> None:
    if claim.claimant_id != by.id:
        raise NOT_FOUND


def _require_reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError("reason_required", _("Alasan wajib diisi."), field="reason")
    return text


def start_claim(
    *,
    participant: Participant,
    program: str,
    reason: str,
    channel: str,
    by,
    branch,
    area,
    heir=None,
    employer=None,
) -> Claim:
    """A draft claim. Refuses a second open claim of the same program for the same participant."""
    if reason not in REASONS_BY_PROGRAM.get(Program(program), set()):
        raise DomainError(
            "reason_not_for_program", _("Alasan klaim tidak berlaku untuk program ini."), field="reason"
        )
    with transaction.atomic():
        # Lock the participant row so that two tabs starting the same claim cannot both pass the check.
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        if Claim.objects.filter(participant=participant, program=program, status__in=OPEN_STATUSES).exists():
            raise DomainError(
                "open_claim_exists",
                _("Masih ada klaim %(program)s yang sedang diproses untuk peserta ini.")
                % {"program": program},
                field="program",
                status=409,
            )
        claim = Claim.objects.create(
            participant=participant, program=program, reason=reason, channel=channel, claimant=by, branch=branch,
            area=area, heir=heir, employer=employer, status=Status.DRAFT,
        )  # fmt: skip
        ClaimEvent.objects.create(claim=claim, actor=by, action="started", to_status=Status.DRAFT)
    return claim


def submit_claim(claim: Claim, *, by, amount_claimed: int | None = None) -> Claim:
    """The claimant (or the employer's representative for a collective claim) hands the claim in."""
    if claim.channel != "collective":
        _require_claimant(claim, by)
    now = timezone.now()
    changes: dict[str, Any] = {"submitted_at": now, "submitted_on": timezone.localdate(now)}
    if amount_claimed is not None:
        changes["amount_claimed"] = amount_claimed
    return transition(claim, Status.SUBMITTED, by=by, action="submitted", **changes)


def cancel_claim(claim: Claim, *, by, note: str = "") -> Claim:
    """Withdrawn by the claimant, only before an officer starts verifying it."""
    _require_claimant(claim, by)
    return transition(claim, Status.CANCELLED, by=by, action="cancelled", note=note)


def start_verification(claim: Claim, *, by) -> Claim:
    _require_staff_of_branch(claim, by, VERIFYING_ROLES)
    return transition(claim, Status.IN_VERIFICATION, by=by, action="verification_started")


def verify_claim(claim: Claim, *, by, note: str = "") -> Claim:
    _require_staff_of_branch(claim, by, VERIFYING_ROLES)
    return transition(claim, Status.VERIFIED, by=by, action="verified", note=note, verified_by=by)


def return_for_documents(claim: Claim, *, by, reason: str) -> Claim:
    _require_staff_of_branch(claim, by, VERIFYING_ROLES)
    note = _require_reason(reason)
    return transition(
        claim, Status.RETURNED_FOR_DOCUMENTS, by=by, action="returned", note=note, decision_note=note
    )


def reject_claim(claim: Claim, *, by, code: str, note: str) -> Claim:
    """Rejection always carries a reason code and an explanation the claimant will read."""
    _require_staff_of_branch(claim, by, VERIFYING_ROLES)
    if not code:
        raise DomainError("reason_required", _("Kode alasan penolakan wajib dipilih."), field="code")
    note = _require_reason(note)
    return transition(
        claim, Status.REJECTED, by=by, action="rejected", note=note, data={"code": code},
        decision_code=code, decision_note=note,
    )  # fmt: skip


def approve_claim(claim: Claim, *, by) -> Claim:
    """Maker-checker: nobody approves what they verified; large claims need a supervisor."""
    _require_staff_of_branch(claim, by, APPROVING_ROLES)
    if claim.verified_by_id == by.id:
        raise DomainError(
            "four_eyes", _("Klaim yang Anda verifikasi harus disetujui oleh petugas lain."), status=403
        )
    if (claim.amount_claimed or 0) > settings.CLAIM_SUPERVISOR_THRESHOLD and by.role not in SUPERVISING_ROLES:
        raise DomainError(
            "supervisor_required",
            _("Klaim di atas batas nominal harus disetujui oleh supervisor."),
            status=403,
        )
    return transition(claim, Status.APPROVED, by=by, action="approved", approved_by=by)
