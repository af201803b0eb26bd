"""Issue 14: an heir gives each document once; her JHT, JKM and JP claims for the same deceased reuse it (a copy
of the checked file with an event naming where it came from), and one identification serves them all."""

import pytest
from django.urls import reverse

from lapakasik.claims import actions
from lapakasik.claims.heirs import remembered_heir
from lapakasik.claims.models import ClaimAction, ClaimDocument
from lapakasik.claims.tests.helpers import jpeg
from lapakasik.registry.models import Heir

SITI_NIK = "3577015608780004"


@pytest.fixture
def siti(heir):
    return Heir.objects.get(participant=heir.participant, nik=SITI_NIK)


def _start(heir, siti, program):
    return actions.start_online_claim(
        by=heir, participant=heir.participant, program=program, reason="death", heir=siti
    )


def test_a_document_uploaded_for_jkm_reaches_the_heirs_other_open_claims(heir, siti):
    jkm, jht = _start(heir, siti, "JKM"), _start(heir, siti, "JHT")
    actions.add_document(jkm, by=heir, kind="death_certificate", upload=jpeg(color="blue"))
    copy = ClaimDocument.objects.get(claim=jht, kind="death_certificate")
    original = ClaimDocument.objects.get(claim=jkm, kind="death_certificate")
    assert copy.sha256 == original.sha256 and copy.file.name != original.file.name
    assert copy.file.read() == original.file.open("rb").read()
    event = jht.events.get(action=ClaimAction.DOCUMENT_ADDED)
    assert event.data["copied_from"] == original.pk and event.data["from_claim"] == jkm.number


def test_a_claim_started_later_starts_with_what_the_heir_already_gave(heir, siti):
    jkm = _start(heir, siti, "JKM")
    for i, kind in enumerate(("death_certificate", "kk_heir", "heir_certificate")):
        actions.add_document(jkm, by=heir, kind=kind, upload=jpeg(color=(i * 60, 10, 10)))
    jp = _start(heir, siti, "JP")
    assert set(jp.documents.values_list("kind", flat=True)) == {
        "death_certificate",
        "kk_heir",
        "heir_certificate",
    }


def test_removing_a_copy_leaves_the_original_in_its_claim(heir, siti):
    jkm, jht = _start(heir, siti, "JKM"), _start(heir, siti, "JHT")
    actions.add_document(jkm, by=heir, kind="ektp_heir", upload=jpeg())
    actions.remove_document(ClaimDocument.objects.get(claim=jht, kind="ektp_heir"), by=heir)
    assert ClaimDocument.objects.filter(claim=jkm, kind="ektp_heir").exists()


def test_a_participants_own_claim_shares_nothing(participant, madiun):
    from lapakasik.claims.tests.helpers import online_jht_draft

    draft = online_jht_draft(participant, madiun)
    actions.add_document(draft, by=participant, kind="ektp", upload=jpeg())
    assert ClaimDocument.objects.filter(kind="ektp").count() == 1


def test_the_heir_is_remembered_from_her_claims_so_she_identifies_once(client, heir, siti):
    assert remembered_heir(heir) is None
    _start(heir, siti, "JKM")
    assert remembered_heir(heir) == siti
    client.force_login(heir)  # a new session: nothing identified in it
    page = client.get(reverse("claims_choose") + "?choice=JP:death")
    assert page.status_code == 200 and page.context["identity"].heir == siti


def test_the_jp_verdict_never_asks_the_heir_for_a_wage_history(client, heir, siti):
    jp = _start(heir, siti, "JP")
    client.force_login(heir)
    html = client.get(reverse("claims_task_choice", args=[jp.number])).content.decode()
    assert "Wajib diisi" not in html
    assert "Anda tidak perlu menyerahkan riwayat upah" in html


def test_the_claim_page_estimate_shows_words_and_rupiah_never_codes(client, heir, siti):
    jkm = _start(heir, siti, "JKM")
    client.force_login(heir)
    html = client.get(reverse("claims_task_choice", args=[jkm.number])).content.decode()
    assert "Rp42.000.000" in html and "Santunan sekaligus JKM" in html
    for code in ("jkm.lump_sum", "jkm_lump_sum", "jkm.funeral"):
        assert code not in html
