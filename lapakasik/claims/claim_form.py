"""The claim form (formulir pengajuan klaim) a checklist asks for "bermeterai": a PDF the claimant prints, signs
over a Rp10.000 duty stamp (UU 10/2020 ps. 3 and 5), scans and uploads as ``claim_form_materai``.

Rendered by WeasyPrint on demand, blank or prefilled with the registry's facts of the participant (and heir)
who asks — never stored. Always in Indonesian: it is the office's form, signed as written.
"""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import translation

from lapakasik.lib.idtext import format_day
from lapakasik.registry.models import Heir, Participant

from .start import StartPage

DUTY_STAMP = "Rp10.000"  # UU 10/2020 ps. 5: one rate since 1 January 2021


def claim_form_html(
    page: StartPage, *, on: dt.date, participant: Participant | None = None, heir: Heir | None = None
) -> str:
    online = [route for route in page.routes if route.online]
    death_only = bool(online) and all(route.by_heir for route in online)  # JKM, JP survivors
    by_heir_too = any(route.by_heir for route in page.routes)
    context = {
        "page": page,
        "death_only": death_only,
        # A participant's own form (signed in, not as an heir) has no heir section; a blank one may be an heir's.
        "heir_section": heir is not None or death_only or (participant is None and by_heir_too),
        "participant": participant,
        "heir": heir,
        "birth_date": format_day(participant.birth_date, "id") if participant else "",
        "death_date": format_day(participant.deceased_on, "id")
        if participant and participant.deceased_on
        else "",
        "heir_birth_date": format_day(heir.birth_date, "id") if heir else "",
        "heir_relationship": heir.get_relationship_display() if heir else "",
        "printed_on": format_day(on, "id"),
        "duty_stamp": DUTY_STAMP,
    }
    with translation.override("id"):
        return render_to_string("claims/claim_form.html", context)


def claim_form_pdf(page: StartPage, *, on: dt.date, participant=None, heir=None) -> bytes:
    from weasyprint import HTML

    return HTML(string=claim_form_html(page, on=on, participant=participant, heir=heir)).write_pdf()
