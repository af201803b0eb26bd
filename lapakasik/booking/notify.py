"""Messages to participants: confirmation with an ICS attachment, waitlist promotion, reminders.

Called after commit (`transaction.on_commit`) so nobody is told about a booking that rolled back.
Logs carry booking ids only, never names or NIKs.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from lapakasik.lib.dates import as_local

from .models import Booking, SessionChannel

log = logging.getLogger(__name__)


def recipient(booking: Booking) -> str:
    claim = booking.claim
    return (claim.claimant.email if claim.claimant else "") or claim.participant.email


def ics(booking: Booking) -> bytes:
    session = booking.session
    cal = Calendar()
    cal.add("prodid", "-//Lapak Asik//BPJS Ketenagakerjaan//ID")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"booking-{booking.code}@lapakasik")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add(
        "summary",
        _("Layanan klaim %(program)s — %(code)s")
        % {"program": booking.claim.program, "code": booking.display_code},
    )
    where = _("Panggilan video (tautan di halaman jadwal)") if session.channel == SessionChannel.ONLINE \
        else f"{session.branch.name}, {session.branch.address}"  # fmt: skip
    event.add("location", where)
    cal.add_component(event)
    return cal.to_ical()


def _when(booking: Booking) -> str:
    local = as_local(booking.session.starts_at, booking.session.branch.time_zone)
    return local.strftime("%d-%m-%Y %H:%M ") + (local.tzname() or "")


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
        "Jadwal layanan klaim Anda: %(when)s di %(branch)s.\nKode booking: %(code)s\n"
        "Unggah semua dokumen paling lambat sehari sebelumnya (H-1)."
    ) % {"when": _when(booking), "branch": booking.session.branch.name, "code": booking.display_code}
    _send(booking, _("Jadwal Lapak Asik %(code)s") % {"code": booking.display_code}, body, attach_ics=True)


def waitlist_promoted(pk: int) -> None:
    booking = _booking(pk)
    body = _(
        "Ada kursi kosong untuk Anda dari daftar tunggu: %(when)s di %(branch)s.\nKode booking: %(code)s"
    ) % {"when": _when(booking), "branch": booking.session.branch.name, "code": booking.display_code}
    _send(booking, _("Anda mendapat jadwal Lapak Asik %(code)s") % {"code": booking.display_code}, body,
          attach_ics=True)  # fmt: skip


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
