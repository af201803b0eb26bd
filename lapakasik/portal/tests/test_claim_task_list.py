"""Issue 14: the draft claim is a task list (GOV.UK's "complete multiple tasks"), each task its own page,
progress read from the stored claim; "Periksa jawaban Anda" holds the only submit button; cancelling asks
on a page of its own."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from lapakasik.claims import actions
from lapakasik.claims.cases import assess_claim
from lapakasik.claims.models import Claim, Status
from lapakasik.claims.tests.helpers import jpeg, online_jht_draft, upload_checklist

ACCOUNT = {"bank_code": "BRI", "account_number": "012345678901", "holder_name": "Sri Wahyuni"}


@pytest.fixture
def draft(participant, madiun):
    return online_jht_draft(participant, madiun)


def _statuses(html: str) -> dict[str, str]:
    """task key → the status said in words on the task list."""
    rows = re.findall(r'data-task="(\w+)".*?id="task-\w+-status">(.*?)</div>', html, re.S)
    return {key: re.sub(r"<[^>]+>", "", cell).strip() for key, cell in rows}


def _task_list(client, claim) -> str:
    return client.get(reverse("claims_detail", args=[claim.number])).text


def _kinds(claim) -> list[str]:
    return [code for code, _label in assess_claim(claim).documents]


def test_a_new_draft_lists_its_tasks_with_their_status_in_words(client, draft, participant):
    client.force_login(participant)
    page = _task_list(client, draft)
    assert _statuses(page) == {
        "identity": "Selesai",
        "choice": "Selesai",
        "documents": "Belum dimulai",
        "account": "Belum dimulai",
        "check": "Tidak bisa dimulai",
    }
    assert "Anda sudah menyelesaikan 2 dari 5 tugas." in page
    # A task that cannot start is not a link; no submit button on the list itself.
    assert reverse("claims_task_check", args=[draft.number]) not in page
    assert reverse("claims_submit", args=[draft.number]) not in page
    for name in ("claims_task_identity", "claims_task_choice", "claims_upload", "claims_account"):
        url = reverse(name, args=[draft.number])
        assert f'href="{url}"' in page
        assert client.get(url).status_code == 200


def test_progress_is_what_the_claim_stores_and_survives_a_new_session(client, draft, participant):
    client.force_login(participant)
    first = _kinds(draft)[0]
    client.post(reverse("claims_upload", args=[draft.number]), {"kind": first, "file": jpeg()})
    assert _statuses(_task_list(client, draft))["documents"] == "Sedang dikerjakan"

    elsewhere = Client()  # another phone: nothing carried over but the stored claim
    elsewhere.force_login(participant)
    upload_checklist(draft, participant, actions)
    elsewhere.post(reverse("claims_account", args=[draft.number]), ACCOUNT)
    statuses = _statuses(_task_list(elsewhere, draft))
    assert statuses["documents"] == statuses["account"] == "Selesai"
    assert statuses["check"] == "Belum dimulai"
    assert f'href="{reverse("claims_task_check", args=[draft.number])}"' in _task_list(client, draft)


def test_each_upload_returns_to_the_documents_page_until_the_last_returns_to_the_list(
    client, draft, participant
):
    client.force_login(participant)
    url = reverse("claims_upload", args=[draft.number])
    *most, last = _kinds(draft)
    for i, kind in enumerate(most):
        response = client.post(url, {"kind": kind, "file": jpeg(color=(i * 20, 90, 30))})
        assert response.status_code == 302 and response["Location"] == url  # Post/Redirect/Get
    response = client.post(url, {"kind": last, "file": jpeg(color=(250, 9, 9))}, follow=True)
    assert response.redirect_chain == [(reverse("claims_detail", args=[draft.number]), 302)]
    assert "Semua dokumen sudah lengkap." in response.text


def test_the_bank_account_is_its_own_page_and_returns_to_the_list_or_to_check_answers(
    client, draft, participant
):
    client.force_login(participant)
    url = reverse("claims_account", args=[draft.number])
    bad = client.post(url, {**ACCOUNT, "account_number": ""})
    assert bad.status_code == 400 and "Ada yang perlu diperbaiki" in bad.text
    assert 'href="#id_account_number"' in bad.text  # the error summary leads to the field
    response = client.post(url, ACCOUNT)
    assert response["Location"] == reverse("claims_detail", args=[draft.number])
    response = client.post(url, {**ACCOUNT, "dari": "periksa"})
    assert response["Location"] == reverse("claims_task_check", args=[draft.number])
    assert 'value="012345678901"' in client.get(url).text  # saved, shown again


def test_check_answers_lists_every_answer_with_change_links_and_submits_only_when_done(
    client, draft, participant
):
    client.force_login(participant)
    check = reverse("claims_task_check", args=[draft.number])
    page = client.get(check).text
    assert 'id="submit-claim"' not in page and 'data-testid="not-ready"' in page
    assert client.post(reverse("claims_submit", args=[draft.number])).status_code == 400

    upload_checklist(draft, participant, actions)
    client.post(reverse("claims_account", args=[draft.number]), ACCOUNT)
    page = client.get(check).text
    assessment = assess_claim(draft)
    for code, label in assessment.documents:
        assert label in page
        assert f"{reverse('claims_upload', args=[draft.number])}?dari=periksa#dokumen-{code}" in page
    assert "012345678901" in page and "Sri Wahyuni" in page and draft.participant.nik in page
    assert page.count(">Ubah<") >= len(assessment.documents) + 3
    assert page.count('id="submit-claim"') == 1
    assert reverse("claims_cancel", args=[draft.number]) not in page  # never beside submit

    response = client.post(reverse("claims_submit", args=[draft.number]))
    assert response["Location"] == reverse("claims_submitted", args=[draft.number])
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_cancelling_asks_on_its_own_page_first(client, draft, participant):
    client.force_login(participant)
    url = reverse("claims_cancel", args=[draft.number])
    assert f'href="{url}"' in _task_list(client, draft)  # a link to the question, not a button that cancels
    question = client.get(url)
    assert question.status_code == 200 and "Yakin ingin membatalkan klaim ini?" in question.text
    assert Claim.objects.get(pk=draft.pk).status == Status.DRAFT
    response = client.post(url, {"note": "salah pilih program"})
    assert response["Location"] == reverse("claims_home")
    assert Claim.objects.get(pk=draft.pk).status == Status.CANCELLED
    again = client.get(url)
    assert again["Location"] == reverse("claims_detail", args=[draft.number])


def test_a_submitted_claim_has_no_task_pages_and_another_person_none_at_all(client, draft, participant, heir):
    names = (
        "claims_task_identity",
        "claims_task_choice",
        "claims_task_check",
        "claims_upload",
        "claims_account",
    )
    client.force_login(heir)
    for name in names:
        assert client.get(reverse(name, args=[draft.number])).status_code == 404

    upload_checklist(draft, participant, actions)
    actions.save_payout_account(draft, by=participant, **ACCOUNT)
    actions.submit_claim(draft, by=participant, require_complete=True)
    client.force_login(participant)
    for name in names:
        response = client.get(reverse(name, args=[draft.number]))
        assert response["Location"] == reverse("claims_detail", args=[draft.number])
    status_page = _task_list(client, draft)
    assert "Lengkapi klaim Anda" not in status_page and "Diajukan" in status_page
    late = client.post(reverse("claims_account", args=[draft.number]), ACCOUNT, follow=True)
    assert "Klaim ini sudah tidak dapat diubah." in late.text


def test_the_task_list_speaks_english_too(client, draft, participant):
    client.force_login(participant)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("claims_detail", args=[draft.number]), HTTP_ACCEPT_LANGUAGE="en").text
    assert set(_statuses(page).values()) == {"Completed", "Not yet started", "Cannot start yet"}
    assert "Check your answers" in client.get(reverse("claims_task_check", args=[draft.number])).text


def test_a_claim_returned_for_documents_is_a_task_list_again_and_is_resubmitted_from_check_answers(
    client, draft, participant, cso
):
    upload_checklist(draft, participant, actions)
    actions.save_payout_account(draft, by=participant, **ACCOUNT)
    actions.submit_claim(draft, by=participant, require_complete=True)
    actions.start_verification(draft, by=cso)
    actions.return_for_documents(draft, by=cso, reason="Paklaring buram, unggah ulang")
    client.force_login(participant)
    page = _task_list(client, draft)
    assert "Lengkapi klaim Anda" in page and "Paklaring buram, unggah ulang" in page
    assert _statuses(page)["check"] == "Belum dimulai"
    paklaring = "paklaring"
    assert paklaring in _kinds(draft)
    url = reverse("claims_upload", args=[draft.number])
    assert client.post(url, {"kind": paklaring, "file": jpeg(color=(1, 2, 3))}).status_code == 302
    response = client.post(reverse("claims_submit", args=[draft.number]))
    assert response["Location"] == reverse("claims_submitted", args=[draft.number])
    assert Claim.objects.get(pk=draft.pk).status == Status.SUBMITTED
