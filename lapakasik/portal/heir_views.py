"""The heir's JKM page for the deceased's children (issue 14): names, birth dates and school levels, and the
scholarship schedule the rules compute from them. /klaim/<number>/anak/; Post/Redirect/Get.

The children are saved by ``claims.heirs.save_children``; the schedule is ``assess_claim``'s (the rules'
``jkm`` scholarship), never computed here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapakasik.claims.actions import EDITABLE_BY_CLAIMANT
from lapakasik.claims.cases import assess_claim
from lapakasik.claims.heirs import save_children
from lapakasik.claims.models import Program, SchoolLevel
from lapakasik.claims.queries import get_claim_for
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError

from .claim_tasks import from_check
from .forms_estimate import BoundedDateField

ROWS = 4  # the rules pay two at most; four rows leave room for the elder ones who no longer study


class ChildrenForm(forms.Form):
    def __init__(self, *args: Any, today: dt.date, death: dt.date | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [("", "—"), *SchoolLevel.choices]
        for n in range(1, ROWS + 1):
            self.fields[f"child_{n}_name"] = forms.CharField(
                label=gettext_lazy("Nama anak ke-%(n)s") % {"n": n}, max_length=150, required=False
            )
            born = BoundedDateField(
                label=gettext_lazy("Tanggal lahir anak ke-%(n)s") % {"n": n}, required=False, kind="birth"
            )
            # KUHPerdata ps. 255: a child born up to 300 days after the death is still the participant's.
            latest = min(today, death + dt.timedelta(days=300)) if death else today
            born.bound(dt.date(1930, 1, 1), latest)
            self.fields[f"child_{n}_birth_date"] = born
            self.fields[f"child_{n}_level"] = forms.ChoiceField(
                label=gettext_lazy("Jenjang pendidikan anak ke-%(n)s") % {"n": n},
                choices=levels,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, ROWS + 1):
            given = [data.get(f"child_{n}_{key}") for key in ("name", "birth_date", "level")]
            if not any(given):
                continue
            for key, value, message in zip(
                ("name", "birth_date", "level"),
                given,
                (
                    _("Isi nama anak ini."),
                    _("Isi tanggal lahir anak ini."),
                    _("Pilih jenjang pendidikan anak ini."),
                ),
                strict=True,
            ):
                if not value and f"child_{n}_{key}" not in self.errors:
                    self.add_error(f"child_{n}_{key}", message)
        return data

    def children(self) -> list[tuple[str, dt.date, str]]:
        data = self.cleaned_data
        rows = [
            (data[f"child_{n}_name"], data[f"child_{n}_birth_date"], data[f"child_{n}_level"])
            for n in range(1, ROWS + 1)
            if data.get(f"child_{n}_name")
        ]
        return sorted(rows, key=lambda row: row[1])

    def rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"child_{n}_{key}"] for key in ("name", "birth_date", "level")] for n in range(1, ROWS + 1)
        ]


def _initial(claim) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for n, child in enumerate(claim.children.all(), start=1):
        initial.update(
            {
                f"child_{n}_name": child.name,
                f"child_{n}_birth_date": child.birth_date,
                f"child_{n}_level": child.level,
            }
        )
    return initial


@login_required
def children(request: HttpRequest, number: str) -> HttpResponse:
    claim = get_claim_for(request.user, number)
    if claim.program != Program.JKM or claim.claimant_id != request.user.id:
        raise Http404
    editable = claim.status in EDITABLE_BY_CLAIMANT
    came_from_check = from_check(request)  # saving then goes back there, as the other task pages do
    today = today_at(claim.branch.time_zone)
    death = claim.participant.deceased_on
    form = ChildrenForm(
        request.POST if request.method == "POST" else None, initial=_initial(claim), today=today, death=death
    )
    if request.method == "POST" and editable and form.is_valid():
        try:
            save_children(claim, by=request.user, children=form.children())
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Data anak tersimpan."))
            return redirect("claims_task_check" if came_from_check else "claims_children", number=number)
    names = [child.name for child in claim.children.all()]
    assessment = assess_claim(claim)
    schedule = [
        {**entry, "name": names[entry["beneficiary"] - 1] if entry["beneficiary"] <= len(names) else ""}
        for entry in assessment.schedule
    ]
    context = {
        "claim": claim,
        "form": form,
        "editable": editable,
        "assessment": assessment,
        "schedule": schedule,
        "from_check": came_from_check,
    }
    return render(request, "portal/claims/children.html", context, status=400 if form.errors else 200)
