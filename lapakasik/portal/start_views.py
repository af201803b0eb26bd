"""The start page of each program (issue 14, GOV.UK's start-page pattern) under /layanan/<program>/: who can
claim, what to prepare (the rules' checklists, with the claim form to download), how long it takes, and the
"Mulai klaim" button — or, where the program is not claimed online, where to go instead.

Nothing here is stored; the content is ``claims.start.start_page`` and the form ``claims.claim_form``.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from lapakasik.claims.claim_form import claim_form_pdf
from lapakasik.claims.start import SLUGS, StartPage, start_page
from lapakasik.lib.dates import today_at
from lapakasik.registry.models import Heir

from .claims_views import SESSION_KEY

HOME_TIME_ZONE = "Asia/Jakarta"  # a public page has no branch yet: the parameters of today in WIB


def _page(slug: str) -> StartPage:
    program = SLUGS.get(slug)
    if program is None:
        raise Http404
    return start_page(program, today_at(HOME_TIME_ZONE))


def _start_url(request: HttpRequest, page: StartPage) -> str:
    name = "claims_choose" if request.user.is_authenticated else "claims_identify"
    return f"{reverse(name)}?{urlencode({'choice': page.choice})}" if page.choice else reverse(name)


def start(request: HttpRequest, slug: str) -> HttpResponse:
    page = _page(slug)
    context = {"page": page, "start_url": _start_url(request, page) if page.online else ""}
    return render(request, "portal/start/program.html", context)


def claim_form(request: HttpRequest, slug: str) -> HttpResponse:
    """The form as a PDF: prefilled for a signed-in participant (or the heir they identified as)."""
    page = _page(slug)
    participant, heir = _who_asks(request)
    pdf = claim_form_pdf(page, on=today_at(HOME_TIME_ZONE), participant=participant, heir=heir)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="formulir-klaim-{slug}.pdf"'
    # A prefilled form carries a NIK: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


def _who_asks(request: HttpRequest):
    user = request.user
    if not user.is_authenticated or not getattr(user, "participant_id", None):
        return None, None
    stored = request.session.get(SESSION_KEY) or {}
    heir = None
    if stored.get("participant") == user.participant_id and stored.get("heir"):
        heir = Heir.objects.filter(pk=stored["heir"], participant=user.participant).first()
    return user.participant, heir
