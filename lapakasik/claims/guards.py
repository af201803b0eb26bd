"""Who may act on a claim, and whether it is still open to its claimant's inputs: the checks the claim's
actions (claims/actions.py) and the heir's shared inputs (claims/heirs.py) both make, in one place that
imports neither of them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lapakasik.accounts.models import Role
from lapakasik.lib.errors import DomainError

from .models import Claim, Status

VERIFYING_ROLES = frozenset({Role.CSO, Role.SUPERVISOR, Role.BRANCH_HEAD})

NOT_FOUND = DomainError("not_found", _("Klaim tidak ditemukan."), status=404)

EDITABLE_BY_CLAIMANT = frozenset({Status.DRAFT, Status.RETURNED_FOR_DOCUMENTS})


def require_staff_of_branch(
    claim: Claim, by, roles: frozenset[str], *, serving_branch_may: bool = False
) -> None:
    """Staff of the claim's own branch; with ``serving_branch_may`` also staff of the branch where the
    claim holds an active booking (a participant may be served at any branch since July 2020).

    Only verification steps pass ``serving_branch_may``: the serving officer sees the person and the
    original documents. Approval and rejection stay with the home branch, which pays and answers for it.
    """
    if not by.can_see_branch(claim.branch_id):
        serving = by.is_branch_staff and Claim.objects.served_at(by.branch_id).filter(pk=claim.pk).exists()
        if not serving:
            # Another branch's claim does not exist for this officer (404, not 403: nothing to learn by probing).
            raise NOT_FOUND
        if not serving_branch_may:
            raise DomainError(
                "home_branch_only",
                _("Persetujuan dan penolakan klaim ini dilakukan oleh kantor cabang asalnya."),
                status=403,
            )
    if not (by.role in roles or by.is_admin_role):
        raise DomainError("not_permitted", _("Peran Anda tidak berwenang untuk tindakan ini."), status=403)


def require_claimant(claim: Claim, by) -> None:
    if claim.claimant_id != by.id:
        raise NOT_FOUND


def lock_editable(claim: Claim, by, *, allowed: frozenset[str] = EDITABLE_BY_CLAIMANT) -> Claim:
    """Inside a transaction: the claim row locked, and still in a state where ``by`` may change its inputs."""
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    is_staff = by.is_branch_staff or by.is_admin_role
    if is_staff:
        require_staff_of_branch(locked, by, VERIFYING_ROLES, serving_branch_may=True)
        allowed = allowed | {Status.SUBMITTED, Status.IN_VERIFICATION}  # desk documents, the dropbox
    else:
        require_claimant(locked, by)
    if locked.status not in allowed:
        raise DomainError(
            "claim_not_editable",
            _("Klaim berstatus '%(status)s' tidak dapat diubah lagi.")
            % {"status": Status(locked.status).label},
            status=409,
        )
    return locked
