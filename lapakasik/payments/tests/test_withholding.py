import datetime as dt

import pytest

from lapakasik.lib.errors import DomainError
from lapakasik.payments.withholding import withholding_for

PAID_ON = dt.date(2026, 11, 25)


def test_a_jht_lump_sum_up_to_fifty_million_is_not_taxed(approved_claim):
    assert withholding_for(approved_claim(gross=50_000_000), 50_000_000, paid_on=PAID_ON).tax == 0


def test_a_jht_lump_sum_pays_five_percent_final_on_the_excess(approved_claim):
    held = withholding_for(approved_claim(gross=68_450_000), 68_450_000, paid_on=PAID_ON)
    assert held.tax == 922_500
    assert held.detail["regime"] == "final" and held.detail["tax_object"] == "21-401-02"


def test_a_partial_jht_withdrawal_uses_the_progressive_rates(approved_claim):
    claim = approved_claim(gross=30_000_000, reason="partial_10")
    held = withholding_for(claim, 30_000_000, paid_on=PAID_ON)
    assert held.tax == 1_500_000 and held.detail["regime"] == "pasal17"


def test_a_lump_sum_paid_at_once_years_after_leaving_keeps_the_final_rate(approved_claim):
    # PP 68/2009 ps. 5: the 0%/5% final rate depends on paying at once, not on when it is claimed.
    claim = approved_claim(gross=70_000_000, left_on=dt.date(2023, 6, 30))
    held = withholding_for(claim, 70_000_000, paid_on=PAID_ON)
    assert held.tax == 20_000_000 * 5 // 100 and held.detail["regime"] == "final"


def test_jkm_benefits_are_not_taxed(approved_claim):
    claim = approved_claim(gross=42_000_000, program="JKM", reason="death")
    assert withholding_for(claim, 42_000_000, paid_on=PAID_ON).tax == 0


def test_a_monthly_pension_is_not_paid_in_a_lump_sum_batch(approved_claim):
    claim = approved_claim(gross=500_000, program="JP", reason="old_age_pension")
    with pytest.raises(DomainError) as refused:
        withholding_for(claim, 500_000, paid_on=PAID_ON)
    assert refused.value.code == "pension_not_in_batches"
