"""The person's complaint pages under /pengaduan/: their complaints, filing one, one complaint's timeline.

Every write goes through lapakasik.complaints.actions; complaints are fetched through complaints.queries."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapakasik.complaints import actions
from lapakasik.complaints.lifecycle import FILERS
from lapakasik.complaints.models import Category, Kind
from lapakasik.complaints.queries import complaints_visible_to, get_complaint_for, resolve_about, subjects_for
from lapakasik.lib.errors import DomainError
from lapakasik.portal.templatetags.lapak import long_date
from lapakasik.registry.models import Branch
from lapakasik.security.actions import record_download
from lapakasik.security.models import DownloadKind
from lapakasik.security.uploads import refused_uploads, upload_limits


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the action (claims/uploads.py), not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.bmp,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(one, initial) for one in files]


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis"), choices=Kind.choices, initial=Kind.COMPLAINT, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(label=gettext_lazy("Kategori"), choices=Category.choices)
    about = forms.ChoiceField(label=gettext_lazy("Tentang"))
    branch = forms.ChoiceField(label=gettext_lazy("Cabang (untuk pengaduan layanan)"), required=False)
    text = forms.CharField(
        label=gettext_lazy("Ceritakan masalahnya"),
        max_length=actions.TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Lampiran (JPG, PNG, BMP, atau PDF; paling banyak 5 berkas, masing-masing 5 MB)"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        subjects = subjects_for(user)
        choices = [("service", _("Layanan cabang (bukan klaim tertentu)"))]
        choices += [
            (f"claim:{c.number}", _("Klaim %(number)s · %(program)s · %(status)s")
             % {"number": c.number, "program": c.program, "status": c.get_status_display()})
            for c in subjects["claims"]
        ]  # fmt: skip
        choices += [
            (f"payment:{p.reference}", _("Pembayaran %(reference)s · klaim %(number)s")
             % {"reference": p.reference, "number": p.claim.number})
            for p in subjects["payments"]
        ]  # fmt: skip
        fields: Any = self.fields
        fields["about"].choices = choices
        fields["branch"].choices = [("", "—")] + list(
            Branch.objects.order_by("name").values_list("code", "name")
        )


def filer_required(view):
    """Participants, heirs and employer representatives; staff answer from the console (others: 404)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.role not in FILERS:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@filer_required
def my_complaints(request):
    complaints = complaints_visible_to(request.user).order_by("-filed_at")[:100]
    return render(request, "portal/complaints/home.html", {"complaints": complaints})


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


@upload_limits(shows_refusals=True)
@filer_required
def file_complaint(request):
    initial = {"about": request.GET.get("about", "service")}
    form = ComplaintForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST":
        for message in refused_uploads(request).values():
            form.add_error("attachments", message)
        if form.is_valid():
            data = form.cleaned_data
            try:
                about = resolve_about(request.user, data["about"])
                branch = Branch.objects.filter(code=data["branch"]).first() if data["branch"] else None
                complaint = actions.file_complaint(
                    by=request.user, kind=data["kind"], category=data["category"], text=data["text"],
                    branch=branch, uploads=data["attachments"], **about,
                )  # fmt: skip
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(
                    request,
                    _("Pengaduan %(number)s diterima. Kami menjawab paling lambat %(due)s.")
                    % {"number": complaint.number, "due": long_date(complaint.due_on)},
                )
                return redirect("complaints_detail", number=complaint.number)
    status = 400 if form.errors else 200
    return render(request, "portal/complaints/new.html", {"form": form}, status=status)


@filer_required
def complaint_detail(request, number: str):
    complaint = get_complaint_for(request.user, number)
    context = {
        "complaint": complaint,
        "events": complaint.events.select_related("actor"),
        "attachments": complaint.attachments.all(),
    }
    return render(request, "portal/complaints/detail.html", context)


def attachment_file(request, number: str, pk: int):
    """Served to the person who filed and the branch's staff only; never through MEDIA_URL."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    complaint = get_complaint_for(request.user, number)
    attachment = get_object_or_404(complaint.attachments, pk=pk)
    record_download(
        request.user, DownloadKind.COMPLAINT_ATTACHMENT, f"{number} #{attachment.pk}", branch=complaint.branch
    )
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    extension = (attachment.file.name or "").rsplit(".", 1)[-1]
    response["Content-Disposition"] = f'inline; filename="lampiran-{attachment.pk}.{extension}"'
    return response
