"""The service calendar: opening hours, closures, session templates, sessions, bookings, waitlist.

Seats are counted on the Session row itself (`seats_taken`), moved only by a guarded UPDATE that
must hit one row, so no interleaving of requests can sell a seat twice; partial unique constraints
on Booking are the second line of defence (one active booking per claim, one holder per seat).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lapakasik.lib.codes import UNAMBIGUOUS_ALPHABET, random_code
from lapakasik.lib.lifecycle import AuditEvent

CODE_ALPHABET = UNAMBIGUOUS_ALPHABET


def new_booking_code() -> str:
    """8 characters of a 32-letter alphabet (10^12 values), shown as "ABCD-EFGH"."""
    return random_code(8)


def new_room_name() -> str:
    return secrets.token_hex(12)  # 96 bits: a room nobody can guess into


class SessionChannel(models.TextChoices):
    ONLINE = "online", _("Daring (video)")
    OFFLINE = "offline", _("Luring (bilik di kantor cabang)")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Senin")
    TUESDAY = 1, _("Selasa")
    WEDNESDAY = 2, _("Rabu")
    THURSDAY = 3, _("Kamis")
    FRIDAY = 4, _("Jumat")
    SATURDAY = 5, _("Sabtu")
    SUNDAY = 6, _("Minggu")


class BranchCalendar(models.Model):
    """A branch's booking rules. Times are local to the branch's IANA time zone."""

    branch = models.OneToOneField("registry.Branch", on_delete=models.CASCADE, related_name="calendar")
    days_ahead = models.PositiveSmallIntegerField(_("dibuka H-berapa"), default=7)
    opens_at = models.TimeField(_("jam pembukaan kuota"), default=dt.time(8, 0))
    min_notice_hours = models.PositiveSmallIntegerField(_("batas ubah/batal (jam)"), default=24)
    quota_online = models.PositiveIntegerField(_("kuota harian daring"), default=200)
    quota_offline = models.PositiveIntegerField(_("kuota harian luring"), default=120)
    no_show_grace_minutes = models.PositiveSmallIntegerField(_("toleransi terlambat (menit)"), default=15)
    # Requests in the first minutes after the quota opens are drawn by lottery (booking/lottery.py); 0 = off.
    lottery_minutes = models.PositiveSmallIntegerField(_("undian pada menit pertama"), default=10)

    def __str__(self) -> str:
        return f"{self.branch_id} calendar"

    def quota(self, channel: str) -> int:
        return self.quota_online if channel == SessionChannel.ONLINE else self.quota_offline


class OpeningHours(models.Model):
    branch = models.ForeignKey("registry.Branch", on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["branch", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "weekday"], name="one_opening_per_weekday"),
            models.CheckConstraint(
                name="opening_before_closing", condition=models.Q(opens__lt=models.F("closes"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.weekday} {self.opens}-{self.closes}"


class Closure(models.Model):
    """An ad-hoc closed day (flood, office move); public holidays come from the `holidays` package."""

    branch = models.ForeignKey("registry.Branch", on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["branch", "date"], name="one_closure_per_day")]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.date}"


class SessionTemplate(models.Model):
    branch = models.ForeignKey("registry.Branch", on_delete=models.CASCADE, related_name="session_templates")
    channel = models.CharField(_("kanal"), max_length=10, choices=SessionChannel.choices)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    start = models.TimeField(_("mulai"))
    duration_minutes = models.PositiveSmallIntegerField(_("durasi (menit)"), default=30)
    seats = models.PositiveSmallIntegerField(_("kursi"), default=1)
    # Space-delimited codes (" JHT JKM "), empty = all: queryable with `contains` on every database.
    programs = models.CharField(_("program"), max_length=40, blank=True)
    reasons = models.CharField(_("alasan"), max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["branch", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                name="template_seats_1_to_6", condition=models.Q(seats__gte=1, seats__lte=6)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.channel} {self.weekday} {self.start}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Terjadwal")
    RUNNING = "running", _("Berlangsung")
    DONE = "done", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


class Session(models.Model):
    branch = models.ForeignKey("registry.Branch", on_delete=models.PROTECT, related_name="sessions")
    template = models.ForeignKey(SessionTemplate, null=True, blank=True, on_delete=models.SET_NULL)
    channel = models.CharField(_("kanal"), max_length=10, choices=SessionChannel.choices)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(db_index=True)  # UTC; shown in the branch's time zone
    ends_at = models.DateTimeField()
    local_date = models.DateField()  # the branch's calendar date: quota, waitlist and display key
    seats = models.PositiveSmallIntegerField()
    seats_taken = models.PositiveSmallIntegerField(default=0)
    programs = models.CharField(max_length=40, blank=True)
    reasons = models.CharField(max_length=300, blank=True)
    # A one-to-many session serves one kind of claim, fixed by its first booking (one explanation for all).
    group_program = models.CharField(max_length=3, blank=True)
    group_reason = models.CharField(max_length=30, blank=True)
    room = models.CharField(max_length=40, default=new_room_name, unique=True)
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["branch", "local_date", "channel"], name="session_day_idx")]
        constraints = [
            models.CheckConstraint(
                name="session_seats_1_to_6", condition=models.Q(seats__gte=1, seats__lte=6)
            ),
            models.CheckConstraint(
                name="no_overbooking", condition=models.Q(seats_taken__lte=models.F("seats"))
            ),
            models.UniqueConstraint(fields=["template", "starts_at"], name="one_session_per_template_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.channel} {self.starts_at:%Y-%m-%d %H:%M}Z"

    @property
    def seats_left(self) -> int:
        return self.seats - self.seats_taken

    @property
    def is_group(self) -> bool:
        return self.seats > 1


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Dipesan")
    CHECKED_IN = "checked_in", _("Sudah hadir")
    CALLED = "called", _("Dipanggil")
    SERVED = "served", _("Selesai dilayani")
    NO_SHOW = "no_show", _("Tidak hadir")
    CANCELLED = "cancelled", _("Dibatalkan")
    MOVED = "moved", _("Dijadwal ulang")


ACTIVE = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.CALLED)  # holds a claim's booking
SEAT_HOLDING = (*ACTIVE, BookingStatus.SERVED, BookingStatus.NO_SHOW)  # a used seat stays used


class Verdict(models.TextChoices):
    VERIFIED = "verified", _("Terverifikasi")
    DOCUMENTS_MISSING = "documents_missing", _("Dokumen kurang")
    ABSENT = "absent", _("Tidak hadir")


class Booking(models.Model):
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    claim = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, related_name="bookings")
    seat_number = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=8, unique=True, default=new_booking_code)
    status = models.CharField(max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    request_key = models.CharField(max_length=64, null=True, blank=True, unique=True)  # idempotency
    walk_in = models.BooleanField(default=False)
    queue_number = models.PositiveIntegerField(null=True, blank=True)
    verdict = models.CharField(max_length=20, choices=Verdict.choices, blank=True)
    booked_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)
    served_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    video_consent_at = models.DateTimeField(null=True, blank=True)
    dropbox_received_at = models.DateTimeField(null=True, blank=True)
    reminded_h1_at = models.DateTimeField(null=True, blank=True)
    reminded_day_at = models.DateTimeField(null=True, blank=True)
    turn_near_sent_at = models.DateTimeField(null=True, blank=True)  # virtual calling (booking.waiting)

    class Meta:
        ordering = ["session", "seat_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"], condition=models.Q(status__in=ACTIVE), name="one_active_booking_per_claim"
            ),
            models.UniqueConstraint(
                fields=["session", "seat_number"],
                condition=models.Q(status__in=SEAT_HOLDING),
                name="one_holder_per_seat",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="booking_session_status_idx")]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Menunggu")
    PROMOTED = "promoted", _("Mendapat kursi")
    LEFT = "left", _("Keluar dari daftar tunggu")


class WaitlistEntry(models.Model):
    branch = models.ForeignKey("registry.Branch", on_delete=models.CASCADE, related_name="waitlist")
    date = models.DateField()
    channel = models.CharField(max_length=10, choices=SessionChannel.choices)
    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="waitlist_entries")
    status = models.CharField(max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "branch", "date", "channel"],
                condition=models.Q(status=WaitlistStatus.WAITING),
                name="one_waitlist_place_per_claim_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.branch_id} {self.date}"


class QuotaRequestStatus(models.TextChoices):
    ENTERED = "entered", _("Ikut undian")
    WON = "won", _("Mendapat kursi")
    LOST = "lost", _("Masuk daftar tunggu")


class QuotaRequest(models.Model):
    """A request made while a day's quota was being collected for the lottery (booking/lottery.py)."""

    code = models.CharField(max_length=8, unique=True, default=new_booking_code)  # published, not the name
    branch = models.ForeignKey("registry.Branch", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    channel = models.CharField(max_length=10, choices=SessionChannel.choices)
    claim = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, related_name="quota_requests")
    participant = models.ForeignKey("registry.Participant", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="+")  # the one asked for
    status = models.CharField(
        max_length=10, choices=QuotaRequestStatus.choices, default=QuotaRequestStatus.ENTERED
    )
    position = models.PositiveIntegerField(null=True, blank=True)  # place in the drawn order, from 1
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["branch", "date", "channel", "position", "id"]
        constraints = [
            # One request per NIK and day: a participant is one NIK (registry), whatever claims they hold.
            models.UniqueConstraint(fields=["participant", "date"], name="one_quota_request_per_nik_day"),
        ]
        indexes = [
            models.Index(fields=["branch", "date", "channel", "status"], name="quota_request_draw_idx")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.branch_id} {self.date}"

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


