"""Every change of the schedule, one function each (ARCHITECTURE §3.2).

Actions decide who may act and when (the ``when`` of the tables in ``lifecycle.py``); every status change,
and every BookingEvent, is written by ``lifecycle.py``'s writers in the action's transaction, and e-mail goes
out only after commit. Seats move only through `_take_seat` and `_release_seat`: a guarded UPDATE on the
Session row (`seats_taken < seats`) that must hit one row. The row lock it takes also serialises seat numbering
within a session, and the partial unique constraints on Booking catch anything that slips past.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapakasik.claims import actions as claim_actions
from lapakasik.claims.models import Claim, Program, Reason
from lapakasik.claims.models import Status as ClaimStatus
from lapakasik.lib import rows
from lapakasik.lib.dates import at_local, today_at
from lapakasik.lib.errors import DomainError
from lapakasik.lib.lifecycle import CHANGED_MEANWHILE

from . import calendar, lifecycle, notify
from .models import (
    ACTIVE,
    SEAT_HOLDING,
    Booking,
    BookingAction,
    BookingStatus,
    BranchCalendar,
    Closure,
    OpeningHours,
    QueueCounter,
    QuotaDraw,
    QuotaRequest,
    QuotaRequestStatus,
    Session,
    SessionChannel,
    SessionStatus,
    SessionTemplate,
    Verdict,
    WaitlistEntry,
    WaitlistStatus,
    Weekday,
)

# A claim returned for documents is not here: its officer could not verify it in a session until the
# claimant has uploaded what was missing and re-submitted it (status back to submitted).
BOOKABLE_CLAIM_STATUSES = frozenset({ClaimStatus.SUBMITTED, ClaimStatus.IN_VERIFICATION})
OPEN_SESSION = (SessionStatus.SCHEDULED, SessionStatus.RUNNING)
CHECKIN_OPENS_BEFORE = dt.timedelta(minutes=60)
LOTTERY_SETTLED_AFTER = dt.timedelta(minutes=1)
LOTTERY_SETTLED_SECONDS = 600
SUPERVISOR_ROLES = frozenset({"supervisor", "branch_head", "admin"})

NOT_FOUND = DomainError("not_found", _("Jadwal tidak ditemukan."), status=404)


def _error(code: str, message, status: int = 409, field: str | None = None) -> DomainError:
    return DomainError(code, message, status=status, field=field)


def calendar_for(branch) -> BranchCalendar:
    """The branch's booking rules; read once per branch object (the reverse one-to-one caches on it, and a
    caller that loaded ``branch__calendar`` pays no query at all)."""
    try:
        return branch.calendar
    except BranchCalendar.DoesNotExist:
        return BranchCalendar.objects.get_or_create(branch=branch)[0]


# ---------------------------------------------------------------- sessions from templates


def generate_sessions(branch, *, start: dt.date, days: int, by=None) -> int:
    """Sessions for open days from active templates, within the day's quota per channel. Idempotent.
    ``by`` is the supervisor who asked ("Buat sesi sekarang"); None is the periodic job."""
    if by is not None:
        _require_supervisor(branch, by)
    cal = calendar_for(branch)
    opening = {o.weekday: (o.opens, o.closes) for o in branch.opening_hours.all()}
    end = start + dt.timedelta(days=days)
    closures = dict(branch.closures.filter(date__gte=start, date__lt=end).values_list("date", "reason"))
    templates = list(SessionTemplate.objects.filter(branch=branch, active=True).order_by("start", "id"))
    created = 0
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        if calendar.closed_reason(day, opening, closures) is None:
            created += _generate_day(branch, cal, day, opening[day.weekday()], templates, by=by)
    return created


def _generate_day(branch, cal: BranchCalendar, day: dt.date, hours, templates, *, by) -> int:
    used = dict(
        Session.objects.filter(branch=branch, local_date=day)
        .exclude(status=SessionStatus.CANCELLED)
        .values_list("channel")
        .annotate(Sum("seats"))
    )
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
                lifecycle.create_session(
                    by=by,
                    data={"template": template.pk},
                    branch=branch,
                    template=template,
                    channel=template.channel,
                    officer=template.officer,
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(minutes=template.duration_minutes),
                    local_date=day,
                    seats=seats,
                    programs=template.programs,
                    reasons=template.reasons,
                )
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


def _require_bookable_claim(claim: Claim) -> None:
    if claim.status == ClaimStatus.RETURNED_FOR_DOCUMENTS:
        raise _error(
            "claim_not_bookable",
            _(
                "Klaim ini dikembalikan karena dokumen kurang. Unggah dokumen yang diminta dan ajukan ulang "
                "klaim dulu; setelah itu pilih jadwal, agar petugas dapat memeriksa dokumen baru Anda."
            ),
        )
    if claim.status not in BOOKABLE_CLAIM_STATUSES:
        raise _error("claim_not_bookable", _("Klaim harus sudah diajukan sebelum memesan jadwal."))


def lottery_window_of(
    session: Session, cal: BranchCalendar | None = None
) -> tuple[dt.datetime, dt.datetime] | None:
    cal = cal or calendar_for(session.branch)
    return calendar.lottery_window(
        session.local_date,
        days_ahead=cal.days_ahead,
        opens_at=cal.opens_at,
        time_zone=session.branch.time_zone,
        minutes=cal.lottery_minutes,
    )


def lottery_pending(session: Session, now: dt.datetime, cal: BranchCalendar | None = None) -> bool:
    """The day's requests are being collected, or were collected and not yet drawn: nobody books past
    them (booking/lottery.py draws first, then serves later requests in order)."""
    window = lottery_window_of(session, cal)
    if window is None or now < window[0]:
        return False
    if now < window[1]:
        return True
    day = {"branch_id": session.branch_id, "date": session.local_date, "channel": session.channel}
    settled = f"booking:lottery-settled:{session.branch_id}:{session.local_date}:{session.channel}"
    if cache.get(settled):
        return False
    pending = (
        QuotaRequest.objects.filter(**day, status=QuotaRequestStatus.ENTERED).exists()
        and not QuotaDraw.objects.filter(**day).exists()
    )
    if not pending and now >= window[1] + LOTTERY_SETTLED_AFTER:
        # Past the window nobody enters any more, so "nothing waits for a draw" stays true: each process
        # remembers it for a while instead of asking on every booking of the day (issue 19). The margin
        # covers a request entered by a process whose clock is a little behind.
        cache.set(settled, True, LOTTERY_SETTLED_SECONDS)
    return pending


def _require_bookable(
    session: Session, claim: Claim, *, now: dt.datetime, walk_in: bool, drawing: bool = False
) -> None:
    _require_bookable_claim(claim)
    if not fits(session, claim):
        raise _error("session_not_suitable", _("Sesi ini tidak melayani jenis klaim Anda."))
    if session.status not in OPEN_SESSION or now >= session.ends_at:
        raise _error("session_closed", _("Sesi ini sudah tidak menerima pemesanan."))
    if walk_in:
        return
    cal = calendar_for(session.branch)
    if not drawing and lottery_pending(session, now, cal):
        raise _error(
            "lottery_pending",
            _(
                "Permintaan untuk hari ini sedang dikumpulkan untuk diundi. Ajukan permintaan lewat halaman "
                "pilih jadwal, atau pesan lagi setelah undian."
            ),
        )
    if not calendar.is_bookable(
        now,
        session.local_date,
        session.starts_at,
        channel=session.channel,
        days_ahead=cal.days_ahead,
        opens_at=cal.opens_at,
        time_zone=session.branch.time_zone,
    ):
        raise _error("window_closed", _("Pemesanan untuk hari ini belum dibuka atau sudah ditutup."))


def book_seat(
    session: Session, claim: Claim, *, by, request_key: str | None = None, now: dt.datetime | None = None
) -> Booking:
    """One seat for a submitted claim. A double click or a retried request returns the same booking."""
    _require_claimant_or_staff(claim, session.branch_id, by)
    return _book(session, claim, by=by, request_key=request_key, now=now or timezone.now())


def _book(session, claim, *, by, request_key=None, now, walk_in=False, drawing=False) -> Booking:
    # One read for both: the booking this request key already made (returned as it is), else the claim's
    # active booking (the same session again is a double click; another one is refused).
    found = _active_or_keyed(claim.pk, request_key)
    earlier = next((b for b in found if request_key and b.request_key == request_key), None)
    if earlier:
        return earlier
    if found:
        return _same_or_refuse(found[0], session)
    _require_bookable(session, claim, now=now, walk_in=walk_in, drawing=drawing)
    try:
        with transaction.atomic():
            booking = _take_seat(session, claim, by=by, request_key=request_key, walk_in=walk_in)
            notify.booking_confirmed(booking)  # the outbox, in the booking's transaction
    except IntegrityError:
        # A concurrent request for the same claim won the partial unique constraint.
        winner = Booking.objects.filter(
            Q(claim=claim, status__in=ACTIVE) | Q(request_key=request_key or "-")
        ).first()
        if winner:
            return _same_or_refuse(winner, session)
        raise
    return booking


def _active_or_keyed(claim_id: int, request_key: str | None) -> list[Booking]:
    """The claim's active booking and the one this request key made (at most one each), in one plain
    statement (issue 19: the ORM's compiling cost more than the query)."""
    active = ", ".join(["%s"] * len(ACTIVE))
    keyed = " OR request_key = %s" if request_key else ""
    sql = (
        f"SELECT {rows.columns(Booking, 'k')} FROM {Booking._meta.db_table} k "  # noqa: S608
        f"WHERE claim_id = %s AND (status IN ({active}){keyed}) LIMIT 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [claim_id, *(str(s) for s in ACTIVE), *([request_key] if request_key else [])])
        return [rows.build(Booking, row) for row in cursor.fetchall()]


def enter_lottery(session: Session, claim: Claim, *, by, now: dt.datetime) -> QuotaRequest:
    """A request made inside the day's lottery window (booking/lottery.py draws it when the window closes)."""
    _require_claimant_or_staff(claim, session.branch_id, by)
    _require_bookable_claim(claim)
    if not fits(session, claim):
        raise _error("session_not_suitable", _("Sesi ini tidak melayani jenis klaim Anda."))
    if session.status != SessionStatus.SCHEDULED:
        raise _error("session_closed", _("Sesi ini sudah tidak menerima pemesanan."))
    if Booking.objects.filter(claim=claim, status__in=ACTIVE).exists():
        raise _error("already_booked", _("Klaim ini sudah punya jadwal. Ubah jadwal itu bila ingin pindah."))
    earlier = QuotaRequest.objects.filter(
        participant_id=claim.participant_id, date=session.local_date
    ).first()
    if earlier:
        return _same_request_or_refuse(earlier, claim)
    try:
        with transaction.atomic():
            return lifecycle.create_quota_request(
                by=by,
                branch=session.branch,
                date=session.local_date,
                channel=session.channel,
                claim=claim,
                participant_id=claim.participant_id,
                session=session,
            )
    except IntegrityError:  # a double click or a second tab raced the first request of this NIK
        earlier = QuotaRequest.objects.get(participant_id=claim.participant_id, date=session.local_date)
        return _same_request_or_refuse(earlier, claim)


def _same_request_or_refuse(earlier: QuotaRequest, claim: Claim) -> QuotaRequest:
    if earlier.claim_id == claim.pk:
        return earlier
    raise _error(
        "lottery_one_per_nik",
        _("NIK ini sudah ikut undian untuk hari itu (satu permintaan per NIK per hari)."),
    )


def book_drawn_seat(session: Session, claim: Claim, *, now: dt.datetime) -> Booking:
    """The draw's booking: the system books the seat past the window it drew for."""
    return _book(session, claim, by=None, now=now, drawing=True)


def _same_or_refuse(existing: Booking, session: Session) -> Booking:
    if existing.session_id == session.pk:
        existing.session = session  # loaded already, with its branch: the answer reads them
        return existing
    raise _error("already_booked", _("Klaim ini sudah punya jadwal. Ubah jadwal itu bila ingin pindah."))


def _take_seat(
    session: Session, claim: Claim, *, by, request_key=None, walk_in=False, data: dict | None = None
) -> Booking:
    """Inside a transaction: the guarded UPDATE, then the lowest free seat number (row lock held)."""
    if not _guarded_take(session, claim):
        session.seats_taken, session.group_program, session.group_reason = _seats_now(session.pk)
        if session.seats_left <= 0:
            raise _error(
                "session_full",
                _("Kursi pada sesi ini sudah habis. Pilih sesi lain atau masuk daftar tunggu."),
            )
        raise _error("session_not_suitable", _("Sesi ini tidak melayani jenis klaim Anda."))
    # A statement of its own after the UPDATE, never a subquery of it: it reads a snapshot taken once the
    # row lock is ours, so it sees every booking of the holders before us (they committed to release it).
    holding = ", ".join(["%s"] * len(SEAT_HOLDING))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT seat_number FROM {Booking._meta.db_table} "  # noqa: S608
            f"WHERE session_id = %s AND status IN ({holding})",
            [session.pk, *(str(s) for s in SEAT_HOLDING)],
        )
        taken = {row[0] for row in cursor.fetchall()}
    seat = next(n for n in range(1, session.seats + 1) if n not in taken)
    booking = lifecycle.create_booking(
        by=by,
        data={"seat": seat, "walk_in": walk_in, **(data or {})},
        session=session,
        claim=claim,
        seat_number=seat,
        request_key=request_key,
        walk_in=walk_in,
    )
    return booking


def _seats_now(pk: int) -> tuple[int, str, str]:
    """The session's seats as committed now: why a guarded take missed (full, or not this group)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT seats_taken, group_program, group_reason FROM {Session._meta.db_table} "  # noqa: S608
            "WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


def _guarded_take(session: Session, claim: Claim) -> bool:
    """``seats_taken + 1`` if the session is open, has a seat and (one-to-many) serves this claim's group:
    True when it hit the row. The session object then holds what the UPDATE wrote (its loaded branch and
    calendar stay cached on it): on PostgreSQL and SQLite one ``UPDATE … RETURNING`` (issue 19: the seat
    take was an UPDATE and a re-read), elsewhere the ORM's UPDATE and a re-read."""
    group = session.is_group
    if connection.vendor not in ("postgresql", "sqlite"):
        guarded = Session.objects.filter(pk=session.pk, status__in=OPEN_SESSION, seats_taken__lt=F("seats"))
        changes: dict[str, Any] = {"seats_taken": F("seats_taken") + 1}
        if group:
            guarded = guarded.filter(
                Q(seats_taken=0)
                | Q(group_program=claim.program, group_reason=claim.reason)
                | Q(group_program="")
            )
            changes.update(group_program=claim.program, group_reason=claim.reason)
        if guarded.update(**changes) != 1:
            return False
        session.refresh_from_db(fields=["seats_taken", "group_program", "group_reason", "status"])
        return True
    table = Session._meta.db_table
    sets = "seats_taken = seats_taken + 1" + (", group_program = %s, group_reason = %s" if group else "")
    fits_group = (
        " AND (seats_taken = 0 OR (group_program = %s AND group_reason = %s) OR group_program = '')"
        if group
        else ""
    )
    params = [claim.program, claim.reason] if group else []
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {sets} WHERE id = %s AND status IN (%s, %s) AND seats_taken < seats"  # noqa: S608
            f"{fits_group} RETURNING seats_taken, group_program, group_reason",
            [*params, session.pk, *(str(s) for s in OPEN_SESSION), *params],
        )
        row = cursor.fetchone()
    if row is None:
        return False
    session.seats_taken, session.group_program, session.group_reason = row  # the status is as read
    return True


