"""The public "Perkiraan manfaat" page: one question per step (issue 14), then the itemized estimate.

1. ``?program=`` — which program (a GET form, a radio list);
2. ``?program=JHT&kasus=resign`` — which case (reason, JKK benefit or JP event), skipped for JKM;
3. the same URL shows only that case's fields; the case is POSTed (birth dates and wages stay out of
   URLs and access logs), and a good answer is kept in the session and redirected to
   ``…&hasil=1#hasil`` (Post/Redirect/Get: reloading or going back never re-posts). A refused one is
   answered at once with the error summary at the top.

No account and no JavaScript needed. Nothing reaches the database except the session row that holds
the last answer until the session ends; the page only calls ``rules.estimate`` through the form.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from lapakasik.claims.cases import HEIR_CHOICES, PARTICIPANT_CHOICES

from .forms_estimate import PROGRAM_FORMS, PROGRAMS, WAGE_ROWS, WAGES_PREFIX, EstimateForm, ProgramForm

SESSION_KEY = "perkiraan_manfaat"
ADD_ROWS = "tambah_baris"
ONLINE_CLAIMS = {f"{program}:{reason}" for program, reason in PARTICIPANT_CHOICES + HEIR_CHOICES}


@require_http_methods(["GET", "POST"])
def estimate_page(request: HttpRequest) -> HttpResponse:
    chooser = ProgramForm(request.GET) if "program" in request.GET else ProgramForm()
    program = chooser.cleaned_data["program"] if chooser.is_bound and chooser.is_valid() else None
    context: dict = {
        "chooser": chooser,
        "program": program,
        "program_name": dict(PROGRAMS).get(program or ""),
        "form": None,
        "result": None,
    }
    if program is None:
        return render(
            request, "portal/estimate.html", {**context, "step": "program"}, status=_status(chooser)
        )
    form_class = PROGRAM_FORMS[program]
    case = request.GET.get("kasus") or None
    context.update(cases=form_class.CASES, case=case, case_name=form_class.case_label(case or ""))
    if form_class.CASE_FIELD and case not in dict(form_class.CASES):
        status = 400 if case else 200
        return render(request, "portal/estimate.html", {**context, "step": "case"}, status=status)
    here = f"{reverse('estimate')}?{urlencode({'program': program, **({'kasus': case} if case else {})})}"
    context.update(step="fields", here=here)
    if request.method == "POST":
        return _answer(request, form_class, case, here, context)
    form, result = form_class(case=case), None
    stored = request.session.get(SESSION_KEY)
    if "hasil" in request.GET and stored and stored["here"] == here:
        form = form_class(_querydict(stored["data"]), case=case)
        result = form.result() if form.is_valid() else None
    return render(request, "portal/estimate.html", {**context, **_shown(form, result, case)})


def _answer(
    request: HttpRequest, form_class: type[EstimateForm], case, here: str, context: dict
) -> HttpResponse:
    data = request.POST.copy()
    if ADD_ROWS in data:  # the table's "Tambah baris" without JavaScript: the same answers, more rows
        total = f"{WAGES_PREFIX}-TOTAL_FORMS"
        data[total] = str(int(data.get(total) or 0) + WAGE_ROWS)
        form = form_class(data, case=case)
        return render(
            request, "portal/estimate.html", {**context, **_shown(form, None, case), "adding": True}
        )
    form = form_class(data, case=case)
    result = form.result() if form.is_valid() else None
    if result is None:
        return render(request, "portal/estimate.html", {**context, **_shown(form, None, case)}, status=400)
    answers = {key: values for key, values in data.lists() if key != "csrfmiddlewaretoken"}
    request.session[SESSION_KEY] = {"here": here, "data": answers}
    return redirect(f"{here}&hasil=1#hasil")


def _shown(form: EstimateForm, result, case: str | None) -> dict:
    claim = f"{form.program}:{case or 'death'}"  # JKM's one case is a death
    return {
        "form": form,
        "result": result,
        "claim_choice": claim if result is not None and result.eligible and claim in ONLINE_CLAIMS else None,
    }


def _querydict(data: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


def _status(chooser: ProgramForm) -> int:
    return 400 if chooser.is_bound and chooser.errors else 200
