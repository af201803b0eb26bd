"""The officer's session page has what the call needs on one screen: the claim linked, NIK and birth date
to compare with the e-KTP, the photo and e-KTP pictures, every document openable, the findings (failed
first), the join link of an online session; verdicts distinct, no-show confirmed, a message after each."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from lapakasik.booking import actions
from lapakasik.booking.tests.conftest import make_claimant, make_session
from lapakasik.claims.checks import recompute_findings
from lapakasik.claims.models import ClaimDocument

NOW = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)
TUESDAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _document(claim, kind: str, content_type: str = "image/jpeg") -> ClaimDocument:
    return ClaimDocument.objects.create(
        claim=claim,
        kind=kind,
        file=f"claims/test/{claim.pk}-{kind}.jpg",
        original_name=f"{kind}.jpg",
        sha256=f"{claim.pk:08d}{kind}".ljust(64, "0")[:64],
        size=1000,
        content_type=content_type,
        uploaded_by=claim.claimant,
    )


@override_settings(VIDEO_ROOM_URL_TEMPLATE="https://video.example/{room}")
def test_the_session_page_shows_everything_for_the_call(client, cso):
    claim = make_claimant()
    photo = _document(claim, "photo")
    ktp = _document(claim, "ektp")
    form = _document(claim, "claim_form_materai", "application/pdf")
    recompute_findings(claim)
    session = make_session(day=TUESDAY, seats=4, channel="online")
    actions.book_seat(session, claim, by=claim.claimant)
    client.force_login(cso)
    html = client.get(reverse("console:booking_session", args=[session.pk])).content.decode()
    assert f'href="{reverse("console:claim", args=[claim.number])}"' in html
    person = claim.participant
    assert person.nik in html and "1 Januari 1985" in html  # to compare with the e-KTP
    for document in (photo, ktp, form):
        assert reverse("claims_document", args=[claim.number, document.pk]) in html
    assert html.count("<img src=") >= 2  # the photo and the e-KTP beside the name
    findings = html[html.index('data-testid="findings-1"') :]
    findings = findings[: findings.index("</ul>")]
    levels = [level for level in ("finding-fail", "finding-warn", "finding-pass") if level in findings]
    assert levels and [findings.index(level) for level in levels] == sorted(
        findings.index(lv) for lv in levels
    )
    assert f'href="https://video.example/{session.room}"' in html and "<code>" not in html


def test_verdicts_are_distinct_no_show_asks_first_and_each_verdict_says_what_happened(client, cso):
    claim = make_claimant()
    session = make_session(day=TUESDAY, seats=4)
    booking = actions.book_seat(session, claim, by=claim.claimant)
    client.force_login(cso)
    html = client.get(reverse("console:booking_session", args=[session.pk])).content.decode()
    absent = html[html.index('data-testid="verdict-1-absent"') - 200 :][:600]
    assert 'class="danger"' in absent and "data-confirm=" in absent
    with time_machine.travel(session.starts_at + dt.timedelta(minutes=20), tick=False):
        response = client.post(
            reverse("console:booking_verdict", args=[session.pk, booking.pk]),
            {"verdict": "absent"},
            follow=True,
        )
    assert "tercatat" in " ".join(str(m) for m in response.context["messages"])
