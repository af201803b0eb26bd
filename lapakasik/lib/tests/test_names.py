"""The one name rule: one similarity, per-purpose thresholds from settings, strictly read."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from lapakasik.lib.names import NameCheck, name_matches
from lapakasik.settings import env_score


def test_identity_needs_the_same_name_up_to_spelling_and_titles():
    assert name_matches("Ir. Djoko Soesilo", "JOKO SUSILO", NameCheck.IDENTITY) == (100, True)
    assert not name_matches("Joko Susila", "Joko Susilo", NameCheck.IDENTITY)[1]


def test_each_purpose_reads_its_threshold_from_settings():
    with override_settings(PAYOUT_NAME_MIN_SCORE=95):
        assert not name_matches("Sri Wahyu", "Sri Wahyuni", NameCheck.ACCOUNT_HOLDER)[1]
    with override_settings(PAYOUT_NAME_MIN_SCORE=85):
        assert name_matches("Sri Wahyu", "Sri Wahyuni", NameCheck.ACCOUNT_HOLDER) == (90, True)


@pytest.mark.parametrize("raw", ["0", "101", "-5", "eighty"])
def test_a_threshold_outside_1_to_100_is_a_configuration_error(monkeypatch, raw):
    monkeypatch.setenv("COLLECTIVE_NAME_MIN_SCORE", raw)
    with pytest.raises(ImproperlyConfigured, match="COLLECTIVE_NAME_MIN_SCORE"):
        env_score("COLLECTIVE_NAME_MIN_SCORE", 85)
