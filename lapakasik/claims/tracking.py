"""Where a claim is, why it waits, when it should be paid and what its claimant can do — one answer for the
portal's claim page and the API (``tracking`` in the claim's JSON).

``track`` is a pure rule over the claim's status and its service-level clock; ``tracking_for`` reads what it
needs (the clock, the bookings, the last payment failure).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import Claim, ClaimAction, Status
from .sla import Clock, SlaState, clock_for

# Why a claim waits: a code for programs, a sentence for people.
WAITING_FOR = {
    "not_submitted": _("Klaim belum diajukan."),
    "video_session": _("Klaim menunggu sesi verifikasi video yang Anda pesan."),
    "officer": _("Klaim menunggu giliran diperiksa petugas."),
    "verification": _("Petugas sedang memeriksa data dan dokumen Anda."),
    "your_documents": _("Klaim menunggu dokumen dari Anda."),
    "approval": _("Data sudah benar; klaim menunggu persetujuan pejabat cabang."),
    "transfer": _("Klaim disetujui dan menunggu transfer ke rekening Anda."),
    "your_account": _("Transfer ke rekening Anda gagal; bank menolaknya."),
    "nothing": _("Klaim sudah selesai."),
}
NEXT_STEP = {
    "not_submitted": _("Lengkapi dokumen dan rekening, lalu ajukan klaim."),
    "video_session": _("Pesan sesi verifikasi video bila belum, dan siapkan e-KTP asli Anda."),
    "officer": _("Tidak ada yang perlu Anda lakukan."),
    "verification": _("Tidak ada yang perlu Anda lakukan."),
    "your_documents": _("Unggah dokumen yang diminta petugas, lalu ajukan kembali."),
    "approval": _("Tidak ada yang perlu Anda lakukan."),
    "transfer": _("Tidak ada yang perlu Anda lakukan; dana masuk ke rekening yang Anda daftarkan."),
    "your_account": _("Periksa dan perbarui rekening bank Anda atas nama Anda sendiri."),
    "nothing": _("Tidak ada yang perlu Anda lakukan."),
}


WAITING_BY_STATUS: dict[str, str] = {
    Status.IN_VERIFICATION: "verification",
    Status.RETURNED_FOR_DOCUMENTS: "your_documents",
    Status.VERIFIED: "approval",
}


@dataclass(frozen=True)
class Tracking:
    status: str
    waiting_for: str  # a key of WAITING_FOR
    waiting_reason: str
    next_step: str
    expected_payment_on: dt.date | None
    sla_state: str | None  # None for a claim with no clock (draft, done)
    late: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def waiting_for(status: str, *, online: bool, booked: bool, payment_failed: bool) -> str:
    if status == Status.DRAFT:
        return "not_submitted"
    if status == Status.SUBMITTED:
        return "video_session" if online and not booked else "officer"
    if status == Status.APPROVED:
        return "your_account" if payment_failed else "transfer"
    return WAITING_BY_STATUS.get(status, "nothing")


def track(claim: Claim, clock: Clock | None, *, booked: bool, payment_failed: bool) -> Tracking:
    code = waiting_for(
        claim.status, online=claim.channel == "online", booked=booked, payment_failed=payment_failed
    )
    return Tracking(
        status=claim.status,
        waiting_for=code,
        waiting_reason=str(WAITING_FOR[code]),  # the officer's own words are the claim's decision_note
        next_step=str(NEXT_STEP[code]),
        expected_payment_on=clock.due_on if clock else None,
        sla_state=str(clock.state) if clock else None,
        late=bool(clock and clock.state == SlaState.BREACHED),
    )


def _payment_failed_last(claim: Claim) -> bool:
    last = claim.events.filter(action__in=[ClaimAction.PAYMENT_FAILED, ClaimAction.APPROVED]).order_by(
        "-at", "-id"
    )
    return last.values_list("action", flat=True).first() == ClaimAction.PAYMENT_FAILED


def tracking_for(claim: Claim) -> Tracking:
    from lapakasik.booking.models import ACTIVE, Booking  # booking builds on claims: imported on use

    booked = Booking.objects.filter(claim=claim, status__in=ACTIVE).exists()
    failed = claim.status == Status.APPROVED and _payment_failed_last(claim)
    return track(claim, clock_for(claim), booked=booked, payment_failed=failed)
