"""Every change of the schedule, one function each (ARCHITECTURE §3.2).

Seats move only through `_take_seat` and `_release_seat`: a guarded UPDATE on the Session row
(`seats_taken < seats`) that must hit one row. The row lock it takes also serialises seat numbering
within a session, and the partial unique constraints on Booking catch anything that slips past.
Every change writes a BookingEvent in the same transaction; e-mail goes out only after commit.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapakasik.claims import actions as claim_actions
from lapakasik.claims.models import Claim
from lapakasik.claims.models import Status as ClaimStatus
from lapakasik.lib.dates import at_local, today_at
from lapakasik.lib.errors import DomainError

from . import calendar, notify
from .models import (
    ACTIVE,
    SEAT_HOLDING,
    Booking,
    BookingEvent,
    BookingStatus,
    BranchCalendar,
    QueueCounter,
    Session,
    SessionChannel,
    SessionStatus,
    SessionTemplate,
    Verdict,
    WaitlistEntry,
    WaitlistStatus,
)

BOOKABLE_CLAIM_STATUSES = frozenset(
    {ClaimStatus.SUBMITTED, ClaimStatus.IN_VERIFICATION, ClaimStatus.RETURNED_FOR_DOCUMENTS}
)
OPEN_SESSION = (SessionStatus.SCHEDULED, SessionStatus.RUNNING)
CHECKIN_OPENS_BEFORE = dt.timedelta(minutes=60)

NOT_FOUND = DomainError("not_found", _("Jadwal tidak ditemukan."), status=404)


def _error(code: str, message, status: int = 409, field: str | None = None) -> DomainError:
    return DomainError(code, message, status=status, field=field)


def _event(action: str, *, by, booking=None, session=None, claim=None, **data: Any) -> None:
    BookingEvent.objects.create(
        action=action, actor=by if getattr(by, "pk", None) else None, booking=booking,
        session=session or (booking.session if booking else None),
        claim=claim or (booking.claim if booking else None), data=data,
    )  # fmt: skip


def calendar_for(branch) -> BranchCalendar:
    return BranchCalendar.objects.get_or_create(branch=branch)[0]


# ---------------------------------------------------------------- sessions from templates


def generate_sessions(branch, *, start: dt.date, days: int) -> int:
    """Sessions for open days from active templates, within the day's quota per channel. Idempotent."""
    cal = calendar_for(branch)
    opening = {o.weekday: (o.opens, o.closes) for o in branch.opening_hours.all()}
    end = start + dt.timedelta(days=days)
    closures = dict(branch.closures.filter(date__gte=start, date__lt=end).values_list("date", "reason"))
    templates = list(SessionTemplate.objects.filter(branch=branch, active=True).order_by("start", "id"))
    created = 0
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        if calendar.closed_reason(day, opening, closures) is None:
            created += _generate_day(branch, cal, day, opening[day.weekday()], templates)
    return created


def _generate_day(branch, cal: BranchCalendar, day: dt.date, hours, templates) -> int:
    used = dict(
        Session.objects.filter(branch=branch, local_date=day).exclude(status=SessionStatus.CANCELLED)
        .values_list("channel").annotate(Sum("seats"))
    )  # fmt: skip
    created = 0
    for template in (t for t in templates if t.weekday == day.weekday()):
        end = (
            dt.datetime.combine(day, template.start) + dt.timedelta(minutes=template.duration_minutes)
        ).time()
        room = cal.quota(template.channel) - used.get(template.channel, 0)
        if template.start < hours[0] or end > hours[1] or end < template.start or room <= 0:
            continue
        starts_at = at_local(day, template.start, branch.time_zone)
        if Session.objects.filter(template=template, starts_at=starts_at).exists():
            continue
        seats = min(template.seats, room)
        try:
            with transaction.atomic():  # two timers running at once: the unique constraint decides
                session = Session.objects.create(
                    branch=branch, template=template, channel=template.channel, officer=template.officer,
                    starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=template.duration_minutes),
                    local_date=day, seats=seats, programs=template.programs, reasons=template.reasons,
                )  # fmt: skip
                _event("session_generated", by=None, session=session, template=template.pk)
        except IntegrityError:
            continue
        used[template.channel] = used.get(template.channel, 0) + seats
        created += 1
    return created


