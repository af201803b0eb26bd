"""The public "Perkiraan manfaat" page: choose a program, enter the case, see the itemized estimate.

No account and no JavaScript needed: the program is a GET parameter (``?program=JKM``) that picks
the form, and the case is POSTed so birth dates and wages stay out of URLs and access logs.
Nothing is stored; the page only calls ``rules.estimate`` through the form.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .forms_estimate import PROGRAM_FORMS, PROGRAMS, ProgramForm


@require_http_methods(["GET", "POST"])
def estimate_page(request):
    chooser = ProgramForm(request.GET) if "program" in request.GET else ProgramForm()
    program = chooser.cleaned_data["program"] if chooser.is_bound and chooser.is_valid() else None
    form = result = None
    if program:
        form_class = PROGRAM_FORMS[program]
        form = form_class(request.POST) if request.method == "POST" else form_class()
        if form.is_bound and form.is_valid():
            result = form.result()
    context = {
        "chooser": chooser,
        "program": program,
        "program_name": dict(PROGRAMS).get(program or ""),
        "form": form,
        "result": result,
    }
    refused = chooser.errors or (form is not None and form.errors)
    return render(request, "portal/estimate.html", context, status=400 if refused else 200)
