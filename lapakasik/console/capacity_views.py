"""The supervisor's capacity planning page (/console/kapasitas/): what-if inputs, the simulated day, a chart
comparing ways of serving it, and recommended session templates that can be created in one step.

Every figure comes from lapakasik.capacity; this module reads the request and renders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from csp.decorators import csp
from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lapakasik.accounts.access import current_branch, staff_required
from lapakasik.booking.models import Weekday
from lapakasik.capacity import actions, planning, queries
from lapakasik.capacity.chart import comparison_svg
from lapakasik.capacity.simulation import ScenarioError
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError

RECOMMEND_REPLICATIONS = 5


class PlanForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    officers = forms.IntegerField(label=gettext_lazy("Petugas"), min_value=1, max_value=50)
    mode = forms.ChoiceField(
        label=gettext_lazy("Cara melayani"),
        choices=[
            ("one_to_one", gettext_lazy("Satu-satu")),
            ("one_to_many", gettext_lazy("Satu petugas banyak peserta")),
        ],
    )
    group_size = forms.IntegerField(label=gettext_lazy("Ukuran kelompok"), min_value=1, max_value=6)
    booths = forms.IntegerField(
        label=gettext_lazy("Bilik (kosong = cukup)"), min_value=1, max_value=200, required=False
    )
    arrivals_per_hour = forms.FloatField(
        label=gettext_lazy("Kedatangan per jam (kosong = booking hari itu)"),
        min_value=0,
        max_value=1000,
        required=False,
    )
    no_show_rate = forms.FloatField(
        label=gettext_lazy("Tidak hadir (%)"), min_value=0, max_value=100, required=False
    )
    late_rate = forms.FloatField(
        label=gettext_lazy("Terlambat (%)"), min_value=0, max_value=100, required=False
    )
    incomplete_rate = forms.FloatField(
        label=gettext_lazy("Dokumen kurang (%)"), min_value=0, max_value=100, required=False
    )
    seed = forms.IntegerField(label=gettext_lazy("Benih acak"), min_value=0, max_value=2**31 - 1)
    replications = forms.IntegerField(label=gettext_lazy("Replikasi"), min_value=1, max_value=50)

    def what_if(self) -> queries.WhatIf:
        d = self.cleaned_data
        share = lambda name: None if d[name] is None else d[name] / 100  # noqa: E731
        return queries.WhatIf(
            officers=d["officers"],
            mode=d["mode"],
            group_size=d["group_size"],
            booths=d["booths"],
            arrivals_per_hour=d["arrivals_per_hour"],
            no_show_rate=share("no_show_rate"),
            late_rate=share("late_rate"),
            incomplete_rate=share("incomplete_rate"),
        )


@dataclass
class Planning:
    branch: Any
    form: PlanForm
    plan: queries.DayPlan | None = None
    report: dict | None = None
    options: list[planning.Option] = field(default_factory=list)
    best: planning.Option | None = None
    slots: list[planning.Slot] = field(default_factory=list)


def _initial(branch) -> dict:
    return {
        "date": today_at(branch.time_zone) + dt.timedelta(days=1),
        "officers": 1,
        "mode": "one_to_many",
        "group_size": 5,
        "seed": 2020,
        "replications": 10,
    }


def _build(request, *, full: bool) -> Planning:
    branch = current_branch(request)
    try:
        actions.require_planner(branch, request.user)
    except DomainError:
        raise Http404 from None
    data = request.GET if "date" in request.GET else None
    page = Planning(branch, PlanForm(data, initial=_initial(branch)))
    if data is not None and page.form.is_valid():
        try:
            _fill(page, full=full)
        except DomainError as error:
            page.form.add_error(error.field if error.field in page.form.fields else None, str(error.message))
    return page


def _fill(page: Planning, *, full: bool) -> None:
    d = page.form.cleaned_data
    page.plan = queries.day_plan(page.branch, d["date"])
    measured = queries.measure(page.branch, until=d["date"])
    what_if = page.form.what_if()
    page.report = queries.simulate(
        page.plan, measured, what_if, seed=d["seed"], replications=d["replications"]
    )
    base = queries.scenario_for(page.plan, measured, what_if)
    try:
        page.options = planning.compare(base, seed=d["seed"], replications=d["replications"])
        if full:
            page.best = planning.recommend(base, seed=d["seed"], replications=RECOMMEND_REPLICATIONS)
    except ScenarioError as error:
        raise queries.scenario_error(error) from None
    if page.best:
        page.slots = planning.session_slots(base, page.best, page.plan.opens)


@staff_required
def plan(request):
    page = _build(request, full=True)
    context = {
        "page": page,
        "query": request.GET.urlencode(),
        "slots": _slot_rows(page),
        "inputs": _input_rows(page.report["inputs"]) if page.report else [],
        "weekday": Weekday(page.plan.day.weekday()).label if page.plan else "",
    }
    return render(request, "console/capacity/plan.html", context, status=400 if page.form.errors else 200)


def _slot_rows(page: Planning) -> list[tuple[str, planning.Slot]]:
    officers = actions.branch_officers(page.branch)

    def name(number: int) -> str:
        if number <= len(officers):
            return officers[number - 1].get_full_name() or officers[number - 1].username
        return _("petugas %(n)s (belum ada)") % {"n": number}

    return [(name(slot.officer_number), slot) for slot in page.slots]


def _input_rows(inputs: dict) -> list[tuple[str, Any, str]]:
    """(name, value, where it came from), one line per figure the model used."""
    rows = []
    for name, item in inputs.items():
        if "value" in item:
            rows.append((name, item["value"], item["source"]))
        else:
            rows.extend((f"{name} {key}", sub["value"], sub["source"]) for key, sub in item.items())
    return rows


# The SVG is an image document of its own: matplotlib styles it inline, it can run no script.
@csp({"default-src": ["'none'"], "style-src": ["'unsafe-inline'"]})
@staff_required
def chart(request):
    page = _build(request, full=False)
    if not page.options:
        raise Http404
    svg = comparison_svg(
        page.options, wait_title=_("Rata-rata tunggu (menit)"), rate_title=_("Dilayani per jam petugas")
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@staff_required
@require_POST
def create_templates(request):
    page = _build(request, full=True)
    back = f"{reverse('console:capacity')}?{request.GET.urlencode()}"
    if page.form.errors or not page.slots or page.plan is None:
        messages.error(request, _("Tidak ada rekomendasi untuk dijadikan templat."))
        return redirect(back)
    try:
        made = actions.templates_from_slots(page.branch, page.plan.day.weekday(), page.slots, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(back)
    messages.success(request, _("%(n)s templat sesi dibuat.") % {"n": len(made)})
    return redirect(f"{reverse('console:booking_templates')}?branch={page.branch.code}")
