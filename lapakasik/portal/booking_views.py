"""Participant pages of the online queue (/jadwal/) and the public pages at the branch (QR check-in, display)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapakasik.accounts import throttle
from lapakasik.booking import actions, chooser, lottery, queries, rate, waiting
from lapakasik.booking.actions import BOOKABLE_CLAIM_STATUSES
from lapakasik.booking.models import ACTIVE, Booking, QuotaRequest, Session, SessionChannel
from lapakasik.booking.notify import ics, originals_to_bring
from lapakasik.claims.models import Claim
from lapakasik.claims.models import Status as ClaimStatus
from lapakasik.lib import params
from lapakasik.lib.dates import as_local, today_at
from lapakasik.lib.errors import DomainError
from lapakasik.lib.idtext import format_clock
from lapakasik.registry.models import Branch


@login_required
def my_schedule(request):
    claims = Claim.objects.filter(claimant=request.user, status__in=BOOKABLE_CLAIM_STATUSES).order_by(
        "-created_at"
    )
    bookings = (
        queries.bookings_visible_to(request.user)
        .filter(claim__claimant=request.user)
        .select_related("session__branch", "claim")
        .order_by("-session__starts_at")[:20]
    )
    returned = Claim.objects.filter(claimant=request.user, status=ClaimStatus.RETURNED_FOR_DOCUMENTS)
    active = {b.claim_id for b in bookings if b.status in ACTIVE}
    context = {
        "claims": [c for c in claims if c.pk not in active],
        "bookings": bookings,
        "waiting": queries.waitlist_of(request.user),
        "lottery": lottery.requests_of(request.user),
        "returned": returned,
    }
    return render(request, "portal/booking/my_schedule.html", context)


@login_required
def choose_session(request, number: str):
    """One branch, one channel, one day at a time: the claim's own branch and channel first."""
    claim = queries.get_claim_for(request.user, number)
    moving = None
    if moving_id := params.object_id(request.GET.get("pindah"), "pindah"):
        moving = get_object_or_404(queries.bookings_visible_to(request.user), pk=moving_id, claim=claim)
    branches = chooser.branches_near(claim)
    branch = next((b for b in branches if b.code == request.GET.get("cabang")), branches[0])
    channel = request.GET.get("kanal") if request.GET.get("kanal") in SessionChannel.values else ""
    days = chooser.days(claim, branch, chooser.channels_in_order(claim, channel))
    day = chooser.pick_day(days, _date_param(request.GET.get("tanggal")))
    context = {
        "claim": claim,
        "moving": moving,
        "branches": branches,
        "branch": branch,
        "channel": channel,
        "channels": SessionChannel.choices,
        "days": days,
        "day": day,
    }
    return render(request, "portal/booking/choose.html", context)