# ---------------------------------------------------------------- booking


def fits(session: Session, claim: Claim) -> bool:
    """The session serves this program and reason, and (one-to-many) this session's group."""
    if session.programs and f" {claim.program} " not in f" {session.programs} ":
        return False
    if session.reasons and f" {claim.reason} " not in f" {session.reasons} ":
        return False
    if session.is_group and session.group_program and session.seats_taken:
        return (session.group_program, session.group_reason) == (claim.program, claim.reason)
    return True


def _require_claimant_or_staff(claim: Claim, branch_id: int, by) -> None:
    if by is None or not by.is_authenticated:
        raise NOT_FOUND
    if claim.claimant_id != by.pk and not by.can_see_branch(branch_id):
        raise NOT_FOUND


def _require_bookable(session: Session, claim: Claim, *, now: dt.datetime, walk_in: bool) -> None:
    if claim.status not in BOOKABLE_CLAIM_STATUSES:
        raise _error("claim_not_bookable", _("Klaim harus sudah diajukan sebelum memesan jadwal."))
    if not fits(session, claim):
        raise _error("session_not_suitable", _("Sesi ini tidak melayani jenis klaim Anda."))
    if session.status not in OPEN_SESSION or now >= session.ends_at:
        raise _error("session_closed", _("Sesi ini sudah tidak menerima pemesanan."))
    if walk_in:
        return
    cal = calendar_for(session.branch)
    if not calendar.is_bookable(
        now, session.local_date, session.starts_at, channel=session.channel, days_ahead=cal.days_ahead,
        opens_at=cal.opens_at, time_zone=session.branch.time_zone,
    ):  # fmt: skip
        raise _error("window_closed", _("Pemesanan untuk hari ini belum dibuka atau sudah ditutup."))


def book_seat(
    session: Session, claim: Claim, *, by, request_key: str | None = None, now: dt.datetime | None = None
) -> Booking:
    """One seat for a submitted claim. A double click or a retried request returns the same booking."""
    _require_claimant_or_staff(claim, session.branch_id, by)
    return _book(session, claim, by=by, request_key=request_key, now=now or timezone.now())


def _book(session, claim, *, by, request_key=None, now, walk_in=False) -> Booking:
    if request_key:
        earlier = Booking.objects.filter(request_key=request_key, claim=claim).first()
        if earlier:
            return earlier
    existing = Booking.objects.filter(claim=claim, status__in=ACTIVE).first()
    if existing:
        return _same_or_refuse(existing, session)
    _require_bookable(session, claim, now=now, walk_in=walk_in)
    try:
        with transaction.atomic():
            booking = _take_seat(session, claim, by=by, request_key=request_key, walk_in=walk_in)
    except IntegrityError:
        # A concurrent request for the same claim won the partial unique constraint.
        winner = Booking.objects.filter(
            Q(claim=claim, status__in=ACTIVE) | Q(request_key=request_key or "-")
        ).first()
        if winner:
            return _same_or_refuse(winner, session)
        raise
    transaction.on_commit(lambda: notify.booking_confirmed(booking.pk))
    return booking


def _same_or_refuse(existing: Booking, session: Session) -> Booking:
    if existing.session_id == session.pk:
        return existing
    raise _error("already_booked", _("Klaim ini sudah punya jadwal. Ubah jadwal itu bila ingin pindah."))