def _release_seat(booking: Booking, *, by, action: str, now: dt.datetime, note: str = "") -> None:
    """Inside a transaction: the booking leaves its seat, the seat returns to the session."""
    lifecycle.move_bookings(
        [booking], action, by=by, changes={"cancelled_at": now}, expect=BookingStatus.BOOKED, note=note
    )
    Session.objects.filter(pk=booking.session_id).update(seats_taken=F("seats_taken") - 1)
    # An emptied one-to-many session may serve another kind of claim again.
    Session.objects.filter(pk=booking.session_id, seats_taken=0).update(group_program="", group_reason="")


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
        _release_seat(booking, by=by, action=BookingAction.CANCELLED, now=now)
        _promote_waitlist(booking.session, now=now)
    booking.refresh_from_db()
    return booking


def release_bookings_of_returned_claim(sender, *, claim: Claim, by, note: str, **_kwargs: Any) -> int:
    """A claim returned for documents keeps its booking only if the session can still take the documents
    (decision 2026-12-03, docs/decisions.md): until the instant a new booking of that session would be
    refused — online, the branch's midnight starting the session's day (documents are due by H-1); at the
    branch, the session's start (the person hands them to the officer at the desk). Past that, the booking
    is cancelled with its event, the seat goes to the waitlist and the participant is told why.
    Connected to ``claims.signals.claim_returned`` (booking/apps.py); runs inside the returning transaction.
    Returns how many bookings were cancelled."""
    now = timezone.now()
    cancelled = 0
    bookings = Booking.objects.select_related("session__branch").filter(
        claim=claim, status=BookingStatus.BOOKED
    )
    for booking in bookings:
        session = booking.session
        closes = calendar.window_closes_at(
            session.local_date, session.starts_at, channel=session.channel, time_zone=session.branch.time_zone
        )
        if now < closes:
            continue
        with transaction.atomic():
            _release_seat(booking, by=by, action=BookingAction.CANCELLED, now=now, note=note)
            _promote_waitlist(session, now=now)
            notify.booking_cancelled_for_documents(booking.pk, note)
        cancelled += 1
    return cancelled


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
    try:
        with transaction.atomic():
            _release_seat(booking, by=by, action=BookingAction.MOVED, now=now)
            new = _take_seat(session, booking.claim, by=by, request_key=request_key)
            _promote_waitlist(booking.session, now=now)
            notify.booking_confirmed(new)
    except DomainError:
        booking.refresh_from_db()  # the writer set "moved" in memory; the rollback kept the old seat
        raise
    return new