def _date_param(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
def book(request, number: str):
    """GET: the confirmation step (what, where, the change/cancel rule); POST: the booking itself, or a lottery
    request inside the draw's window — counted by the opening moment's limit (booking/rate.py) before anything
    else; over it, the same confirmation again with the wait, answered 429."""
    if request.method == "POST":
        try:
            rate.refuse_a_burst_of(request)
        except rate.BurstRefused as refused:
            return _refused_burst(request, number, refused)
    claim = queries.get_claim_for(request.user, number)
    if request.method != "POST":
        shown, moving = request.GET.get("sesi"), request.GET.get("pindah")
        return _confirm_booking(
            request, claim, params.object_id(shown, "sesi"), params.object_id(moving, "pindah")
        )
    session_id = params.object_id(request.POST.get("session"), "session")
    moving_id = params.object_id(request.POST.get("moving"), "moving")
    session = get_object_or_404(Session, pk=session_id)
    key = (
        f"{request.user.pk}:{request.POST.get('request_key', '')[:40]}"
        if request.POST.get("request_key")
        else None
    )
    booking: Booking | QuotaRequest
    try:
        if moving_id:
            old = get_object_or_404(queries.bookings_visible_to(request.user), pk=moving_id, claim=claim)
            booking = actions.reschedule_booking(old, session, by=request.user, request_key=key)
        else:
            booking = lottery.book_or_enter(session, claim, by=request.user, request_key=key)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("booking_choose", number=claim.number)
    if isinstance(booking, QuotaRequest):
        messages.success(request, _entered_message(booking))
        return redirect("booking_mine")
    messages.success(
        request, _("Jadwal Anda tersimpan. Kode pemesanan: %(code)s") % {"code": booking.display_code}
    )
    return redirect("booking_detail", pk=booking.pk)


def _refused_burst(request, number: str, refused: rate.BurstRefused):
    """The confirmation of the session asked for, with the wait said and the same request key kept, so the
    press after the wait is still the one request."""
    claim = queries.get_claim_for(request.user, number)
    response = _confirm_booking(
        request,
        claim,
        params.object_id(request.POST.get("session"), "session"),
        params.object_id(request.POST.get("moving"), "moving"),
        error=str(refused.message),
        request_key=request.POST.get("request_key", "")[:40],
        status=429,
    )
    response["Retry-After"] = str(refused.retry_after)
    return response


def _confirm_booking(request, claim, session_id, moving_id, *, error=None, request_key="", status=200):
    session = get_object_or_404(Session.objects.select_related("branch", "officer"), pk=session_id)
    moving = None
    if moving_id:
        moving = get_object_or_404(queries.bookings_visible_to(request.user), pk=moving_id, claim=claim)
    deadline = chooser.change_deadline(session)
    context = {
        "claim": claim,
        "session": session,
        "moving": moving,
        "deadline": deadline,
        "changeable": timezone.now() < deadline,
        "notice_hours": actions.calendar_for(session.branch).min_notice_hours,
        "request_key": request_key or uuid.uuid4().hex,
        "error": error,
    }
    return render(request, "portal/booking/confirm.html", context, status=status)


def _entered_message(entry: QuotaRequest) -> str:
    window = actions.lottery_window_of(entry.session)
    closes = as_local(window[1], entry.branch.time_zone) if window else None
    return _(
        "Kuota hari itu baru dibuka: permintaan Anda (%(code)s) ikut undian yang dilakukan pukul %(time)s. "
        "Hasilnya kami kirim lewat e-mail dan tampil di halaman ini."
    ) % {"code": entry.display_code, "time": format_clock(closes, get_language() or "id") if closes else "-"}


@login_required
@require_POST
def join_waitlist(request, number: str):
    claim = queries.get_claim_for(request.user, number)
    branch = get_object_or_404(Branch, code=request.POST.get("branch", ""))
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
        actions.join_waitlist(
            claim, branch=branch, date=day, channel=request.POST.get("channel", "offline"), by=request.user
        )
    except ValueError:
        messages.error(request, _("Tanggal: tanggal tidak sah."))
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(f"{reverse('booking_choose', args=[claim.number])}?cabang={branch.code}")
    else:
        messages.success(request, _("Anda masuk daftar tunggu. Kami memberi tahu bila ada kursi kosong."))
    return redirect("booking_mine")


@login_required
def booking_detail(request, pk: int):
    booking = queries.get_booking_for(request.user, pk)
    context = {
        "booking": booking,
        "session": booking.session,
        "video_link": queries.video_link(booking),
        "video_opens_at": queries.video_link_opens_at(booking),
        "wait": waiting.wait_for(booking),
        "now": timezone.now(),
        "active_statuses": ACTIVE,
        "can_change": chooser.can_change(booking),
        "deadline": chooser.change_deadline(booking.session),
        "checkin_opens": booking.session.starts_at - actions.CHECKIN_OPENS_BEFORE,
        "originals": originals_to_bring(booking.claim),
    }
    return render(request, "portal/booking/detail.html", context)


@login_required
@require_POST
def join_video(request, pk: int):
    """The way into the video room: recording that the participant joined is the online check-in."""
    booking = queries.get_booking_for(request.user, pk)
    try:
        actions.join_video(booking, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("booking_detail", pk=pk)
    link = queries.video_link(booking)
    return redirect(link) if link else redirect("booking_detail", pk=pk)


@login_required
def leave_waitlist(request, pk: int):
    """GET asks for confirmation; POST takes the claim off the waitlist."""
    entry = queries.get_waitlist_entry_for(request.user, pk)
    if request.method != "POST":
        return render(request, "portal/booking/leave_waitlist.html", {"entry": entry})
    try:
        actions.leave_waitlist(entry, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Anda sudah keluar dari daftar tunggu."))
    return redirect("booking_mine")


@login_required
def booking_ics(request, pk: int):
    booking = queries.get_booking_for(request.user, pk)
    response = HttpResponse(ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lapakasik-{booking.code}.ics"'
    return response


@login_required
def cancel(request, pk: int):
    """GET asks for confirmation (a secondary action, never one tap); POST cancels."""
    booking = queries.get_booking_for(request.user, pk)
    if request.method != "POST":
        if not chooser.can_change(booking):
            return redirect("booking_detail", pk=pk)
        return render(request, "portal/booking/cancel.html", {"booking": booking, "session": booking.session})
    try:
        actions.cancel_booking(booking, by=request.user)
        messages.success(request, _("Jadwal dibatalkan."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("booking_detail", pk=pk)


@login_required
@require_POST
def video_consent(request, pk: int):
    booking = queries.get_booking_for(request.user, pk)
    try:
        actions.record_video_consent(booking, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("booking_detail", pk=pk)


def check_in(request, branch_code: str):
    """Reached from the QR code at the branch: no login, booking code + last four NIK digits. A ticket is
    shown after a redirect (Post/Redirect/Get), so reloading it never checks in twice or counts a failure."""
    branch = get_object_or_404(Branch, code=branch_code)
    error, status = None, 200
    if request.method == "POST":
        try:
            ticket = _check_in(request, branch)
        except DomainError as exc:
            error, status = str(exc.message), exc.status
        else:
            # Post/Redirect/Get: the ticket has its own address, so it can refresh itself as numbers are
            # called and a reload never checks in again.
            return redirect("booking_ticket", token=signing.dumps(ticket.pk, salt=TICKET_SALT))
    return render(
        request,
        "portal/booking/checkin.html",
        {"branch": branch, "error": error, "posted": request.POST},
        status=status,
    )


def _check_in(request, branch):
    """Counted per booking code (or claim number) and address, and per address: a success clears nothing,
    so checking oneself in again never buys more guesses at someone else's code (issue 18, 4)."""
    code, nik4 = request.POST.get("code", "").strip(), request.POST.get("nik4", "").strip()
    walk_in = bool(request.POST.get("walk_in"))
    account = f"{branch.pk}:{'walk_in' if walk_in else 'code'}:{actions.normalise_code(code)}"
    attempt = throttle.Attempt("checkin", account, throttle.client_address(request))
    wait = throttle.wait_seconds(attempt)
    if wait:
        raise DomainError("checkin_locked", throttle.locked_message(wait), status=429)
    try:
        if walk_in:
            return actions.walk_in(branch, claim_number=code, nik_last4=nik4)
        return actions.check_in(branch, code=code, nik_last4=nik4)
    except DomainError as exc:
        if exc.code == "checkin_failed" and (wait := throttle.failed(attempt)):
            raise DomainError("checkin_locked", throttle.locked_message(wait), status=429) from exc
        raise


def lottery_result(request, branch_code: str, date: str):
    """The published draw of a day: seed, time, and each request code's place and outcome (no names)."""
    branch = get_object_or_404(Branch, code=branch_code)
    day = params.day(date, "tanggal")
    if day is None:
        raise Http404
    for channel in SessionChannel.values:
        lottery.draw_due_for(branch, day, channel, now=timezone.now())
    context = {"branch": branch, "day": day, "draws": lottery.publication(branch, day)}
    return render(request, "portal/booking/lottery.html", context)


TICKET_SALT = "lapakasik.booking.ticket"
TICKET_MAX_AGE = 24 * 3600  # a ticket is for its day


def ticket(request, token: str):
    """The queue ticket after check-in: number, booth and the estimated wait, refreshed every 30 seconds.
    Reached only through the signed address the check-in redirects to (no login at the branch's kiosk)."""
    try:
        pk = signing.loads(token, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
    except signing.BadSignature as exc:
        raise Http404 from exc
    booking = queries.ticket_booking(pk)
    context = {"branch": booking.session.branch, "ticket": booking, "wait": waiting.wait_for(booking)}
    return render(request, "portal/booking/ticket.html", context)


def display(request, branch_code: str):
    """The waiting-room screen. Without scripts it reloads itself (meta refresh inside noscript); with them,
    display.js fetches the board every 10 s, keeps a clock and, once someone taps "Nyalakan suara", chimes
    when a new number is called (no autoplay: the sound starts from that tap)."""
    branch = get_object_or_404(Branch, code=branch_code)
    board = queries.display_board(branch, today_at(branch.time_zone))
    context = {"branch": branch, "now": timezone.now(), **board}
    return render(request, "portal/booking/display.html", context)
