"""Messages to participants: confirmation with an ICS attachment, waitlist promotion, reminders.

Each message goes to the outbox (lapakasik/notify) inside the transaction of its change, so nobody is told
about a booking that rolled back: by e-mail as always, and by WhatsApp/SMS when the participant chose it.
The public functions below queue; the ``render_*`` functions write the text when the message is sent, in
its language — a full e-mail (with the calendar file where it helps) or a short text for a phone. Logs carry
booking ids only, never names or NIKs.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lapakasik.claims.cases import document_label
from lapakasik.claims.notify import recipient as claim_recipient
from lapakasik.lib.dates import as_local
from lapakasik.lib.idtext import format_clock, format_day
from lapakasik.notify.models import Channel
from lapakasik.notify.outbox import tell
from lapakasik.notify.templates import Rendered

from .models import (
    Booking,
    BookingAction,
    BookingEvent,
    BookingStatus,
    QuotaRequest,
    SessionChannel,
    WaitlistEntry,
)

log = logging.getLogger(__name__)


def recipient(booking: Booking) -> str:
    """The claim's one rule (``claims.notify.recipient``): verified account address, else the registry's."""
    return claim_recipient(booking.claim)


def calendar_uid(booking: Booking) -> str:
    """One calendar event per claim's verification appointment: a reschedule (a new Booking row) replaces the
    event in the participant's calendar instead of adding a second one beside the old."""
    return f"verifikasi-{booking.claim.number.lower()}@lapakasik"


def calendar_sequence(booking: Booking) -> int:
    """How many times the claim's appointment changed up to this booking's latest change: strictly higher for
    the booking a move created than for the one it replaced, so calendars take the newer one."""
    changes = BookingEvent.objects.filter(
        claim_id=booking.claim_id, booking__isnull=False, action__in=CHANGES
    )
    last = changes.filter(booking=booking).aggregate(last=Max("pk"))["last"]
    return max(changes.filter(pk__lte=last).count() - 1, 0) if last else 0


CHANGES = (BookingAction.BOOKED, BookingAction.MOVED, BookingAction.CANCELLED, BookingAction.CLOSED)


def ics(booking: Booking) -> bytes:
    from icalendar import Calendar, Event  # here: ~0.1 s to import, for every command that imports booking

    session = booking.session
    cancelled = booking.status == BookingStatus.CANCELLED
    cal = Calendar()
    cal.add("prodid", "-//Lapak Asik//BPJS Ketenagakerjaan//ID")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", calendar_uid(booking))
    event.add("sequence", calendar_sequence(booking))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add(
        "summary",
        _("Layanan klaim %(program)s — %(code)s")
        % {"program": booking.claim.program, "code": booking.display_code},
    )
    where = (
        _("Panggilan video (tautan di halaman jadwal)")
        if session.channel == SessionChannel.ONLINE
        else f"{session.branch.name}, {session.branch.address}"
    )
    event.add("location", where)
    event.add("url", booking_url(booking))
    cal.add_component(event)
    return cal.to_ical()


def booking_url(booking: Booking) -> str:
    """An absolute link for e-mails and calendars (SITE_URL: mail is sent outside any request)."""
    return settings.SITE_URL.rstrip("/") + reverse("booking_detail", args=[booking.pk])


def originals_to_bring(claim) -> list[str]:
    """The originals the officer checks: those of the documents uploaded for the claim (the identity card
    alone while nothing is uploaded yet), identity first."""
    kinds = {d.kind for d in claim.documents.all()} or {"ektp"}
    return [document_label(kind) for kind in sorted(kinds, key=lambda k: (k not in ("ektp", "kitas"), k))]


def check_in_instructions(booking: Booking) -> str:
    """How to report one's arrival, for the e-mail (the booking page says the same)."""
    session = booking.session
    if session.channel == SessionChannel.ONLINE:
        return _(
            'Lapor hadir: buka halaman jadwal dan tekan "Masuk ke ruang video"; tautannya muncul %(minutes)s menit '
            "sebelum sesi. Siapkan e-KTP dan dokumen asli di depan kamera."
        ) % {"minutes": settings.VIDEO_LINK_LEAD_MINUTES}
    return _(
        "Lapor hadir di kantor cabang mulai 60 menit sebelum sesi: pindai kode QR di pintu masuk, lalu isi "
        "kode pemesanan %(code)s dan 4 digit terakhir NIK. Anda mendapat nomor antrean."
    ) % {"code": booking.display_code}


def _when(booking: Booking) -> str:
    local = as_local(booking.session.starts_at, booking.session.branch.time_zone)
    return _("%(day)s pukul %(time)s %(zone)s") % {
        "day": format_day(local.date(), get_language() or "id"),
        "time": format_clock(local, get_language() or "id"),
        "zone": local.tzname(),
    }


def _booking(pk: int) -> Booking:
    return Booking.objects.select_related("session__branch", "claim__claimant", "claim__participant").get(
        pk=pk
    )