# ---------------------------------------------------------------- waitlist


def join_waitlist(claim: Claim, *, branch, date: dt.date, channel: str, by) -> WaitlistEntry:
    _require_claimant_or_staff(claim, branch.pk, by)
    _require_bookable_claim(claim)
    if Booking.objects.filter(claim=claim, status__in=ACTIVE).exists():
        raise _error("already_booked", _("Klaim ini sudah punya jadwal. Ubah jadwal itu bila ingin pindah."))
    if _has_free_seat(claim, branch=branch, date=date, channel=channel):
        raise _error(
            "day_not_full",
            _(
                "Tanggal: masih ada kursi kosong pada hari itu. Pesan salah satu sesinya; daftar tunggu hanya "
                "untuk hari yang penuh."
            ),
            field="date",
        )
    with transaction.atomic():
        entry, _created = lifecycle.join_waitlist(
            by=by, claim=claim, branch=branch, date=date, channel=channel
        )
    return entry


def _has_free_seat(claim: Claim, *, branch, date: dt.date, channel: str) -> bool:
    """A waitlist only makes sense for a full day: a session of that day this claim could take has a seat."""
    sessions = Session.objects.filter(
        branch=branch,
        local_date=date,
        channel=channel,
        status=SessionStatus.SCHEDULED,
        starts_at__gt=timezone.now(),
        seats_taken__lt=F("seats"),
    )
    return any(fits(session, claim) for session in sessions)


