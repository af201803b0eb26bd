"""Staff pages of the schedule (/console/sesi/): today's sessions, the session-now page, templates, measures."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lapakasik.accounts.access import branch_for, current_branch, staff_required
from lapakasik.accounts.models import Role
from lapakasik.booking import actions, queries
from lapakasik.booking.calendar import seats_allowed
from lapakasik.booking.lifecycle import BOOKING
from lapakasik.booking.models import (
    BookingAction,
    BookingStatus,
    Closure,
    OpeningHours,
    SessionTemplate,
    Verdict,
    Weekday,
)
from lapakasik.claims.models import Program, Reason
from lapakasik.lib import params
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError

SUPERVISORS = (Role.SUPERVISOR, Role.BRANCH_HEAD, Role.ADMIN)
MEASURES_MAX_DAYS = 366


def _day(request, branch) -> dt.date:
    return params.day(request.GET.get("tanggal"), "tanggal") or today_at(branch.time_zone)


@staff_required
def sessions_today(request):
    branch = current_branch(request)
    day = _day(request, branch)
    context = {
        "branch": branch,
        "day": day,
        "sessions": queries.sessions_of_day(branch, day),
        "checkin_url": request.build_absolute_uri(reverse("booking_checkin", args=[branch.code])),
        "display_url": reverse("booking_display", args=[branch.code]),
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
        "edits_calendar": _edits_calendar(request.user),
    }
    return render(request, "console/booking/sessions.html", context)


@staff_required
def session_now(request, pk: int):
    session = queries.get_session_for(request.user, pk)
    context = {
        "session": session,
        "roster": queries.roster(session),
        "video_link": queries.officer_video_link(session),
        "verdict_labels": dict(Verdict.choices),
        # Verdicts and calls are the serving staff's (finance may look, not act).
        "serves": BOOKING.offers(BookingAction.ABSENT, BookingStatus.BOOKED, request.user),
    }
    return render(request, "console/booking/session_now.html", context)


def _act(request, pk: int, fn) -> HttpResponse:
    session = queries.get_session_for(request.user, pk)
    try:
        fn(session)
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("console:booking_session", pk=pk)


@staff_required
@require_POST
def call_next(request, pk: int):
    return _act(request, pk, lambda s: actions.call_next(s, by=request.user))


@staff_required
@require_POST
def finish(request, pk: int):
    def done(session):
        actions.finish_session(session, by=request.user)
        messages.success(request, _("Sesi diakhiri."))

    return _act(request, pk, done)


@staff_required
@require_POST
def verdict(request, pk: int, booking_pk: int):
    def record(session):
        booking = get_object_or_404(session.bookings.select_related("claim__participant"), pk=booking_pk)
        booking = actions.record_verdict(
            booking, request.POST.get("verdict", ""), by=request.user, note=request.POST.get("note", "")
        )
        messages.success(
            request,
            _("%(name)s: %(verdict)s — tercatat.")
            % {"name": booking.claim.participant.full_name, "verdict": booking.get_verdict_display()},
        )

    return _act(request, pk, record)


@staff_required
@require_POST
def dropbox(request, pk: int, booking_pk: int):
    def record(session):
        booking = get_object_or_404(session.bookings, pk=booking_pk)
        actions.record_dropbox(booking, by=request.user, note=request.POST.get("note", ""))
        messages.success(request, _("Dokumen di dropbox tercatat diterima."))

    return _act(request, pk, record)


@staff_required
def checkin_qr(request, branch_code: str):
    branch = branch_for(request.user, branch_code)
    url = request.build_absolute_uri(reverse("booking_checkin", args=[branch.code]))
    # A standalone SVG file with its namespace: the page shows it through <img>, and a browser renders no
    # SVG image without xmlns (svg_inline leaves it out, being meant for inline markup).
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=8, xmldecl=False)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


class CodesField(forms.MultipleChoiceField):
    """Ticked codes, stored space-delimited (SessionTemplate.programs / reasons); none ticked = all."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        return [code for code in super().to_python(value) if code]

    def clean(self, value) -> str:  # type: ignore[override]
        return " ".join(super().clean(value))


SEAT_CHOICES = [
    (1, gettext_lazy("1 — satu-satu")),
    (4, gettext_lazy("4 — kelompok")),
    (5, gettext_lazy("5 — kelompok")),
    (6, gettext_lazy("6 — kelompok")),
]


