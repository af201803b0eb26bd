"""The console's complaint pages: the branch's queue (overdue first), one complaint with its steps.

Every write goes through lapakasik.complaints.actions; complaints are fetched through complaints.queries, so
another branch's complaint is "not found"."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapakasik.accounts.access import current_branch, staff_required
from lapakasik.accounts.models import User
from lapakasik.complaints import actions
from lapakasik.complaints.lifecycle import COMPLAINT, A
from lapakasik.complaints.models import ComplaintStatus, Kind
from lapakasik.complaints.queries import get_complaint_for, is_overdue, queue
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError

# The page's step → the lifecycle move it makes (what a button may offer) .
STEPS = {
    "triage": A.TRIAGED,
    "answer": A.ANSWERED,
    "escalate": A.ESCALATED,
    "uphold": A.UPHELD,
    "reject": A.REJECTED,
    "close": A.CLOSED,
}
COMPLAINT_STEPS = ("triage", "answer", "close")
OBJECTION_STEPS = ("escalate", "uphold", "reject", "close")


@staff_required
def complaints_queue(request):
    branch = current_branch(request)
    status = request.GET.get("status", "")
    if status and status not in ComplaintStatus.values:
        status = ""
    today = today_at(branch.time_zone)
    context = {
        "branch": branch,
        "status": status,
        "statuses": ComplaintStatus.choices,
        "complaints": queue(branch, today=today, status=status)[:300],
        "today": today,
    }
    return render(request, "console/complaints/queue.html", context)


def _offered(complaint, user) -> list[str]:
    steps = COMPLAINT_STEPS if complaint.kind == Kind.COMPLAINT else OBJECTION_STEPS
    return [step for step in steps if COMPLAINT.offers(STEPS[step], complaint.status, user)]


@staff_required
def complaint_page(request, number: str):
    complaint = get_complaint_for(request.user, number)
    today = today_at(complaint.branch.time_zone)
    context = {
        "complaint": complaint,
        "overdue": is_overdue(complaint, today),
        "events": complaint.events.select_related("actor"),
        "attachments": complaint.attachments.all(),
        "steps": _offered(complaint, request.user),
        "reviewers": actions.reviewers(complaint) if complaint.kind == Kind.OBJECTION else [],
    }
    return render(request, "console/complaints/complaint.html", context)


@staff_required
@require_POST
def complaint_step(request, number: str):
    complaint = get_complaint_for(request.user, number)
    step, text = request.POST.get("step", ""), request.POST.get("text", "")
    expect = request.POST.get("seen_status") or None
    if step not in STEPS:
        raise Http404
    try:
        if step == "triage":
            actions.triage(complaint, by=request.user, note=text, expect=expect)
        elif step == "answer":
            actions.answer(complaint, by=request.user, text=text, expect=expect)
        elif step == "escalate":
            username = request.POST.get("supervisor", "")
            chosen = User.objects.filter(username=username).first() if username else None
            actions.escalate(complaint, by=request.user, supervisor=chosen, note=text, expect=expect)
        elif step in ("uphold", "reject"):
            actions.decide(complaint, by=request.user, upheld=step == "uphold", reason=text, expect=expect)
        else:
            actions.close(complaint, by=request.user, reason=text, expect=expect)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Dicatat; pengadu diberi tahu lewat e-mail."))
    return redirect("console:complaint", number=number)