def leave_waitlist(entry: WaitlistEntry, *, by) -> WaitlistEntry:
    """The claimant (or staff) takes the place off the waitlist. Leaving twice is leaving once."""
    _require_claimant_or_staff(entry.claim, entry.branch_id, by)
    entry.refresh_from_db()
    if entry.status == WaitlistStatus.LEFT:
        return entry
    if entry.status != WaitlistStatus.WAITING:
        raise _error("waitlist_promoted", _("Anda sudah mendapat kursi dari daftar tunggu ini."))
    lifecycle.move_waitlist([entry], BookingAction.WAITLIST_LEFT, by=by)
    return entry


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
    gone, promoted = [], None
    for entry in waiting.select_related("claim"):
        claim = entry.claim
        if (
            claim.status not in BOOKABLE_CLAIM_STATUSES
            or Booking.objects.filter(claim=claim, status__in=ACTIVE).exists()
        ):
            gone.append(entry)
            continue
        if fits(session, claim):
            promoted = _promote(entry, session)
            break
    lifecycle.move_waitlist(gone, BookingAction.WAITLIST_DROPPED, by=None, note="booked or not bookable")
    return promoted


def _promote(entry: WaitlistEntry, session: Session) -> Booking:
    booking = _take_seat(session, entry.claim, by=None, data={"waitlist_entry": entry.pk})
    lifecycle.move_waitlist(
        [entry],
        BookingAction.WAITLIST_PROMOTED,
        by=None,
        changes={"booking": booking},
        data={"booking": booking.pk},
        tell=lambda _entries, _to: notify.waitlist_promoted(booking.pk),
    )
    return booking


