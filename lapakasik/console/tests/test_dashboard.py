"""The dashboard, its charts, exports and press summary, as the branch head and others use them."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

PERIOD = "?from=2020-01-01&to=2020-07-23"
DASHBOARD = reverse("console:dashboard") + PERIOD


def export(client, fmt, query=PERIOD):
    response = client.get(reverse("console:dashboard_export", args=[fmt]) + query)
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_branch_head_sees_every_section_with_the_reference_total(client, branch_head):
    client.force_login(branch_head)
    page = client.get(DASHBOARD).content.decode()
    assert 'data-testid="matrix-amount">Rp96.091.106.200' in page
    for section in (
        "table-channels",
        "table-reasons",
        "table-reason_trend",
        "table-monthly",
        "table-weekly",
        "table-wait",
        "table-officers",
        "table-queue",
    ):
        assert section in page
    assert "dan Pacitan nihil." in page  # the press summary


def test_every_chart_is_an_svg_image_with_a_table_behind_it(client, branch_head):
    client.force_login(branch_head)
    page = client.get(DASHBOARD).content.decode()
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert len(sources) == 6
    for src in sources:
        response = client.get(src.replace("&amp;", "&"))
        assert response["Content-Type"] == "image/svg+xml"
        assert response.content.startswith(b"<?xml") and b"<script" not in response.content
        assert "script-src" not in response["Content-Security-Policy"]  # default-src 'none' covers scripts


def test_charts_are_the_same_bytes_for_the_same_data(client, branch_head):
    client.force_login(branch_head)
    url = reverse("console:dashboard_chart", args=["channels"]) + PERIOD
    assert client.get(url).content == client.get(url).content


def test_the_page_keeps_the_strict_content_security_policy(client, branch_head):
    client.force_login(branch_head)
    response = client.get(DASHBOARD)
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "style=" not in response.content.decode()


def test_filters_narrow_every_section(client, branch_head, madiun):
    client.force_login(branch_head)
    area = madiun.areas.get(name="Pacitan").id
    page = client.get(DASHBOARD + f"&program=JKM&area={area}&channel=").content.decode()
    assert 'data-testid="matrix-amount">Rp42.000.000' in page


def test_a_bad_filter_is_explained(client, branch_head):
    client.force_login(branch_head)
    response = client.get(reverse("console:dashboard") + "?from=2020-07-23&to=2020-01-01")
    assert response.status_code == 400 and "Tanggal awal" in response.content.decode()
    response = client.get(reverse("console:dashboard") + "?channel=telepati")
    assert response.status_code == 400


@pytest.mark.parametrize("persona", ["participant", "heir", "employer_rep"])
def test_people_who_are_not_staff_get_not_found(client, db, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(DASHBOARD).status_code == 404
    assert client.get(reverse("console:dashboard_export", args=["csv"]) + PERIOD).status_code == 404


def test_an_officer_of_another_branch_cannot_open_madiun_or_the_national_view(client, outsider):
    client.force_login(outsider)
    assert client.get(DASHBOARD + "&branch=madiun").status_code == 404
    assert client.get(DASHBOARD + "&office=nasional").status_code == 404
    assert (
        client.get(reverse("console:dashboard_export", args=["pdf"]) + PERIOD + "&branch=madiun").status_code
        == 404
    )
    page = client.get(DASHBOARD).content.decode()
    assert "Kantor Cabang Makassar" in page and "Rp96.091.106.200" not in page


def test_an_admin_sees_the_national_and_regional_rollups(client, db):
    from lapakasik.accounts.models import User

    client.force_login(User.objects.get(username="admin"))
    national = client.get(DASHBOARD).content.decode()
    assert "Jawa Timur" in national and 'data-testid="matrix-amount">Rp96.091.106.200' in national
    regional = client.get(DASHBOARD + "&office=Jawa Timur").content.decode()
    assert "Kantor Cabang Madiun" in regional and "Rp96.091.106.200" in regional
    assert client.get(DASHBOARD + "&office=Atlantis").status_code == 404
    assert "Rp96.091.106.200" in client.get(DASHBOARD + "&branch=madiun").content.decode()


def test_the_press_text_is_served_plain(client, branch_head):
    client.force_login(branch_head)
    text = client.get(reverse("console:dashboard_press") + PERIOD).content.decode()
    assert text.startswith("BPJAMSOSTEK Cabang Madiun membayarkan klaim Rp96 miliar")


def test_the_csv_holds_one_line_per_paid_claim(client, branch_head):
    client.force_login(branch_head)
    rows = list(csv.DictReader(io.StringIO(export(client, "csv").decode())))
    assert len(rows) == 11729
    assert sum(int(r["amount"]) for r in rows) == 96091106200
    assert all(len(r["nik"]) == 16 for r in rows[:50])


def test_the_xlsx_keeps_numbers_as_numbers_and_the_nik_as_text(client, branch_head):
    client.force_login(branch_head)
    book = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx")), read_only=True)
    matrix = list(book["matrix"].iter_rows(values_only=True))
    assert ("Total", None, 11729, 96091106200) in matrix
    claims = list(book["klaim"].iter_rows(values_only=True))
    assert len(claims) == 1 + 11729
    nik, amount = claims[1][7], claims[1][9]
    assert isinstance(nik, str) and len(nik) == 16 and isinstance(amount, int)


def test_the_pdf_opens_and_holds_the_total_and_the_charts(client, branch_head):
    client.force_login(branch_head)
    reader = PdfReader(io.BytesIO(export(client, "pdf")))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "96.091.106.200" in text and "nihil" in text
    assert len(reader.pages) >= 2


def test_an_unknown_export_format_does_not_exist(client, branch_head):
    client.force_login(branch_head)
    assert client.get(reverse("console:dashboard_export", args=["doc"]) + PERIOD).status_code == 404
