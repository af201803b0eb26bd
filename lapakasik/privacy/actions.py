"""Writes of the privacy app: consents, data requests, incidents. Each in one transaction with its event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapakasik.accounts.models import Role
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Participant

from . import erasure
from .lifecycle import INCIDENT, move_incidents, move_requests, not_permitted, require_role
from .models import (
    Consent,
    ConsentMethod,
    DataRequest,
    Incident,
    PrivacyAction,
    PrivacyEvent,
    Purpose,
    RequestKind,
    RequestStatus,
)

A = PrivacyAction
TEXT_LIMIT = 2000


def _actor(by):
    return by if getattr(by, "pk", None) else None


def is_data_subject(user, participant: Participant) -> bool:
    """The participant's own account. An heir's account links to the deceased participant whose benefits
    it claims, but the deceased's consents, copy and deletion are not the heir's to exercise here."""
    return user.role == Role.PARTICIPANT and user.participant_id == participant.pk


def _require_own_or_staff(participant: Participant, by) -> None:
    """A participant acts for themselves; branch staff and admins for anyone who asks them."""
    if by is None or by.is_admin_role or by.is_branch_staff:
        return
    if not is_data_subject(by, participant):
        raise not_permitted()


def _purpose(purpose: str) -> str:
    if purpose not in Purpose.values:
        raise DomainError("unknown_purpose", _("Jenis persetujuan tidak dikenal."), field="purpose")
    return purpose


# ---------------------------------------------------------------- consents


def give_consent(participant: Participant, purpose: str, *, by, how: str) -> Consent:
    """Record a consent; giving one that is already in force changes nothing and writes nothing."""
    _require_own_or_staff(participant, by)
    _purpose(purpose)
    if how not in ConsentMethod.values:
        raise DomainError("unknown_method", _("Cara pemberian persetujuan tidak dikenal."), field="how")
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=participant.pk)  # two clicks make one consent
        live = Consent.objects.filter(participant=participant, purpose=purpose, withdrawn_at=None).first()
        if live is not None:
            return live
        consent = Consent.objects.create(
            participant=participant, purpose=purpose, given_how=how, given_by=_actor(by)
        )
        PrivacyEvent.objects.create(
            action=A.CONSENT_GIVEN,
            actor=_actor(by),
            participant=participant,
            data={"purpose": purpose, "how": how},
        )
    return consent


def withdraw_consent(participant: Participant, purpose: str, *, by, how: str) -> Consent | None:
    """Withdraw the consent in force (None if there was none): processing on it stops from now."""
    _require_own_or_staff(participant, by)
    _purpose(purpose)
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=participant.pk)
        live = Consent.objects.filter(participant=participant, purpose=purpose, withdrawn_at=None).first()
        if live is None:
            return None
        live.withdrawn_at, live.withdrawn_how, live.withdrawn_by = timezone.now(), how, _actor(by)
        live.save(update_fields=["withdrawn_at", "withdrawn_how", "withdrawn_by"])
        PrivacyEvent.objects.create(
            action=A.CONSENT_WITHDRAWN,
            actor=_actor(by),
            participant=participant,
            data={"purpose": purpose, "how": how},
        )
    return live


def consents_in_force(participant: Participant) -> set[str]:
    return set(
        Consent.objects.filter(participant=participant, withdrawn_at=None).values_list("purpose", flat=True)
    )


def has_consent(participant_id: int, purpose: str) -> bool:
    """What a sender asks before a WhatsApp/SMS message, a recording or a face check."""
    return Consent.objects.filter(participant_id=participant_id, purpose=purpose, withdrawn_at=None).exists()


# ---------------------------------------------------------------- requests of the data subject


def _text(text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise DomainError("text_required", _("Tuliskan isi permintaan Anda."), field="text")
    if len(text) > TEXT_LIMIT:
        raise DomainError(
            "text_too_long", _("Tulisan terlalu panjang (paling banyak %(n)d karakter).") % {"n": TEXT_LIMIT},
            field="text",
        )  # fmt: skip
    return text


def request_deletion(participant: Participant, *, by, text: str = "") -> DataRequest:
    """Decide a deletion request at once by the retention rules, do what may be done, record the rest's reason."""
    _require_own_or_staff(participant, by)
    text = _text(text, required=False)
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=participant.pk)
        request = DataRequest.objects.create(
            participant=participant,
            kind=RequestKind.DELETION,
            text=text,
            requested_by=by,
            status=RequestStatus.OPEN,
        )
        PrivacyEvent.objects.create(
            action=A.DELETION_REQUESTED, actor=_actor(by), participant=participant, request=request,
            to_status=RequestStatus.OPEN,
        )  # fmt: skip
        outcome = erasure.erase(participant, by=by, request=request)
        status = erasure.verdict(outcome)
        request.status, request.outcome, request.decided_at = status, outcome, timezone.now()
        request.save(update_fields=["status", "outcome", "decided_at"])
        PrivacyEvent.objects.create(
            action=A.DELETION_DECIDED, actor=_actor(by), participant=participant, request=request,
            from_status=RequestStatus.OPEN, to_status=status,
            data={"outcome": [{"category": o["category"], "outcome": o["outcome"]} for o in outcome]},
        )  # fmt: skip
    return request