# ---------------------------------------------------------------- at the branch


def _nik_ends_with(claim: Claim, digits: str) -> bool:
    nik = claim.heir.nik if claim.heir else claim.participant.nik
    return len(digits) == 4 and digits.isdigit() and nik.endswith(digits)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


CHECKIN_FAILED = DomainError(
    "checkin_failed",
    _("Kode pemesanan atau 4 digit terakhir NIK tidak cocok dengan jadwal hari ini."),
    status=404,
)


def check_in(branch, *, code: str, nik_last4: str, now: dt.datetime | None = None) -> Booking:
    """At the branch's QR page: booking code + last four NIK digits → a queue number. Idempotent."""
    now = now or timezone.now()
    booking = (
        Booking.objects.select_related("session", "claim__participant", "claim__heir")
        .filter(
            code=normalise_code(code),
            session__branch=branch,
            session__channel=SessionChannel.OFFLINE,
            # The session's own date at the branch, not today's: a 00:22 session's window opens at 23:22
            # the evening before (issue 18, 15). The time window below decides; these days only bound it.
            session__local_date__in=_days_around(today_at(branch.time_zone, now=now)),
        )
        .first()
    )
    if booking is None or not _nik_ends_with(booking.claim, nik_last4):
        raise CHECKIN_FAILED
    if booking.status != BookingStatus.BOOKED:
        if booking.status in (BookingStatus.CHECKED_IN, BookingStatus.CALLED):
            return booking
        raise _error("booking_not_changeable", _("Jadwal ini sudah tidak aktif."))
    if now < booking.session.starts_at - CHECKIN_OPENS_BEFORE or now >= booking.session.ends_at:
        raise _error(
            "checkin_not_now", _("Lapor hadir dibuka 60 menit sebelum sesi dimulai hingga sesi berakhir.")
        )
    with transaction.atomic():
        number = _next_queue_number(branch, booking.session.local_date)
        lifecycle.move_bookings(
            [booking],
            BookingAction.CHECKED_IN,
            by=None,
            expect=BookingStatus.BOOKED,
            changes={"checked_in_at": now, "queue_number": number},
            data={"queue_number": number},
        )
    booking.refresh_from_db()
    return booking


def _days_around(day: dt.date) -> list[dt.date]:
    return [day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)]


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
    candidates = Session.objects.filter(
        branch=branch,
        channel=SessionChannel.OFFLINE,
        local_date__in=_days_around(today_at(branch.time_zone, now=now)),
        status__in=OPEN_SESSION,
        ends_at__gt=now,
        starts_at__lte=now + CHECKIN_OPENS_BEFORE,
        seats_taken__lt=F("seats"),
    )
    session = next((s for s in candidates if fits(s, claim)), None)
    if session is None:
        raise _error("no_walk_in_seats", _("Tidak ada kursi tersisa hari ini. Silakan pesan jadwal."))
    with transaction.atomic():
        booking = _book(session, claim, by=None, now=now, walk_in=True)
        return check_in(branch, code=booking.code, nik_last4=nik_last4, now=now)


def _require_officer(session: Session, by) -> None:
    if by is None or not by.can_see_branch(session.branch_id):
        raise NOT_FOUND


def verdict_window(session: Session, cal: BranchCalendar | None = None) -> tuple[dt.datetime, dt.datetime]:
    """When an officer may call and record verdicts: from when check-in opens (60 minutes before the start)
    until the branch's midnight ending the session's day, so a verdict is written on the day of the
    interview it records (a late session's notes may be finished after it ends, but not days later)."""
    end_of_day = at_local(session.local_date + dt.timedelta(days=1), dt.time(0, 0), session.branch.time_zone)
    return session.starts_at - CHECKIN_OPENS_BEFORE, end_of_day


