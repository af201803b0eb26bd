"""The employer representative's pages for collective claims (kolektif), under /kolektif/."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lapakasik.accounts.models import Role
from lapakasik.collective import actions, exports
from lapakasik.collective.files import MAX_POA_BYTES
from lapakasik.collective.models import ListStatus, RowStatus
from lapakasik.collective.parse import MAX_LIST_BYTES
from lapakasik.collective.queries import (
    get_list_for,
    get_mandate_for,
    labelled_counts,
    lists_visible_to,
    mandates_visible_to,
    rows_with_claims,
    status_counts,
)
from lapakasik.lib.errors import DomainError
from lapakasik.security.actions import record_download
from lapakasik.security.models import DownloadKind
from lapakasik.security.uploads import upload_limits

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def representative_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.role != Role.EMPLOYER_REP or not request.user.employer_id:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class MandateForm(forms.Form):
    power_of_attorney = forms.FileField(label=gettext_lazy("Surat kuasa (PDF, JPG, atau PNG)"))
    valid_until = forms.DateField(
        label=gettext_lazy("Berlaku sampai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    accept_statement = forms.BooleanField(
        label=gettext_lazy(
            "Saya menyatakan tidak akan menyalahgunakan kuasa ini dan perusahaan menjamin kebenaran data "
            "pekerja yang diajukan."
        ),
    )


class UploadForm(forms.Form):
    list_file = forms.FileField(label=gettext_lazy("Daftar pekerja (CSV atau XLSX)"))
    documents_file = forms.FileField(
        label=gettext_lazy("Dokumen pekerja (ZIP, satu folder per NIK)"), required=False
    )


def _attachment(data: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@representative_required
def dashboard(request, mandate_form=None, upload_form=None):
    user = request.user
    context = {
        "active_mandate": actions.active_mandate_for(user),
        "mandates": mandates_visible_to(user).filter(representative=user)[:10],
        "lists": lists_visible_to(user)[:50],
        "mandate_form": mandate_form or MandateForm(),
        "upload_form": upload_form or UploadForm(),
    }
    status = 400 if (mandate_form or upload_form) else 200
    return render(request, "portal/kolektif/dashboard.html", context, status=status)


@upload_limits(power_of_attorney=MAX_POA_BYTES)
@require_POST
@representative_required
def mandate_create(request):
    form = MandateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.create_mandate(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Surat kuasa terkirim dan menunggu persetujuan kantor cabang."))
            return redirect("collective:dashboard")
    return dashboard(request, mandate_form=form)


@require_POST
@representative_required
def mandate_revoke(request, pk: int):
    mandate = get_mandate_for(request.user, pk)
    try:
        actions.revoke_mandate(mandate, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("collective:dashboard")


@representative_required
def template_download(request, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404
    return _attachment(exports.template_file(fmt), fmt, "templat-daftar-kolektif")


@upload_limits(list_file=MAX_LIST_BYTES, documents_file="COLLECTIVE_DOCUMENTS_MAX_BYTES")
@require_POST
@representative_required
def upload(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return dashboard(request, upload_form=form)
    try:
        mass_list, created = actions.upload_list(by=request.user, **form.cleaned_data)
    except DomainError as error:
        form.add_error(None, str(error.message))
        return dashboard(request, upload_form=form)
    if not created:
        messages.info(request, _("Berkas yang sama sudah pernah diunggah; ini daftar yang sama."))
    return redirect("collective:list", pk=mass_list.pk)


@representative_required
def list_detail(request, pk: int):
    mass_list = get_list_for(request.user, pk)
    rows = mass_list.rows.all()
    show = request.GET.get("tampil", "kesalahan" if mass_list.status == ListStatus.VALIDATED else "semua")
    if show == "kesalahan":
        rows = rows.filter(status=RowStatus.INVALID)
    page = Paginator(rows.order_by("line"), 50).get_page(request.GET.get("hal"))
    context = {
        "mass_list": mass_list,
        "page": page,
        "rows": rows_with_claims(list(page.object_list)),
        "show": show,
        "counts": labelled_counts(status_counts(mass_list)) if mass_list.claims_created else [],
        "poll": mass_list.is_working,
        "notices": [issue.render() for issue in mass_list.notice_issues()],
        "file_error": _render_file_error(mass_list.file_error),
    }
    return render(request, "portal/kolektif/list.html", context)


def _render_file_error(raw: list) -> str:
    if not raw:
        return ""
    text = _(raw[0])
    return text % raw[1] if len(raw) > 1 and raw[1] else text


@representative_required
def list_progress(request, pk: int):
    mass_list = get_list_for(request.user, pk)
    response = render(
        request, "portal/kolektif/_progress.html", {"mass_list": mass_list, "poll": mass_list.is_working}
    )
    if not mass_list.is_working:
        response["HX-Refresh"] = "true"  # the stage finished: reload the page to show the summary
    return response


@representative_required
def list_errors(request, pk: int, fmt: str):
    mass_list = get_list_for(request.user, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    record_download(
        request.user,
        DownloadKind.COLLECTIVE_REPORT,
        f"#{mass_list.pk} {mass_list.filename}",
        branch=mass_list.employer.branch,
        file_format=fmt,
        identifiers=True,
    )
    return _attachment(exports.error_report(mass_list, fmt), fmt, f"kesalahan-daftar-{mass_list.pk}")


@require_POST
@representative_required
def list_submit(request, pk: int):
    mass_list = get_list_for(request.user, pk)
    try:
        actions.submit_list(mass_list, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("collective:list", pk=pk)


@require_POST
@representative_required
def list_resume(request, pk: int):
    mass_list = get_list_for(request.user, pk)
    if not actions.resume_list(mass_list, by=request.user):
        messages.info(request, _("Proses masih berjalan; tunggu sebentar."))
    return redirect("collective:list", pk=pk)
