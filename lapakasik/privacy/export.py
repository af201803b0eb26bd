"""A participant's copy of their data (UU 27/2022 ps. 7 and ps. 13): a ZIP of ``data.json`` and their documents.

``data.json`` keys: ``format``, ``generated_at``, ``participant``, ``claims``, ``bookings``, ``payments``,
``consents``, ``events``, ``requests`` (the first seven are relied on by other tools: never rename them).
Documents are under ``documents/<claim number>/``; each claim lists its documents with the path in the ZIP.
Audit events name the actor's role, not the staff member: a colleague's identity is not the subject's data.
Every export is recorded (security.DownloadRecord, kind ``privacy_export``) and a ``data_exported`` event.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapakasik.booking.models import Booking, BookingEvent
from lapakasik.claims.models import Claim, ClaimDocument, ClaimEvent, PayoutAccount
from lapakasik.lib.errors import DomainError
from lapakasik.lib.identifiers import check_nik, mask_identifier
from lapakasik.notify.models import OutboxMessage
from lapakasik.payments.models import Payment, PaymentEvent
from lapakasik.registry.models import Participant
from lapakasik.security.actions import record_download
from lapakasik.security.models import DownloadKind

from .models import Consent, DataRequest, PrivacyAction, PrivacyEvent

FORMAT = "lapakasik-privacy-export/1"
PARTICIPANT_FIELDS = (
    "nik", "kpj", "full_name", "birth_date", "sex", "mother_maiden_name", "phone", "email", "region_id",
    "status", "deceased_on", "created_at",
)  # fmt: skip
CLAIM_FIELDS = (
    "id", "number", "program", "reason", "channel", "status", "branch__name", "created_at", "submitted_on",
    "submitted_at", "paid_on", "amount_claimed", "amount_paid", "decision_code", "decision_note",
)  # fmt: skip
BOOKING_FIELDS = (
    "claim__number", "code", "status", "seat_number", "walk_in", "queue_number", "verdict", "session__branch__name",
    "session__starts_at", "session__channel", "booked_at", "checked_in_at", "called_at", "served_at", "done_at",
    "cancelled_at", "video_consent_at",
)  # fmt: skip
PAYMENT_FIELDS = (
    "claim__number", "reference", "bank_code", "account_number", "holder_name", "gross", "tax", "net", "tax_detail",
    "status", "created_at", "paid_on", "bank_reference", "failure_code", "failure_reason", "failed_at",
)  # fmt: skip
CONSENT_FIELDS = ("purpose", "given_at", "given_how", "withdrawn_at", "withdrawn_how")
EVENT_FIELDS = ("at", "action", "from_status", "to_status", "note", "data", "actor__role")


def unknown_nik() -> DomainError:
    return DomainError("unknown_nik", _("Tidak ada peserta dengan NIK ini."), field="nik", status=404)


def participant_by_nik(raw: str) -> Participant:
    """The participant a staff request names; a malformed NIK and an unknown one are each a clear error."""
    check = check_nik(raw)
    if check.errors:
        raise DomainError("bad_nik", check.errors[0], field="nik")
    participant = Participant.objects.filter(nik=check.nik).first()
    if participant is None:
        raise unknown_nik()
    return participant


def _rows(queryset, fields: Iterable[str]) -> list[dict[str, Any]]:
    return [{key.replace("__", "_"): value for key, value in row.items()} for row in queryset.values(*fields)]


def _events(participant: Participant, claim_ids: list[int]) -> list[dict[str, Any]]:
    sources = (
        ("claim", ClaimEvent.objects.filter(claim_id__in=claim_ids), "claim__number"),
        ("booking", BookingEvent.objects.filter(claim_id__in=claim_ids), "claim__number"),
        ("payment", PaymentEvent.objects.filter(payment__claim_id__in=claim_ids), "payment__claim__number"),
        ("privacy", PrivacyEvent.objects.filter(participant=participant), "claim__number"),
    )
    events = []
    for source, queryset, number in sources:
        for row in _rows(queryset.order_by("at", "id"), (*EVENT_FIELDS, number)):
            events.append({"source": source, "claim_number": row.pop(number.replace("__", "_")), **row})
    return sorted(events, key=lambda event: event["at"])


def _document_path(document: ClaimDocument, number: str) -> str:
    name = document.file.name or ""
    extension = name[name.rfind(".") :] if "." in name else ""
    return f"documents/{number}/{document.pk}-{document.kind}{extension}"


def collect(participant: Participant) -> tuple[dict[str, Any], list[tuple[str, ClaimDocument]]]:
    """The export's data and the documents that go beside it (path in the ZIP, document)."""
    claims = Claim.objects.filter(participant=participant).order_by("created_at", "pk")
    claim_rows = _rows(claims, CLAIM_FIELDS)
    claim_ids = [row["id"] for row in claim_rows]
    numbers = {row["id"]: row["number"] for row in claim_rows}
    documents = list(ClaimDocument.objects.filter(claim_id__in=claim_ids).order_by("claim_id", "pk"))
    files = [(_document_path(d, numbers[d.claim_id]), d) for d in documents]
    accounts = {
        row["claim_id"]: row
        for row in PayoutAccount.objects.filter(claim_id__in=claim_ids).values(
            "claim_id", "bank_code", "account_number", "holder_name", "updated_at"
        )
    }
    by_claim: dict[int, list[dict[str, Any]]] = {}
    for path, d in files:
        by_claim.setdefault(d.claim_id, []).append(
            {"kind": d.kind, "original_name": d.original_name, "content_type": d.content_type, "size": d.size,
             "sha256": d.sha256, "uploaded_at": d.uploaded_at, "file": path}
        )  # fmt: skip
    for row in claim_rows:
        account = accounts.get(row["id"])
        row["payout_account"] = {k: v for k, v in account.items() if k != "claim_id"} if account else None
        row["documents"] = by_claim.get(row.pop("id"), [])
    person = _rows(Participant.objects.filter(pk=participant.pk), PARTICIPANT_FIELDS)[0]
    person["employments"] = _rows(
        participant.employments.order_by("start"),
        ("employer__name", "employer__npp", "start", "end", "end_reason"),
    )
    person["heirs"] = _rows(
        participant.heirs.order_by("pk"), ("nik", "full_name", "relationship", "birth_date", "sex", "phone")
    )
    data = {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "participant": person,
        "claims": claim_rows,
        "bookings": _rows(
            Booking.objects.filter(claim_id__in=claim_ids).order_by("booked_at", "pk"), BOOKING_FIELDS
        ),
        "payments": _rows(
            Payment.objects.filter(claim_id__in=claim_ids).order_by("created_at", "pk"), PAYMENT_FIELDS
        ),
        "consents": _rows(
            Consent.objects.filter(participant=participant).order_by("given_at", "pk"), CONSENT_FIELDS
        ),
        "events": _events(participant, claim_ids),
        # Every message sent (or waiting) to the person, by channel: their address and number are their data.
        "messages": _rows(
            OutboxMessage.objects.filter(participant=participant).order_by("created_at", "pk"),
            ("channel", "to", "template", "status", "created_at", "sent_at"),
        ),
        "requests": _rows(
            DataRequest.objects.filter(participant=participant).order_by("requested_at", "pk"),
            ("kind", "status", "text", "outcome", "requested_at", "decided_at", "decision_note"),
        ),
    }
    return data, files