def _require_verdict_window(session: Session, now: dt.datetime) -> None:
    opens, closes = verdict_window(session)
    if session.status == SessionStatus.CANCELLED or not opens <= now < closes:
        raise _error(
            "session_not_now",
            _(
                "Hasil layanan hanya dapat dicatat pada hari sesi, mulai 60 menit sebelum sesi dimulai "
                "hingga tengah malam."
            ),
        )


def call_next(session: Session, *, by, now: dt.datetime | None = None) -> list[Booking]:
    """Calls everyone checked in for this session (online: everyone who joined the video room); a
    one-to-many session is served together."""
    _require_officer(session, by)
    now = now or timezone.now()
    session.refresh_from_db()
    if session.status not in OPEN_SESSION:
        raise _error("session_closed", _("Sesi ini sudah selesai atau dibatalkan."))
    _require_verdict_window(session, now)
    with transaction.atomic():
        if session.status == SessionStatus.SCHEDULED:
            lifecycle.move_sessions(
                [session], BookingAction.SESSION_STARTED, by=by, changes={"started_at": now}
            )
        waiting = list(
            session.bookings.filter(status=BookingStatus.CHECKED_IN).order_by("queue_number", "seat_number")
        )
        lifecycle.move_bookings(
            waiting,
            BookingAction.CALLED,
            by=by,
            changes={"called_at": now, "served_at": now},
            data=lambda booking: {"queue_number": booking.queue_number},
        )
    session.refresh_from_db()
    return waiting


def record_dropbox(booking: Booking, *, by, note: str = "", now: dt.datetime | None = None) -> Booking:
    """Documents the participant left in the branch's dropbox, received by an officer."""
    _require_officer(booking.session, by)
    with transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(dropbox_received_at=now or timezone.now())
        lifecycle.record(BookingAction.DROPBOX_RECEIVED, by=by, booking=booking, note=note[:500])
    booking.refresh_from_db()
    return booking


def _require_presence(booking: Booking, verdict: str) -> None:
    """Only someone the officer actually met can be verified or told what is missing."""
    if verdict == Verdict.ABSENT or booking.checked_in_at is not None:
        return
    if booking.session.channel == SessionChannel.ONLINE:
        message = _("Peserta ini belum masuk ke ruang video; hanya 'Tidak hadir' yang dapat dicatat.")
    else:
        message = _("Peserta ini belum check-in di kantor cabang; hanya 'Tidak hadir' yang dapat dicatat.")
    raise _error("not_checked_in", message)


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
    _require_verdict_window(booking.session, now)
    _require_presence(booking, verdict)
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
        # A second verdict at once fails the guarded UPDATE: this one rolls back, claim moves included.
        lifecycle.move_bookings(
            [booking],
            BookingAction.ABSENT if verdict == Verdict.ABSENT else BookingAction.VERDICT,
            by=by,
            expect=booking.status,
            note=note,
            data={"verdict": verdict},
            changes={"verdict": verdict, "done_at": now, "served_at": booking.served_at or now},
        )
    booking.refresh_from_db()
    return booking


def record_video_consent(booking: Booking, *, by, now: dt.datetime | None = None) -> Booking:
    if by is None or booking.claim.claimant_id != by.pk:
        raise NOT_FOUND
    with transaction.atomic():
        if Booking.objects.filter(pk=booking.pk, video_consent_at__isnull=True).update(
            video_consent_at=now or timezone.now()
        ):
            lifecycle.record(BookingAction.VIDEO_CONSENT, by=by, booking=booking)
    booking.refresh_from_db()
    return booking


def join_video(booking: Booking, *, by, now: dt.datetime | None = None) -> Booking:
    """The participant enters the video room from the booking page: the online check-in. Joining twice
    (a reconnect) changes nothing; the room link itself comes from ``queries.video_link``."""
    if by is None or booking.claim.claimant_id != by.pk:
        raise NOT_FOUND
    now = now or timezone.now()
    booking.refresh_from_db()
    session = booking.session
    if session.channel != SessionChannel.ONLINE or booking.video_consent_at is None:
        raise _error("video_not_available", _("Setujui panggilan video dulu di halaman jadwal."))
    if booking.status in (BookingStatus.CHECKED_IN, BookingStatus.CALLED):
        return booking
    lead = dt.timedelta(minutes=settings.VIDEO_LINK_LEAD_MINUTES)
    if booking.status != BookingStatus.BOOKED or not session.starts_at - lead <= now < session.ends_at:
        raise _error(
            "video_not_now",
            _("Ruang video dibuka %(minutes)s menit sebelum sesi dimulai hingga sesi berakhir.")
            % {"minutes": settings.VIDEO_LINK_LEAD_MINUTES},
        )
    lifecycle.move_bookings(
        [booking], BookingAction.JOINED, by=by, expect=BookingStatus.BOOKED, changes={"checked_in_at": now}
    )
    booking.refresh_from_db()
    return booking


