"""Claims API: the participant's own claims and the branch staff's work, calling the same actions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as Reply

from lapakasik.claims import actions
from lapakasik.claims.models import Claim
from lapakasik.claims.queries import QueueFilter, get_claim_for, work_queue
from lapakasik.claims.tracking import tracking_for
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Heir

from .schemas import ERRORS, ErrorOut

# Every error these endpoints can answer with (forbidden role, changed claim, lock-out included).
CLAIM_ERRORS = {**ERRORS, 403: ErrorOut, 409: ErrorOut}

router = Router(tags=["claims"])
staff_router = Router(tags=["staff claims"])


class EventOut(Schema):
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    note: str


class DocumentOut(Schema):
    id: int
    kind: str
    sha256: str
    size: int
    content_type: str
    uploaded_at: dt.datetime


class FindingOut(Schema):
    code: str
    level: str
    message: str


class TrackingOut(Schema):
    """Where the claim is and why it waits (claims/tracking.py); the same answer as the claim page."""

    status: str
    waiting_for: Literal[
        "not_submitted", "video_session", "officer", "verification", "your_documents", "approval", "transfer",
        "your_account", "nothing",
    ]  # fmt: skip
    waiting_reason: str
    next_step: str
    expected_payment_on: dt.date | None
    sla_state: Literal["on_track", "at_risk", "breached", "paused"] | None
    late: bool


class ClaimOut(Schema):
    number: str
    program: str
    reason: str
    channel: str
    status: str
    submitted_on: dt.date | None
    amount_claimed: int | None
    decision_code: str
    decision_note: str
    documents: list[DocumentOut]
    events: list[EventOut]
    tracking: TrackingOut


class StaffClaimOut(ClaimOut):
    participant_name: str
    findings: list[FindingOut]


class ClaimSummaryOut(Schema):
    number: str
    program: str
    reason: str
    channel: str
    status: str
    submitted_on: dt.date | None


class StartIn(Schema):
    program: Literal["JHT", "JKM", "JP", "JKP"]
    reason: str
    heir_nik: str = ""


class PayoutAccountIn(Schema):
    bank_code: str
    account_number: str
    holder_name: str


class PayoutAccountOut(Schema):
    bank_code: str
    account_number: str
    holder_name: str
    name_match: int


class CancelIn(Schema):
    note: str = ""


class DecisionIn(Schema):
    decision: Literal["start", "verify", "return", "reject", "approve"]
    note: str = ""
    code: str = ""
    seen_status: str | None = None
    # Failing finding code → the written reason to go ahead anyway (verify, approve).
    overrides: dict[str, str] = {}


class QueueQuery(Schema):
    program: str = ""
    status: str = ""
    channel: str = ""
    age: Literal["", "overdue"] = ""


def _out(claim: Claim, staff: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": claim.number,
        "program": claim.program,
        "reason": claim.reason,
        "channel": claim.channel,
        "status": claim.status,
        "submitted_on": claim.submitted_on,
        "amount_claimed": claim.amount_claimed,
        "decision_code": claim.decision_code,
        "decision_note": claim.decision_note,
        "documents": list(claim.documents.all()),
        "events": list(claim.events.all()),
        "tracking": tracking_for(claim).as_dict(),
    }
    if staff:
        data["participant_name"] = claim.participant.full_name
        data["findings"] = list(claim.findings.all())
    return data


def _own(request, number: str) -> Claim:
    claim = get_claim_for(request.user, number)
    if claim.claimant_id != request.user.id:
        raise Http404
    return claim


@router.get("", response={200: list[ClaimSummaryOut], **CLAIM_ERRORS})
def my_claims(request):
    """The signed-in participant's or heir's own claims."""
    return Claim.objects.visible_to(request.user).filter(claimant=request.user).order_by("-created_at")


@router.post("", response={201: ClaimOut, **CLAIM_ERRORS})
def start(request, payload: StartIn):
    """Start a draft claim for the account's participant (heirs give their own NIK)."""
    user = request.user
    if user.role not in ("participant", "heir") or user.participant is None:
        raise DomainError(
            "not_permitted", _("Hanya peserta atau ahli waris yang dapat mengajukan klaim."), status=403
        )
    heir = (
        Heir.objects.filter(participant=user.participant, nik=payload.heir_nik).first()
        if user.role == "heir"
        else None
    )
    claim = actions.start_online_claim(
        by=user, participant=user.participant, program=payload.program, reason=payload.reason, heir=heir
    )
    return Reply(201, _out(claim))


@router.get("/{number}", response={200: ClaimOut, **CLAIM_ERRORS})
def claim_detail(request, number: str):
    return _out(_own(request, number))


@router.post("/{number}/documents", response={201: DocumentOut, **CLAIM_ERRORS})
def upload_document(request, number: str, kind: Form[str], file: File[UploadedFile]):
    """Upload one checklist document (JPG, PNG, BMP or PDF); hostile files are refused with a 400."""
    return Reply(201, actions.add_document(_own(request, number), by=request.user, kind=kind, upload=file))


@router.put("/{number}/payout-account", response={200: PayoutAccountOut, **CLAIM_ERRORS})
def payout_account(request, number: str, payload: PayoutAccountIn):
    return actions.save_payout_account(_own(request, number), by=request.user, **payload.dict())


@router.post("/{number}/submit", response={200: ClaimOut, **CLAIM_ERRORS})
def submit(request, number: str):
    return _out(actions.submit_claim(_own(request, number), by=request.user, require_complete=True))


@router.post("/{number}/cancel", response={200: ClaimOut, **CLAIM_ERRORS})
def cancel(request, number: str, payload: CancelIn):
    return _out(actions.cancel_claim(_own(request, number), by=request.user, note=payload.note))


def _staff(request) -> None:
    if not (request.user.is_branch_staff or request.user.is_admin_role):
        raise Http404


@staff_router.get("", response={200: list[ClaimSummaryOut], **CLAIM_ERRORS})
def queue(request, query: Query[QueueQuery]):
    """The work queue of the officer's own branch."""
    _staff(request)
    if request.user.branch is None:
        raise Http404
    return list(work_queue(request.user, request.user.branch, QueueFilter(**query.dict()))[:500])


@staff_router.get("/{number}", response={200: StaffClaimOut, **CLAIM_ERRORS})
def staff_detail(request, number: str):
    _staff(request)
    return _out(get_claim_for(request.user, number), staff=True)


@staff_router.post("/{number}/decision", response={200: StaffClaimOut, **CLAIM_ERRORS})
def decide(request, number: str, payload: DecisionIn):
    """Start verification, verify, return (reason required), reject (code and reason required) or approve."""
    _staff(request)
    claim = get_claim_for(request.user, number)
    # The status the caller last saw: a decision on an outdated view loses (409 changed_meanwhile).
    actions.decide(
        claim,
        by=request.user,
        decision=payload.decision,
        note=payload.note,
        code=payload.code,
        expect=payload.seen_status,
        overrides=payload.overrides,
    )
    return _out(Claim.objects.get(pk=claim.pk), staff=True)
