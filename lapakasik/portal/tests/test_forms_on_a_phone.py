"""Issue 14, forms: number pads for NIK, KPJ and account numbers, one date format, status in words beside
colour, Indonesian words, and a home page that promises only what is offered online."""

import re

from django.urls import reverse

from lapakasik.claims import actions
from lapakasik.claims.cases import HEIR_CHOICES, PARTICIPANT_CHOICES
from lapakasik.registry.models import ServiceArea


def _input(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def test_nik_kpj_and_account_numbers_bring_up_the_number_pad(client, participant, madiun):
    identify = client.get(reverse("claims_identify")).text
    for name in ("nik", "kpj", "heir_nik"):
        field = _input(identify, name)
        assert 'inputmode="numeric"' in field and "pattern=" in field
    assert 'inputmode="tel"' in _input(identify, "account-phone")
    claim = actions.start_claim(
        participant=participant.participant,
        program="JHT",
        reason="resign",
        channel="online",
        by=participant,
        branch=madiun,
        area=ServiceArea.objects.get(branch=madiun, name="Madiun"),
    )
    client.force_login(participant)
    account = client.get(reverse("claims_account", args=[claim.number])).text
    assert 'inputmode="numeric"' in _input(account, "account_number")
    # Document status is said in words, not only by the card's colour; dates in the one long form.
    assert "Belum diunggah" in client.get(reverse("claims_upload", args=[claim.number])).text
    page = client.get(reverse("claims_detail", args=[claim.number])).text
    assert "Belum dimulai" in page and "Tidak bisa dimulai" in page
    assert re.search(
        r"(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), \d{1,2} \w+ 20\d\d pukul \d\d\.\d\d WIB", page
    )


def test_the_home_page_offers_only_the_claims_that_can_be_made_online(client):
    online = {p for p, _r in PARTICIPANT_CHOICES + HEIR_CHOICES}
    assert "JKK" not in online
    page = client.get("/").text
    hero = page.split('data-testid="not-online"')[0]
    assert "Kecelakaan Kerja" not in hero
    assert "Kecelakaan Kerja" in page.split('data-testid="not-online"')[1]  # said plainly where to go instead