def finish_session(session: Session, *, by, now: dt.datetime | None = None) -> Session:
    _require_officer(session, by)
    session.refresh_from_db()
    if session.status in OPEN_SESSION:  # finishing twice is finishing once
        lifecycle.move_sessions(
            [session], BookingAction.SESSION_FINISHED, by=by, changes={"finished_at": now or timezone.now()}
        )
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
        deadline = (
            booking.session.ends_at
            if booking.session.channel == SessionChannel.ONLINE
            else booking.session.starts_at
        ) + grace
        if now < deadline:
            continue
        try:  # one at a time: a check-in racing this job wins its own booking, the others still move
            lifecycle.move_bookings(
                [booking],
                BookingAction.NO_SHOW,
                by=None,
                expect=BookingStatus.BOOKED,
                changes={"verdict": Verdict.ABSENT, "done_at": now},
            )
        except DomainError as error:
            if error.code != CHANGED_MEANWHILE:
                raise
            continue
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
        if not field:
            continue
        with transaction.atomic():  # the claim on the reminder and its messages commit together
            if Booking.objects.filter(pk=booking.pk, **{f"{field}__isnull": True}).update(**{field: now}):
                sent += notify.reminder(booking, "h1" if days_left == 1 else "day")
    return sent


# ---------------------------------------------------------------- the branch's calendar (supervisors)


def _require_supervisor(branch, by) -> None:
    if (
        by is None
        or not by.is_authenticated
        or not by.can_see_branch(branch.pk)
        or (by.role not in SUPERVISOR_ROLES and not by.is_admin_role)
    ):
        raise NOT_FOUND


SEATS_RULE = _("Kursi 1 (satu-satu) atau 4–6 (satu petugas banyak peserta).")
TEMPLATE_FIELDS = (
    "channel",
    "officer",
    "weekday",
    "start",
    "duration_minutes",
    "seats",
    "programs",
    "reasons",
)


def add_template(
    branch,
    *,
    by,
    channel: str,
    officer,
    weekday: int,
    start: dt.time,
    duration_minutes: int = 30,
    seats: int = 1,
    programs: str = "",
    reasons: str = "",
) -> SessionTemplate:
    """A weekly slot the periodic job turns into sessions (templates never change: a new slot replaces one)."""
    _require_supervisor(branch, by)
    fields = _checked_template(
        branch,
        channel=channel,
        officer=officer,
        weekday=weekday,
        start=start,
        duration_minutes=duration_minutes,
        seats=seats,
        programs=programs,
        reasons=reasons,
    )
    with transaction.atomic():
        return _create_template(branch, by=by, fields=fields)


def replace_template(template: SessionTemplate, *, by, **fields: Any) -> SessionTemplate:
    """Editing a template: the old slot is deactivated and the edited one added, in one transaction, both
    recorded. Templates never change in place, so the sessions already made from one keep the shape they
    were booked under (cancel those by a closure if they must go)."""
    branch = template.branch
    _require_supervisor(branch, by)
    checked = _checked_template(branch, **{name: fields[name] for name in TEMPLATE_FIELDS})
    with transaction.atomic():
        if not SessionTemplate.objects.filter(pk=template.pk, active=True).update(active=False):
            raise _error("template_inactive", _("Templat ini sudah dinonaktifkan; muat ulang halaman."))
        new = _create_template(branch, by=by, fields=checked, replaces=template.pk)
        lifecycle.record(
            BookingAction.TEMPLATE_DEACTIVATED,
            by=by,
            branch=branch,
            data={"template": template.pk, "replaced_by": new.pk},
        )
    return new


def _checked_template(branch, **fields: Any) -> dict[str, Any]:
    """The service's rules for a weekly slot, each refusal naming its field."""
    if not calendar.seats_allowed(fields["seats"]):
        raise _error("invalid_seats", SEATS_RULE, 400, "seats")
    if fields["officer"].branch_id != branch.pk:
        raise _error("invalid_officer", _("Petugas harus dari kantor cabang ini."), 400, "officer")
    opening = {o.weekday: (o.opens, o.closes) for o in branch.opening_hours.all()}
    problem = calendar.slot_problem(fields["weekday"], fields["start"], fields["duration_minutes"], opening)
    if problem == "closed_day":
        day = Weekday(fields["weekday"]).label
        message = _("Kantor cabang tutup pada hari %(day)s; templat hanya untuk hari buka.") % {"day": day}
        raise _error("closed_day", message, 400, "weekday")
    if problem == "outside_hours":
        opens, closes = opening[fields["weekday"]]
        message = _("Sesi harus mulai dan selesai dalam jam buka (%(opens)s–%(closes)s).") % {
            "opens": opens.strftime("%H:%M"),
            "closes": closes.strftime("%H:%M"),
        }
        raise _error("outside_hours", message, 400, "start")
    programs, reasons = fields["programs"].split(), fields["reasons"].split()
    if any(code not in Program.values for code in programs):
        raise _error("invalid_program", _("Pilih program dari daftar."), 400, "programs")
    if any(code not in Reason.values for code in reasons):
        raise _error("invalid_reason", _("Pilih alasan klaim dari daftar."), 400, "reasons")
    return {**fields, "programs": " ".join(programs), "reasons": " ".join(reasons)}


