"""The PDF of a report: drawn once per HTML, then served from the cache; charts only from its own names."""

import pytest
from django.core.cache import cache

from lapakasik.reporting import exports

pytestmark = pytest.mark.django_db

CHART = exports.Table(
    "channels",
    "Menurut kanal",
    [("Kanal", exports.TEXT), ("Kasus", exports.COUNT)],
    [["Daring", 40], ["Kantor", 60]],
    chart="channels",
)


def test_the_same_html_is_printed_once_and_then_read_from_the_cache():
    html = "<p>Laporan satu</p>"
    cache.delete(exports.pdf_cache_key(html))
    first = exports.pdf(html)
    assert first.startswith(b"%PDF-") and cache.get(exports.pdf_cache_key(html)) == first
    assert exports.pdf(html) == first
    assert exports.pdf("<p>Laporan dua</p>") != first


def test_a_chart_is_named_by_its_numbers_so_other_numbers_make_another_html():
    (name,) = exports.pdf_charts([CHART])
    other = exports.Table(**{**CHART.__dict__, "rows": [["Daring", 41], ["Kantor", 60]]})
    (other_name,) = exports.pdf_charts([other])
    assert name.startswith("channels-") and name != other_name


def test_the_pdf_embeds_its_charts_and_refuses_any_other_address():
    charts = exports.pdf_charts([CHART])
    (name,) = charts
    document = exports.pdf(f'<img src="chart:{name}" style="width:100%">', charts)
    assert b"/DCTDecode" in document  # the chart, as the JPEG it was drawn as
    with pytest.raises(exports.PdfError, match="not a chart of this PDF: chart:channels-unknown"):
        exports.pdf('<img src="chart:channels-unknown.jpg">', charts)
    with pytest.raises(exports.PdfError, match="not a chart of this PDF: file:///etc/passwd"):
        exports.pdf('<img src="file:///etc/passwd">', charts)
