"""The participant's personal-data page under /akun/data-pribadi/: consents, a copy of their data, deletion and
correction requests (UU 27/2022). Every write goes through lapakasik.privacy.actions."""

from __future__ import annotations

import tempfile
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lapakasik.lib.errors import DomainError
from lapakasik.notify.outbox import PHONE_CHANNELS, mask, phone_e164
from lapakasik.privacy import actions, export
from lapakasik.privacy.models import Consent, ConsentMethod, DataRequest, Purpose

PURPOSE_HELP = {
    Purpose.WHATSAPP: gettext_lazy("Pemberitahuan status klaim dan jadwal lewat WhatsApp."),
    Purpose.SMS: gettext_lazy("Pemberitahuan status klaim dan jadwal lewat SMS."),
    Purpose.VIDEO_RECORDING: gettext_lazy("Rekaman panggilan video verifikasi, sebagai bukti layanan."),
    Purpose.FACE_CHECK: gettext_lazy("Mencocokkan swafoto Anda dengan foto e-KTP (data biometrik)."),
}


class RequestForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Keterangan"),
        max_length=actions.TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Data mana yang salah dan bagaimana yang benar?"),
        max_length=actions.TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def participant_required(view):
    """A participant's own account; anyone else logs in or gets 404 (staff act from the console; an heir's
    account is linked to the deceased participant, whose rights are not the heir's to exercise here)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.participant is None or not actions.is_data_subject(
            request.user, request.user.participant
        ):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, *, deletion=None, correction=None, status=200):
    participant = request.user.participant
    current = {c.purpose: c for c in Consent.objects.filter(participant=participant, withdrawn_at=None)}
    consents = [
        {
            "purpose": purpose,
            "label": purpose.label,
            "help": PURPOSE_HELP[purpose],
            "consent": current.get(purpose),
            "channel": purpose in PHONE_CHANNELS,
        }
        for purpose in Purpose
    ]
    phone = phone_e164(participant.phone) if participant.phone else ""
    context = {
        "consents": consents,
        # Where WhatsApp/SMS would go, masked like everywhere else (the full number is on the staff side).
        "phone_masked": mask("sms", phone) if phone else "",
        "history": Consent.objects.filter(participant=participant).exclude(withdrawn_at=None)[:20],
        "requests": DataRequest.objects.filter(participant=participant)[:20],
        "deletion_form": deletion or RequestForm(prefix="hapus"),
        "correction_form": correction or CorrectionForm(prefix="perbaiki"),
    }
    return render(request, "portal/privacy.html", context, status=status)


@participant_required
def account_privacy(request):
    return _page(request)


@participant_required
@require_POST
def consent(request):
    participant, purpose = request.user.participant, request.POST.get("purpose", "")
    try:
        if request.POST.get("give") == "1":
            actions.give_consent(participant, purpose, by=request.user, how=ConsentMethod.PORTAL)
            messages.success(request, _("Persetujuan Anda dicatat."))
        else:
            actions.withdraw_consent(participant, purpose, by=request.user, how=ConsentMethod.PORTAL)
            messages.success(request, _("Persetujuan ditarik. Pemrosesan untuk keperluan ini dihentikan."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("privacy_home")


@participant_required
@require_POST
def export_data(request):
    # Spooled: small exports stay in memory, large ones (many scans) go to a temporary file, never whole in RAM.
    out = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 (FileResponse closes it)
    export.export(request.user.participant, out, by=request.user, via="portal")
    out.seek(0)
    name = f"data-pribadi-{request.user.participant.kpj}.zip"
    return FileResponse(out, as_attachment=True, filename=name, content_type="application/zip")


@participant_required
@require_POST
def request_deletion(request):
    form = RequestForm(request.POST, prefix="hapus")
    if not form.is_valid():
        return _page(request, deletion=form, status=400)
    try:
        done = actions.request_deletion(
            request.user.participant, by=request.user, text=form.cleaned_data["text"]
        )
    except DomainError as error:
        form.add_error(None, str(error.message))
        return _page(request, deletion=form, status=400)
    messages.success(
        request, _("Permintaan penghapusan diputuskan: %(status)s.") % {"status": done.get_status_display()}
    )
    return redirect("privacy_home")


@participant_required
@require_POST
def request_correction(request):
    form = CorrectionForm(request.POST, prefix="perbaiki")
    if not form.is_valid():
        return _page(request, correction=form, status=400)
    try:
        actions.request_correction(request.user.participant, by=request.user, text=form.cleaned_data["text"])
    except DomainError as error:
        form.add_error("text", str(error.message))
        return _page(request, correction=form, status=400)
    messages.success(request, _("Permintaan perbaikan dicatat. Petugas memeriksanya dan memberi tahu Anda."))
    return redirect("privacy_home")
