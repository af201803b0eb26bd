"""One path per state (issue 12): a claim's status and its ClaimEvents are written by claims/lifecycle.py only.

Two bulk paths write beneath the writer and say so: the history import (claims/history.py) and the
collective chunk, whose rows claims/lifecycle.py's own ``insert_submitted`` writes.
"""

from __future__ import annotations

import re
from pathlib import Path

from lapakasik.claims.lifecycle import CLAIM, LIFECYCLES
from lapakasik.claims.models import OPEN_STATUSES, ClaimAction

PACKAGE = Path(__file__).resolve().parents[2]
EVENT_WRITE = re.compile(
    r"(?<!class )\bClaimEvent(\.objects\.(create|bulk_create|get_or_create|update_or_create)|\()"
    r"|insert\(\s*ClaimEvent\b"
)
STATUS_WRITE = re.compile(
    r"\bClaim\.objects\.[^;]{0,300}?\.update\([^)]*\bstatus\s*="  # a queryset update of the status
    r"|\bclaim\w*\.status\s*=(?!=)"  # an assignment to a claim's status
    r"|\bClaim(\.objects\.create)?\((?:[^()]|\([^()]*\))*\bstatus\s*="  # a claim created in some status
    r"|insert\(\s*Claim\b"  # a bulk insert of claims
)
BENEATH_IN_BULK = {Path("claims/history.py")}  # paid history: written in bulk, and says so


def _writers() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        if relative == Path("claims/lifecycle.py") or relative in BENEATH_IN_BULK:
            continue
        text = path.read_text(encoding="utf-8")
        if EVENT_WRITE.search(text) or STATUS_WRITE.search(text):
            found.add(str(relative))
    return found


def test_no_claim_status_and_no_claim_event_is_written_outside_the_claims_lifecycle():
    assert _writers() == set()


def test_the_grep_would_catch_each_kind_of_write():
    for line in [
        'Claim.objects.filter(pk=1).update(status="paid")',
        "claim.status = seen",
        'Claim.objects.create(program="JHT", status="approved")',
        "ClaimEvent.objects.create(claim=claim)",
        "bulk.insert(ClaimEvent, FIELDS, rows)",
        "bulk.insert(Claim, FIELDS, rows)",
    ]:
        assert EVENT_WRITE.search(line) or STATUS_WRITE.search(line), line
    assert not STATUS_WRITE.search('if claim.status == "paid":')


def test_open_statuses_are_the_ones_some_move_leaves_and_every_move_is_a_named_action():
    assert CLAIM.open_statuses() == OPEN_STATUSES
    for lifecycle in LIFECYCLES:
        for move in lifecycle.moves:
            assert move.name in ClaimAction.values, move.name
