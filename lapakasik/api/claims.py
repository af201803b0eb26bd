"""Claims API: the participant's own claims and the branch staff's work, calling the same actions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as Reply

from lapakasik.claims import actions
from lapakasik.claims.models import Claim
from lapakasik.claims.queries import (
    check_queue_filter,
    get_claim_for,
    read_queue_filter,
    search_condition,
    work_queue,
)
from lapakasik.claims.tracking import tracking_for
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Heir

from .schemas import ERRORS, ErrorOut, StrictDate

# Every error these endpoints can answer with (forbidden role, changed claim, lock-out included).
CLAIM_ERRORS = {**ERRORS, 403: ErrorOut, 409: ErrorOut}

STAFF_PAGE_SIZE = 50
STAFF_PAGE_SIZE_MAX = 200

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
    """The console queue's parameters (documented here; read by the same strict reader as the console)."""

    q: str = Field("", description="claim number, NIK, KPJ or name (3 letters or more); every status")
    program: str = ""
    status: str = Field("", description='a status, "all", or empty for the open queue')
    channel: str = ""
    age: Literal["", "overdue"] = ""
    area: int | None = None
    paid_from: StrictDate | None = Field(
        None,
        description="claims with a paid line from this day: the claim paid, or a JKP monthly payment of it",
    )
    paid_to: StrictDate | None = Field(None, description="… up to this day (as the reports count them)")
    sla: Literal["", "risk"] = ""
    sort: str = Field(
        "submitted", description='a column ("submitted", "number", "name", …), "-" first for descending'
    )
    page: int = Field(1, ge=1)
    page_size: int = Field(STAFF_PAGE_SIZE, ge=1, le=STAFF_PAGE_SIZE_MAX)


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
def queue(request, response: HttpResponse, query: Query[QueueQuery]):
    """The work queue of the officer's own branch, one page at a time: the total is in ``X-Total-Count``,
    the other pages in ``Link`` (rel next/prev), and a search cut short says why in ``X-Search-Note``.
    The same filters, search and sorting as the console's queue."""
    _staff(request)
    branch = request.user.branch
    if branch is None:
        raise Http404
    f = read_queue_filter(request.GET)
    check_queue_filter(f, branch)
    search = search_condition(f.q) if f.q else None
    claims = work_queue(request.user, branch, f, search)
    total = claims.count()
    start = (query.page - 1) * query.page_size
    _page_headers(request, response, total, query.page, query.page_size)
    if search is not None and search.note:
        response["X-Search-Note"] = quote(str(search.note))
    return list(claims[start : start + query.page_size])


def _page_headers(request, response: HttpResponse, total: int, page: int, size: int) -> None:
    response["X-Total-Count"] = str(total)
    links = []
    if page * size < total:
        links.append(f'<{_with_page(request, page + 1)}>; rel="next"')
    if page > 1:
        links.append(f'<{_with_page(request, page - 1)}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)


def _with_page(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return f"{request.path}?{query.urlencode()}"


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
