"""Branch officers' pages for collective claims under /console/kolektif/: mandates to approve, lists as batches."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapakasik.accounts.access import staff_required
from lapakasik.claims.models import Status
from lapakasik.collective import actions
from lapakasik.collective.lifecycle import MANDATE
from lapakasik.collective.models import ListStatus, MandateStatus
from lapakasik.collective.queries import (
    claims_of,
    get_list_for,
    get_mandate_for,
    labelled_counts,
    lists_visible_to,
    mandates_visible_to,
    status_counts,
)
from lapakasik.lib.errors import DomainError
from lapakasik.security.actions import record_download
from lapakasik.security.models import DownloadKind


@staff_required
def index(request):
    user = request.user
    context = {
        "pending": mandates_visible_to(user).filter(status=MandateStatus.PENDING),
        "mandates": mandates_visible_to(user).exclude(status=MandateStatus.PENDING)[:20],
        "lists": lists_visible_to(user).filter(status__in=[ListStatus.SUBMITTING, ListStatus.SUBMITTED])[
            :100
        ],
        # Buttons only for those the moves allow (a CSO sees the mandates, not "Setujui" or "Cabut").
        "may_decide": MANDATE.offers("approve", MandateStatus.PENDING, user),
        "may_revoke": MANDATE.offers("revoke", MandateStatus.APPROVED, user),
    }
    return render(request, "console/kolektif/index.html", context)


@staff_required
def mandate_file(request, pk: int):
    mandate = get_mandate_for(request.user, pk)
    record_download(
        request.user,
        DownloadKind.POWER_OF_ATTORNEY,
        f"{mandate.employer.npp} #{mandate.pk}",
        branch=mandate.employer.branch,
    )
    extension = "pdf" if mandate.poa_content_type == "application/pdf" else "jpg"
    return FileResponse(
        mandate.power_of_attorney.open("rb"),
        as_attachment=True,
        filename=f"surat-kuasa-{mandate.employer.npp}.{extension}",
    )


@require_POST
@staff_required
def mandate_decide(request, pk: int):
    mandate = get_mandate_for(request.user, pk)
    try:
        if request.POST.get("decision") == "approve":
            actions.approve_mandate(mandate, by=request.user)
            messages.success(request, _("Surat kuasa disetujui."))
        elif request.POST.get("decision") == "reject":
            actions.reject_mandate(mandate, by=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("Surat kuasa ditolak."))
        elif request.POST.get("decision") == "revoke":
            actions.revoke_mandate(mandate, by=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("Surat kuasa dicabut."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("console:kolektif")


@staff_required
def list_detail(request, pk: int):
    mass_list = get_list_for(request.user, pk)
    claims = claims_of(mass_list).select_related("participant", "area", "payout_account").order_by("id")
    page = Paginator(claims, 100).get_page(request.GET.get("hal"))
    counts = status_counts(mass_list)
    context = {
        "mass_list": mass_list,
        "page": page,
        "counts": labelled_counts(counts),
        "submitted": counts.get(Status.SUBMITTED, 0),
    }
    return render(request, "console/kolektif/list.html", context)


@require_POST
@staff_required
def list_start_verification(request, pk: int):
    mass_list = get_list_for(request.user, pk)
    try:
        started = actions.start_batch_verification(mass_list, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(n)d klaim mulai diverifikasi.") % {"n": started})
    return redirect("console:kolektif_list", pk=pk)
