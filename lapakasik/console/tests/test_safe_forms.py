"""Every console page as every demo staff role: no Enter-unsafe form, no link that answers 404, and
buttons only for those who may press them.

The day is a busy Wednesday morning at Madiun: a prepared and an approved payment batch, a pending power
of attorney, a session with one person checked in and one not — so the pages show their action forms.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from lapakasik.booking import actions as booking_actions
from lapakasik.booking.tests.conftest import make_claimant, make_session
from lapakasik.claims.models import Claim
from lapakasik.demo.loader import DEMO_LOGINS
from lapakasik.payments import actions as payment_actions
from lapakasik.payments.tests.conftest import WEDNESDAY_MORNING, make_approved_claim

from .crawl import Form, parse

STAFF = ["cso", "supervisor", "kepalacabang", "keuangan", "keuangan2", "admin", "cso.makassar"]
START = [
    "/console/klaim/",
    "/console/klaim/supervisor/",
    "/console/reports/claims/",
    "/console/sesi/",
    "/console/sesi/templat/",
    "/console/sesi/ukuran/",
    "/console/payments/",
    "/console/payments/reconciliation/",
    "/console/dashboard/",
    "/console/kapasitas/",
    "/console/kolektif/",
    "/console/unduhan/",
]


@pytest.fixture
def busy_day(db, madiun):
    from lapakasik.accounts.models import User
    from lapakasik.collective.models import Mandate
    from lapakasik.registry.models import Employer

    with time_machine.travel(WEDNESDAY_MORNING, tick=True):
        finance, checker = User.objects.get(username="keuangan"), User.objects.get(username="keuangan2")
        make_approved_claim(madiun, gross=10_000_000, bank="BRI")
        prepared = payment_actions.prepare_batch(madiun, "BRI", by=finance)
        make_approved_claim(madiun, gross=12_000_000, bank="BNI")
        approved = payment_actions.approve_batch(
            payment_actions.prepare_batch(madiun, "BNI", by=finance), by=checker
        )
        session = make_session(day=WEDNESDAY_MORNING.date(), at=dt.time(9, 20), seats=4, minutes=60)
        came, stayed_home = make_claimant(), make_claimant()
        present = booking_actions.book_seat(session, came, by=came.claimant)
        booking_actions.book_seat(session, stayed_home, by=stayed_home.claimant)
        booking_actions.check_in(madiun, code=present.code, nik_last4=came.participant.nik[-4:])
        employer = Employer.objects.get(npp="NN0DEMO01")
        rep = User.objects.get(username="pemberikerja")
        Mandate.objects.create(
            employer=employer,
            representative=rep,
            power_of_attorney=ContentFile(b"%PDF-1.4\n%%EOF\n", name="kuasa.pdf"),
            poa_sha256="x",
            poa_content_type="application/pdf",
            statement_accepted_at=WEDNESDAY_MORNING,
            valid_from=WEDNESDAY_MORNING.date(),
            valid_until=WEDNESDAY_MORNING.date() + dt.timedelta(days=30),
        )
        yield {"prepared": prepared, "approved": approved, "session": session}


def _claims_in_each_open_status(branch) -> list[str]:
    urls = []
    for status in ("submitted", "in_verification", "verified", "returned_for_documents"):
        claim = Claim.objects.filter(branch=branch, status=status).order_by("id").first()
        if claim:
            urls.append(reverse("console:claim", args=[claim.number]))
    return urls


def test_the_checker_finds_the_forms_issue_13_reported():
    """The old forms: a reason beside "Setujui batch" first, a note beside "Terverifikasi" first."""
    batch = parse(
        '<form method="post"><button name="action" value="approve">Setujui batch</button>'
        '<input name="reason"><button name="action" value="reject">Batalkan batch</button></form>'
    ).forms[0]
    verdicts = parse(
        '<form method="post"><input name="note"><button name="verdict" value="verified">Terverifikasi</button>'
        '<button name="verdict" value="documents_missing">Dokumen kurang</button></form>'
    ).forms[0]
    reason_only = parse(
        '<form method="post"><textarea name="note"></textarea>'
        '<button name="decision" value="return">Kembalikan</button></form>'
    ).forms[0]
    assert batch.enter_unsafe() and verdicts.enter_unsafe()
    assert not reason_only.enter_unsafe()
    override_reason = parse(  # Enter in a textarea is a new line, never a submission
        '<form method="post"><textarea name="override_documents"></textarea>'
        '<button name="decision" value="approve">Setujui klaim</button></form>'
    ).forms[0]
    assert not override_reason.enter_unsafe()
    assert not Form("dialog", "", ["x"]).enter_unsafe()


@pytest.mark.parametrize("username", STAFF)
def test_no_console_form_lets_enter_perform_the_positive_action(client, busy_day, madiun, username):
    from lapakasik.accounts.models import User

    from .crawl import crawl

    with time_machine.travel(WEDNESDAY_MORNING + dt.timedelta(minutes=5), tick=True):
        client.force_login(User.objects.get(username=username))
        start = [
            *START,
            *_claims_in_each_open_status(madiun),
            reverse("console:booking_session", args=[busy_day["session"].pk]),
            reverse("console:payments:batch", args=[busy_day["prepared"].number]),
            reverse("console:payments:batch", args=[busy_day["approved"].number]),
        ]
        if username == "cso.makassar":  # Madiun's objects are not found for Makassar: start at its own pages
            start = START
        result = crawl(client, start)
    unsafe = [
        f"{url}: {reason}"
        for url, html in result.pages.items()
        for form in parse(html).forms
        if (reason := form.enter_unsafe())
    ]
    assert not unsafe, "\n".join(unsafe)
    # A start page a role may not open answers 404 by design; a *link* that answers anything but 200 is
    # the defect (finance's link to the calendar was one).
    broken = [entry for entry in result.broken if not entry.endswith("(linked from start)")]
    assert not broken, "\n".join(broken)
    forms = sum(len(parse(html).forms) for html in result.pages.values())
    assert len(result.pages) >= 8 and forms >= 8  # the crawl really read the console


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.username)
def test_every_menu_link_answers_200_for_every_role_that_sees_it(client, db, login):
    from lapakasik.accounts.models import User

    client.force_login(User.objects.get(username=login.username))
    links = parse(client.get("/").content.decode()).nav_links
    assert links
    for href in links:
        response = client.get(href)
        assert response.status_code == 200, f"{login.username}: {href} → {response.status_code}"


def test_the_admin_s_branch_pick_is_carried_by_every_menu_link(client, db):
    from lapakasik.accounts.models import User

    client.force_login(User.objects.get(username="admin"))
    page = client.get(
        reverse("console:pick_branch"), {"branch": "makassar", "next": "/console/sesi/?branch=madiun"}
    )
    assert page.status_code == 302 and page["Location"] == "/console/sesi/"
    for href in parse(client.get("/").content.decode()).nav_links:
        if href.startswith("/console/") and "dashboard" not in href and "kolektif" not in href:
            html = client.get(href).content.decode()
            assert "Makassar" in html and "Madiun" not in html.split("</nav>", 1)[1], href


def test_the_branch_head_sees_no_approve_on_a_batch_and_a_cso_no_cabut(client, busy_day):
    from lapakasik.accounts.models import User

    batch_url = reverse("console:payments:batch", args=[busy_day["prepared"].number])
    client.force_login(User.objects.get(username="kepalacabang"))
    html = client.get(batch_url).content.decode()
    assert 'data-testid="approve"' not in html and 'data-testid="cancel"' not in html
    client.force_login(User.objects.get(username="keuangan2"))
    assert 'data-testid="approve"' in client.get(batch_url).content.decode()
    client.force_login(User.objects.get(username="keuangan"))  # the maker: no approve (four eyes)
    html = client.get(batch_url).content.decode()
    assert 'data-testid="approve"' not in html and 'data-testid="cancel"' in html
    client.force_login(User.objects.get(username="cso"))
    html = client.get(reverse("console:kolektif")).content.decode()
    assert 'data-testid="pending-mandate"' in html
    assert "mandate-approve" not in html and "mandate-revoke" not in html
    client.force_login(User.objects.get(username="supervisor"))
    html = client.get(reverse("console:kolektif")).content.decode()
    assert "mandate-approve" in html and "mandate-revoke" in html


def test_finance_gets_no_calendar_link(client, db):
    from lapakasik.accounts.models import User

    client.force_login(User.objects.get(username="keuangan"))
    html = client.get(reverse("console:booking_sessions")).content.decode()
    assert reverse("console:booking_templates") not in html
    client.force_login(User.objects.get(username="supervisor"))
    assert (
        reverse("console:booking_templates")
        in client.get(reverse("console:booking_sessions")).content.decode()
    )