class QuotaDraw(models.Model):
    """The audited draw of one branch, day and channel: the seed makes the order reproducible by anyone
    from the published list of request codes (sorted), so nobody has to trust the draw."""

    branch = models.ForeignKey("registry.Branch", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    channel = models.CharField(max_length=10, choices=SessionChannel.choices)
    seed = models.CharField(max_length=64)
    entries = models.PositiveIntegerField(default=0)
    won = models.PositiveIntegerField(default=0)
    drawn_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "date", "channel"], name="one_draw_per_branch_day_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.date} {self.channel}"


class QueueCounter(models.Model):
    """Queue numbers at a branch on a day: 1, 2, 3… in the order people check in."""

    branch = models.ForeignKey("registry.Branch", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["branch", "date"], name="one_queue_counter_per_day")]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.date} {self.last}"


class BookingAction(models.TextChoices):
    """Every change of the schedule, named once. A status move's action is the move's name in
    ``booking/lifecycle.py``; the rest record something beside a status (consent, dropbox, calendar)."""

    BOOKED = "booked", _("Kursi dipesan")
    CANCELLED = "cancelled", _("Jadwal dibatalkan")
    MOVED = "moved", _("Jadwal dipindah")
    CHECKED_IN = "checked_in", _("Check-in di kantor cabang")
    JOINED = "joined", _("Masuk ke ruang video")
    CALLED = "called", _("Dipanggil")
    VERDICT = "verdict", _("Hasil layanan dicatat")
    ABSENT = "absent", _("Dicatat tidak hadir oleh petugas")
    NO_SHOW = "no_show", _("Tidak hadir (otomatis)")
    CLOSED = "closed", _("Dibatalkan karena kantor tutup")
    DROPBOX_RECEIVED = "dropbox_received", _("Dokumen diterima di dropbox")
    VIDEO_CONSENT = "video_consent", _("Setuju panggilan video")
    WAITLIST_JOINED = "waitlist_joined", _("Masuk daftar tunggu")
    WAITLIST_LEFT = "waitlist_left", _("Keluar dari daftar tunggu")
    WAITLIST_PROMOTED = "waitlist_promoted", _("Mendapat kursi dari daftar tunggu")
    WAITLIST_DROPPED = "waitlist_dropped", _("Dikeluarkan dari daftar tunggu")
    SESSION_GENERATED = "session_generated", _("Sesi dibuat")
    SESSION_STARTED = "session_started", _("Sesi dimulai")
    SESSION_FINISHED = "session_finished", _("Sesi selesai")
    SESSION_CANCELLED = "session_cancelled", _("Sesi dibatalkan")
    TEMPLATE_ADDED = "template_added", _("Templat sesi ditambahkan")
    TEMPLATE_DEACTIVATED = "template_deactivated", _("Templat sesi dinonaktifkan")
    OPENING_HOURS_SET = "opening_hours_set", _("Jam buka diubah")
    CLOSURE_ADDED = "closure_added", _("Hari tutup ditambahkan")
    LOTTERY_ENTERED = "lottery_entered", _("Ikut undian kuota")
    LOTTERY_WON = "lottery_won", _("Mendapat kursi dari undian")
    LOTTERY_LOST = "lottery_lost", _("Tidak mendapat kursi dari undian")
    LOTTERY_DRAWN = "lottery_drawn", _("Undian kuota dilakukan")


class BookingEvent(AuditEvent):
    """The audit trail of the schedule: every booking, session, waitlist and calendar change, who made
    it, and when. Written only by ``booking/lifecycle.py``."""

    action = models.CharField(max_length=40, choices=BookingAction.choices)
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    claim = models.ForeignKey(
        "claims.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    waitlist_entry = models.ForeignKey(
        WaitlistEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    quota_request = models.ForeignKey(
        QuotaRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    # Calendar edits (templates, hours, closures) belong to a branch, not to a session.
    branch = models.ForeignKey(
        "registry.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(AuditEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.action} {self.booking_id or self.session_id}"
