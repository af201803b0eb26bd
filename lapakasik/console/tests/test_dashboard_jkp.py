"""JKP on the dashboard end to end: a claim being paid month by month is in the drill-down list behind its cell,
in the export's claims lines and in the median, counted as the report counts it (once per monthly payment)."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest
from django.urls import reverse

from lapakasik.reporting.tests.jkp_world import build

QUERY = "?from=2027-01-01&to=2027-02-28"
PAID_LINES = re.compile(r'data-testid="paid-lines">Dibayar pada periode ini: ([\d.]+) pembayaran, Rp([\d.]+)')


@pytest.fixture
def world(madiun, finance):
    return build(madiun, finance)


def number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text) or 0)


def drill(client, url: str) -> tuple[int, int, str]:
    """(payments, rupiah) the list behind a dashboard link says were paid in the period, and its page."""
    page = client.get(url.replace("&amp;", "&"))
    assert page.status_code == 200, url
    text = page.content.decode()
    found = PAID_LINES.search(text)
    assert found, url
    return number(found.group(1)), number(found.group(2)), text


def test_every_cell_lists_its_claims_and_their_payments_add_up_to_the_cell(client, branch_head, world):
    client.force_login(branch_head)
    page = client.get(reverse("console:dashboard") + QUERY).content.decode()
    table = page[page.index('id="table-matrix"') : page.index("</table>", page.index('id="table-matrix"'))]
    cells = re.findall(
        r'<td class="num"><a href="([^"]+)">([^<]+)</a></td>\s*<td class="num"><a href="\1">([^<]+)<', table
    )
    assert len(cells) == 20  # five programs (JKP since 2021) × four areas
    for url, cases, amount in cells:
        assert drill(client, url)[:2] == (number(cases), number(amount)), url
    total = re.search(r'data-testid="matrix-cases"><a href="([^"]+)">([^<]+)<', table)
    assert total and drill(client, total.group(1))[0] == number(total.group(2)) == 5


def test_the_jkp_claim_between_two_months_is_listed_once_with_the_months_paid(
    client, branch_head, world, madiun
):
    client.force_login(branch_head)
    area = madiun.areas.get(name="Madiun").id
    url = reverse("console:claims_queue") + (
        f"?branch=madiun&status=all&paid_from=2027-01-01&paid_to=2027-02-28&program=JKP&area={area}"
    )
    payments, rupiah, page = drill(client, url)
    assert (payments, rupiah) == (2, 6_000_000)
    assert page.count(f'data-testid="row-{world["jkp"].number}"') == 1
    assert re.search(rf'data-testid="instalments-{world["jkp"].number}">[^<]*1/6, 2/6<', page)
    assert 'data-testid="summary">Menampilkan 1–1 dari 1' in page


def test_the_export_lines_add_up_to_the_matrix_per_program(client, branch_head, world):
    client.force_login(branch_head)
    response = client.get(reverse("console:dashboard_export", args=["csv"]) + QUERY)
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    cases, amount = Counter(r["program"] for r in rows), Counter()
    for r in rows:
        amount[r["program"]] += int(r["amount"])
    assert dict(cases) == {"JHT": 1, "JKM": 1, "JKP": 3}
    assert dict(amount) == {"JHT": 10_000_000, "JKM": 42_000_000, "JKP": 24_000_000}
    assert sorted(r["instalment"] for r in rows if r["program"] == "JKP") == ["", "1", "2"]


def test_the_median_tile_counts_the_jkp_claim_once(client, branch_head, world):
    client.force_login(branch_head)
    page = client.get(reverse("console:dashboard") + QUERY).content.decode()
    median = re.search(r'data-testid="tile-median_days-link"[^>]*>([^<]+)<', page)
    assert median and median.group(1).strip() == "7,0 hari"  # waits 6, 7 and JKP's 15 (month 1 only)
