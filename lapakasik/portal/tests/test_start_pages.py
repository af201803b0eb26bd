"""Issue 14: a start page per program (who, what to prepare, how long, "Mulai klaim"), and the claim form as
a PDF prefilled for the participant who asks."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lapakasik.claims.start import start_page
from lapakasik.rules.documents import required_documents


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("slug", ["jht", "jkm", "jp", "jkk", "jkp"])
def test_every_program_has_a_start_page_with_documents_and_time(client, db, slug):
    response = client.get(reverse("start_program", args=[slug]))
    assert response.status_code == 200
    page = response.context["page"]
    html = response.content.decode()
    assert page.routes and all(route.documents for route in page.routes)
    assert f"Paling lama {page.working_days} hari kerja" in html


def test_the_jht_start_page_lists_the_rules_checklist_and_the_sla_of_the_parameters(client, db):
    response = client.get(reverse("start_program", args=["jht"]))
    resign = response.context["page"].routes[0]
    on = response.context["page"]  # the page's documents are the rules' own, in the rules' order
    assert resign.reason == "resign" and on.working_days == 5
    today_list = [d.label_id for d in required_documents("JHT", "resign", _today())]
    assert [label for _code, label in resign.documents] == today_list
    assert 'data-testid="start-claim"' in response.content.decode()
    assert 'data-testid="claim-form-link"' in response.content.decode()


def test_a_program_offered_online_starts_its_one_claim_from_the_start_page(client, participant):
    client.force_login(participant)
    response = client.get(reverse("start_program", args=["jkm"]))
    assert response.context["start_url"] == reverse("claims_choose") + "?choice=JKM%3Adeath"
    anonymous = client.__class__().get(reverse("start_program", args=["jkp"]))
    assert anonymous.context["start_url"] == reverse("claims_identify") + "?choice=JKP%3Aphk"


def test_jkk_is_not_offered_online_and_says_where_to_go(client, db):
    response = client.get(reverse("start_program", args=["jkk"]))
    html = response.content.decode()
    assert 'data-testid="not-online"' in html and 'data-testid="start-claim"' not in html


def test_an_unknown_program_is_a_404(client, db):
    assert client.get("/layanan/jkx/").status_code == 404


def test_the_home_page_and_the_estimator_link_the_start_pages(client, db):
    home = client.get(reverse("home")).content.decode()
    for slug in ("jht", "jkm", "jp", "jkp", "jkk"):
        assert reverse("start_program", args=[slug]) in home


def test_a_blank_claim_form_has_the_duty_stamp_box_and_no_personal_data(client, db):
    response = client.get(reverse("start_claim_form", args=["jht"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = _text(response.content)
    assert "Formulir pengajuan klaim" in text and "meterai Rp10.000" in text
    assert "3519084507880003" not in text


def test_the_claim_form_is_prefilled_for_the_signed_in_participant(client, participant):
    client.force_login(participant)
    text = _text(client.get(reverse("start_claim_form", args=["jht"])).content)
    assert participant.participant.nik in text and participant.participant.kpj in text
    assert participant.participant.full_name in text


def test_an_heirs_form_carries_the_heir_identified_in_this_session(client, db):
    from lapakasik.portal.tests.test_claim_portal import ACCOUNT

    data = {"nik": "3577011203750002", "kpj": "19001234568", "full_name": "Bambang Sutrisno",
            "birth_date": "1975-03-12", "as_heir": "on", "heir_nik": "3577015608780004"}  # fmt: skip
    client.post(reverse("claims_identify"), {**data, **ACCOUNT, "account-email": "siti.form@example.id"})
    text = _text(client.get(reverse("start_claim_form", args=["jkm"])).content)
    assert "3577015608780004" in text and "Data ahli waris" in text


def _today():
    from lapakasik.lib.dates import today_at

    return today_at("Asia/Jakarta")


def test_the_start_page_needs_the_claim_form_only_where_a_checklist_asks_for_it(db):
    assert start_page("JHT", _today()).needs_claim_form
    assert not start_page("JKM", _today()).needs_claim_form