def _take_seat(session: Session, claim: Claim, *, by, request_key=None, walk_in=False) -> Booking:
    """Inside a transaction: the guarded UPDATE, then the lowest free seat number (row lock held)."""
    guarded = Session.objects.filter(pk=session.pk, status__in=OPEN_SESSION, seats_taken__lt=F("seats"))
    changes: dict[str, Any] = {"seats_taken": F("seats_taken") + 1}
    if session.is_group:
        guarded = guarded.filter(
            Q(seats_taken=0) | Q(group_program=claim.program, group_reason=claim.reason) | Q(group_program="")
        )
        changes.update(group_program=claim.program, group_reason=claim.reason)
    if guarded.update(**changes) != 1:
        session.refresh_from_db()
        if session.seats_left <= 0:
            raise _error(
                "session_full",
                _("Kursi pada sesi ini sudah habis. Pilih sesi lain atau masuk daftar tunggu."),
            )
        raise _error("session_not_suitable", _("Sesi ini tidak melayani jenis klaim Anda."))
    taken = set(
        Booking.objects.filter(session=session, status__in=SEAT_HOLDING).values_list("seat_number", flat=True)
    )
    seat = next(n for n in range(1, session.seats + 1) if n not in taken)
    booking = Booking.objects.create(
        session=session, claim=claim, seat_number=seat, request_key=request_key, walk_in=walk_in
    )
    _event("booked", by=by, booking=booking, seat=seat, walk_in=walk_in)
    session.refresh_from_db()
    return booking


def _release_seat(booking: Booking, to: str, *, by, action: str, now: dt.datetime) -> None:
    """Inside a transaction: the booking leaves its seat, the seat returns to the session."""
    hit = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
        status=to, cancelled_at=now
    )
    if hit != 1:
        raise _error("booking_changed", _("Jadwal ini baru saja berubah. Muat ulang halaman."))
    Session.objects.filter(pk=booking.session_id).update(seats_taken=F("seats_taken") - 1)
    # An emptied one-to-many session may serve another kind of claim again.
    Session.objects.filter(pk=booking.session_id, seats_taken=0).update(group_program="", group_reason="")
    _event(action, by=by, booking=booking)


def _require_notice(booking: Booking, by, now: dt.datetime) -> None:
    if booking.status != BookingStatus.BOOKED:
        raise _error("booking_not_changeable", _("Jadwal yang sudah berjalan tidak dapat diubah."))
    is_staff = by.can_see_branch(booking.session.branch_id)
    cal = calendar_for(booking.session.branch)
    if not is_staff and now >= calendar.change_deadline(booking.session.starts_at, cal.min_notice_hours):
        raise _error(
            "notice_too_short",
            _("Jadwal hanya dapat diubah atau dibatalkan paling lambat %(hours)s jam sebelum dimulai.")
            % {"hours": cal.min_notice_hours},
        )


def cancel_booking(booking: Booking, *, by, now: dt.datetime | None = None) -> Booking:
    now = now or timezone.now()
    _require_claimant_or_staff(booking.claim, booking.session.branch_id, by)
    _require_notice(booking, by, now)
    with transaction.atomic():
        _release_seat(booking, BookingStatus.CANCELLED, by=by, action="cancelled", now=now)
        _promote_waitlist(booking.session, now=now)
    booking.refresh_from_db()
    return booking


def reschedule_booking(
    booking: Booking, session: Session, *, by, request_key: str | None = None, now: dt.datetime | None = None
) -> Booking:
    """Moves to another session atomically: if the new seat is gone, the old one is kept."""
    now = now or timezone.now()
    _require_claimant_or_staff(booking.claim, booking.session.branch_id, by)
    if request_key and (
        earlier := Booking.objects.filter(request_key=request_key, claim=booking.claim).first()
    ):
        return earlier
    if session.pk == booking.session_id:
        return booking
    _require_notice(booking, by, now)
    _require_bookable(session, booking.claim, now=now, walk_in=False)
    with transaction.atomic():
        _release_seat(booking, BookingStatus.MOVED, by=by, action="moved", now=now)
        new = _take_seat(session, booking.claim, by=by, request_key=request_key)
        _promote_waitlist(booking.session, now=now)
    transaction.on_commit(lambda: notify.booking_confirmed(new.pk))
    return new


# ---------------------------------------------------------------- waitlist