def _own(user, participant: Participant) -> bool:
    from .actions import is_data_subject  # actions imports the erasure rules; export stays light

    return is_data_subject(user, participant)


def write_zip(participant: Participant, out: IO[bytes]) -> dict[str, Any]:
    data, files = collect(participant)
    missing = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, document in files:
            try:
                with document.file.open("rb") as source, archive.open(path, "w") as target:
                    shutil.copyfileobj(source, target, 1 << 16)
            except FileNotFoundError:
                missing.append(path)  # the scan was lost from storage: say so rather than fail the export
        data["missing_documents"] = missing
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
    return {"claims": len(data["claims"]), "documents": len(files) - len(missing), "missing": len(missing)}


def export(participant: Participant, out: IO[bytes], *, by, via: str) -> dict[str, Any]:
    """Write the ZIP to ``out`` and record who took it, in one transaction (a failed write records nothing)."""
    if by is not None and not (by.is_admin_role or by.is_branch_staff or _own(by, participant)):
        raise DomainError("not_permitted", _("Peran Anda tidak berwenang untuk tindakan ini."), status=403)
    latest = Claim.objects.filter(participant=participant).order_by("-created_at").first()
    with transaction.atomic():
        summary = write_zip(participant, out)
        record_download(
            by, DownloadKind.PRIVACY_EXPORT, f"KPJ {mask_identifier(participant.kpj)} ({via})",
            branch=latest.branch if latest else None, file_format="zip", identifiers=True,
        )  # fmt: skip
        PrivacyEvent.objects.create(
            action=PrivacyAction.DATA_EXPORTED,
            actor=by,
            participant=participant,
            data={"via": via, **summary},
        )
    return summary
