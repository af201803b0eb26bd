"""Every change of a claim's state, one function each (ARCHITECTURE §3.2).

Each action decides *whether* (the claim's branch, the role, maker-checker, the amount, the inputs) and
then calls claims/lifecycle.py, the one writer of a claim's status, documents, account and events: the
table check, a guarded UPDATE that must hit every row in the status its caller saw (two officers deciding
at once: one wins, the other is told ``changed_meanwhile``), the events in the same transaction and the
status e-mail on commit. Portal, console, API, payments, collective and the demo all call these.
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
from lapakasik.lib.lifecycle import changed_meanwhile
from lapakasik.lib.names import NameCheck, name_matches
from lapakasik.registry.models import Participant

from . import lifecycle, signals
from .guards import EDITABLE_BY_CLAIMANT, VERIFYING_ROLES
from .guards import lock_editable as _lock_editable
from .guards import require_claimant as _require_claimant
from .guards import require_staff_of_branch as _require_staff_of_branch
from .lifecycle import can_move
from .models import (
    OPEN_STATUSES,
    REASONS_BY_PROGRAM,
    Claim,
    ClaimAction,
    ClaimDocument,
    PayoutAccount,
    Program,
    Status,
)

A = ClaimAction

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
        return lifecycle.create_claim(
            by=by,
            participant=participant,
            program=program,
            reason=reason,
            channel=channel,
            claimant=by,
            branch=branch,
            area=area,
            heir=heir,
            employer=employer,
        )


def start_online_claim(*, by, participant: Participant, program: str, reason: str, heir=None) -> Claim:
    """The one "start an online claim" of the portal and the API, so both refuse alike: only what may be
    claimed online by who asks (heirs what a death opens), only a case the rules do not refuse today (a
    missing registry fact is the officer's to complete), at the participant's home branch."""
    from lapakasik.lib.dates import today_at

    from .cases import HEIR_CHOICES, PARTICIPANT_CHOICES, assess, home_branch

    if (program, reason) not in (HEIR_CHOICES if heir else PARTICIPANT_CHOICES):
        raise DomainError(
            "reason_not_for_program", _("Program dan alasan ini tidak dapat diajukan daring."), field="reason"
        )
    branch, area = home_branch(participant)
    assessment = assess(participant, program, reason, on=today_at(branch.time_zone), heir=heir)
    if not assessment.can_start:
        raise DomainError("not_eligible", " ".join(assessment.reasons), field="reason")
    claim = start_claim(
        participant=participant,
        program=program,
        reason=reason,
        channel="online",
        by=by,
        branch=branch,
        area=area,
        heir=heir,
    )
    if heir is not None:  # what she gave for the deceased's other claims is not asked again (claims/heirs.py)
        from .heirs import share_given_documents

        share_given_documents(claim, by=by)
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

    if claim.channel == "offline" and (by.is_branch_staff or by.is_admin_role):
        # A counter claim has no claimant account: the officer re-submits it once the desk documents are in.
        _require_staff_of_branch(claim, by, VERIFYING_ROLES, serving_branch_may=True)
    elif claim.channel != "collective":
        _require_claimant(claim, by)
    from lapakasik.lib.dates import today_at

    now = timezone.now()
    # The date at the claim's branch: a WITA branch's 00:30 is still the previous day in Jakarta.
    changes: dict[str, Any] = {"submitted_at": now, "submitted_on": today_at(claim.branch.time_zone, now=now)}
    if claim.channel == "online" and can_move(claim, Status.SUBMITTED):
        assessment = _assessment(claim)
        if require_complete:
            _require_complete(claim, assessment)
        if amount_claimed is None and not assessment.problem:
            amount_claimed = assessment.total
    if amount_claimed is not None:
        changes["amount_claimed"] = amount_claimed
    lifecycle.move([claim], A.SUBMITTED, by=by, changes=changes)
    recompute_findings(claim)
    return claim


def _assessment(claim: Claim):
    from .cases import assess_claim

    return assess_claim(claim)


def _require_complete(claim: Claim, assessment) -> None:
    uploaded = set(claim.documents.values_list("kind", flat=True))
    missing = [code for code, _label in assessment.documents if code not in uploaded]
    if missing:
        raise DomainError(
            "documents_incomplete",
            _("Dokumen belum lengkap: %(list)s.")
            % {"list": ", ".join(label for code, label in assessment.documents if code in missing)},
            field="documents",
        )
    if not PayoutAccount.objects.filter(claim=claim).exists():
        raise DomainError("payout_account_missing", _("Isi rekening bank terlebih dahulu."), field="bank")


def cancel_claim(claim: Claim, *, by, note: str = "") -> Claim:
    """Withdrawn by the claimant, only before an officer starts verifying it."""
    _require_claimant(claim, by)
    lifecycle.move([claim], A.CANCELLED, by=by, note=note)
    return claim


def start_verification(claim: Claim, *, by, expect: str | None = None) -> Claim:
    _require_staff_of_branch(claim, by, VERIFYING_ROLES, serving_branch_may=True)
    lifecycle.move([claim], A.VERIFICATION_STARTED, by=by, expect=expect)
    return claim


def start_verification_of(claims: list[Claim], *, by) -> list[Claim]:
    """A whole list taken into verification at once (collective): one statement, an event per claim."""
    for claim in claims:
        _require_staff_of_branch(claim, by, VERIFYING_ROLES, serving_branch_may=True)
    return lifecycle.move(claims, A.VERIFICATION_STARTED, by=by)


def start_verification_of_selected(claims: list[Claim], *, by) -> tuple[list[Claim], dict[str, str]]:
    """The queue's bulk "Mulai verifikasi": the selected claims that may start are moved together through
    the one writer (an event each, all or none of them); each claim that may not is reported by number
    with the reason, untouched. A claim another officer took meanwhile fails the whole move
    (``changed_meanwhile``): the officer is told and nothing was started."""
    sources = lifecycle.CLAIM.move(A.VERIFICATION_STARTED).sources
    ready, refused = [], {}
    for claim in claims:
        try:
            _require_staff_of_branch(claim, by, VERIFYING_ROLES, serving_branch_may=True)
        except DomainError as error:
            refused[claim.number] = str(error.message)
            continue
        if claim.status not in sources:
            refused[claim.number] = str(
                _("berstatus '%(status)s', hanya klaim berstatus 'Diajukan' yang dapat dimulai.")
                % {"status": Status(claim.status).label}
            )
            continue
        ready.append(claim)
    if ready:
        lifecycle.move(ready, A.VERIFICATION_STARTED, by=by, expect=Status.SUBMITTED)
    return ready, refused


def take_next_claim(branch, *, by, tries: int = 5) -> Claim | None:
    """ "Klaim berikutnya": the branch's oldest unbooked submitted claim, taken into verification by this
    officer. Two officers pressing at once never get the same claim: the loser of the guarded UPDATE
    takes the next one."""
    from .queries import next_claim_candidates

    for claim in next_claim_candidates(by, branch)[:tries]:
        try:
            return start_verification(claim, by=by, expect=Status.SUBMITTED)
        except DomainError as error:
            if error.code != "changed_meanwhile":
                raise
    return None


def verify_claim(
    claim: Claim,
    *,
    by,
    note: str = "",
    expect: str | None = None,
    overrides: dict[str, str] | None = None,
) -> Claim:
    """The officer checked the person and the documents; failing findings may be overridden here, each
    with a written reason that the approver reads."""
    _require_staff_of_branch(claim, by, VERIFYING_ROLES, serving_branch_may=True)
    lifecycle.move(
        [claim], A.VERIFIED, by=by, note=note, expect=expect, overrides=overrides, changes={"verified_by": by}
    )
    return claim


def return_for_documents(claim: Claim, *, by, reason: str, expect: str | None = None) -> Claim:
    """Back to the claimant for documents. A booking in a future online session is cancelled (the video
    room cannot take paper); one at the branch stays, where the person hands the documents to the officer."""
    _require_staff_of_branch(claim, by, VERIFYING_ROLES, serving_branch_may=True)
    note = _require_reason(reason)
    with transaction.atomic():
        lifecycle.move([claim], A.RETURNED, by=by, note=note, expect=expect, changes={"decision_note": note})
        signals.claim_returned.send(sender=Claim, claim=claim, by=by, note=note)
    return claim


def reject_claim(claim: Claim, *, by, code: str, note: str, expect: str | None = None) -> Claim:
    """Rejection always carries a reason code and an explanation the claimant will read."""
    _require_staff_of_branch(claim, by, VERIFYING_ROLES)
    if code not in REJECTION_CODES:
        raise DomainError("reason_required", _("Kode alasan penolakan wajib dipilih."), field="code")
    note = _require_reason(note)
    lifecycle.move(
        [claim],
        A.REJECTED,
        by=by,
        note=note,
        expect=expect,
        data={"code": code},
        changes={"decision_code": code, "decision_note": note},
    )
    return claim


def approve_claim(
    claim: Claim, *, by, expect: str | None = None, overrides: dict[str, str] | None = None
) -> Claim:
    """Maker-checker: nobody approves what they verified (nor an account they changed, the table's four
    eyes); large claims and claims approved over a failing finding need a supervisor."""
    _require_staff_of_branch(claim, by, APPROVING_ROLES)
    lifecycle.require_four_eyes([claim], by)  # the table's rule, told before the amount's
    supervisor = by.role in SUPERVISING_ROLES or by.is_admin_role
    if (claim.amount_claimed or 0) > settings.CLAIM_SUPERVISOR_THRESHOLD and not supervisor:
        raise DomainError(
            "supervisor_required",
            _("Klaim di atas batas nominal harus disetujui oleh supervisor."),
            status=403,
        )
    from .checks import recompute_findings

    recompute_findings(claim)  # decided on the findings as they are now, not as they were last computed
    if not supervisor and _has_overrides(claim, overrides):
        raise DomainError(
            "supervisor_required",
            _("Klaim dengan temuan yang diabaikan harus disetujui oleh supervisor."),
            status=403,
        )
    lifecycle.move(
        [claim], A.APPROVED, by=by, expect=expect, overrides=overrides, changes={"approved_by": by}
    )
    return claim


OVERRIDABLE = frozenset({Status.IN_VERIFICATION, Status.VERIFIED})


def override_finding(claim: Claim, *, by, code: str, reason: str, expect: str | None = None) -> None:
    """The officer's written reason to go ahead over one failing finding, recorded before verifying or
    approving (the verifier's or approver's own step: a reason is no decision)."""
    _require_staff_of_branch(claim, by, VERIFYING_ROLES, serving_branch_may=True)
    reason = _require_reason(reason)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if expect is not None and locked.status != expect:
            raise changed_meanwhile()
        if locked.status not in OVERRIDABLE:
            raise DomainError(
                "claim_not_editable",
                _("Klaim berstatus '%(status)s' tidak dapat diubah lagi.")
                % {"status": Status(locked.status).label},
                status=409,
            )
        if code not in {f.code for f in lifecycle.failing_findings(locked)}:
            raise DomainError(
                "unknown_finding", _("Temuan ini tidak (lagi) gagal."), field="code", status=409
            )
        lifecycle.override_findings(locked, {code: reason}, by=by)


def _has_overrides(claim: Claim, overrides: dict[str, str] | None) -> bool:
    failing = lifecycle.failing_findings(claim)
    recorded = lifecycle.recorded_overrides(claim)
    return any((overrides or {}).get(f.code, "").strip() or (f.code, f.message) in recorded for f in failing)


# --- documents and the payout account: inputs the claimant changes while the claim is theirs ----------

# Where staff may record a (counter) claimant's account: while the claim is open to inputs, and once approved
# (then it goes back for a second person's recheck).
STAFF_MAY_ENTER_ACCOUNT = EDITABLE_BY_CLAIMANT | {Status.SUBMITTED, Status.IN_VERIFICATION, Status.APPROVED}
BANKS = ["BRI", "BNI", "MANDIRI", "BCA", "BSI", "BTN", "JATIM", "BJB", "CIMB", "DANAMON", "PERMATA"]


def add_document(claim: Claim, *, by, kind: str, upload) -> ClaimDocument:
    """Check an uploaded scan (claims/uploads.py), store it under a random name, and record it.

    The portal, the API and the console (documents handed in at the desk) all come here: one set of checks.
    """
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
            claim=locked,
            kind=kind,
            original_name=clean.original_name,
            sha256=clean.sha256,
            size=len(clean.content),
            content_type=clean.content_type,
            uploaded_by=by,
        )
        document.file.save(f"upload.{clean.extension}", ContentFile(clean.content), save=False)
        try:  # a failed write must not leave the stored file behind
            lifecycle.attach_document(locked, document, by=by, note=str(document_label(kind)))
        except Exception:
            document.file.delete(save=False)
            raise
    recompute_findings(locked)
    if locked.heir_id is not None:
        from .heirs import share_with_siblings

        share_with_siblings(locked, by=by)
    return document


def remove_document(document: ClaimDocument, *, by) -> None:
    from .checks import recompute_findings

    with transaction.atomic():
        locked = _lock_editable(document.claim, by)
        name = document.file.name or ""
        storage = document.file.storage
        lifecycle.detach_document(locked, document, by=by)
        transaction.on_commit(partial(storage.delete, name))
    recompute_findings(locked)


def save_payout_account(
    claim: Claim, *, by, bank_code: str, account_number: str, holder_name: str
) -> PayoutAccount:
    """The account the benefit goes to: in the claimant's own name (the heir's for a death claim).

    Banks shorten or respell names, so the holder name is compared tolerantly (lib/names) and the
    score kept for the officer; clearly another person's name is refused. Staff record it for a counter
    claimant. Entered or changed after approval, the claim goes back to verification (claims/lifecycle.py).
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
    score, accepted = name_matches(holder_name, claimant_name, NameCheck.ACCOUNT_HOLDER)
    if not accepted:
        raise DomainError(
            "account_holder_mismatch",
            _("Rekening harus atas nama %(who)s sendiri; nama pemilik rekening tidak cocok.")
            % {"who": _("ahli waris") if claim.heir_id else _("peserta")},
            field="holder_name",
        )
    values = {
        "bank_code": bank_code,
        "account_number": number,
        "holder_name": holder_name,
        "name_match": score,
    }
    with transaction.atomic():
        locked = _lock_editable(claim, by, allowed=EDITABLE_BY_CLAIMANT | {Status.APPROVED})
        account = lifecycle.save_account(locked, by=by, values=values)
    claim.refresh_from_db(fields=["status"])  # the writer moved the locked copy (sent back for a recheck)
    recompute_findings(locked)
    return account


