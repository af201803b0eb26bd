import pytest
from django.urls import reverse

URL = reverse("console:claims_report") + "?from=2020-01-01&to=2020-07-23"


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_branch_head_sees_the_report_in_indonesian_format(client, branch_head):
    client.force_login(branch_head)
    page = client.get(URL).content.decode()
    assert "Rp96.091.106.200" in page
    assert "Rp58.286.871.540" in page
    assert "11.729" in page
    assert "nihil" in page  # JKK Pacitan paid nothing


def test_english_switches_labels_and_number_format(client, branch_head):
    client.force_login(branch_head)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(URL).content.decode()
    assert "Claims paid" in page
    assert "Rp96,091,106,200" in page


@pytest.mark.parametrize("persona", ["participant", "heir", "employer_rep"])
def test_people_who_are_not_staff_get_not_found(client, db, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404


def test_an_officer_of_another_branch_cannot_open_madiun(client, outsider):
    client.force_login(outsider)
    assert client.get(URL + "&branch=madiun").status_code == 404


def test_an_officer_sees_their_own_branch_by_default(client, outsider):
    client.force_login(outsider)
    page = client.get(URL).content.decode()
    assert "Kantor Cabang Makassar" in page and "Rp96.091.106.200" not in page


def test_a_bad_date_is_explained(client, branch_head):
    client.force_login(branch_head)
    response = client.get(reverse("console:claims_report") + "?from=23-07-2020")
    assert response.status_code == 400
    assert "TTTT-BB-HH" in response.content.decode()


def test_from_after_to_is_explained(client, branch_head):
    client.force_login(branch_head)
    response = client.get(reverse("console:claims_report") + "?from=2020-07-23&to=2020-01-01")
    assert response.status_code == 400
    assert "Tanggal awal" in response.content.decode()


def test_pages_carry_a_content_security_policy(client, branch_head):
    client.force_login(branch_head)
    policy = client.get(URL)["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
