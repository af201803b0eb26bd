"""One name rule: an account holder a single claim refuses is refused on a collective list too."""

from __future__ import annotations

import pytest

from lapakasik.claims import actions as claim_actions
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import ServiceArea

from .test_upload_list import messages


def _single_claim_accepts(participant, madiun, holder: str) -> bool:
    area = ServiceArea.objects.get(branch=madiun, name="Madiun")
    claim = claim_actions.start_claim(
        participant=participant.participant,
        program="JHT",
        reason="resign",
        channel="online",
        by=participant,
        branch=madiun,
        area=area,
    )
    try:
        claim_actions.save_payout_account(
            claim, by=participant, bank_code="BRI", account_number="0123456789", holder_name=holder
        )
    except DomainError as refused:
        assert refused.code == "account_holder_mismatch"
        return False
    return True


def _list_accepts(upload, laid_off, registered: str, holder: str) -> bool:
    row = laid_off(name=registered)
    row[8] = holder
    return "holder_name" not in messages(upload([row]))


@pytest.mark.parametrize(
    "holder",
    ["WAHYUNI SRI", "Sri Wahjuni", "Hj. Sri Wahyuni", "Sri Wahyuni Lestari", "Sri Wahyu", "Dwi Wahyuni"],
)
def test_a_list_row_passes_exactly_the_account_holders_a_single_claim_passes(
    upload, laid_off, participant, madiun, holder
):
    registered = participant.participant.full_name
    assert _list_accepts(upload, laid_off, registered, holder) == _single_claim_accepts(
        participant, madiun, holder
    )


def test_reversed_words_pass_neither_channel_although_the_old_list_rule_passed_them(
    upload, laid_off, participant, madiun
):
    # token_sort_ratio("WAHYUNI SRI", "SRI WAHYUNI") was 100 on the list; a single claim refuses it.
    assert not _list_accepts(upload, laid_off, participant.participant.full_name, "Wahyuni Sri")
    assert not _single_claim_accepts(participant, madiun, "Wahyuni Sri")


def test_the_holder_is_compared_with_the_registered_name_not_the_name_typed_on_the_list(upload, laid_off):
    # The typed name is near enough to the registry's to identify the worker, and the holder is the
    # typed name; against the registered name the holder is another person.
    row = laid_off(name="Bambang Sutrisno")
    row[2] = row[8] = "Bambang Sutrisna"
    row_far = laid_off(name="Bambang Sutrisno")
    row_far[2] = "Bambang Sutrisna"
    row_far[8] = "Bambang Sutrisna Adi"
    assert "holder_name" not in messages(upload([row]))
    assert "holder_name" in messages(upload([row_far]))