# --- JKP: the wage an officer enters where the registry has none -----------------------------------------

WAGE_LIMIT = 1_000_000_000  # a monthly wage above Rp1 M is a typing error, not a wage


def record_jkp_wage(claim: Claim, *, by, wage: int | str, source: str, expect: str | None = None) -> Claim:
    """The last monthly wage the employer reported, entered by an officer of the claim's own branch from a
    document (pay slip, the employer's letter, the contribution statement) when the registry holds none; the
    JKP amount is recomputed from it. Whoever entered it does not approve the claim (four eyes)."""
    from .cases import assess, assessment_date, build_case
    from .checks import recompute_findings

    _require_staff_of_branch(claim, by, VERIFYING_ROLES)
    if claim.program != Program.JKP:
        raise DomainError("not_jkp", _("Upah hanya dicatat petugas untuk klaim JKP."), field="wage")
    amount = _wage_amount(wage)
    source = " ".join((source or "").split())[:200]
    if not source:
        raise DomainError(
            "source_required",
            _("Sumber upah wajib diisi (misalnya slip gaji atau surat pemberi kerja)."),
            field="source",
        )
    on = assessment_date(claim)
    registered = build_case(claim.participant, claim.program, claim.reason, on=on).get("monthly_wage")
    if registered is not None:
        raise DomainError(
            "registry_wage_present",
            _("Data kepesertaan sudah mencatat upah terakhir; upah tidak diganti dari halaman klaim."),
            field="wage",
            status=409,
        )
    assessment = assess(claim.participant, claim.program, claim.reason, on=on, wage=amount)
    total = assessment.total if assessment.eligible and not assessment.problem else None
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if expect is not None and locked.status != expect:
            raise changed_meanwhile()
        lifecycle.record_wage(locked, by=by, wage=amount, source=source, amount=total)
    recompute_findings(locked)
    claim.refresh_from_db()
    return claim


