import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lapakasik.accounts.models import User
from lapakasik.claims import actions
from lapakasik.claims.models import Claim, ClaimDocument
from lapakasik.claims.tests.helpers import jpeg, online_jht_draft, pdf

SRI = {
    "nik": "3519084507880003",
    "kpj": "19001234567",
    "full_name": "sri  WAHJUNI",
    "birth_date": "1988-07-05",
}
ACCOUNT = {
    "account-email": "sri.baru@example.id",
    "account-phone": "0812-3450-0099",
    "account-password": "Kopi-Tubruk-2026",
    "account-password2": "Kopi-Tubruk-2026",
}


@pytest.fixture
def draft(participant, madiun):
    return online_jht_draft(participant, madiun)


def test_a_participant_identifies_with_a_tolerant_name_and_gets_an_account(client, db):
    User.objects.filter(username="peserta").update(participant=None)  # a first-time visitor
    response = client.post(reverse("claims_identify"), {**SRI, **ACCOUNT})
    assert response.status_code == 302 and response["Location"] == reverse("claims_choose")
    user = User.objects.get(username="sri.baru@example.id")
    assert (
        user.role == "participant" and user.phone == "+6281234500099" and user.participant.kpj == SRI["kpj"]
    )


def test_a_failed_identification_does_not_say_which_field_was_wrong(client, db):
    texts = []
    for wrong in ({"kpj": "19001234500"}, {"full_name": "Sri Wahyudi"}, {"birth_date": "1988-07-06"}):
        response = client.post(reverse("claims_identify"), {**SRI, **ACCOUNT, **wrong})
        assert response.status_code == 400
        texts.append(response.context["form"].non_field_errors())
    assert texts[0] == texts[1] == texts[2]
    assert not User.objects.filter(username="sri.baru@example.id").exists()


def test_repeated_failures_lock_further_tries_even_with_the_right_data(client, db, settings):
    settings.LOGIN_ATTEMPTS_LIMIT = 3
    for _ in range(3):
        client.post(reverse("claims_identify"), {**SRI, **ACCOUNT, "full_name": "Siti"})
    response = client.post(reverse("claims_identify"), {**SRI, **ACCOUNT})
    assert response.status_code == 400 and "Terlalu banyak" in str(
        response.context["form"].non_field_errors()
    )


def test_an_heir_identifies_with_the_deceased_participants_data_and_her_own_nik(client, db):
    data = {
        "nik": "3577011203750002",
        "kpj": "19001234568",
        "full_name": "Bambang Sutrisno",
        "birth_date": "1975-03-12",
        "as_heir": "on",
        "heir_nik": "3577015608780004",
    }
    response = client.post(
        reverse("claims_identify"), {**data, **ACCOUNT, "account-email": "siti@example.id"}
    )
    assert response.status_code == 302
    assert User.objects.get(username="siti@example.id").role == "heir"
    page = client.get(reverse("claims_choose") + "?choice=JKM:death")
    assert page.context["assessment"].eligible and page.context["assessment"].total == 42_000_000


def test_an_ineligible_case_says_from_when_it_becomes_eligible(client, participant, time_machine):
    time_machine.move_to("2026-10-01 10:00 +07:00")
    client.force_login(participant)
    page = client.get(reverse("claims_choose") + "?choice=JHT:resign")
    assessment = page.context["assessment"]
    assert not assessment.eligible and str(assessment.payable_from) == "2026-10-15"
    assert "15 Oktober 2026" in page.content.decode()


def test_the_participant_starts_a_claim_from_the_estimate(client, participant):
    client.force_login(participant)
    response = client.post(reverse("claims_choose"), {"choice": "JHT:resign"})
    claim = Claim.objects.get(participant=participant.participant, status="draft")
    assert response["Location"] == reverse("claims_detail", args=[claim.number])
    assert "Lengkapi klaim Anda" in client.get(response["Location"]).text  # the task list
    assert "paklaring" in client.get(reverse("claims_upload", args=[claim.number])).text


