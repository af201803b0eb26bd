"""Writes of the complaints app: filing, triage, answer, escalation of an objection, its decision, closing.

Each runs in one transaction, re-reads the complaint under ``select_for_update`` and moves it through
complaints/lifecycle.py's one writer (guarded UPDATE + audit event + e-mail on commit). Portal, console and API
call these and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapakasik.accounts.models import Role, User
from lapakasik.claims.models import Claim, ClaimAction, ClaimEvent
from lapakasik.claims.uploads import CleanFile, clean_upload
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError
from lapakasik.lib.workdays import add_working_days
from lapakasik.payments.models import Payment
from lapakasik.registry.models import Branch
from lapakasik.rules.params import value as parameter

from . import lifecycle
from .lifecycle import A, not_permitted
from .models import (
    WAITING_STATUSES,
    Category,
    Complaint,
    ComplaintAttachment,
    ComplaintStatus,
    Kind,
    Outcome,
    Subject,
)

S = ComplaintStatus
TEXT_MIN = 10
TEXT_LIMIT = 4000
MAX_ATTACHMENTS = 5
# One person's complaints still waiting for an answer: beyond this a new one is refused (a flood of
# complaints buries the branch's queue; a real person with more to say adds it to an open one by phone).
MAX_WAITING_PER_PERSON = 10
DECISIONS = (ClaimAction.APPROVED, ClaimAction.REJECTED)


# ---------------------------------------------------------------- the resolution clock


def resolution_days(category: str, on: dt.date) -> int:
    """The category's working days on the filing day (rules/params/complaints.yaml; a gap is an error)."""
    return int(parameter(f"complaints.resolution.{category}", on))


def due_on(branch: Branch, category: str, *, now: dt.datetime | None = None) -> tuple[int, dt.date]:
    """Days allowed and the due date: that many working days after the filing day at the branch."""
    today = today_at(branch.time_zone, now=now)
    days = resolution_days(category, today)
    return days, add_working_days(today, days)


# ---------------------------------------------------------------- filing


