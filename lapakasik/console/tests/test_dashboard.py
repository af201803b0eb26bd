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


def matrix_total(page: str) -> str:
    """The program × region table's total amount, with or without its drill-down link."""
    found = re.search(r'data-testid="matrix-amount">(?:<a [^>]*>)?([^<]+)<', page)
    assert found, "no total"
    return found.group(1)


def export(client, fmt, query=PERIOD):
    response = client.get(reverse("console:dashboard_export", args=[fmt]) + query)
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_branch_head_sees_every_section_with_the_reference_total(client, branch_head):
    client.force_login(branch_head)
    page = client.get(DASHBOARD).content.decode()
    assert matrix_total(page) == "Rp96.091.106.200"
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
    assert matrix_total(page) == "Rp42.000.000"


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
    assert book.sheetnames[:3] == ["Ringkasan", "Klaim per program", "Per kanal"]
    assert book.sheetnames[-1] == "Daftar klaim"
    matrix = list(book["Klaim per program"].iter_rows(values_only=True))
    assert ("Total", None, 11729, 96091106200) in matrix
    claims = list(book["Daftar klaim"].iter_rows(values_only=True))
    assert len(claims) == 1 + 11729
    nik, amount = claims[1][7], claims[1][9]
    assert isinstance(nik, str) and len(nik) == 16 and isinstance(amount, int)


def test_the_pdf_opens_and_holds_the_total_and_the_charts(client, branch_head):
    client.force_login(branch_head)
    reader = PdfReader(io.BytesIO(export(client, "pdf")))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "96.091.106.200" in text and "nihil" in text
    assert len(reader.pages) >= 2
    # The six charts, drawn as images for the PDF (each page's resources list the document's images).
    images = {image.data: image for page in reader.pages for image in page.images}
    assert len(images) == 6
    assert all(image.image.size == (1400, 600) for image in images.values())


def test_the_pdf_leaves_the_weekly_and_officer_tables_to_the_workbook(client, branch_head):
    client.force_login(branch_head)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(export(client, "pdf"))).pages)
    assert "Tabel lengkapnya ada di ekspor XLSX, lembar «Tren mingguan»." in text
    assert "lembar «Petugas»" in text
    assert "Minggu mulai" not in text  # the weekly table's heading: the table itself is not in the PDF
    assert "Tren bulanan" in text and "Klaim dibayar menurut program dan wilayah" in text
    book = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx")), read_only=True)
    assert "Tren mingguan" in book.sheetnames and "Petugas" in book.sheetnames


def test_the_same_dashboard_gives_the_same_pdf_from_the_cache_and_other_filters_another(client, branch_head):
    client.force_login(branch_head)
    first = export(client, "pdf")
    assert export(client, "pdf") == first
    assert export(client, "pdf", PERIOD + "&program=JKM") != first


def test_an_unknown_export_format_does_not_exist(client, branch_head):
    client.force_login(branch_head)
    assert client.get(reverse("console:dashboard_export", args=["doc"]) + PERIOD).status_code == 404


# ---------------------------------------------------------------- default period, tiles, drill-down

LIST_COUNT = re.compile(r'data-testid="summary">(?:Menampilkan \S+ dari (\d+)|(Tidak ada klaim yang cocok))')


def listed(client, url: str) -> int:
    """How many claims the officers' list behind a dashboard link holds."""
    response = client.get(url.replace("&amp;", "&"))
    assert response.status_code == 200, url
    found = LIST_COUNT.search(response.content.decode())
    assert found, url
    return int(found.group(1) or 0)


def plain_number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text) or 0)


def test_the_default_period_is_the_latest_year_with_payments_with_both_dates_filled(client, branch_head):
    client.force_login(branch_head)
    page = client.get(reverse("console:dashboard")).content.decode()
    assert 'name="from" value="2020-01-01"' in page and 'name="to" value="2020-07-23"' in page
    assert "Belum ada klaim dibayar tahun ini" in page and "1 Januari 2020 – 23 Juli 2020" in page
    assert matrix_total(page) == "Rp96.091.106.200"
    # The chart and export links carry the period the page shows, not the empty year.
    assert "from=2020-01-01&amp;to=2020-07-23" in page


def test_a_period_without_payments_says_so_and_keeps_its_dates(client, branch_head):
    client.force_login(branch_head)
    page = client.get(reverse("console:dashboard") + "?from=2026-01-01&to=2026-01-31").content.decode()
    assert "Tidak ada klaim dibayar pada periode ini (1 Januari 2026 – 31 Januari 2026)." in page
    assert 'name="from" value="2026-01-01"' in page and 'name="to" value="2026-01-31"' in page


def tile(page: str, key: str) -> str:
    found = re.search(rf'data-testid="tile-{key}-link"[^>]*>([^<]+)<', page)
    assert found, key
    return found.group(1)


