"""Reads of the complaints app, knowing who asks: the only way an interface fetches a complaint."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from lapakasik.claims.models import Claim, Status
from lapakasik.lib.dates import at_local, today_at
from lapakasik.lib.errors import DomainError
from lapakasik.payments.models import Payment
from lapakasik.registry.models import Branch

from .models import WAITING_STATUSES, Category, Complaint, ComplaintStatus, Subject


def complaints_visible_to(user) -> QuerySet[Complaint]:
    """Staff: their branch's complaints (admins all); anyone else: the complaints they filed themselves."""
    complaints = Complaint.objects.select_related("branch", "claim", "payment", "assigned_to", "filed_by")
    if not user.is_authenticated:
        return complaints.none()
    if user.is_admin_role:
        return complaints
    if user.is_branch_staff:
        return complaints.filter(branch_id=user.branch_id)
    return complaints.filter(filed_by=user)


def get_complaint_for(user, number: str) -> Complaint:
    """Another branch's or another person's complaint is "not found", never "forbidden"."""
    return get_object_or_404(complaints_visible_to(user), number=number)


def subjects_for(user) -> dict[str, list[Any]]:
    """The claims (not drafts) and payments a person may complain about: theirs, as the claims app says."""
    claims = list(Claim.objects.visible_to(user).exclude(status=Status.DRAFT).order_by("-created_at")[:100])
    payments = list(
        Payment.objects.filter(claim__in=claims).select_related("claim").order_by("-created_at")[:100]
    )
    return {"claims": claims, "payments": payments}


def resolve_about(user, about: str) -> dict[str, Any]:
    """``service``, ``claim:<number>`` or ``payment:<reference>`` → the subject and its object, if it is the
    person's (else the field's error: someone else's claim is "not found")."""
    kind, _sep, key = (about or "").partition(":")
    if kind == Subject.SERVICE and not key:
        return {"subject": Subject.SERVICE}
    if kind == Subject.CLAIM and key:
        claim = Claim.objects.visible_to(user).filter(number=key).first()
        if claim is not None:
            return {"subject": Subject.CLAIM, "claim": claim}
    elif kind == Subject.PAYMENT and key:
        payment = Payment.objects.filter(reference=key, claim__in=Claim.objects.visible_to(user)).first()
        if payment is not None:
            return {"subject": Subject.PAYMENT, "payment": payment}
    raise DomainError("subject_not_found", _("Klaim atau pembayaran ini tidak ditemukan."), field="about")


def queue(branch: Branch, *, today: dt.date | None = None, status: str = "") -> QuerySet[Complaint]:
    """The branch's open complaints, overdue first, then by due date (closed ones with ``status=closed``)."""
    today = today or today_at(branch.time_zone)
    complaints = Complaint.objects.filter(branch=branch).select_related("assigned_to", "claim", "payment")
    if status:
        complaints = complaints.filter(status=status)
    else:
        complaints = complaints.exclude(status=ComplaintStatus.CLOSED)
    return complaints.annotate(
        overdue=Case(
            When(Q(status__in=WAITING_STATUSES, due_on__lt=today), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("-overdue", "due_on", "filed_at", "id")


def is_overdue(complaint: Complaint, today: dt.date) -> bool:
    return complaint.status in WAITING_STATUSES and complaint.due_on < today


def figures(
    branch: Branch, date_from: dt.date, date_to: dt.date, *, today: dt.date | None = None
) -> dict[str, Any]:
    """The dashboard's complaint figures: open and overdue now; filed and closed in the period by category."""
    today = today or today_at(branch.time_zone)
    start = at_local(date_from, dt.time.min, branch.time_zone)
    end = at_local(date_to + dt.timedelta(days=1), dt.time.min, branch.time_zone)
    mine = Complaint.objects.filter(branch=branch)
    now = mine.aggregate(
        open=Count("id", filter=~Q(status=ComplaintStatus.CLOSED)),
        waiting=Count("id", filter=Q(status__in=WAITING_STATUSES)),
        overdue=Count("id", filter=Q(status__in=WAITING_STATUSES, due_on__lt=today)),
    )
    filed = dict(
        mine.filter(filed_at__gte=start, filed_at__lt=end).values_list("category").annotate(n=Count("id"))
    )
    closed = dict(
        mine.filter(closed_at__gte=start, closed_at__lt=end).values_list("category").annotate(n=Count("id"))
    )
    rows = [
        {
            "category": c.value,
            "label": c.label,
            "filed": filed.get(c.value, 0),
            "closed": closed.get(c.value, 0),
        }
        for c in Category
    ]
    return {**now, "by_category": rows, "filed": sum(filed.values()), "closed": sum(closed.values())}