def test_anonymous_visitors_are_sent_to_login(client, draft):
    for url in (reverse("claims_detail", args=[draft.number]), reverse("claims_choose")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_another_participant_gets_404_for_the_claim_and_its_documents(client, draft, participant, heir):
    document = actions.add_document(draft, by=participant, kind="ektp", upload=jpeg())
    client.force_login(heir)
    assert client.get(reverse("claims_detail", args=[draft.number])).status_code == 404
    assert client.get(reverse("claims_document", args=[draft.number, document.pk])).status_code == 404


def test_the_owner_and_the_branch_officer_can_open_a_document_but_not_another_branch(
    client, draft, participant, cso, outsider
):
    document = actions.add_document(draft, by=participant, kind="ektp", upload=jpeg())
    url = reverse("claims_document", args=[draft.number, document.pk])
    for user, status in ((participant, 200), (cso, 200), (outsider, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status


def _upload(client, draft, file):
    return client.post(reverse("claims_upload", args=[draft.number]), {"kind": "ektp", "file": file})


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, format="PNG")  # tiny file, 144 megapixels
    return out.getvalue()


def _jpeg_with_script() -> bytes:
    return jpeg().read() + b"<script>alert(1)</script>"


HOSTILE = {
    "html renamed to jpg": ("ktp.jpg", b"<html><body><script>alert(1)</script></body></html>"),
    "not a pdf": ("paklaring.pdf", b"%PDF-1.4\nthis is not really a pdf"),
    "decompression bomb": ("ktp.png", None),
    "empty file": ("ktp.jpg", b""),
    "over the limit": ("ktp.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 10)),
    "executable": ("ktp.exe", b"MZ\x90\x00"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_upload_is_refused_clearly_and_nothing_is_stored(
    client, draft, participant, case, settings
):
    name, content = HOSTILE[case]
    content = _bomb() if content is None else content
    client.force_login(participant)
    response = _upload(client, draft, SimpleUploadedFile(name, content))
    # Post/Redirect/Get: the page shows the error once; a refresh (a GET) neither re-sends nor repeats it.
    assert response.status_code == 302 and response["Location"] == reverse(
        "claims_upload", args=[draft.number]
    )
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.context["document_form"].errors
    assert page.context["document_error_kind"] == "ektp" and 'aria-invalid="true"' in page.text
    assert "document_form" not in client.get(response["Location"]).context
    assert not ClaimDocument.objects.filter(claim=draft).exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_jpeg_with_a_script_appended_is_stored_without_it(client, draft, participant):
    client.force_login(participant)
    assert _upload(client, draft, SimpleUploadedFile("ktp.jpg", _jpeg_with_script())).status_code == 302
    stored = ClaimDocument.objects.get(claim=draft)
    assert b"<script>" not in stored.file.read()


def test_a_path_traversal_name_is_only_a_label(client, draft, participant):
    client.force_login(participant)
    _upload(client, draft, pdf("../../../../etc/cron.d/evil.pdf"))
    stored = ClaimDocument.objects.get(claim=draft)
    assert (
        ".." not in stored.file.name and "evil" not in stored.file.name and stored.original_name == "evil.pdf"
    )


def test_a_participant_submits_and_sees_the_status(client, draft, participant):
    from lapakasik.claims.tests.helpers import upload_checklist

    upload_checklist(draft, participant, actions)
    client.force_login(participant)
    client.post(
        reverse("claims_account", args=[draft.number]),
        {"bank_code": "BRI", "account_number": "012345678901", "holder_name": "Sri Wahyuni"},
    )
    response = client.post(reverse("claims_submit", args=[draft.number]))
    assert response.status_code == 302
    page = client.get(reverse("claims_detail", args=[draft.number])).content.decode()
    assert "Diajukan" in page


def test_the_status_history_lists_the_moves_not_every_upload(client, draft, participant):
    from lapakasik.claims.tests.helpers import upload_checklist

    upload_checklist(draft, participant, actions)
    client.force_login(participant)
    client.post(
        reverse("claims_account", args=[draft.number]),
        {"bank_code": "BRI", "account_number": "012345678901", "holder_name": "Sri Wahyuni"},
    )
    client.post(reverse("claims_submit", args=[draft.number]))
    page = client.get(reverse("claims_detail", args=[draft.number])).content.decode()
    history = page.split("Riwayat status", 1)[1]
    assert "Dokumen diunggah" not in history and "Rekening disimpan" not in history
    assert "Diajukan: Diajukan" not in history and history.count("Diajukan") == 1
