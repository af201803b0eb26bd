"""insert_rows writes what bulk_create would: given values, defaults (a callable one per row), auto_now times."""

from __future__ import annotations

import datetime as dt

import pytest

from lapakasik.claims.models import Claim, ClaimEvent
from lapakasik.lib.bulk import ids_by, insert_rows
from lapakasik.registry.models import Participant


def _claim_row(participant, madiun, key: str, paid_on: dt.date) -> dict:
    return {
        "program": "JHT",
        "reason": "resign",
        "channel": "offline",
        "status": "paid",
        "participant_id": participant.pk,
        "employer_id": None,
        "branch_id": madiun.pk,
        "area_id": madiun.areas.first().pk,
        "submitted_on": paid_on - dt.timedelta(days=3),
        "paid_on": paid_on,
        "amount_paid": 1_250_000,
        "import_key": key,
    }


@pytest.mark.django_db
def test_rows_read_back_as_the_orm_would_have_written_them(madiun):
    person = Participant.objects.filter(claims__branch=madiun).first()
    rows = [_claim_row(person, madiun, f"bulk-test-{i}", dt.date(2020, 5, 1 + i)) for i in range(3)]

    assert insert_rows(Claim, rows, chunk=2) == 3

    ids = ids_by(Claim, "import_key", (row["import_key"] for row in rows))
    claims = {claim.import_key: claim for claim in Claim.objects.filter(pk__in=ids.values())}
    assert claims["bulk-test-2"].paid_on == dt.date(2020, 5, 3)
    assert claims["bulk-test-2"].submitted_on == dt.date(2020, 4, 30)
    assert claims["bulk-test-0"].participant == person
    # Defaults: a callable one is called per row (claim numbers are unique), auto_now_add is the time now.
    assert len({claim.number for claim in claims.values()}) == 3
    assert all(claim.created_at is not None and claim.decision_note == "" for claim in claims.values())


@pytest.mark.django_db
def test_json_and_foreign_keys_round_trip(madiun):
    person = Participant.objects.filter(claims__branch=madiun).first()
    insert_rows(Claim, [_claim_row(person, madiun, "bulk-json", dt.date(2020, 6, 1))])
    claim = Claim.objects.get(import_key="bulk-json")

    insert_rows(ClaimEvent, [{"claim_id": claim.pk, "action": "imported", "data": {"amount": 5, "on": "x"}}])

    event = claim.events.get()
    assert event.data == {"amount": 5, "on": "x"}
    assert event.at is not None and event.actor is None


@pytest.mark.django_db
def test_nothing_to_insert_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_rows(Claim, []) == 0


@pytest.mark.django_db
def test_both_call_styles_write_to_the_database_they_are_given(madiun):
    from django.utils.connection import ConnectionDoesNotExist

    from lapakasik.lib.bulk import insert

    person = Participant.objects.filter(claims__branch=madiun).first()
    with pytest.raises(ConnectionDoesNotExist):
        insert_rows(
            Claim, [_claim_row(person, madiun, "bulk-elsewhere", dt.date(2020, 6, 1))], using="nowhere"
        )
    with pytest.raises(ConnectionDoesNotExist):
        insert(
            ClaimEvent,
            ("claim", "at", "actor", "action", "from_status", "to_status", "note", "data"),
            [],
            using="nowhere",
        )
    assert not Claim.objects.filter(import_key="bulk-elsewhere").exists()
