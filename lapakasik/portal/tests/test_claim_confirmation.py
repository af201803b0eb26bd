"""Issue 14: after submitting, a confirmation page with the number, what happens next and the way to book;
the status e-mail links absolutely to the claim and, once submitted, to booking."""

import pytest
from django.core import mail
from django.urls import reverse

from lapakasik.claims import actions
from lapakasik.claims.tests.helpers import upload_checklist
from lapakasik.registry.models import ServiceArea


@pytest.fixture
def complete_draft(participant, madiun):
    claim = actions.start_claim(
        participant=participant.participant,
        program="JHT",
        reason="resign",
        channel="online",
        by=participant,
        branch=madiun,
        area=ServiceArea.objects.get(branch=madiun, name="Madiun"),
    )
    upload_checklist(claim, participant, actions)
    actions.save_payout_account(
        claim, by=participant, bank_code="BRI", account_number="012345678901", holder_name="Sri Wahyuni"
    )
    return claim


def test_submitting_leads_to_a_confirmation_page_with_the_number_and_the_booking_step(
    client, participant, complete_draft
):
    client.force_login(participant)
    response = client.post(reverse("claims_submit", args=[complete_draft.number]))
    assert response.url == f"/klaim/{complete_draft.number}/terkirim/"  # Post/Redirect/Get
    page = client.get(response.url)
    assert page.status_code == 200 and complete_draft.number in page.text
    assert "Apa selanjutnya" in page.text
    assert (
        f'href="/jadwal/klaim/{complete_draft.number}/"' in page.text and "Pesan sesi verifikasi" in page.text
    )


def test_the_confirmation_page_is_only_the_claimants_and_only_after_submitting(
    client, participant, heir, complete_draft
):
    client.force_login(participant)
    url = reverse("claims_submitted", args=[complete_draft.number])
    assert client.get(url).url == f"/klaim/{complete_draft.number}/"  # still a draft
    client.force_login(heir)
    assert client.get(url).status_code == 404


def test_the_status_e_mail_carries_absolute_links(
    client, participant, complete_draft, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://lapakasik.example/"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_claim(complete_draft, by=participant, require_complete=True)
    body = mail.outbox[-1].body
    assert f"https://lapakasik.example/klaim/{complete_draft.number}/" in body
    assert f"https://lapakasik.example/jadwal/klaim/{complete_draft.number}/" in body
    assert "halaman /klaim/" not in body
