"""Every change of a claim's state, one function each (ARCHITECTURE §3.2).

Each action runs in one transaction, re-checks the state with a guarded UPDATE that must hit
exactly one row (so two officers deciding at once cannot both win), refuses with a DomainError
that carries a stable code, and writes a ClaimEvent in the same transaction. Portal, console,
API, collective import and tasks all call these; none of them writes a claim's status itself.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapakasik.accounts.models import Role
from lapakasik.lib.errors import DomainError
from lapakasik.lib.identifiers import normalize_digits
from lapakasik.lib.names import name_similarity
from lapakasik.registry.models import Participant

from . import notify
from .models import (
    OPEN_STATUSES,
    REASONS_BY_PROGRAM,
    Claim,
    ClaimDocument,
    ClaimEvent,
    PayoutAccount,
    Program,
    Status,
)

VERIFYING_ROLES = frozenset({Role.CSO, Role.SUPERVISOR, Role.BRANCH_HEAD})
APPROVING_ROLES = frozenset({Role.CSO, Role.SUPERVISOR, Role.BRANCH_HEAD})
SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.BRANCH_HEAD})

# Why a claim is rejected: a stable code for reports, and the words the claimant reads.
REJECTION_CODES = {
    "not_eligible": _("Tidak memenuhi syarat"),
    "waiting_period": _("Masa tunggu belum lewat"),
    "identity_mismatch": _("Data diri tidak cocok"),
    "documents_invalid": _("Dokumen tidak sah"),
    "duplicate_claim": _("Klaim ganda"),
    "fraud_suspected": _("Dugaan penyalahgunaan"),
}


def supervisor_threshold() -> int:
    return settings.CLAIM_SUPERVISOR_THRESHOLD


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
        # After commit only: a rolled-back decision must not have told the claimant anything.
        transaction.on_commit(partial(notify.status_changed, claim.pk, claim.status, to, note))
    claim.refresh_from_db()
    return claim


def _require_staff_of_branch(
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


def submit_claim(
    claim: Claim, *, by, amount_claimed: int | None = None, require_complete: bool = False
) -> Claim:
    """The claimant (or the employer's representative for a collective claim) hands the claim in.

    With ``require_complete`` (the portal and the API) the claim must carry every checklist
    document and a payout account. An online claim's gross estimate (which decides maker-checker)
    comes from the rules when the caller does not give one.
    """
    from .checks import recompute_findings

    if claim.channel != "collective":
        _require_claimant(claim, by)
    now = timezone.now()
    changes: dict[str, Any] = {"submitted_at": now, "submitted_on": timezone.localdate(now)}
    if claim.channel == "online" and claim.can_move_to(Status.SUBMITTED):
        assessment = _assessment(claim)
        if require_complete:
            _require_complete(claim, assessment)
        if amount_claimed is None and not assessment.problem:
            amount_claimed = assessment.total
    if amount_claimed is not None:
        changes["amount_claimed"] = amount_claimed
    claim = transition(claim, Status.SUBMITTED, by=by, action="submitted", **changes)
    recompute_findings(claim)
    return claim


def _assessment(claim: Claim):
    from lapakasik.lib.dates import today_at

    from .cases import assess

    on = today_at(claim.branch.time_zone)
    return assess(claim.participant, claim.program, claim.reason, on=on, heir=claim.heir)


def _require_complete(claim: Claim, assessment) -> None:
    uploaded = set(claim.documents.values_list("kind", flat=True))
    missing = [code for code, _label in assessment.documents if code not in uploaded]
    if missing:
        raise DomainError(
            "documents_incomplete",
            _("Dokumen belum lengkap: %(list)s.") % {"list": ", ".join(label for code, label in
                                                                        assessment.documents if code in missing)},
            field="documents",
        )  # fmt: skip
    if not PayoutAccount.objects.filter(claim=claim).exists():
        raise DomainError("payout_account_missing", _("Isi rekening bank terlebih dahulu."), field="bank")


def cancel_claim(claim: Claim, *, by, note: str = "") -> Claim:
    """Withdrawn by the claimant, only before an officer starts verifying it."""
    _require_claimant(claim, by)
    return transition(claim, Status.CANCELLED, by=by, action="cancelled", note=note)


def start_verification(claim: Claim, *, by) -> Claim:
    _require_staff_of_branch(claim, by, VERIFYING_ROLES, serving_branch_may=True)
    return transition(claim, Status.IN_VERIFICATION, by=by, action="verification_started")


def verify_claim(claim: Claim, *, by, note: str = "") -> Claim:
    _require_staff_of_branch(claim, by, VERIFYING_ROLES, serving_branch_may=True)
    return transition(claim, Status.VERIFIED, by=by, action="verified", note=note, verified_by=by)


def return_for_documents(claim: Claim, *, by, reason: str) -> Claim:
    _require_staff_of_branch(claim, by, VERIFYING_ROLES, serving_branch_may=True)
    note = _require_reason(reason)
    return transition(
        claim, Status.RETURNED_FOR_DOCUMENTS, by=by, action="returned", note=note, decision_note=note
    )


def reject_claim(claim: Claim, *, by, code: str, note: str) -> Claim:
    """Rejection always carries a reason code and an explanation the claimant will read."""
    _require_staff_of_branch(claim, by, VERIFYING_ROLES)
    if code not in REJECTION_CODES:
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


# --- documents and the payout account: inputs the claimant changes while the claim is theirs ----------

EDITABLE_BY_CLAIMANT = frozenset({Status.DRAFT, Status.RETURNED_FOR_DOCUMENTS})
BANKS = ["BRI", "BNI", "MANDIRI", "BCA", "BSI", "BTN", "JATIM", "BJB", "CIMB", "DANAMON", "PERMATA"]


def _lock_editable(claim: Claim, by, *, allowed: frozenset[str] = EDITABLE_BY_CLAIMANT) -> Claim:
    """Inside a transaction: the claim row locked, and still in a state where ``by`` may change its inputs."""
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    is_staff = by.is_branch_staff or by.is_admin_role
    if is_staff:
        _require_staff_of_branch(locked, by, VERIFYING_ROLES, serving_branch_may=True)
        allowed = allowed | {Status.SUBMITTED, Status.IN_VERIFICATION}  # documents handed in at the dropbox
    else:
        _require_claimant(locked, by)
    if locked.status not in allowed:
        raise DomainError(
            "claim_not_editable",
            _("Klaim berstatus '%(status)s' tidak dapat diubah lagi.")
            % {"status": Status(locked.status).label},
            status=409,
        )
    return locked


def add_document(claim: Claim, *, by, kind: str, upload) -> ClaimDocument:
    """Check an uploaded scan (claims/uploads.py), store it under a random name, and record it."""
    from .cases import document_label
    from .checks import recompute_findings
    from .uploads import clean_upload

    if kind not in {code for code, _label in _assessment(claim).documents}:
        raise DomainError(
            "document_kind", _("Jenis dokumen ini tidak diminta untuk klaim ini."), field="kind"
        )
    clean = clean_upload(upload)  # before the transaction: hostile bytes never reach storage
    with transaction.atomic():
        locked = _lock_editable(claim, by)
        document = ClaimDocument(
            claim=locked, kind=kind, original_name=clean.original_name, sha256=clean.sha256, size=len(clean.content),
            content_type=clean.content_type, uploaded_by=by,
        )  # fmt: skip
        document.file.save(f"upload.{clean.extension}", ContentFile(clean.content), save=False)
        try:  # a failed write must not leave the stored file behind
            document.save()
            ClaimEvent.objects.create(
                claim=locked, actor=by, action="document_added", from_status=locked.status, to_status=locked.status,
                note=str(document_label(kind)), data={"kind": kind, "sha256": clean.sha256, "document": document.pk},
            )  # fmt: skip
        except Exception:
            document.file.delete(save=False)
            raise
    recompute_findings(locked)
    return document


def remove_document(document: ClaimDocument, *, by) -> None:
    from .checks import recompute_findings

    with transaction.atomic():
        locked = _lock_editable(document.claim, by)
        ClaimEvent.objects.create(
            claim=locked, actor=by, action="document_removed", from_status=locked.status, to_status=locked.status,
            data={"kind": document.kind, "sha256": document.sha256},
        )  # fmt: skip
        name = document.file.name or ""
        storage = document.file.storage
        document.delete()
        transaction.on_commit(partial(storage.delete, name))
    recompute_findings(locked)


def save_payout_account(
    claim: Claim, *, by, bank_code: str, account_number: str, holder_name: str
) -> PayoutAccount:
    """The account the benefit goes to: in the claimant's own name (the heir's for a death claim).

    Banks shorten or respell names, so the holder name is compared tolerantly (rapidfuzz) and the
    score kept for the officer; clearly another person's name is refused.
    """
    from .checks import recompute_findings

    bank_code = (bank_code or "").strip().upper()
    number = normalize_digits(account_number)
    holder_name = " ".join((holder_name or "").split())
    if bank_code not in BANKS:
        raise DomainError("bank_unknown", _("Pilih bank dari daftar."), field="bank_code")
    if not number.isdigit() or not 6 <= len(number) <= 20:
        raise DomainError(
            "account_number_invalid", _("Nomor rekening harus 6–20 angka."), field="account_number"
        )
    claimant_name = claim.heir.full_name if claim.heir is not None else claim.participant.full_name
    score = name_similarity(holder_name, claimant_name)
    if score < settings.PAYOUT_NAME_MIN_SCORE:
        raise DomainError(
            "account_holder_mismatch",
            _("Rekening harus atas nama %(who)s sendiri; nama pemilik rekening tidak cocok.")
            % {"who": _("ahli waris") if claim.heir_id else _("peserta")},
            field="holder_name",
        )
    with transaction.atomic():
        locked = _lock_editable(claim, by, allowed=EDITABLE_BY_CLAIMANT | {Status.APPROVED})
        account, _created = PayoutAccount.objects.update_or_create(
            claim=locked,
            defaults={"bank_code": bank_code, "account_number": number, "holder_name": holder_name,
                      "name_match": score},
        )  # fmt: skip
        ClaimEvent.objects.create(
            claim=locked, actor=by, action="payout_account_saved", from_status=locked.status, to_status=locked.status,
            data={"bank_code": bank_code, "last4": number[-4:], "name_match": score},
        )  # fmt: skip
    recompute_findings(locked)
    return account


def decide(claim: Claim, *, by, decision: str, note: str = "", code: str = "") -> Claim:
    """One entry for an officer's decision by name (console buttons and the staff API)."""
    if decision == "start":
        return start_verification(claim, by=by)
    if decision == "verify":
        return verify_claim(claim, by=by, note=note)
    if decision == "return":
        return return_for_documents(claim, by=by, reason=note)
    if decision == "reject":
        return reject_claim(claim, by=by, code=code, note=note)
    if decision == "approve":
        return approve_claim(claim, by=by)
    raise DomainError("unknown_decision", _("Keputusan tidak dikenal."), field="decision")