class TemplateForm(forms.ModelForm):
    programs = CodesField(label=gettext_lazy("Program (tidak dicentang = semua)"), required=False)
    reasons = CodesField(label=gettext_lazy("Alasan klaim (tidak dicentang = semua)"), required=False)

    class Meta:
        model = SessionTemplate
        fields = list(actions.TEMPLATE_FIELDS)
        labels = {"officer": gettext_lazy("Petugas"), "channel": gettext_lazy("Kanal")}
        widgets = {"start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, branch=None, **kwargs):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["officer"].queryset = branch.staff.filter(role__in=[Role.CSO, Role.SUPERVISOR])
        fields["officer"].label_from_instance = lambda user: user.get_full_name() or user.username
        fields["programs"].choices = Program.choices
        fields["reasons"].choices = Reason.choices
        fields["seats"].widget = forms.Select(choices=SEAT_CHOICES)
        open_days = set(branch.opening_hours.values_list("weekday", flat=True))
        # Only the days the branch opens are offered; another day posted is refused by the action's rule.
        fields["weekday"].widget.choices = [(d, label) for d, label in Weekday.choices if d in open_days]
        if self.instance.pk:  # editing: the stored codes ticked
            self.initial["programs"] = self.instance.programs.split()
            self.initial["reasons"] = self.instance.reasons.split()

    def clean_seats(self):
        # Before the model's own 1–6 constraint speaks (in words no officer reads), the service's rule.
        seats = self.cleaned_data["seats"]
        if not seats_allowed(seats):
            raise forms.ValidationError(actions.SEATS_RULE)
        return seats


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["date", "reason"]
        labels = {"date": gettext_lazy("Tanggal"), "reason": gettext_lazy("Alasan")}
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class HoursForm(forms.ModelForm):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]
        labels = {
            "weekday": gettext_lazy("Hari"),
            "opens": gettext_lazy("Buka"),
            "closes": gettext_lazy("Tutup"),
        }
        widgets = {
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


def _edits_calendar(user) -> bool:
    return user.role in SUPERVISORS or user.is_admin_role


def _require_supervisor(request):
    if not _edits_calendar(request.user):
        raise Http404


def _calendar_forms(request, branch) -> dict[str, Any]:
    """One form per kind; only the one that was submitted is bound, so its errors stay under it alone."""
    kind = request.POST.get("kind") if request.method == "POST" else None
    editing = _template_to_edit(request, branch)

    def data(*kinds: str):
        return request.POST if kind in kinds else None

    return {
        "template": TemplateForm(data("template"), branch=branch, prefix="t"),
        "edit": TemplateForm(data("edit"), branch=branch, prefix="e", instance=editing) if editing else None,
        "closure": ClosureForm(data("closure"), prefix="c"),
        "hours": HoursForm(data("hours"), prefix="h"),
    }


def _template_to_edit(request, branch) -> SessionTemplate | None:
    pk = request.POST.get("template") if request.method == "POST" else request.GET.get("ubah")
    if not pk or (request.method == "POST" and request.POST.get("kind") != "edit"):
        return None
    return get_object_or_404(SessionTemplate, branch=branch, active=True, pk=params.object_id(pk, "ubah"))


@staff_required
def templates(request):
    _require_supervisor(request)
    branch = current_branch(request)
    by_kind = _calendar_forms(request, branch)
    if request.method == "POST":
        done = _save_setup(request, branch, request.POST.get("kind"), by_kind)
        if done:
            return redirect(f"{reverse('console:booking_templates')}?branch={branch.code}")
    context = {
        "branch": branch,
        "form": by_kind["template"],
        "edit_form": by_kind["edit"],
        "closure_form": by_kind["closure"],
        "hours_form": by_kind["hours"],
        "templates": _labelled_templates(branch),
        "closures": branch.closures.filter(date__gte=today_at(branch.time_zone)).order_by("date"),
        "hours": branch.opening_hours.all(),
        "calendar": actions.calendar_for(branch),
    }
    return render(
        request, "console/booking/templates.html", context, status=400 if request.method == "POST" else 200
    )


def _labelled_templates(branch) -> list[Any]:
    """Programs and reasons by their names, not their codes."""
    programs, reasons = dict(Program.choices), dict(Reason.choices)
    rows: list[Any] = list(SessionTemplate.objects.filter(branch=branch).select_related("officer"))
    for t in rows:
        t.program_labels = [programs.get(code, code) for code in t.programs.split()]
        t.reason_labels = [reasons.get(code, code) for code in t.reasons.split()]
    return rows


def _save_setup(request, branch, kind, forms_by_kind) -> bool:
    """Each calendar edit is an action (with its audit event); this view only validates and reports."""
    if kind == "generate":
        cal = actions.calendar_for(branch)
        n = actions.generate_sessions(
            branch, start=today_at(branch.time_zone), days=cal.days_ahead + 1, by=request.user
        )
        messages.success(request, _("%(n)s sesi dibuat.") % {"n": n})
        return True
    if kind == "deactivate":
        template = get_object_or_404(SessionTemplate, branch=branch, pk=request.POST.get("template"))
        actions.deactivate_template(template, by=request.user)
        messages.success(request, _("Templat dinonaktifkan."))
        return True
    form = forms_by_kind.get(kind)
    if form is None or not form.is_valid():
        return False
    try:
        _save_calendar_edit(request, branch, kind, form)
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error.message))
        return False
    return True


def _save_calendar_edit(request, branch, kind: str, form) -> None:
    data = form.cleaned_data
    if kind == "template":
        actions.add_template(branch, by=request.user, **data)
        messages.success(request, _("Templat ditambahkan."))
    elif kind == "edit":
        actions.replace_template(form.instance, by=request.user, **data)
        messages.success(request, _("Templat diubah; sesi yang sudah dibuat tetap seperti semula."))
    elif kind == "hours":
        actions.set_opening_hours(branch, by=request.user, **data)
        messages.success(request, _("Jam buka tersimpan."))
    else:
        _closure, cancelled = actions.add_closure(branch, by=request.user, **data)
        messages.success(
            request,
            _("Tersimpan. %(n)s sesi pada tanggal itu dibatalkan dan pesertanya diberi tahu.")
            % {"n": cancelled},
        )


@staff_required
def measures(request):
    branch = current_branch(request)
    today = today_at(branch.time_zone)
    date_from = params.day(request.GET.get("from"), "from") or today - dt.timedelta(days=13)
    date_to = params.day(request.GET.get("to"), "to") or today
    params.period(date_from, date_to, max_days=MEASURES_MAX_DAYS)  # one row per day: a year at most
    rows = queries.measures(branch, date_from, date_to)
    return render(
        request,
        "console/booking/measures.html",
        {"branch": branch, "rows": rows, "date_from": date_from, "date_to": date_to},
    )
