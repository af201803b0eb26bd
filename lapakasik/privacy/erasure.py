"""A deletion request decided by the retention rules (UU 27/2022 ps. 8 and ps. 43–44).

The subject may ask for deletion; the controller deletes unless a legal duty to keep applies. Here:

- membership data (the registry record, employments, heirs) is kept: the agency must hold it while the
  membership and any right to a benefit exist (UU 24/2011 on BPJS ps. 10 and 13; UU 40/2004 on SJSN);
- claims, payments and their audit trail are kept: they are financial records, kept 10 years
  (UU 8/1997 on company documents ps. 11; UU 28/2007 on tax procedure ps. 28(11)); their scans go
  when the retention job (privacy/retention.py) reaches them;
- a claim still in progress or a rejected claim keeps its scans: the decision can still be objected to
  (UU 24/2011 ps. 48–50) and the job removes them after the retention period;
- what rests on consent alone stops at once: every consent in force is withdrawn (WhatsApp, SMS, video
  recording, face check), and the scans of claims the participant cancelled (no decision, no payment) are
  deleted now.

Every outcome carries its reason as the Indonesian source text, translated when shown (portal, console), so a
stored decision reads right in either language.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from lapakasik.claims.models import Claim, ClaimDocument, Status
from lapakasik.registry.models import Participant

from .models import Consent, ConsentMethod, DataRequest, PrivacyAction, PrivacyEvent, RequestStatus
from .retention import kept_claims, remove_documents

DELETED = "deleted"
KEPT = "kept"


def _line(category: str, outcome: str, reason: str, count: int = 0) -> dict[str, Any]:
    return {"category": category, "outcome": outcome, "reason": reason, "count": count}


def erase(participant: Participant, *, by, request: DataRequest) -> list[dict[str, Any]]:
    """Delete what no duty keeps; return one line per category, kept ones with their legal reason."""
    lines = [
        _line(
            "registry", KEPT,
            N_("Data kepesertaan wajib disimpan BPJS Ketenagakerjaan selama kepesertaan dan hak atas manfaat "
              "masih ada (UU 24/2011 tentang BPJS ps. 10 dan 13; UU 40/2004 tentang SJSN)."),
        ),
    ]  # fmt: skip
    lines.append(_withdraw_consents(participant, by=by, request=request))
    lines.extend(_claims(participant, by=by))
    return lines


def _withdraw_consents(participant: Participant, *, by, request: DataRequest) -> dict[str, Any]:
    live = list(Consent.objects.filter(participant=participant, withdrawn_at=None))
    now = timezone.now()
    for consent in live:
        consent.withdrawn_at, consent.withdrawn_how = now, ConsentMethod.REQUEST
        consent.withdrawn_by = by if getattr(by, "pk", None) else None
    Consent.objects.bulk_update(live, ["withdrawn_at", "withdrawn_how", "withdrawn_by"])
    PrivacyEvent.objects.bulk_create(
        PrivacyEvent(
            action=PrivacyAction.CONSENT_WITHDRAWN,
            actor=consent.withdrawn_by,
            participant=participant,
            request=request,
            data={"purpose": consent.purpose, "how": ConsentMethod.REQUEST},
        )  # fmt: skip
        for consent in live
    )
    return _line(
        "consents", DELETED,
        N_("Pemrosesan yang hanya berdasar persetujuan Anda dihentikan: semua persetujuan ditarik."),
        len(live),
    )  # fmt: skip


def _claims(participant: Participant, *, by) -> list[dict[str, Any]]:
    claims = Claim.objects.filter(participant=participant)
    lines: list[dict[str, Any]] = []
    financial = claims.exclude(status__in=[Status.DRAFT, Status.CANCELLED]).count()
    if financial:
        lines.append(
            _line(
                "claims", KEPT,
                N_("Klaim, pembayaran, dan jejak auditnya adalah catatan keuangan yang wajib disimpan 10 tahun "
                  "(UU 8/1997 tentang Dokumen Perusahaan ps. 11; UU 28/2007 tentang KUP ps. 28 ayat 11). "
                  "Dokumen pindaian dimusnahkan otomatis setelah masa simpan habis."),
                financial,
            )
        )  # fmt: skip
    deletable = claims.filter(status=Status.CANCELLED).exclude(pk__in=kept_claims().values("pk"))
    removed = 0
    for claim in deletable.filter(pk__in=ClaimDocument.objects.values("claim_id")):
        removed += remove_documents(claim, by=by, note=N_("Permintaan penghapusan data"))[0]
    if removed:
        lines.append(
            _line(
                "cancelled_claim_documents", DELETED, N_("Dokumen klaim yang Anda batalkan dihapus."), removed
            )
        )
    return lines


def verdict(lines: list[dict[str, Any]]) -> str:
    deleted = any(line["outcome"] == DELETED and line["count"] for line in lines)
    kept = any(line["outcome"] == KEPT for line in lines)
    if deleted and kept:
        return RequestStatus.PARTLY_HONOURED
    return RequestStatus.HONOURED if deleted else RequestStatus.REFUSED
