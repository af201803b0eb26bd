"""The representative's and the officers' pages, through the test client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lapakasik.collective.models import ListStatus, MassList

from .conftest import documents_for, list_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep_client(client, employer_rep):
    client.force_login(employer_rep)
    return client


def post_list(client, rows, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("collective:upload"),
            {"list_file": list_file(rows), "documents_file": documents_for(rows)},
        )


def test_the_representative_sees_the_active_mandate_and_the_upload_form(rep_client):
    page = rep_client.get(reverse("collective:dashboard")).content.decode()
    assert 'data-testid="mandate-active"' in page and 'name="list_file"' in page


def test_the_template_downloads_with_indonesian_headers(rep_client):
    response = rep_client.get(reverse("collective:template", args=["csv"]))
    assert response.content.decode("utf-8-sig").startswith("NIK;No. KPJ;Nama Lengkap;Tanggal Lahir")
    assert rep_client.get(reverse("collective:template", args=["xlsx"]))["Content-Type"].startswith(
        "application/vnd"
    )


def test_upload_shows_the_summary_and_the_errors_then_submits(
    rep_client, laid_off, demo_rows, django_capture_on_commit_callbacks
):
    bad = laid_off()
    bad[0] = "3.519e+15"
    response = post_list(rep_client, [*demo_rows, bad], django_capture_on_commit_callbacks)
    mass_list = MassList.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    page = rep_client.get(response.url).content.decode()
    assert (
        'data-testid="valid-rows">6<' in page
        and 'data-testid="error-rows">1<' in page
        and "3.519e+15" in page
    )
    report = rep_client.get(reverse("collective:errors", args=[mass_list.pk, "csv"])).content.decode(
        "utf-8-sig"
    )
    assert "3.519e+15" in report and "Excel" in report and ".; " not in report
    with django_capture_on_commit_callbacks(execute=True):
        rep_client.post(reverse("collective:submit", args=[mass_list.pk]))
    mass_list.refresh_from_db()
    assert mass_list.status == ListStatus.SUBMITTED
    page = rep_client.get(reverse("collective:list", args=[mass_list.pk]) + "?tampil=semua").content.decode()
    assert "KLM-" in page and "Diajukan" in page


def test_the_progress_partial_asks_for_a_reload_when_the_stage_is_over(
    rep_client, demo_rows, django_capture_on_commit_callbacks
):
    response = post_list(rep_client, demo_rows, django_capture_on_commit_callbacks)
    partial = rep_client.get(response.url + "progres/")
    assert partial["HX-Refresh"] == "true"


def test_another_employers_list_is_not_found(
    client, employer_rep, demo_rows, django_capture_on_commit_callbacks
):
    from lapakasik.accounts.models import User
    from lapakasik.registry.models import Employer

    client.force_login(employer_rep)
    url = post_list(client, demo_rows, django_capture_on_commit_callbacks).url
    other = User.objects.create(
        username="wakil.lain", role="employer_rep", employer=Employer.objects.exclude(npp="NN0DEMO01").first()
    )
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_participants_and_staff_cannot_open_the_representatives_pages(client, participant, cso):
    client.force_login(participant)
    assert client.get(reverse("collective:dashboard")).status_code == 404


def test_a_supervisor_approves_a_mandate_and_officers_start_a_list_as_a_batch(
    client, supervisor, employer_rep, upload, submit, demo_rows
):
    from lapakasik.collective.models import Mandate
    from lapakasik.lib.dates import today_at

    mass_list = submit(upload(demo_rows))
    # The branch's today, not the UTC date: from 00:00 to 07:00 WIB they differ by a day.
    today = today_at(employer_rep.employer.branch.time_zone)
    pending = Mandate.objects.create(
        employer=employer_rep.employer,
        representative=employer_rep,
        poa_sha256="x",
        poa_content_type="application/pdf",
        statement_accepted_at=mass_list.uploaded_at,
        valid_from=today,
        valid_until=today,
    )
    client.force_login(supervisor)
    assert 'data-testid="pending-mandate"' in client.get(reverse("console:kolektif")).content.decode()
    client.post(reverse("console:kolektif_mandate_decide", args=[pending.pk]), {"decision": "approve"})
    pending.refresh_from_db()
    assert pending.status == "approved"
    assert (
        'data-testid="count-submitted">Diajukan: 6'
        in client.get(reverse("console:kolektif_list", args=[mass_list.pk])).content.decode()
    )
    client.post(reverse("console:kolektif_verify", args=[mass_list.pk]))
    assert (
        'data-testid="count-in_verification">Sedang diverifikasi: 6'
        in client.get(reverse("console:kolektif_list", args=[mass_list.pk])).content.decode()
    )


def test_another_branch_does_not_see_the_list(client, outsider, upload, submit, demo_rows):
    mass_list = submit(upload(demo_rows))
    client.force_login(outsider)
    assert client.get(reverse("console:kolektif_list", args=[mass_list.pk])).status_code == 404


def test_the_error_report_writes_each_message_as_a_sentence():
    from lapakasik.collective.exports import _issues
    from lapakasik.collective.parse import Issue

    issues = [
        Issue("nik", "NIK wajib diisi."),
        Issue("bank", "Berkas Excel ditolak: %(detail)s", {"detail": "x"}),
    ]
    assert _issues(issues) == "NIK: NIK wajib diisi. Nama Bank: Berkas Excel ditolak: x."
