"""Complaints API: the person's own complaints and the branch staff's steps, calling the same actions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as Reply

from lapakasik.accounts.models import User
from lapakasik.complaints import actions
from lapakasik.complaints.lifecycle import FILERS, not_permitted
from lapakasik.complaints.models import Complaint
from lapakasik.complaints.queries import (
    complaints_visible_to,
    get_complaint_for,
    is_overdue,
    queue,
    resolve_about,
)
from lapakasik.lib.dates import today_at
from lapakasik.registry.models import Branch

from .schemas import ERRORS, ErrorOut

# Every error these endpoints can answer with (forbidden role, changed complaint, too many open ones).
COMPLAINT_ERRORS = {**ERRORS, 403: ErrorOut, 409: ErrorOut, 429: ErrorOut}

router = Router(tags=["complaints"])
staff_router = Router(tags=["staff complaints"])


class ComplaintEventOut(Schema):
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    note: str


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str


class ComplaintSummaryOut(Schema):
    number: str
    kind: Literal["complaint", "objection"]
    category: str
    subject: Literal["claim", "payment", "service"]
    status: str
    filed_at: dt.datetime
    due_on: dt.date


class ComplaintOut(ComplaintSummaryOut):
    claim_number: str | None
    payment_reference: str | None
    branch: str
    text: str
    resolution_days: int
    outcome: str
    answer: str
    close_reason: str
    attachments: list[AttachmentOut]
    events: list[ComplaintEventOut]


class StaffComplaintOut(ComplaintOut):
    overdue: bool
    filed_by_role: str
    assigned_to: str | None
    decision_by: str | None


class ComplaintIn(Schema):
    kind: str = "complaint"
    category: str
    about: str = "service"  # "service", "claim:<number>" or "payment:<reference>"
    branch: str = ""  # a branch code, for a complaint about a branch's service
    text: str


class StepIn(Schema):
    step: Literal["triage", "answer", "escalate", "uphold", "reject", "close"]
    text: str = ""
    supervisor: str = ""  # escalate: a supervisor's username (empty: the least busy who did not decide)
    seen_status: str | None = None


class StaffQuery(Schema):
    status: str = ""


def _out(complaint: Complaint, staff: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": complaint.number,
        "kind": complaint.kind,
        "category": complaint.category,
        "subject": complaint.subject,
        "status": complaint.status,
        "filed_at": complaint.filed_at,
        "due_on": complaint.due_on,
        "claim_number": complaint.claim.number if complaint.claim_id else None,  # type: ignore[union-attr]
        "payment_reference": complaint.payment.reference if complaint.payment_id else None,  # type: ignore[union-attr]
        "branch": complaint.branch.code,
        "text": complaint.text,
        "resolution_days": complaint.resolution_days,
        "outcome": complaint.outcome,
        "answer": complaint.answer,
        "close_reason": complaint.close_reason,
        "attachments": list(complaint.attachments.all()),
        "events": list(complaint.events.all()),
    }
    if staff:
        data["overdue"] = is_overdue(complaint, today_at(complaint.branch.time_zone))
        data["filed_by_role"] = complaint.filed_by.role
        data["assigned_to"] = complaint.assigned_to.username if complaint.assigned_to_id else None  # type: ignore[union-attr]
        data["decision_by"] = complaint.decision_by.username if complaint.decision_by_id else None  # type: ignore[union-attr]
    return data


def _filer(request) -> None:
    if request.user.role not in FILERS:
        raise not_permitted()


@router.get("", response={200: list[ComplaintSummaryOut], **COMPLAINT_ERRORS})
def my_complaints(request):
    """The complaints and objections the signed-in participant, heir or employer representative filed."""
    _filer(request)
    return list(complaints_visible_to(request.user).order_by("-filed_at")[:200])


@router.post("", response={201: ComplaintOut, **COMPLAINT_ERRORS})
def file_complaint(
    request,
    payload: Form[ComplaintIn],
    attachments: File[list[UploadedFile]] = None,  # type: ignore[assignment]
):
    """File a complaint or an objection (multipart form). ``about`` names one of the caller's claims or
    payments, or the service of the ``branch`` given. Attachments (up to 5: JPG, PNG, BMP or PDF) pass the same
    checks as claim scans; one refused file keeps none (400 naming ``attachments``)."""
    _filer(request)
    about = resolve_about(request.user, payload.about)
    branch = Branch.objects.filter(code=payload.branch).first() if payload.branch else None
    complaint = actions.file_complaint(
        by=request.user, kind=payload.kind, category=payload.category, text=payload.text, branch=branch,
        uploads=attachments or [], **about,
    )  # fmt: skip
    return Reply(201, _out(complaint))


@router.get("/{number}", response={200: ComplaintOut, **COMPLAINT_ERRORS})
def complaint_detail(request, number: str):
    _filer(request)
    return _out(get_complaint_for(request.user, number))


def _staff(request) -> None:
    if not (request.user.is_branch_staff or request.user.is_admin_role):
        raise Http404


@staff_router.get("", response={200: list[ComplaintSummaryOut], **COMPLAINT_ERRORS})
def complaints_queue(request, query: Query[StaffQuery]):
    """The open complaints of the officer's own branch, overdue first (``status`` filters, e.g. closed)."""
    _staff(request)
    if request.user.branch is None:
        raise Http404
    return list(queue(request.user.branch, status=query.status)[:500])


@staff_router.get("/{number}", response={200: StaffComplaintOut, **COMPLAINT_ERRORS})
def staff_detail(request, number: str):
    _staff(request)
    return _out(get_complaint_for(request.user, number), staff=True)


@staff_router.post("/{number}/steps", response={200: StaffComplaintOut, **COMPLAINT_ERRORS})
def step(request, number: str, payload: StepIn):
    """Triage, answer (text required), escalate an objection, uphold or reject it (reason required), or close
    (reason required). ``seen_status``: the status the caller last saw; a step on an outdated view loses (409)."""
    _staff(request)
    complaint = get_complaint_for(request.user, number)
    by, text, expect = request.user, payload.text, payload.seen_status
    if payload.step == "triage":
        actions.triage(complaint, by=by, note=text, expect=expect)
    elif payload.step == "answer":
        actions.answer(complaint, by=by, text=text, expect=expect)
    elif payload.step == "escalate":
        chosen = User.objects.filter(username=payload.supervisor).first() if payload.supervisor else None
        if payload.supervisor and chosen is None:
            raise Http404
        actions.escalate(complaint, by=by, supervisor=chosen, note=text, expect=expect)
    elif payload.step in ("uphold", "reject"):
        actions.decide(complaint, by=by, upheld=payload.step == "uphold", reason=text, expect=expect)
    else:
        actions.close(complaint, by=by, reason=text, expect=expect)
    return _out(get_complaint_for(request.user, number), staff=True)