def may_record_jkp_wage(claim: Claim, user) -> bool:
    """Whether the claim page offers ``user`` the JKP wage form: an officer of the claim's own branch, a JKP
    claim still open to it, and a registry without the wage (or a wage an officer entered before)."""
    from .cases import assessment_date, build_case

    staff = user.is_admin_role or (user.role in VERIFYING_ROLES and user.can_see_branch(claim.branch_id))
    if not (staff and claim.program == Program.JKP and claim.status in lifecycle.WAGE_EDITABLE):
        return False
    if claim.officer_wage is not None:
        return True
    case = build_case(claim.participant, claim.program, claim.reason, on=assessment_date(claim))
    return "monthly_wage" not in case


def _wage_amount(wage: int | str) -> int:
    from lapakasik.lib.idtext import parse_rupiah

    try:
        amount = wage if isinstance(wage, int) and not isinstance(wage, bool) else parse_rupiah(str(wage))
    except ValueError:
        amount = 0
    if not 0 < amount <= WAGE_LIMIT:
        raise DomainError(
            "wage_invalid",
            _("Upah harus berupa jumlah rupiah utuh lebih dari 0, misalnya 4.500.000."),
            field="wage",
        )
    return amount


def decide(
    claim: Claim,
    *,
    by,
    decision: str,
    note: str = "",
    code: str = "",
    expect: str | None = None,
    overrides: dict[str, str] | None = None,
) -> Claim:
    """One entry for an officer's decision by name (console buttons and the staff API).

    ``expect`` is the status the officer's page showed: a decision on a page that is out of date fails
    with ``changed_meanwhile`` (409) instead of acting on a claim the officer has not seen.
    """
    if decision == "start":
        return start_verification(claim, by=by, expect=expect)
    if decision == "verify":
        return verify_claim(claim, by=by, note=note, expect=expect, overrides=overrides)
    if decision == "return":
        return return_for_documents(claim, by=by, reason=note, expect=expect)
    if decision == "reject":
        return reject_claim(claim, by=by, code=code, note=note, expect=expect)
    if decision == "approve":
        return approve_claim(claim, by=by, expect=expect, overrides=overrides)
    if decision == "submit":  # a counter claim re-submitted by the officer once the desk documents are in
        if claim.channel != "offline":
            raise DomainError("not_permitted", _("Klaim ini diajukan kembali oleh pengajunya."), status=403)
        if expect is not None and claim.status != expect:
            raise changed_meanwhile()
        return submit_claim(claim, by=by)
    raise DomainError("unknown_decision", _("Keputusan tidak dikenal."), field="decision")
