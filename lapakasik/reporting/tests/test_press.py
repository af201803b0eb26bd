"""The press summary reproduces, from the demo data, every figure as ANTARA printed it (DOMAIN.md §4)."""

import datetime as dt

import pytest

from lapakasik.lib.idtext import format_rupiah_headline
from lapakasik.reporting.press import compose_press_summary, program_paragraph
from lapakasik.reporting.queries import claims_paid_report

FROM, TO = dt.date(2020, 1, 1), dt.date(2020, 7, 23)


@pytest.fixture
def report(madiun):
    return claims_paid_report(madiun, FROM, TO)


def test_the_jkk_paragraph_is_the_sentence_the_press_wrote(report):
    assert program_paragraph(report, "JKK") == (
        "Klaim JKK sebanyak 343 kasus dengan jumlah nominal yang dibayarkan mencapai Rp1.985.343.400, "
        "meliputi Madiun sebanyak Rp1.799.739.663 (332 kasus), Ponorogo sebanyak Rp85.446.015 (tujuh kasus), "
        "Ngawi sebanyak Rp100.157.722 (empat kasus), dan Pacitan nihil."
    )


def test_the_summary_holds_every_figure_of_the_reference(report):
    text = compose_press_summary(report, unit_name="BPJAMSOSTEK Cabang Madiun")
    assert text.startswith("BPJAMSOSTEK Cabang Madiun membayarkan klaim Rp96 miliar\n")
    for figure in [
        "Rp96.091.106.200",
        "11.729 kasus",
        "1 Januari hingga 23 Juli 2020",
        "JHT sebanyak 9.767 kasus",
        "JKM sebanyak 152 kasus",
        "JKK sebanyak 343 kasus",
        "dan JP sebanyak 1.467 kasus",
        "Rp86.791.375.610",
        "Madiun sebanyak Rp58.286.871.540 (5.976 kasus)",
        "Ponorogo sebanyak Rp11.805.673.360 (1.558 kasus)",
        "Ngawi sebanyak Rp16.635.317.490 (2.231 kasus)",
        "dan Pacitan sebanyak Rp63.513.220 (dua kasus)",
        "Rp5.975.800.000",
        "Madiun sebanyak Rp3.283.000.000 (85 kasus)",
        "Ponorogo sebanyak Rp1.570.800.000 (35 kasus)",
        "Ngawi sebanyak Rp1.080.000.000 (31 kasus)",
        "dan Pacitan sebanyak Rp42.000.000 (satu kasus)",
        "Klaim JP sebanyak 1.467 kasus",
        "Rp1.338.587.190",
        "Madiun sebanyak Rp1.065.810.120 (1.300 kasus)",
        "Ponorogo sebanyak Rp52.090.190 (46 kasus)",
        "Ngawi sebanyak Rp207.272.880 (119 kasus)",
        "dan Pacitan sebanyak Rp13.414.000 (dua kasus)",
    ]:
        assert figure in text, figure
    assert len(text.strip().split("\n\n")) == 3 + 4  # headline, lede, counts, one paragraph per program


def test_a_program_without_payments_is_nihil(madiun):
    empty = claims_paid_report(madiun, dt.date(2019, 1, 1), dt.date(2019, 1, 31))
    assert program_paragraph(empty, "JKK") == "Klaim JKK nihil."


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (96_091_106_200, "Rp96 miliar"),
        (1_338_587_190, "Rp1,3 miliar"),
        (1_985_343_400, "Rp2 miliar"),
        (36_500_000_000_000, "Rp37 triliun"),
        (5_975_800_000, "Rp6 miliar"),
        (13_414_000, "Rp13 juta"),
        (999_600_000_000, "Rp1 triliun"),
        (500_000, "Rp500.000"),
    ],
)
def test_the_headline_rounds_the_way_the_press_does(amount, text):
    assert format_rupiah_headline(amount) == text