def _create_template(branch, *, by, fields: dict[str, Any], replaces: int | None = None) -> SessionTemplate:
    template = SessionTemplate.objects.create(branch=branch, **fields)
    data = {
        "template": template.pk,
        "channel": template.channel,
        "officer": template.officer_id,
        "weekday": template.weekday,
        "start": template.start.isoformat("minutes"),
        "minutes": template.duration_minutes,
        "seats": template.seats,
    }
    if replaces is not None:
        data["replaces"] = replaces
    lifecycle.record(BookingAction.TEMPLATE_ADDED, by=by, branch=branch, data=data)
    return template


def deactivate_template(template: SessionTemplate, *, by) -> None:
    """No new sessions from this slot; sessions already generated stay (cancel them by a closure)."""
    _require_supervisor(template.branch, by)
    with transaction.atomic():
        if SessionTemplate.objects.filter(pk=template.pk, active=True).update(active=False):
            lifecycle.record(
                BookingAction.TEMPLATE_DEACTIVATED,
                by=by,
                branch=template.branch,
                data={"template": template.pk},
            )


def set_opening_hours(branch, *, by, weekday: int, opens: dt.time, closes: dt.time) -> OpeningHours:
    _require_supervisor(branch, by)
    if opens >= closes:
        raise _error("invalid_hours", _("Jam tutup harus setelah jam buka."), 400, "closes")
    with transaction.atomic():
        before = OpeningHours.objects.filter(branch=branch, weekday=weekday).first()
        hours, _created = OpeningHours.objects.update_or_create(
            branch=branch, weekday=weekday, defaults={"opens": opens, "closes": closes}
        )
        lifecycle.record(
            BookingAction.OPENING_HOURS_SET,
            by=by,
            branch=branch,
            data={
                "weekday": weekday,
                "opens": opens.isoformat("minutes"),
                "closes": closes.isoformat("minutes"),
                "before": [before.opens.isoformat("minutes"), before.closes.isoformat("minutes")]
                if before
                else None,
            },
        )
    return hours


def add_closure(
    branch, *, by, date: dt.date, reason: str, now: dt.datetime | None = None
) -> tuple[Closure, int]:
    """A closed day (flood, office move). Sessions already generated for it are cancelled, their booked
    people told by e-mail after commit, and that day's waitlist emptied: nobody comes to a closed office."""
    _require_supervisor(branch, by)
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason_required", _("Tuliskan alasan kantor tutup."), 400, "reason")
    if date < today_at(branch.time_zone, now=now):
        raise _error("closure_in_the_past", _("Tanggal tutup tidak boleh sebelum hari ini."), 400, "date")
    if Closure.objects.filter(branch=branch, date=date).exists():
        raise _error("closure_exists", _("Tanggal ini sudah tercatat tutup."), 400, "date")
    with transaction.atomic():
        closure = Closure.objects.create(branch=branch, date=date, reason=reason)
        lifecycle.record(
            BookingAction.CLOSURE_ADDED, by=by, branch=branch, note=reason, data={"date": date.isoformat()}
        )
        cancelled = _close_day(branch, date, by=by, reason=reason, now=now)
    return closure, cancelled


def _tell_closed(bookings, _to: str, *, reason: str) -> None:
    for booking in bookings:
        notify.booking_closed(booking.pk, reason)


def _close_day(branch, date: dt.date, *, by, reason: str, now: dt.datetime) -> int:
    """Returns how many sessions were cancelled."""
    sessions = list(
        Session.objects.select_for_update().filter(
            branch=branch, local_date=date, status=SessionStatus.SCHEDULED
        )
    )
    bookings = list(Booking.objects.filter(session__in=sessions, status__in=ACTIVE))
    lifecycle.move_bookings(
        bookings,
        BookingAction.CLOSED,
        by=by,
        changes={"cancelled_at": now},
        note=reason,
        tell=partial(_tell_closed, reason=reason),
    )
    lifecycle.move_sessions(
        sessions,
        BookingAction.SESSION_CANCELLED,
        by=by,
        note=reason,
        changes={"seats_taken": 0, "group_program": "", "group_reason": ""},
    )
    waiting = list(WaitlistEntry.objects.filter(branch=branch, date=date, status=WaitlistStatus.WAITING))
    lifecycle.move_waitlist(
        waiting,
        BookingAction.WAITLIST_DROPPED,
        by=by,
        note=reason,
        tell=partial(_tell_waitlist_closed, reason=reason),
    )
    return len(sessions)


def _tell_waitlist_closed(entries, _to: str, *, reason: str) -> None:
    for entry in entries:
        notify.waitlist_closed(entry.pk, reason)
