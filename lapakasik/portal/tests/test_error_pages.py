"""Error pages speak the user's language and lead back, instead of Django's bare English page."""

from __future__ import annotations


def test_an_unknown_address_gets_the_site_s_404_page_in_indonesian(client, db):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Halaman tidak ditemukan" in page and 'href="/"' in page


def test_the_404_page_in_english(client, db):
    response = client.get("/tidak-ada/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_another_branch_s_claim_gets_the_same_404_page(client, outsider):
    from lapakasik.claims.models import Claim

    claim = Claim.objects.filter(branch__code="madiun").first()
    client.force_login(outsider)
    response = client.get(f"/console/klaim/{claim.number}/")
    assert (
        response.status_code == 404
        and "bukan milik Anda atau kantor cabang Anda" in response.content.decode()
    )
