"""One claim-reason vocabulary: claims, registry, rules and the estimator use the same codes."""

from __future__ import annotations

from lapakasik.claims.models import REASONS_BY_PROGRAM, Reason
from lapakasik.registry.models import EndReason
from lapakasik.rules import reasons
from lapakasik.rules.api import JhtCaseIn


def test_claim_reasons_are_the_rules_vocabulary_with_the_same_indonesian_labels():
    assert tuple(Reason.values) == reasons.ALL
    for code in reasons.ALL:
        assert str(Reason(code).label) == reasons.LABELS[code][0]


def test_each_program_allows_the_reasons_the_rules_list_for_it():
    for program, codes in REASONS_BY_PROGRAM.items():
        assert codes == set(reasons.REASONS_BY_PROGRAM[program])


def test_employment_end_reasons_are_codes_of_the_vocabulary():
    assert set(EndReason.values) <= set(reasons.ALL)
    assert "retirement" not in EndReason.values


def test_the_estimator_takes_the_claim_codes_and_turns_former_codes_into_them():
    base = {"program": "JHT", "claim_date": "2020-04-01", "balance": 1}
    assert JhtCaseIn.model_validate({**base, "reason": Reason.RESIGN}).reason == "resign"
    for former, current in reasons.ALIASES.items():
        assert JhtCaseIn.model_validate({**base, "reason": former}).reason == current
