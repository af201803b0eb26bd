"""The mandate: the representative files it, a supervisor of the employer's branch approves it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lapakasik.accounts.models import User
from lapakasik.collective.actions import (
    active_mandate_for,
    approve_mandate,
    create_mandate,
    reject_mandate,
    revoke_mandate,
    submit_list,
)
from lapakasik.collective.demo import MINIMAL_PDF
from lapakasik.collective.models import CollectiveEvent, Mandate, MandateStatus
from lapakasik.collective.queries import get_list_for
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Employer

pytestmark = pytest.mark.django_db


def poa(data: bytes = MINIMAL_PDF, name: str = "kuasa.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def branch_today(rep) -> dt.date:
    """The employer's branch's date: from 00:00 to 07:00 WIB the UTC (or server) date is still yesterday."""
    return today_at(rep.employer.branch.time_zone)


def new_mandate(rep, **kwargs):
    Mandate.objects.filter(representative=rep).update(status=MandateStatus.REVOKED)
    defaults = {
        "power_of_attorney": poa(),
        "accept_statement": True,
        "valid_until": branch_today(rep) + dt.timedelta(days=90),
    }
    return create_mandate(by=rep, **{**defaults, **kwargs})


def test_the_representative_files_a_mandate_that_waits_for_the_branch(employer_rep):
    mandate = new_mandate(employer_rep)
    assert mandate.status == MandateStatus.PENDING and active_mandate_for(employer_rep) is None
    assert CollectiveEvent.objects.filter(mandate=mandate, action="mandate_created").exists()


def test_the_no_misuse_statement_must_be_accepted(employer_rep):
    with pytest.raises(DomainError) as error:
        new_mandate(employer_rep, accept_statement=False)
    assert error.value.code == "statement_required"


def test_a_power_of_attorney_that_is_not_a_real_pdf_or_image_is_refused(employer_rep):
    with pytest.raises(DomainError) as error:
        new_mandate(employer_rep, power_of_attorney=poa(b"MZ\x90\x00 an executable", "kuasa.pdf"))
    assert error.value.code == "bad_file"
    with pytest.raises(DomainError):
        new_mandate(employer_rep, power_of_attorney=poa(b"%PDF-1.4 broken", "kuasa.pdf"))


def test_a_mandate_longer_than_a_year_is_refused(employer_rep):
    with pytest.raises(DomainError) as error:
        new_mandate(employer_rep, valid_until=branch_today(employer_rep) + dt.timedelta(days=800))
    assert error.value.code == "bad_period"


def test_a_supervisor_of_the_employers_branch_approves_it(employer_rep, supervisor):
    mandate = approve_mandate(new_mandate(employer_rep), by=supervisor)
    assert mandate.status == MandateStatus.APPROVED and active_mandate_for(employer_rep) == mandate


def test_a_cso_may_not_approve_and_another_branch_does_not_see_it(employer_rep, cso, outsider):
    mandate = new_mandate(employer_rep)
    with pytest.raises(DomainError) as error:
        approve_mandate(mandate, by=cso)
    assert error.value.status == 403
    with pytest.raises(DomainError) as error:
        approve_mandate(mandate, by=outsider)
    assert error.value.status == 404


def test_a_rejected_mandate_needs_a_reason(employer_rep, supervisor):
    mandate = new_mandate(employer_rep)
    with pytest.raises(DomainError):
        reject_mandate(mandate, by=supervisor, note=" ")
    assert reject_mandate(mandate, by=supervisor, note="Tanda tangan direksi tidak ada").status == "rejected"


def test_no_list_is_accepted_before_the_mandate_is_approved(employer_rep, upload, demo_rows):
    new_mandate(employer_rep)
    with pytest.raises(DomainError) as error:
        upload(demo_rows)
    assert error.value.code == "no_active_mandate"


def test_an_expired_mandate_accepts_no_list(employer_rep, upload, demo_rows):
    Mandate.objects.filter(representative=employer_rep).update(
        valid_from=branch_today(employer_rep) - dt.timedelta(days=200),
        valid_until=branch_today(employer_rep) - dt.timedelta(days=1),
    )
    with pytest.raises(DomainError) as error:
        upload(demo_rows)
    assert error.value.code == "no_active_mandate"


def test_a_revoked_mandate_accepts_no_list_and_stops_a_submission(
    employer_rep, supervisor, upload, demo_rows
):
    mass_list = upload(demo_rows)
    revoke_mandate(active_mandate_for(employer_rep), by=supervisor, note="Kuasa ditarik perusahaan")
    with pytest.raises(DomainError):
        upload(demo_rows[:2])
    with pytest.raises(DomainError):
        submit_list(mass_list, by=employer_rep)


def test_the_representative_may_revoke_their_own_mandate(employer_rep):
    mandate = active_mandate_for(employer_rep)
    assert revoke_mandate(mandate, by=employer_rep).status == MandateStatus.REVOKED


def test_another_employers_representative_cannot_see_or_submit_the_list(employer_rep, upload, demo_rows):
    from django.http import Http404

    mass_list = upload(demo_rows)
    other = User.objects.create(
        username="wakil.lain", role="employer_rep", employer=Employer.objects.exclude(npp="NN0DEMO01").first()
    )
    with pytest.raises(Http404):
        get_list_for(other, mass_list.pk)
    with pytest.raises(DomainError):
        submit_list(mass_list, by=other)
    assert get_list_for(employer_rep, mass_list.pk) == mass_list
