"""Officer and supervisor consoles for live claims: work queue, claim page with decisions, supervisor view.

Staff of the claim's branch only (claims.queries / Claim.objects.visible_to); every decision is a
claims action, so the console cannot decide differently from the API.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapakasik.accounts.access import branch_for, staff_required
from lapakasik.claims import actions
from lapakasik.claims.cases import assess
from lapakasik.claims.checks import recompute_findings
from lapakasik.claims.models import Channel, PayoutAccount, Program, Status
from lapakasik.claims.queries import (
    QUEUE_STATUSES,
    QueueFilter,
    age_in_working_days,
    decisions_by_officer,
    get_claim_for,
    overdue_claims,
    waiting_for_approval,
    work_queue,
)
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError


@staff_required
def queue(request):
    branch = branch_for(request.user, request.GET.get("branch"))
    f = QueueFilter(**{k: request.GET.get(k, "") for k in ("program", "status", "channel", "age")})
    claims = list(work_queue(request.user, branch, f)[:200])
    for claim in claims:
        claim.age = age_in_working_days(claim)
    context = {
        "branch": branch, "claims": claims, "filter": f, "programs": Program.choices, "channels": Channel.choices,
        "statuses": [(s, Status(s).label) for s in QUEUE_STATUSES],
    }  # fmt: skip
    return render(request, "console/claims/queue.html", context)


def _claim_for_staff(request, number: str):
    claim = get_claim_for(request.user, number)
    if not (request.user.is_branch_staff or request.user.is_admin_role):
        raise Http404
    return claim


@staff_required
def claim_page(request, number: str, error: str = "", status: int = 200):
    claim = _claim_for_staff(request, number)
    today = today_at(claim.branch.time_zone)
    context = {
        "claim": claim,
        "participant": claim.participant,
        "findings": claim.findings.all(),
        "documents": claim.documents.select_related("uploaded_by"),
        "account": PayoutAccount.objects.filter(claim=claim).first(),
        "assessment": assess(
            claim.participant, claim.program, claim.reason, on=claim.submitted_on or today, heir=claim.heir
        ),  # fmt: skip
        "events": claim.events.select_related("actor"),
        "age": age_in_working_days(claim),
        "rejection_codes": actions.REJECTION_CODES.items(),
        "can": {s: claim.can_move_to(s) for s in Status.values},
        "needs_supervisor": (claim.amount_claimed or 0) > actions.supervisor_threshold(),
        "error": error,
    }
    return render(request, "console/claims/claim.html", context, status=status)


@staff_required
@require_POST
def decide(request, number: str):
    claim = _claim_for_staff(request, number)
    # The status the officer saw: a decision taken on a page that is out of date loses (claim_changed).
    seen = request.POST.get("seen_status", "")
    if seen in Status.values:
        claim.status = seen
    decision = request.POST.get("decision", "")
    if decision == "recheck":
        recompute_findings(claim)
        return redirect("console:claim", number=number)
    try:
        actions.decide(claim, by=request.user, decision=decision, note=request.POST.get("note", ""),
                       code=request.POST.get("code", ""))  # fmt: skip
    except DomainError as exc:
        return claim_page(
            request, number, error=str(exc.message), status=exc.status if exc.status != 404 else 400
        )
    messages.success(request, _("Keputusan tersimpan."))
    return redirect("console:claim", number=number)


@staff_required
def supervisor(request):
    branch = branch_for(request.user, request.GET.get("branch"))
    if not (request.user.role in actions.SUPERVISING_ROLES or request.user.is_admin_role):
        raise Http404
    since = today_at(branch.time_zone) - dt.timedelta(days=30)
    overdue = list(overdue_claims(request.user, branch)[:200])
    for claim in overdue:
        claim.age = age_in_working_days(claim)
    context = {
        "branch": branch, "waiting": waiting_for_approval(request.user, branch), "overdue": overdue,
        "by_officer": decisions_by_officer(request.user, branch, since), "since": since,
    }  # fmt: skip
    return render(request, "console/claims/supervisor.html", context)
