"""Staff pages of the schedule (/console/sesi/): today's sessions, the session-now page, templates, measures."""

from __future__ import annotations

import datetime as dt

import segno
from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lapakasik.accounts.access import branch_for, staff_required
from lapakasik.accounts.models import Role
from lapakasik.booking import actions, queries
from lapakasik.booking.models import Closure, OpeningHours, SessionTemplate, Verdict
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError

SUPERVISORS = (Role.SUPERVISOR, Role.BRANCH_HEAD, Role.ADMIN)


def _day(request, branch) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("tanggal", ""))
    except ValueError:
        return today_at(branch.time_zone)


@staff_required
def sessions_today(request):
    branch = branch_for(request.user, request.GET.get("branch"))
    day = _day(request, branch)
    context = {
        "branch": branch, "day": day, "sessions": queries.sessions_of_day(branch, day),
        "checkin_url": request.build_absolute_uri(reverse("booking_checkin", args=[branch.code])),
        "display_url": reverse("booking_display", args=[branch.code]),
        "previous": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1),
    }  # fmt: skip
    return render(request, "console/booking/sessions.html", context)


@staff_required
def session_now(request, pk: int):
    session = queries.get_session_for(request.user, pk)
    context = {"session": session, "roster": queries.roster(session), "verdicts": Verdict.choices}
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
    return _act(request, pk, lambda s: actions.finish_session(s, by=request.user))


@staff_required
@require_POST
def verdict(request, pk: int, booking_pk: int):
    def record(session):
        booking = get_object_or_404(session.bookings, pk=booking_pk)
        actions.record_verdict(booking, request.POST.get("verdict", ""), by=request.user,
                               note=request.POST.get("note", ""))  # fmt: skip

    return _act(request, pk, record)


@staff_required
@require_POST
def dropbox(request, pk: int, booking_pk: int):
    def record(session):
        booking = get_object_or_404(session.bookings, pk=booking_pk)
        actions.record_dropbox(booking, by=request.user, note=request.POST.get("note", ""))

    return _act(request, pk, record)


@staff_required
def checkin_qr(request, branch_code: str):
    branch = branch_for(request.user, branch_code)
    url = request.build_absolute_uri(reverse("booking_checkin", args=[branch.code]))
    svg = segno.make(url, error="m").svg_inline(scale=8)
    return HttpResponse(svg, content_type="image/svg+xml")


class TemplateForm(forms.ModelForm):
    class Meta:
        model = SessionTemplate
        fields = [
            "channel",
            "officer",
            "weekday",
            "start",
            "duration_minutes",
            "seats",
            "programs",
            "reasons",
        ]
        help_texts = {"programs": gettext_lazy("Kode dipisah spasi, mis. JHT JKM; kosong = semua"),
                      "reasons": gettext_lazy("Kode alasan dipisah spasi; kosong = semua")}  # fmt: skip

    def __init__(self, *args, branch=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = branch.staff.filter(role__in=[Role.CSO, Role.SUPERVISOR])

    def clean_seats(self):
        seats = self.cleaned_data["seats"]
        if not 1 <= seats <= 6:
            raise forms.ValidationError(_("Kursi 1 (satu-satu) atau 4–6 (satu petugas banyak peserta)."))
        return seats


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["date", "reason"]


class HoursForm(forms.ModelForm):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]


def _require_supervisor(request):
    if request.user.role not in SUPERVISORS and not request.user.is_admin_role:
        from django.http import Http404

        raise Http404


@staff_required
def templates(request):
    _require_supervisor(request)
    branch = branch_for(request.user, request.GET.get("branch"))
    form = TemplateForm(request.POST or None, branch=branch, prefix="t")
    closure = ClosureForm(request.POST or None, prefix="c")
    hours = HoursForm(request.POST or None, prefix="h")
    kind = request.POST.get("kind")
    if request.method == "POST":
        done = _save_setup(request, branch, kind, {"template": form, "closure": closure, "hours": hours})
        if done:
            return redirect(f"{reverse('console:booking_templates')}?branch={branch.code}")
    context = {
        "branch": branch, "form": form, "closure_form": closure, "hours_form": hours,
        "templates": SessionTemplate.objects.filter(branch=branch).select_related("officer"),
        "closures": branch.closures.filter(date__gte=today_at(branch.time_zone)).order_by("date"),
        "hours": branch.opening_hours.all(), "calendar": actions.calendar_for(branch),
    }  # fmt: skip
    return render(
        request, "console/booking/templates.html", context, status=400 if request.method == "POST" else 200
    )


def _save_setup(request, branch, kind, forms_by_kind) -> bool:
    if kind == "generate":
        cal = actions.calendar_for(branch)
        n = actions.generate_sessions(branch, start=today_at(branch.time_zone), days=cal.days_ahead + 1)
        messages.success(request, _("%(n)s sesi dibuat.") % {"n": n})
        return True
    if kind == "deactivate":
        SessionTemplate.objects.filter(branch=branch, pk=request.POST.get("template")).update(active=False)
        return True
    form = forms_by_kind.get(kind)
    if form is None or not form.is_valid():
        return False
    item = form.save(commit=False)
    item.branch = branch
    if kind == "hours":
        OpeningHours.objects.update_or_create(
            branch=branch, weekday=item.weekday, defaults={"opens": item.opens, "closes": item.closes}
        )
    else:
        item.save()
    messages.success(request, _("Tersimpan."))
    return True


@staff_required
def measures(request):
    branch = branch_for(request.user, request.GET.get("branch"))
    today = today_at(branch.time_zone)
    try:
        date_from = dt.date.fromisoformat(request.GET.get("from", ""))
        date_to = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        date_from, date_to = today - dt.timedelta(days=13), today
    rows = queries.measures(branch, date_from, date_to)
    return render(request, "console/booking/measures.html",
                  {"branch": branch, "rows": rows, "date_from": date_from, "date_to": date_to})  # fmt: skip
