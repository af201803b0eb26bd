"""The console's personal-data pages: the breach register (branch head, admin) and the data requests (staff).

Every write goes through lapakasik.privacy.actions; objects are fetched through privacy.queries."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lapakasik.accounts.access import current_branch, staff_required
from lapakasik.lib.errors import DomainError
from lapakasik.privacy import actions, export
from lapakasik.privacy.models import ConsentMethod, Purpose, RequestKind, RequestStatus
from lapakasik.privacy.queries import (
    clocks,
    get_incident_for,
    incidents_visible_to,
    may_keep_breach_register,
    requests_visible_to,
)


class IncidentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Judul"), max_length=150)
    description = forms.CharField(label=gettext_lazy("Uraian"), widget=forms.Textarea(attrs={"rows": 3}))
    affected_count = forms.IntegerField(
        label=gettext_lazy("Jumlah orang terdampak"), min_value=0, max_value=10**9
    )
    data_categories = forms.CharField(
        label=gettext_lazy("Jenis data yang bocor"), max_length=200, required=False
    )
    aware_at = forms.DateTimeField(
        label=gettext_lazy("Diketahui sejak (kosongkan: sekarang)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class CounterConsentForm(forms.Form):
    """A consent given or withdrawn at the counter, on paper or orally in a video call, recorded by staff."""

    nik = forms.CharField(
        label=gettext_lazy("NIK peserta"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    purpose = forms.ChoiceField(label=gettext_lazy("Keperluan"), choices=Purpose.choices)
    how = forms.ChoiceField(
        label=gettext_lazy("Cara"),
        choices=[
            (m.value, m.label) for m in (ConsentMethod.COUNTER, ConsentMethod.PAPER, ConsentMethod.VIDEO_CALL)
        ],
    )
    give = forms.TypedChoiceField(
        label=gettext_lazy("Persetujuan"),
        coerce=lambda value: value == "1",
        choices=[("1", gettext_lazy("Diberikan")), ("0", gettext_lazy("Ditarik"))],
    )


def _breach_keeper(request) -> None:
    if not may_keep_breach_register(request.user):
        raise Http404


@staff_required
def incidents(request):
    _breach_keeper(request)
    branch = current_branch(request)
    form = IncidentForm(request.POST or None)
    if request.method == "POST":
        with timezone.override(branch.time_zone):  # a time typed in the branch's own clock
            valid = form.is_valid()
        if valid:
            try:
                actions.record_incident(by=request.user, branch=branch, **form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
            else:
                messages.success(request, _("Insiden dicatat. Batas pemberitahuan 3 × 24 jam berjalan."))
                return redirect("console:privacy_incidents")
    context = {"branch": branch, "form": form, "clocks": clocks(incidents_visible_to(request.user)[:200])}
    return render(request, "console/privacy/incidents.html", context, status=400 if form.errors else 200)


@staff_required
@require_POST
def incident_step(request, pk: int):
    _breach_keeper(request)
    incident = get_incident_for(request.user, pk)
    step, note = request.POST.get("step", ""), request.POST.get("note", "")
    try:
        if step in ("authority", "subjects"):
            actions.notify_incident(incident, by=request.user, whom=step, note=note)
        elif step == "close":
            actions.close_incident(incident, by=request.user, note=note)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Dicatat."))
    return redirect("console:privacy_incidents")


@staff_required
def requests(request, consent_form=None, status=200):
    shown = requests_visible_to(request.user)
    context = {
        "consent_form": consent_form or CounterConsentForm(),
        "corrections": shown.filter(
            kind=RequestKind.CORRECTION, status__in=[RequestStatus.OPEN, RequestStatus.CHECKED]
        ),
        "decided": shown.exclude(status__in=[RequestStatus.OPEN, RequestStatus.CHECKED])[:100],
    }
    return render(request, "console/privacy/requests.html", context, status=status)


@staff_required
@require_POST
def counter_consent(request):
    form = CounterConsentForm(request.POST)
    if not form.is_valid():
        return requests(request, consent_form=form, status=400)
    data = form.cleaned_data
    try:
        participant = export.participant_by_nik(data["nik"])
        write = actions.give_consent if data["give"] else actions.withdraw_consent
        write(participant, data["purpose"], by=request.user, how=data["how"])
    except DomainError as error:
        form.add_error("nik" if error.field == "nik" else None, str(error.message))
        return requests(request, consent_form=form, status=400)
    messages.success(request, _("Persetujuan dicatat."))
    return redirect("console:privacy_requests")


@staff_required
@require_POST
def request_step(request, pk: int):
    data_request = get_object_or_404(requests_visible_to(request.user), pk=pk)
    step, note = request.POST.get("step", ""), request.POST.get("note", "")
    steps = {
        "check": actions.check_correction,
        "confirm": actions.confirm_correction,
        "reject": actions.reject_correction,
    }
    if step not in steps:
        raise Http404
    try:
        steps[step](data_request, by=request.user, note=note)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Dicatat."))
    return redirect("console:privacy_requests")