def join_waitlist(claim: Claim, *, branch, date: dt.date, channel: str, by) -> WaitlistEntry:
    _require_claimant_or_staff(claim, branch.pk, by)
    if claim.status not in BOOKABLE_CLAIM_STATUSES:
        raise _error("claim_not_bookable", _("Klaim harus sudah diajukan sebelum memesan jadwal."))
    if Booking.objects.filter(claim=claim, status__in=ACTIVE).exists():
        raise _error("already_booked", _("Klaim ini sudah punya jadwal. Ubah jadwal itu bila ingin pindah."))
    with transaction.atomic():
        entry, created = WaitlistEntry.objects.get_or_create(
            claim=claim, branch=branch, date=date, channel=channel, status=WaitlistStatus.WAITING
        )
        if created:
            _event("waitlist_joined", by=by, claim=claim, branch=branch.code, date=date.isoformat())
    return entry


def leave_waitlist(entry: WaitlistEntry, *, by) -> None:
    _require_claimant_or_staff(entry.claim, entry.branch_id, by)
    with transaction.atomic():
        if WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.WAITING).update(status="left"):
            _event("waitlist_left", by=by, claim=entry.claim)


def _promote_waitlist(session: Session, *, now: dt.datetime) -> Booking | None:
    """Inside the transaction that freed a seat: the first compatible person waiting gets it."""
    session.refresh_from_db()
    if session.seats_left <= 0 or now >= session.starts_at or session.status not in OPEN_SESSION:
        return None
    waiting = WaitlistEntry.objects.select_for_update().filter(
        branch_id=session.branch_id,
        date=session.local_date,
        channel=session.channel,
        status=WaitlistStatus.WAITING,
    )
    for entry in waiting.select_related("claim"):
        claim = entry.claim
        if (
            claim.status not in BOOKABLE_CLAIM_STATUSES
            or Booking.objects.filter(claim=claim, status__in=ACTIVE).exists()
        ):
            WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitlistStatus.LEFT)
            continue
        if not fits(session, claim):
            continue
        booking = _take_seat(session, claim, by=None)
        WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitlistStatus.PROMOTED, booking=booking)
        _event("waitlist_promoted", by=None, booking=booking, entry=entry.pk)
        transaction.on_commit(partial(notify.waitlist_promoted, booking.pk))
        return booking
    return None


# ---------------------------------------------------------------- at the branch


def _nik_ends_with(claim: Claim, digits: str) -> bool:
    nik = claim.heir.nik if claim.heir else claim.participant.nik
    return len(digits) == 4 and digits.isdigit() and nik.endswith(digits)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


CHECKIN_FAILED = DomainError(
    "checkin_failed",
    _("Kode booking atau 4 digit terakhir NIK tidak cocok dengan jadwal hari ini."),
    status=404,
)


def check_in(branch, *, code: str, nik_last4: str, now: dt.datetime | None = None) -> Booking:
    """At the branch's QR page: booking code + last four NIK digits → a queue number. Idempotent."""
    now = now or timezone.now()
    booking = (
        Booking.objects.select_related("session", "claim__participant", "claim__heir")
        .filter(code=normalise_code(code), session__branch=branch, session__channel=SessionChannel.OFFLINE,
                session__local_date=today_at(branch.time_zone, now=now))
        .first()
    )  # fmt: skip
    if booking is None or not _nik_ends_with(booking.claim, nik_last4):
        raise CHECKIN_FAILED
    if booking.status != BookingStatus.BOOKED:
        if booking.status in (BookingStatus.CHECKED_IN, BookingStatus.CALLED):
            return booking
        raise _error("booking_not_changeable", _("Jadwal ini sudah tidak aktif."))
    if now < booking.session.starts_at - CHECKIN_OPENS_BEFORE or now >= booking.session.ends_at:
        raise _error(
            "checkin_not_now", _("Check-in dibuka 60 menit sebelum sesi dimulai hingga sesi berakhir.")
        )
    with transaction.atomic():
        number = _next_queue_number(branch, booking.session.local_date)
        hit = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
            status=BookingStatus.CHECKED_IN, checked_in_at=now, queue_number=number
        )
        if hit != 1:
            raise _error("booking_changed", _("Jadwal ini baru saja berubah. Muat ulang halaman."))
        _event("checked_in", by=None, booking=booking, queue_number=number)
    booking.refresh_from_db()
    return booking