def _tell_claimant(claim, template: str, key: str, context: dict[str, Any]) -> bool:
    """Queues one message per channel of the claim's person; False when there is no way to reach them.
    WhatsApp/SMS rest on the participant's own consent: an heir's claim is told by e-mail only."""
    email = claim_recipient(claim)  # the claim's one rule: a verified account address, else the registry's
    messages = tell(
        template=template,
        context=context,
        key=key,
        email=email,
        participant=claim.participant if claim.heir_id is None else None,
    )
    if not messages:
        log.info("claim %s: no e-mail address or chosen phone channel, %s not sent", claim.pk, template)
    return bool(messages)


def _tell_booking(booking: Booking, template: str, key: str, **extra: Any) -> bool:
    return _tell_claimant(booking.claim, template, key, {"booking": booking.pk, **extra})


def _short(text: str) -> Rendered:
    return Rendered(body="Lapak Asik: " + text)


def _values(booking: Booking) -> dict[str, Any]:
    return {
        "when": _when(booking),
        "branch": booking.session.branch.name,
        "code": booking.display_code,
        "url": booking_url(booking),
    }


# ---------------------------------------------------------------- queued in the change's transaction


def booking_confirmed(booking: Booking) -> None:
    """A booking was made (or moved here): the booking as its writer holds it, claim and claimant loaded."""
    _tell_booking(booking, "booking.confirmed", f"booking.confirmed:{booking.pk}")


def waitlist_promoted(pk: int) -> None:
    _tell_booking(_booking(pk), "booking.waitlist_promoted", f"booking.waitlist_promoted:{pk}")


def reminder(booking: Booking, kind: str) -> bool:
    return _tell_booking(booking, "booking.reminder", f"booking.reminder:{booking.pk}:{kind}", kind=kind)


def booking_closed(pk: int, reason: str) -> None:
    """The branch closed the day of this booking (a Closure added after the session was generated)."""
    _tell_booking(_booking(pk), "booking.closed", f"booking.closed:{pk}", reason=reason)


def booking_cancelled_for_documents(pk: int, note: str) -> None:
    """The claim was returned for documents too late for this session to take them: the booking is cancelled."""
    _tell_booking(
        _booking(pk), "booking.cancelled_for_documents", f"booking.cancelled_for_documents:{pk}", note=note
    )


def turn_near(booking: Booking, minutes: int) -> bool:
    """Virtual calling: the person may wait outside the branch until this message."""
    return _tell_booking(booking, "booking.turn_near", f"booking.turn_near:{booking.pk}", minutes=minutes)


def lottery_lost(request_pk: int) -> None:
    """The draw found no seat for this request: the claim waits on that day's waitlist."""
    request = QuotaRequest.objects.select_related("claim__claimant", "claim__participant").get(pk=request_pk)
    _tell_claimant(
        request.claim, "booking.lottery_lost", f"booking.lottery_lost:{request_pk}", {"request": request_pk}
    )


def waitlist_closed(entry_pk: int, reason: str) -> None:
    """The branch closed a day someone was waiting for: their place is gone, so they must hear it."""
    entry = WaitlistEntry.objects.select_related("claim__claimant", "claim__participant").get(pk=entry_pk)
    _tell_claimant(
        entry.claim,
        "booking.waitlist_closed",
        f"booking.waitlist_closed:{entry_pk}",
        {"entry": entry_pk, "reason": reason},
    )


# ---------------------------------------------------------------- rendered when sent


def render_confirmed(context: dict, channel: str) -> Rendered:
    booking = _booking(context["booking"])
    values = _values(booking)
    if channel != Channel.EMAIL:
        return _short(_("jadwal klaim Anda %(when)s di %(branch)s, kode %(code)s. %(url)s") % values)
    body = _(
        "Jadwal layanan klaim Anda: %(when)s di %(branch)s.\nKode pemesanan: %(code)s\n"
        "Unggah semua dokumen paling lambat sehari sebelumnya (H-1).\n\n%(check_in)s\n"
        "Bawa dokumen asli: %(originals)s.\n\nLihat, cetak, ubah atau batalkan jadwal: %(url)s"
    ) % {
        **values,
        "check_in": check_in_instructions(booking),
        "originals": ", ".join(originals_to_bring(booking.claim)),
    }
    return Rendered(
        subject=_("Jadwal Lapak Asik %(code)s") % {"code": booking.display_code},
        body=body,
        attachments=((f"lapakasik-{booking.code}.ics", ics(booking), "text/calendar"),),
    )


def render_waitlist_promoted(context: dict, channel: str) -> Rendered:
    booking = _booking(context["booking"])
    values = _values(booking)
    if channel != Channel.EMAIL:
        return _short(_("ada kursi untuk Anda %(when)s di %(branch)s, kode %(code)s. %(url)s") % values)
    body = (
        _(
            "Ada kursi kosong untuk Anda dari daftar tunggu: %(when)s di %(branch)s.\nKode pemesanan: %(code)s\n"
            "%(url)s"
        )
        % values
    )
    return Rendered(
        subject=_("Anda mendapat jadwal Lapak Asik %(code)s") % {"code": booking.display_code},
        body=body,
        attachments=((f"lapakasik-{booking.code}.ics", ics(booking), "text/calendar"),),
    )


