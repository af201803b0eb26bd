"""Retention: the stored documents of closed claims are removed once the retention period has passed.

A claim's documents are kept while anything may still need them: while the claim is open, while a payment
of it is under way, and for ``PRIVACY_DOCUMENT_RETENTION_DAYS`` after its last recorded event (a paid claim's
last event is the bank's confirmation; a late correction or payment failure restarts the clock). The claim,
its payments and its audit trail are kept: they are the agency's financial records. What is removed is the
scan; its kind and checksum stay in the claim's ``document_removed`` event, which says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from lapakasik.claims import lifecycle as claim_lifecycle
from lapakasik.claims.models import Claim, ClaimAction, ClaimDocument, Status
from lapakasik.payments.models import Payment, PaymentStatus

from .models import PrivacyAction, PrivacyEvent

CLOSED_STATUSES = (Status.PAID, Status.REJECTED, Status.CANCELLED)
UNDER_WAY = (PaymentStatus.PREPARED, PaymentStatus.APPROVED, PaymentStatus.SENT)
CHUNK = 200


@dataclass
class Removed:
    number: str
    status: str
    closed_at: dt.datetime
    documents: int
    size: int


@dataclass
class PurgeReport:
    cutoff: dt.datetime
    dry_run: bool
    claims: list[Removed] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return sum(c.documents for c in self.claims)

    @property
    def size(self) -> int:
        return sum(c.size for c in self.claims)


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=settings.PRIVACY_DOCUMENT_RETENTION_DAYS)


def with_closed_at(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    return claims.annotate(closed_at=Coalesce(Max("events__at"), "created_at"))


def kept_claims() -> QuerySet[Claim]:
    """Closed claims whose documents are still needed whatever their age: a payment is under way.

    When complaints and objections land (issue 16), a claim under an open complaint belongs here too.
    """
    under_way = Payment.objects.filter(claim=OuterRef("pk"), status__in=UNDER_WAY)
    return Claim.objects.filter(Exists(under_way))


def due_for_purge(cutoff: dt.datetime) -> QuerySet[Claim]:
    """Closed claims with stored documents whose last event is older than the cutoff, nothing keeping them."""
    has_documents = ClaimDocument.objects.filter(claim=OuterRef("pk"))
    claims = Claim.objects.filter(Exists(has_documents), status__in=CLOSED_STATUSES).exclude(
        pk__in=kept_claims().values("pk")
    )
    closed = with_closed_at(claims)
    return closed.filter(closed_at__lt=cutoff).order_by("closed_at", "pk")  # type: ignore[misc]


def _document_totals(claim_ids: list[int]) -> dict[int, tuple[int, int]]:
    rows = (
        ClaimDocument.objects.filter(claim_id__in=claim_ids)
        .values("claim_id")
        .annotate(n=Count("id"), size=Sum("size"))
        .values_list("claim_id", "n", "size")
    )
    return {claim_id: (n, size or 0) for claim_id, n, size in rows}


def remove_documents(claim: Claim, *, by, note: str) -> tuple[int, int]:
    """Delete one claim's document rows with the claim's ``document_removed`` event; files go on commit."""
    documents = list(ClaimDocument.objects.filter(claim=claim))
    if not documents:
        return 0, 0
    claim_lifecycle.record(
        claim, ClaimAction.DOCUMENT_REMOVED, by=by, note=note,
        data={"retention": True, "documents": [{"kind": d.kind, "sha256": d.sha256} for d in documents]},
    )  # fmt: skip
    ClaimDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    files = [(d.file.storage, d.file.name) for d in documents if d.file]
    transaction.on_commit(lambda: _delete_files(files))
    return len(documents), sum(d.size for d in documents)


def _delete_files(files) -> None:
    for storage, name in files:
        storage.delete(name)


def purge_documents(*, dry_run: bool = False, now: dt.datetime | None = None) -> PurgeReport:
    """The periodic job: remove what is due, chunk by chunk, and leave one event saying it happened."""
    report = PurgeReport(cutoff=retention_cutoff(now), dry_run=dry_run)
    due = list(due_for_purge(report.cutoff).select_related("participant"))
    note = f"Masa simpan {settings.PRIVACY_DOCUMENT_RETENTION_DAYS} hari habis"
    for start in range(0, len(due), CHUNK):
        chunk = due[start : start + CHUNK]
        totals = _document_totals([claim.pk for claim in chunk])
        with transaction.atomic():
            for claim in chunk:
                # Re-read under lock: a claim reopened or paid meanwhile is left alone.
                locked = Claim.objects.select_for_update().filter(pk=claim.pk, status=claim.status).first()
                if locked is None or kept_claims().filter(pk=claim.pk).exists():
                    continue
                if dry_run:
                    count, size = totals.get(claim.pk, (0, 0))
                else:
                    count, size = remove_documents(locked, by=None, note=note)
                if count:
                    report.claims.append(Removed(claim.number, claim.status, claim.closed_at, count, size))  # type: ignore[attr-defined]
    if not dry_run:
        PrivacyEvent.objects.create(
            action=PrivacyAction.DOCUMENTS_PURGED,
            note=note,
            data={
                "cutoff": report.cutoff.isoformat(),
                "claims": [c.number for c in report.claims],
                "documents": report.documents,
                "bytes": report.size,
            },
        )
    return report