def test_the_tiles_show_the_figures_beside_the_previous_period_and_last_year(client, branch_head, madiun):
    from lapakasik.claims.models import Claim

    client.force_login(branch_head)
    page = client.get(reverse("console:dashboard") + "?from=2020-04-01&to=2020-04-30").content.decode()
    april = Claim.objects.filter(branch=madiun, status="paid", paid_on__range=("2020-04-01", "2020-04-30"))
    march = Claim.objects.filter(branch=madiun, status="paid", paid_on__range=("2020-03-02", "2020-03-31"))
    assert plain_number(tile(page, "cases")) == april.count()
    previous = re.search(
        r'data-testid="tile-cases-previous">([^<]+)<span aria-hidden="true">(.)</span> ([^<]+)<', page
    )
    assert previous and plain_number(previous.group(1)) == march.count()
    arrow, words = previous.group(2), previous.group(3).strip()
    assert (arrow, words.split()[0]) == (("▲", "naik") if april.count() > march.count() else ("▼", "turun"))
    assert "Periode sebelumnya (2 Mar 2020 – 31 Mar 2020)" in page
    assert "Periode sama tahun lalu (1 Apr 2019 – 30 Apr 2019)" in page
    assert 'data-testid="tile-cases-last-year">0 · <span aria-hidden="true">▲</span> naik dari nihil' in page
    for key in ("amount", "median_days", "online_share", "sla_risk"):
        assert f'data-testid="tile-{key}"' in page


def test_every_cell_of_the_program_region_table_lists_exactly_its_claims(client, branch_head):
    client.force_login(branch_head)
    page = client.get(reverse("console:dashboard") + "?from=2020-06-01&to=2020-06-30").content.decode()
    table = page[page.index('id="table-matrix"') : page.index("</table>", page.index('id="table-matrix"'))]
    cells = re.findall(
        r'<td class="num"><a href="([^"]+)">([^<]+)</a></td>\s*<td class="num"><a href="\1">', table
    )
    assert len(cells) == 16  # four programs × four areas, each count and amount linking to the same list
    for url, cases in cells:
        assert listed(client, url) == plain_number(cases), url
    total = re.search(r'data-testid="matrix-cases"><a href="([^"]+)">([^<]+)<', table)
    assert total and listed(client, total.group(1)) == plain_number(total.group(2)) > 0


def test_the_tiles_list_exactly_their_claims(client, branch_head, madiun):
    from lapakasik.claims.sla import branch_report

    client.force_login(branch_head)
    area = madiun.areas.get(name="Ngawi").id
    page = client.get(
        reverse("console:dashboard") + f"?from=2020-03-01&to=2020-05-31&area={area}"
    ).content.decode()
    cases_link = re.search(
        r'data-testid="tile-cases-link" href="([^"]+)"|href="([^"]+)" data-testid="tile-cases-link"', page
    )
    assert cases_link
    assert listed(client, cases_link.group(1) or cases_link.group(2)) == plain_number(tile(page, "cases")) > 0
    online = re.search(r'href="([^"]+)" data-testid="tile-online_share-link"', page)
    online_cases = listed(client, online.group(1))
    share = float(tile(page, "online_share").rstrip("%").replace(",", "."))
    assert round(100 * online_cases / plain_number(tile(page, "cases")), 1) == share
    risk = re.search(r'href="([^"]+)" data-testid="tile-sla_risk-link"', page)
    summary = branch_report(madiun)["summary"]
    assert (
        listed(client, risk.group(1))
        == plain_number(tile(page, "sla_risk"))
        == summary["at_risk"] + summary["breached"]
        > 0
    )


@pytest.mark.parametrize(
    "query",
    [
        "area=abc",
        "area=999999",
        "paid_from=2020-13-01",
        "paid_to=99999-01-01",
        "sla=maybe",
        "paid_from=2020-07-01&paid_to=2020-06-01",
    ],
)
def test_the_claims_list_refuses_a_bad_drill_down_filter_by_name(client, branch_head, query):
    client.force_login(branch_head)
    response = client.get(reverse("console:claims_queue") + "?" + query)
    assert response.status_code == 400
    assert (
        query.split("=")[0].split("&")[-1] in response.content.decode() or "area" in response.content.decode()
    )


def test_an_area_of_another_branch_is_refused(client, branch_head):
    from lapakasik.registry.models import ServiceArea

    client.force_login(branch_head)
    makassar = ServiceArea.objects.filter(branch__code="makassar").first()
    response = client.get(reverse("console:claims_queue") + f"?status=paid&area={makassar.id}")
    assert response.status_code == 400 and "area" in response.content.decode()


def test_the_pdf_and_the_workbook_carry_the_headline(client, branch_head):
    client.force_login(branch_head)
    book = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx")), read_only=True)
    summary = list(book["Ringkasan"].iter_rows(values_only=True))
    assert any(row[0] == "Klaim dibayar" and row[1] == "11.729" for row in summary)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(export(client, "pdf"))).pages)
    assert "Ringkasan" in text and "Median hari sampai dibayar" in text
    words = " ".join(text.split())  # a narrow column wraps its heading
    assert "Periode sebelumnya" in words and "Tahun lalu" in words  # the tiles beside their comparisons