def decider_of(claim: Claim) -> User | None:
    """Who took the claim's last approval or rejection (the claim's own audit trail), or None."""
    event = (
        ClaimEvent.objects.filter(claim=claim, action__in=DECISIONS, actor__isnull=False)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    return event.actor if event is not None else None


def _choice(value: str, choices: Any, field: str, message: Any) -> str:
    if value not in choices.values:
        raise DomainError(f"unknown_{field}", message, field=field)
    return value


def clean_text(text: str, field: str = "text", *, minimum: int = TEXT_MIN) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(f"{field}_required", _("Isian ini wajib diisi."), field=field)
    if len(text) < minimum:
        raise DomainError(
            f"{field}_too_short", _("Tuliskan paling sedikit %(n)d karakter.") % {"n": minimum}, field=field
        )
    if len(text) > TEXT_LIMIT:
        raise DomainError(
            f"{field}_too_long",
            _("Tulisan terlalu panjang (paling banyak %(n)d karakter).") % {"n": TEXT_LIMIT},
            field=field,
        )
    return text


def _subject(
    by, subject: str, claim: Claim | None, payment: Payment | None
) -> tuple[Claim | None, Payment | None]:
    """The claim or payment the person may complain about: theirs (visible to them), else "not found"."""
    missing = DomainError("subject_not_found", _("Klaim atau pembayaran ini tidak ditemukan."), field="about")
    if subject == Subject.SERVICE:
        return None, None
    if subject == Subject.PAYMENT:
        if payment is None or not Claim.objects.visible_to(by).filter(pk=payment.claim_id).exists():
            raise missing
        return payment.claim, payment
    if claim is None or not Claim.objects.visible_to(by).filter(pk=claim.pk).exists():
        raise missing
    return claim, None


def _attachments(uploads: Sequence[Any], by) -> list[tuple[ComplaintAttachment, CleanFile]]:
    """Every file checked (claims/uploads.py) before anything is stored: one refusal keeps none of them."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise DomainError(
            "too_many_attachments",
            _("Paling banyak %(n)d lampiran.") % {"n": MAX_ATTACHMENTS},
            field="attachments",
        )
    clean = []
    for upload in uploads:
        try:
            clean.append(clean_upload(upload))
        except DomainError as refused:
            raise DomainError(refused.code, refused.message, field="attachments")
    return [
        (ComplaintAttachment(
            original_name=file.original_name, sha256=file.sha256, size=len(file.content),
            content_type=file.content_type, uploaded_by=by,
        ), file)
        for file in clean
    ]  # fmt: skip


def file_complaint(
    *, by, kind: str, category: str, subject: str, text: str, claim: Claim | None = None,
    payment: Payment | None = None, branch: Branch | None = None, uploads: Sequence[Any] = (),
) -> Complaint:  # fmt: skip
    """File a complaint or an objection about one of the person's claims or payments, or a branch's service."""
    lifecycle.require_role(A.FILED, by)
    _choice(kind, Kind, "kind", _("Jenis pengaduan tidak dikenal."))
    _choice(category, Category, "category", _("Kategori pengaduan tidak dikenal."))
    _choice(subject, Subject, "about", _("Pilih klaim, pembayaran, atau layanan yang Anda adukan."))
    text = clean_text(text)
    claim, payment = _subject(by, subject, claim, payment)
    decider = None
    if kind == Kind.OBJECTION:
        if claim is None:
            raise DomainError(
                "objection_needs_decision",
                _("Keberatan diajukan atas keputusan klaim: pilih klaim atau pembayarannya."),
                field="about",
            )
        decider = decider_of(claim)
        if decider is None:
            raise DomainError(
                "no_decision",
                _("Klaim ini belum diputuskan (disetujui atau ditolak); ajukan pengaduan, bukan keberatan."),
                field="about",
            )
    if claim is not None:
        branch = claim.branch
    elif branch is None:
        raise DomainError("branch_required", _("Pilih cabang yang layanannya Anda adukan."), field="branch")
    waiting = Complaint.objects.filter(filed_by=by, status__in=WAITING_STATUSES).count()
    if waiting >= MAX_WAITING_PER_PERSON:
        raise DomainError(
            "too_many_open",
            _("Anda masih punya %(n)d pengaduan yang belum dijawab; tunggu jawabannya atau hubungi 175.")
            % {"n": waiting},
            status=429,
        )
    pending = _attachments(uploads, by)  # before the transaction: hostile bytes never reach storage
    days, due = due_on(branch, category)
    complaint = Complaint(
        kind=kind, category=category, subject=subject, claim=claim, payment=payment, filed_by=by,
        participant=claim.participant if claim else (by.participant if by.role != Role.EMPLOYER_REP else None),
        branch=branch, text=text, resolution_days=days, due_on=due, decision_by=decider,
    )  # fmt: skip
    stored: list[ComplaintAttachment] = []
    try:
        with transaction.atomic():
            for attachment, file in pending:
                attachment.complaint = complaint
                attachment.file.save(f"upload.{file.extension}", ContentFile(file.content), save=False)
                stored.append(attachment)
            lifecycle.create(complaint, stored, by=by)
    except Exception:  # a failed write must not leave stored files behind
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return complaint


# ---------------------------------------------------------------- the branch's steps


def _locked(complaint: Complaint, by, kind: str) -> Complaint:
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not by.can_see_branch(locked.branch_id):
        raise not_permitted()
    if locked.kind != kind:
        message = (
            _("Ini keberatan atas keputusan: teruskan ke supervisor.")
            if kind == Kind.COMPLAINT
            else _("Ini pengaduan, bukan keberatan atas keputusan.")
        )
        raise DomainError("wrong_kind", message, status=409)
    return locked


def triage(complaint: Complaint, *, by, note: str = "", expect: str | None = None) -> Complaint:
    """An officer of the branch takes the complaint on (it is assigned to them)."""
    with transaction.atomic():
        locked = _locked(complaint, by, Kind.COMPLAINT)
        lifecycle.move([locked], A.TRIAGED, by=by, note=(note or "").strip()[:TEXT_LIMIT],
                       changes={"assigned_to": by}, expect=expect)  # fmt: skip
    return locked


def answer(complaint: Complaint, *, by, text: str, expect: str | None = None) -> Complaint:
    """The branch's answer to the person, sent to them and kept on the complaint."""
    text = clean_text(text, "answer")
    with transaction.atomic():
        locked = _locked(complaint, by, Kind.COMPLAINT)
        changes = {"answer": text, "answered_by": by, "answered_at": timezone.now()}
        if locked.assigned_to_id is None:
            changes["assigned_to"] = by
        lifecycle.move([locked], A.ANSWERED, by=by, note=text, changes=changes, expect=expect)
    return locked


def reviewers(complaint: Complaint):
    """The branch's supervisors who may review this objection: everyone but the one who took the decision."""
    found = User.objects.filter(branch_id=complaint.branch_id, role=Role.SUPERVISOR, is_active=True)
    if complaint.decision_by_id:
        found = found.exclude(pk=complaint.decision_by_id)
    return found.order_by("username")


def _least_busy(candidates: list[User]) -> User | None:
    waiting = dict(
        Complaint.objects.filter(status=S.WITH_SUPERVISOR, assigned_to__in=candidates)
        .values_list("assigned_to")
        .annotate(n=Count("id"))
        .values_list("assigned_to", "n")
    )
    return min(candidates, key=lambda user: (waiting.get(user.pk, 0), user.username), default=None)


def _same_person() -> DomainError:
    return DomainError(
        "same_person",
        _("Keberatan harus diperiksa oleh supervisor yang tidak mengambil keputusan klaim tersebut."),
        field="supervisor",
        status=403,
    )


def escalate(
    complaint: Complaint, *, by, supervisor: User | None = None, note: str = "", expect: str | None = None
) -> Complaint:
    """Send an objection to a supervisor of the branch who did not decide the claim (the least busy, unless
    one is named)."""
    with transaction.atomic():
        locked = _locked(complaint, by, Kind.OBJECTION)
        if supervisor is not None and supervisor.pk == locked.decision_by_id:
            raise _same_person()
        candidates = reviewers(locked)
        if supervisor is None:
            supervisor = _least_busy(list(candidates))
            if supervisor is None:
                raise DomainError(
                    "no_reviewer",
                    _("Tidak ada supervisor lain di cabang ini yang dapat memeriksa keberatan ini."),
                    field="supervisor",
                    status=409,
                )
        elif not candidates.filter(pk=supervisor.pk).exists():
            raise DomainError(
                "not_a_reviewer", _("Pilih supervisor cabang ini."), field="supervisor", status=400
            )
        lifecycle.move([locked], A.ESCALATED, by=by, note=(note or "").strip()[:TEXT_LIMIT],
                       changes={"assigned_to": supervisor}, expect=expect,
                       data={"supervisor": supervisor.pk})  # fmt: skip
    return locked


def decide(complaint: Complaint, *, by, upheld: bool, reason: str, expect: str | None = None) -> Complaint:
    """The reviewing supervisor (or the branch head) upholds or rejects the objection, with a written reason."""
    reason = clean_text(reason, "reason")
    with transaction.atomic():
        locked = _locked(complaint, by, Kind.OBJECTION)
        if by.pk == locked.decision_by_id:
            raise _same_person()
        if by.role == Role.SUPERVISOR and locked.assigned_to_id != by.pk:
            raise DomainError("not_assigned", _("Keberatan ini diperiksa oleh supervisor lain."), status=403)
        outcome = Outcome.UPHELD if upheld else Outcome.REJECTED
        lifecycle.move(
            [locked], A.UPHELD if upheld else A.REJECTED, by=by, note=reason, expect=expect,
            changes={"outcome": outcome, "answer": reason, "answered_by": by, "answered_at": timezone.now()},
        )  # fmt: skip
    return locked


def close(complaint: Complaint, *, by, reason: str, expect: str | None = None) -> Complaint:
    """Close with a reason (resolved after the answer, a duplicate, withdrawn by phone …)."""
    reason = clean_text(reason, "reason", minimum=3)
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not by.can_see_branch(locked.branch_id):
            raise not_permitted()
        lifecycle.move([locked], A.CLOSED, by=by, note=reason, expect=expect,
                       changes={"close_reason": reason, "closed_at": timezone.now()})  # fmt: skip
    return locked