def render_reminder(context: dict, channel: str) -> Rendered:
    booking = _booking(context["booking"])
    if context["kind"] == "h1":
        body = _(
            "Besok %(when)s jadwal layanan klaim Anda (%(code)s). Pastikan semua dokumen sudah diunggah hari ini."
        )
    else:
        body = _("Hari ini %(when)s jadwal layanan klaim Anda (%(code)s) di %(branch)s.")
    body = body % _values(booking)
    if channel != Channel.EMAIL:
        return _short(body)
    return Rendered(subject=_("Pengingat jadwal Lapak Asik"), body=body)


def render_closed(context: dict, channel: str) -> Rendered:
    booking = _booking(context["booking"])
    values = {**_values(booking), "reason": context["reason"]}
    if channel != Channel.EMAIL:
        return _short(
            _("jadwal %(code)s %(when)s dibatalkan, kantor cabang tutup. Pilih jadwal lain: %(url)s") % values
        )
    body = (
        _(
            "Jadwal layanan klaim Anda %(when)s di %(branch)s (kode %(code)s) dibatalkan karena kantor cabang "
            "tutup: %(reason)s.\nSilakan pilih jadwal lain di halaman Jadwal Lapak Asik."
        )
        % values
    )
    return Rendered(subject=_("Jadwal Lapak Asik %(code)s dibatalkan") % values, body=body)


def render_cancelled_for_documents(context: dict, channel: str) -> Rendered:
    booking = _booking(context["booking"])
    values = {**_values(booking), "reason": context["note"]}
    if channel != Channel.EMAIL:
        return _short(
            _("jadwal %(code)s dibatalkan: lengkapi dokumen klaim Anda, lalu pilih jadwal baru. %(url)s")
            % values
        )
    body = (
        _(
            "Jadwal layanan klaim Anda %(when)s di %(branch)s (kode %(code)s) dibatalkan karena klaim Anda "
            "dikembalikan untuk melengkapi dokumen: %(reason)s.\nLengkapi dokumen, ajukan kembali klaim Anda, "
            "lalu pilih jadwal baru di halaman Jadwal Lapak Asik."
        )
        % values
    )
    return Rendered(subject=_("Jadwal Lapak Asik %(code)s dibatalkan") % values, body=body)


def render_turn_near(context: dict, channel: str) -> Rendered:
    booking = _booking(context["booking"])
    values = {
        "branch": booking.session.branch.name,
        "minutes": context["minutes"],
        "number": booking.queue_number,
    }
    if channel != Channel.EMAIL:
        return _short(
            _("giliran Anda (nomor %(number)s) sekitar %(minutes)s menit lagi. Kembali ke ruang tunggu.")
            % values
        )
    body = (
        _(
            "Giliran Anda di %(branch)s sudah dekat: sekitar %(minutes)s menit lagi (nomor antrean %(number)s).\n"
            "Silakan kembali ke ruang tunggu dan perhatikan layar panggilan."
        )
        % values
    )
    return Rendered(subject=_("Giliran Anda sudah dekat — Lapak Asik"), body=body)


def render_lottery_lost(context: dict, channel: str) -> Rendered:
    request = QuotaRequest.objects.select_related("branch").get(pk=context["request"])
    values = {
        "branch": request.branch.name,
        "date": format_day(request.date, get_language() or "id"),
        "code": request.display_code,
        "position": request.position,
    }
    if channel != Channel.EMAIL:
        return _short(
            _("permintaan %(code)s belum mendapat kursi %(date)s; klaim Anda masuk daftar tunggu hari itu.")
            % values
        )
    body = (
        _(
            "Undian kuota %(branch)s untuk %(date)s sudah dilakukan. Permintaan %(code)s (urutan %(position)s) "
            "belum mendapat kursi, dan klaim Anda masuk daftar tunggu hari itu: kami memberi tahu bila ada kursi "
            "kosong. Anda juga dapat memilih hari lain di halaman Jadwal Lapak Asik."
        )
        % values
    )
    return Rendered(subject=_("Hasil undian jadwal Lapak Asik"), body=body)


def render_waitlist_closed(context: dict, channel: str) -> Rendered:
    entry = WaitlistEntry.objects.select_related("branch").get(pk=context["entry"])
    values = {
        "branch": entry.branch.name,
        "date": format_day(entry.date, get_language() or "id"),
        "reason": context["reason"],
    }
    if channel != Channel.EMAIL:
        return _short(
            _("kantor %(branch)s tutup %(date)s; tempat Anda di daftar tunggu hari itu tidak berlaku lagi.")
            % values
        )
    body = (
        _(
            "Kantor cabang %(branch)s tutup pada %(date)s: %(reason)s.\nTempat Anda di daftar tunggu hari itu "
            "tidak berlaku lagi. Silakan pilih jadwal lain di halaman Jadwal Lapak Asik."
        )
        % values
    )
    return Rendered(subject=_("Daftar tunggu Lapak Asik: kantor tutup"), body=body)