def request_correction(participant: Participant, *, by, text: str) -> DataRequest:
    _require_own_or_staff(participant, by)
    text = _text(text, required=True)
    with transaction.atomic():
        request = DataRequest.objects.create(
            participant=participant, kind=RequestKind.CORRECTION, text=text, requested_by=by
        )
        PrivacyEvent.objects.create(
            action=A.CORRECTION_REQUESTED, actor=_actor(by), participant=participant, request=request,
            to_status=RequestStatus.OPEN,
        )  # fmt: skip
    return request


def _locked_request(request: DataRequest) -> DataRequest:
    locked = DataRequest.objects.select_for_update().get(pk=request.pk)
    if locked.kind != RequestKind.CORRECTION:
        raise DomainError(
            "not_a_correction", _("Permintaan ini bukan permintaan perbaikan data."), status=409
        )
    return locked


def _note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise DomainError("reason_required", _("Alasan atau catatan wajib diisi."), field="note")
    return note[:TEXT_LIMIT]


def check_correction(request: DataRequest, *, by, note: str) -> DataRequest:
    """First pair of eyes: the officer checked the evidence and writes what must change."""
    note = _note(note)
    with transaction.atomic():
        locked = _locked_request(request)
        move_requests(
            [locked], A.CORRECTION_CHECKED, by=by, note=note,
            changes={"checked_by": by, "check_note": note},
        )  # fmt: skip
    return locked


def confirm_correction(request: DataRequest, *, by, note: str = "") -> DataRequest:
    """Second pair of eyes: someone other than the checker confirms the register was changed."""
    with transaction.atomic():
        locked = _locked_request(request)
        if locked.checked_by_id == by.pk:
            raise DomainError(
                "four_eyes",
                _("Perbaikan harus dikonfirmasi oleh orang lain daripada pemeriksanya."),
                status=403,
            )
        move_requests(
            [locked], A.CORRECTION_CORRECTED, by=by, note=note,
            changes={"decided_by": by, "decided_at": timezone.now(), "decision_note": note},
        )  # fmt: skip
    return locked


def reject_correction(request: DataRequest, *, by, note: str) -> DataRequest:
    note = _note(note)
    with transaction.atomic():
        locked = _locked_request(request)
        move_requests(
            [locked], A.CORRECTION_REJECTED, by=by, note=note,
            changes={"decided_by": by, "decided_at": timezone.now(), "decision_note": note},
        )  # fmt: skip
    return locked


# ---------------------------------------------------------------- the breach register


def record_incident(
    *, by, branch, title: str, description: str, affected_count: int, data_categories: str = "", aware_at=None
) -> Incident:
    """Record a breach: the 3 × 24-hour clock runs from when it became known (now, unless known earlier)."""
    require_role(INCIDENT, A.INCIDENT_RECORDED, by)
    if not by.is_admin_role and (branch is None or branch.pk != by.branch_id):
        raise not_permitted()
    now = timezone.now()
    if aware_at is not None and aware_at > now:
        raise DomainError(
            "aware_in_future", _("Waktu diketahui tidak boleh di masa depan."), field="aware_at"
        )
    if affected_count is None or affected_count < 0:
        raise DomainError(
            "affected_count", _("Jumlah orang terdampak harus 0 atau lebih."), field="affected_count"
        )
    if not (title or "").strip() or not (description or "").strip():
        raise DomainError("text_required", _("Judul dan uraian insiden wajib diisi."), field="title")
    with transaction.atomic():
        incident = Incident.objects.create(
            branch=branch, title=title.strip()[:150], description=description.strip()[:TEXT_LIMIT],
            affected_count=affected_count, data_categories=(data_categories or "").strip()[:200],
            aware_at=aware_at or now, recorded_by=by, recorded_at=now,
        )  # fmt: skip
        PrivacyEvent.objects.create(
            action=A.INCIDENT_RECORDED, actor=by, incident=incident, to_status=incident.status,
            data={"affected_count": affected_count, "notify_by": incident.notify_by.isoformat()},
        )  # fmt: skip
    return incident


def _locked_incident(incident: Incident, by) -> Incident:
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if not by.is_admin_role and locked.branch_id != by.branch_id:
        raise not_permitted()
    return locked


def notify_incident(incident: Incident, *, by, whom: str, note: str = "") -> Incident:
    """Date the notice to the authority ("authority") or to the affected people ("subjects"), once."""
    action, field = {
        "authority": (A.AUTHORITY_NOTIFIED, "authority_notified_at"),
        "subjects": (A.SUBJECTS_NOTIFIED, "subjects_notified_at"),
    }[whom]
    with transaction.atomic():
        locked = _locked_incident(incident, by)
        if getattr(locked, field) is not None:
            raise DomainError("already_notified", _("Pemberitahuan ini sudah dicatat."), status=409)
        move_incidents(
            [locked], action, by=by, note=(note or "").strip()[:TEXT_LIMIT], changes={field: timezone.now()}
        )
    return locked


def close_incident(incident: Incident, *, by, note: str) -> Incident:
    note = _note(note)
    with transaction.atomic():
        locked = _locked_incident(incident, by)
        if not locked.notified:
            raise DomainError(
                "not_notified",
                _("Insiden baru dapat ditutup setelah kedua pemberitahuan dicatat."),
                status=409,
            )
        move_incidents([locked], A.INCIDENT_CLOSED, by=by, note=note, changes={"closed_at": timezone.now()})
    return locked
