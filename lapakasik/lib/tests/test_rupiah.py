"""lib.idtext.parse_rupiah: the one reader of whole-rupiah amounts as people type them (issue 14)."""

import pytest

from lapakasik.lib.idtext import parse_rupiah


@pytest.mark.parametrize(
    "typed",
    ["46250000", "46 250 000", "46.250.000", "46,250,000", "Rp46.250.000", "Rp 46.250.000", "rp. 46.250.000",
     "IDR 46,250,000", "Rp46.250.000,-", "46.250.000,00", "46,250,000.00", " 46\u00a0250\u00a0000 "],
)  # fmt: skip
def test_it_reads_the_ways_people_write_an_amount(typed):
    assert parse_rupiah(typed) == 46_250_000


@pytest.mark.parametrize("small", [("0", 0), ("999", 999), ("1.000", 1000), ("Rp5.000", 5000)])
def test_it_reads_small_amounts(small):
    assert parse_rupiah(small[0]) == small[1]


@pytest.mark.parametrize(
    "typed",
    ["", "Rp", "empat juta", "-5", "46.250.000,50", "1,5", "46.250,000", "46 250.000", "4.62.500", "1.0000",
     "46.250.000.00", "46,250,000,00"],
)  # fmt: skip
def test_it_refuses_sen_mixed_separators_and_words(typed):
    with pytest.raises(ValueError):
        parse_rupiah(typed)
