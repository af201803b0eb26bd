"""The plain bulk insert used by the import: COPY on PostgreSQL, executemany elsewhere, same rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from lapakasik.claims import bulk
from lapakasik.claims.checks import FINDING_FIELDS
from lapakasik.claims.lifecycle import BULK_CLAIM_FIELDS as CLAIM_FIELDS
from lapakasik.claims.lifecycle import BULK_EVENT_FIELDS as EVENT_FIELDS
from lapakasik.claims.models import Claim, ClaimDocument, ClaimEvent, ClaimFinding
from lapakasik.collective.actions import ACCOUNT_FIELDS, DOCUMENT_FIELDS
from lapakasik.collective.models import ListRow
from lapakasik.collective.validate import LISTROW_FIELDS
from lapakasik.lib.bulk import column_names

pytestmark = pytest.mark.django_db
# What the sample ZIP holds for each worker: the JHT checklist for a PHK (below the NPWP threshold).
CHECKLIST = [
    "ektp",
    "kpj_card",
    "kartu_keluarga",
    "paklaring",
    "savings_book",
    "claim_form_materai",
    "phk_agreement_or_ruling",
    "photo",
]


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (ListRow, LISTROW_FIELDS),
        (Claim, CLAIM_FIELDS),
        (ClaimEvent, EVENT_FIELDS),
        (ClaimDocument, DOCUMENT_FIELDS),
        (ClaimFinding, FINDING_FIELDS),
    ],
)
def test_the_import_names_every_not_null_column(model, fields):
    column_names(model, fields)  # raises if a NOT NULL column (a field added later) is left out


def test_account_fields_cover_the_payout_account():
    from lapakasik.claims.models import PayoutAccount

    column_names(PayoutAccount, ACCOUNT_FIELDS)


def test_a_missing_not_null_column_is_refused():
    with pytest.raises(ValueError, match="NOT NULL"):
        column_names(ClaimEvent, ("claim", "action"))


def test_rows_read_back_as_the_orm_would_have_written_them(upload, submit, demo_rows):
    mass_list = submit(upload(demo_rows))
    row = mass_list.rows.order_by("line").first()
    assert isinstance(row.cells, dict) and row.cells and isinstance(row.documents, list)
    assert isinstance(row.birth_date, dt.date) and row.errors == [] and row.warnings == []
    claim = Claim.objects.get(import_key=row.claim_key)
    assert (
        claim.number.startswith("KLM-") and claim.decision_code == "" and claim.created_at <= timezone.now()
    )
    events = list(claim.events.order_by("id").values_list("action", "from_status", "to_status", "data"))
    documents = list(claim.documents.order_by("original_name"))
    added = [("document_added", "draft", "draft", {"kind": d.kind, "sha256": d.sha256}) for d in documents]
    assert sorted(events[1:-1], key=str) == sorted(added, key=str)
    assert [events[0], events[-1]] == [
        ("started", "", "draft", {"channel": "collective", "list": mass_list.pk, "line": row.line}),
        ("submitted", "draft", "submitted", {"channel": "collective", "list": mass_list.pk}),
    ]
    assert sorted(d.kind for d in documents) == sorted(CHECKLIST)
    first = documents[0]
    assert first.uploaded_at == claim.created_at and first.uploaded_by_id == mass_list.submitted_by_id
    with first.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-") and first.size == first.file.size
    assert claim.payout_account.updated_at == claim.created_at


def test_next_ids_are_fresh_on_postgresql_only():
    from django.db import connection

    with transaction.atomic():
        ids = bulk.next_ids(Claim, 3)
    if connection.vendor == "postgresql":
        assert ids is not None and len(set(ids)) == 3
    else:
        assert ids is None
