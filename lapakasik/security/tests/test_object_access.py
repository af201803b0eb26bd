"""Finding 5: the employer's representative saw the documents and booking pages of workers' own claims.

The power of attorney covers collective claims only; a worker's online or counter claim is none of the
employer's business, even though the claim records the employer.
"""

import pytest
from django.urls import reverse

from lapakasik.claims import actions
from lapakasik.claims.cases import assess
from lapakasik.claims.models import Claim
from lapakasik.claims.tests.helpers import jpeg
from lapakasik.lib.dates import today_at
from lapakasik.registry.models import ServiceArea


@pytest.fixture
def counter_claim_of_a_worker(participant, employer_rep, madiun):
    """A worker's own claim at the counter, with a scan, recorded under the representative's employer."""
    area = ServiceArea.objects.get(branch=madiun, name="Madiun")
    claim = actions.start_claim(
        participant=participant.participant,
        program="JHT",
        reason="resign",
        channel="offline",
        by=participant,
        branch=madiun,
        area=area,
        employer=employer_rep.employer,
    )
    first_document = assess(participant.participant, "JHT", "resign", on=today_at("Asia/Jakarta")).documents[
        0
    ][0]
    document = actions.add_document(claim, by=participant, kind=first_document, upload=jpeg())
    return claim, document


def test_the_representative_cannot_open_a_workers_counter_claim_document(
    client, employer_rep, counter_claim_of_a_worker
):
    claim, document = counter_claim_of_a_worker
    client.force_login(employer_rep)
    url = reverse("claims_document", args=[claim.number, document.pk])
    assert client.get(url).status_code == 404


def test_the_representative_cannot_open_a_workers_booking_page(
    client, employer_rep, counter_claim_of_a_worker
):
    claim, _document = counter_claim_of_a_worker
    client.force_login(employer_rep)
    assert client.get(reverse("booking_choose", args=[claim.number])).status_code == 404
    assert client.get(f"/api/booking/claims/{claim.number}/sessions").status_code == 404


def test_the_representative_still_sees_the_collective_claims_of_the_employer(
    employer_rep, counter_claim_of_a_worker
):
    claim, _document = counter_claim_of_a_worker
    Claim.objects.filter(pk=claim.pk).update(channel="collective")
    assert Claim.objects.visible_to(employer_rep).filter(pk=claim.pk).exists()


def test_the_worker_still_opens_the_own_claim(client, participant, counter_claim_of_a_worker):
    claim, document = counter_claim_of_a_worker
    client.force_login(participant)
    assert client.get(reverse("claims_document", args=[claim.number, document.pk])).status_code == 200