def _next_queue_number(branch, day: dt.date) -> int:
    QueueCounter.objects.get_or_create(branch=branch, date=day)
    counter = QueueCounter.objects.select_for_update().get(branch=branch, date=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def walk_in(branch, *, claim_number: str, nik_last4: str, now: dt.datetime | None = None) -> Booking:
    """Someone at the door without a booking: a ticket in today's first suitable session with a seat left."""
    now = now or timezone.now()
    claim = (
        Claim.objects.select_related("participant", "heir")
        .filter(number=claim_number.strip().upper())
        .first()
    )
    if claim is None or not _nik_ends_with(claim, nik_last4):
        raise CHECKIN_FAILED
    existing = Booking.objects.filter(claim=claim, status__in=ACTIVE).select_related("session").first()
    if (
        existing
        and existing.session.branch_id == branch.pk
        and existing.session.channel == SessionChannel.OFFLINE
    ):
        return check_in(branch, code=existing.code, nik_last4=nik_last4, now=now)
    today = today_at(branch.time_zone, now=now)
    candidates = Session.objects.filter(
        branch=branch, channel=SessionChannel.OFFLINE, local_date=today, status__in=OPEN_SESSION,
        ends_at__gt=now, starts_at__lte=now + CHECKIN_OPENS_BEFORE, seats_taken__lt=F("seats"),
    )  # fmt: skip
    session = next((s for s in candidates if fits(s, claim)), None)
    if session is None:
        raise _error("no_walk_in_seats", _("Tidak ada kursi tersisa hari ini. Silakan pesan jadwal."))
    with transaction.atomic():
        booking = _book(session, claim, by=None, now=now, walk_in=True)
        return check_in(branch, code=booking.code, nik_last4=nik_last4, now=now)


def _require_officer(session: Session, by) -> None:
    if by is None or not by.can_see_branch(session.branch_id):
        raise NOT_FOUND


def call_next(session: Session, *, by, now: dt.datetime | None = None) -> list[Booking]:
    """Calls everyone waiting for this session (a one-to-many session is served together)."""
    _require_officer(session, by)
    now = now or timezone.now()
    waiting = [BookingStatus.CHECKED_IN] + (
        [BookingStatus.BOOKED] if session.channel == SessionChannel.ONLINE else []
    )
    called = []
    with transaction.atomic():
        if Session.objects.filter(pk=session.pk, status=SessionStatus.SCHEDULED).update(
            status=SessionStatus.RUNNING, started_at=now
        ):
            _event("session_started", by=by, session=session)
        for booking in session.bookings.filter(status__in=waiting).order_by("queue_number", "seat_number"):
            if Booking.objects.filter(pk=booking.pk, status=booking.status).update(
                status=BookingStatus.CALLED, called_at=now, served_at=now
            ):
                _event("called", by=by, booking=booking, queue_number=booking.queue_number)
                called.append(booking)
    session.refresh_from_db()
    return called


def record_dropbox(booking: Booking, *, by, note: str = "", now: dt.datetime | None = None) -> Booking:
    """Documents the participant left in the branch's dropbox, received by an officer."""
    _require_officer(booking.session, by)
    with transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(dropbox_received_at=now or timezone.now())
        _event("dropbox_received", by=by, booking=booking, note=note[:500])
    booking.refresh_from_db()
    return booking


def record_verdict(
    booking: Booking, verdict: str, *, by, note: str = "", now: dt.datetime | None = None
) -> Booking:
    """The officer's verdict on one person; moves the claim through the intake actions in the same transaction."""
    _require_officer(booking.session, by)
    now = now or timezone.now()
    booking.refresh_from_db()  # the page may be older than the last call or check-in
    if verdict not in Verdict.values:
        raise _error("invalid_verdict", _("Pilih hasil layanan."), status=400, field="verdict")
    if booking.status not in ACTIVE:
        raise _error("booking_not_changeable", _("Hasil untuk peserta ini sudah dicatat."))
    status = BookingStatus.NO_SHOW if verdict == Verdict.ABSENT else BookingStatus.SERVED
    with transaction.atomic():
        # The claim moves first, while the booking is still active: that active booking is what lets an
        # officer of the serving branch (not the claim's own) take the verification steps.
        claim = booking.claim
        if verdict != Verdict.ABSENT and claim.status == ClaimStatus.SUBMITTED:
            claim = claim_actions.start_verification(claim, by=by)
        if verdict == Verdict.VERIFIED:
            claim_actions.verify_claim(claim, by=by, note=note)
        elif verdict == Verdict.DOCUMENTS_MISSING:
            claim_actions.return_for_documents(claim, by=by, reason=note)
        hit = Booking.objects.filter(pk=booking.pk, status=booking.status).update(
            status=status, verdict=verdict, done_at=now, served_at=booking.served_at or now
        )
        if hit != 1:  # a second verdict at once: this one rolls back, claim moves included
            raise _error("booking_changed", _("Jadwal ini baru saja berubah. Muat ulang halaman."))
        _event("verdict", by=by, booking=booking, verdict=verdict)
    booking.refresh_from_db()
    return booking


def record_video_consent(booking: Booking, *, by, now: dt.datetime | None = None) -> Booking:
    if by is None or booking.claim.claimant_id != by.pk:
        raise NOT_FOUND
    with transaction.atomic():
        if Booking.objects.filter(pk=booking.pk, video_consent_at__isnull=True).update(
            video_consent_at=now or timezone.now()
        ):
            _event("video_consent", by=by, booking=booking)
    booking.refresh_from_db()
    return booking


def finish_session(session: Session, *, by, now: dt.datetime | None = None) -> Session:
    _require_officer(session, by)
    with transaction.atomic():
        if Session.objects.filter(pk=session.pk, status__in=OPEN_SESSION).update(
            status=SessionStatus.DONE, finished_at=now or timezone.now()
        ):
            _event("session_finished", by=by, session=session)
    session.refresh_from_db()
    return session


def mark_no_shows(*, now: dt.datetime | None = None) -> int:
    """Bookings nobody turned up for: at the branch after the grace period from the start;
    online after the session ended (the officer may call late)."""
    now = now or timezone.now()
    marked = 0
    overdue = Booking.objects.filter(status=BookingStatus.BOOKED, session__starts_at__lt=now).select_related(
        "session__branch__calendar", "claim"
    )
    for booking in overdue:
        grace = dt.timedelta(minutes=calendar_for(booking.session.branch).no_show_grace_minutes)
        deadline = (booking.session.ends_at if booking.session.channel == SessionChannel.ONLINE
                    else booking.session.starts_at) + grace  # fmt: skip
        if now < deadline:
            continue
        with transaction.atomic():
            if Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
                status=BookingStatus.NO_SHOW, verdict=Verdict.ABSENT, done_at=now
            ):
                _event("no_show", by=None, booking=booking)
                marked += 1
    return marked


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """H-1 (documents due today) and the day itself, each once: the guarded UPDATE claims the reminder
    before it is sent, so two timers running at once never send it twice."""
    now = now or timezone.now()
    sent = 0
    soon = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        session__starts_at__gt=now,
        session__starts_at__lt=now + dt.timedelta(days=3),
    ).select_related("session__branch", "claim__claimant", "claim__participant")
    for booking in soon:
        today = today_at(booking.session.branch.time_zone, now=now)
        days_left = (booking.session.local_date - today).days
        field = {1: "reminded_h1_at", 0: "reminded_day_at"}.get(days_left)
        if field and Booking.objects.filter(pk=booking.pk, **{f"{field}__isnull": True}).update(
            **{field: now}
        ):
            sent += notify.reminder(booking, "h1" if days_left == 1 else "day")
    return sent
