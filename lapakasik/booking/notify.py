"""Messages to participants: confirmation with an ICS attachment, waitlist promotion, reminders.

Called after commit (`transaction.on_commit`) so nobody is told about a booking that rolled back.
Logs carry booking ids only, never names or NIKs.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from lapakasik.claims.cases import document_label
from lapakasik.claims.notify import recipient as claim_recipient
from lapakasik.lib.dates import as_local
from lapakasik.lib.idtext import format_clock, format_day

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


def _send(booking: Booking, subject: str, body: str, *, attach_ics: bool) -> bool:
    to = recipient(booking)
    if not to:
        log.info("booking %s: no e-mail address, message not sent", booking.pk)
        return False
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    if attach_ics:
        message.attach(f"lapakasik-{booking.code}.ics", ics(booking), "text/calendar")
    message.send(fail_silently=False)
    return True


def _booking(pk: int) -> Booking:
    return Booking.objects.select_related("session__branch", "claim__claimant", "claim__participant").get(
        pk=pk
    )


def booking_confirmed(pk: int) -> None:
    booking = _booking(pk)
    body = _(
        "Jadwal layanan klaim Anda: %(when)s di %(branch)s.\nKode pemesanan: %(code)s\n"
        "Unggah semua dokumen paling lambat sehari sebelumnya (H-1).\n\n%(check_in)s\n"
        "Bawa dokumen asli: %(originals)s.\n\nLihat, cetak, ubah atau batalkan jadwal: %(url)s"
    ) % {
        "when": _when(booking),
        "branch": booking.session.branch.name,
        "code": booking.display_code,
        "check_in": check_in_instructions(booking),
        "originals": ", ".join(originals_to_bring(booking.claim)),
        "url": booking_url(booking),
    }
    _send(booking, _("Jadwal Lapak Asik %(code)s") % {"code": booking.display_code}, body, attach_ics=True)


def waitlist_promoted(pk: int) -> None:
    booking = _booking(pk)
    body = _(
        "Ada kursi kosong untuk Anda dari daftar tunggu: %(when)s di %(branch)s.\nKode pemesanan: %(code)s\n"
        "%(url)s"
    ) % {
        "when": _when(booking),
        "branch": booking.session.branch.name,
        "code": booking.display_code,
        "url": booking_url(booking),
    }
    _send(
        booking,
        _("Anda mendapat jadwal Lapak Asik %(code)s") % {"code": booking.display_code},
        body,
        attach_ics=True,
    )


def reminder(booking: Booking, kind: str) -> bool:
    if kind == "h1":
        body = _(
            "Besok %(when)s jadwal layanan klaim Anda (%(code)s). Pastikan semua dokumen sudah diunggah hari ini."
        )
    else:
        body = _("Hari ini %(when)s jadwal layanan klaim Anda (%(code)s) di %(branch)s.")
    body = body % {
        "when": _when(booking),
        "code": booking.display_code,
        "branch": booking.session.branch.name,
    }
    return _send(booking, _("Pengingat jadwal Lapak Asik"), body, attach_ics=False)


def booking_closed(pk: int, reason: str) -> None:
    """The branch closed the day of this booking (a Closure added after the session was generated)."""
    booking = _booking(pk)
    body = _(
        "Jadwal layanan klaim Anda %(when)s di %(branch)s (kode %(code)s) dibatalkan karena kantor cabang "
        "tutup: %(reason)s.\nSilakan pilih jadwal lain di halaman Jadwal Lapak Asik."
    ) % {
        "when": _when(booking),
        "branch": booking.session.branch.name,
        "code": booking.display_code,
        "reason": reason,
    }
    _send(
        booking,
        _("Jadwal Lapak Asik %(code)s dibatalkan") % {"code": booking.display_code},
        body,
        attach_ics=False,
    )


def booking_cancelled_for_documents(pk: int, note: str) -> None:
    """The claim was returned for documents too late for this session to take them: the booking is cancelled."""
    booking = _booking(pk)
    body = _(
        "Jadwal layanan klaim Anda %(when)s di %(branch)s (kode %(code)s) dibatalkan karena klaim Anda "
        "dikembalikan untuk melengkapi dokumen: %(reason)s.\nLengkapi dokumen, ajukan kembali klaim Anda, "
        "lalu pilih jadwal baru di halaman Jadwal Lapak Asik."
    ) % {
        "when": _when(booking),
        "branch": booking.session.branch.name,
        "code": booking.display_code,
        "reason": note,
    }
    _send(
        booking,
        _("Jadwal Lapak Asik %(code)s dibatalkan") % {"code": booking.display_code},
        body,
        attach_ics=False,
    )


def turn_near(booking: Booking, minutes: int) -> bool:
    """Virtual calling: the person may wait outside the branch until this message."""
    body = _(
        "Giliran Anda di %(branch)s sudah dekat: sekitar %(minutes)s menit lagi (nomor antrean %(number)s).\n"
        "Silakan kembali ke ruang tunggu dan perhatikan layar panggilan."
    ) % {"branch": booking.session.branch.name, "minutes": minutes, "number": booking.queue_number}
    return _send(booking, _("Giliran Anda sudah dekat — Lapak Asik"), body, attach_ics=False)


def lottery_lost(request_pk: int) -> None:
    """The draw found no seat for this request: the claim waits on that day's waitlist."""
    request = QuotaRequest.objects.select_related("branch", "claim__claimant", "claim__participant").get(
        pk=request_pk
    )
    to = claim_recipient(request.claim)
    if not to:
        log.info("quota request %s: no e-mail address, message not sent", request.pk)
        return
    body = _(
        "Undian kuota %(branch)s untuk %(date)s sudah dilakukan. Permintaan %(code)s (urutan %(position)s) "
        "belum mendapat kursi, dan klaim Anda masuk daftar tunggu hari itu: kami memberi tahu bila ada kursi "
        "kosong. Anda juga dapat memilih hari lain di halaman Jadwal Lapak Asik."
    ) % {
        "branch": request.branch.name,
        "date": format_day(request.date, get_language() or "id"),
        "code": request.display_code,
        "position": request.position,
    }
    EmailMessage(_("Hasil undian jadwal Lapak Asik"), body, settings.DEFAULT_FROM_EMAIL, [to]).send()


def waitlist_closed(entry_pk: int, reason: str) -> None:
    """The branch closed a day someone was waiting for: their place is gone, so they must hear it."""
    entry = WaitlistEntry.objects.select_related("branch", "claim__claimant", "claim__participant").get(
        pk=entry_pk
    )
    to = claim_recipient(entry.claim)
    if not to:
        log.info("waitlist entry %s: no e-mail address, message not sent", entry.pk)
        return
    body = _(
        "Kantor cabang %(branch)s tutup pada %(date)s: %(reason)s.\nTempat Anda di daftar tunggu hari itu "
        "tidak berlaku lagi. Silakan pilih jadwal lain di halaman Jadwal Lapak Asik."
    ) % {
        "branch": entry.branch.name,
        "date": format_day(entry.date, get_language() or "id"),
        "reason": reason,
    }
    EmailMessage(_("Daftar tunggu Lapak Asik: kantor tutup"), body, settings.DEFAULT_FROM_EMAIL, [to]).send()
