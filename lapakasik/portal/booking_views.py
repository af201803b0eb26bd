"""Participant pages of the online queue (/jadwal/) and the public pages at the branch (QR check-in, display)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapakasik.accounts import throttle
from lapakasik.booking import actions, queries
from lapakasik.booking.actions import BOOKABLE_CLAIM_STATUSES
from lapakasik.booking.models import Session, SessionChannel, WaitlistEntry
from lapakasik.booking.notify import ics
from lapakasik.claims.models import Claim
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Branch


@login_required
def my_schedule(request):
    claims = Claim.objects.filter(claimant=request.user, status__in=BOOKABLE_CLAIM_STATUSES).order_by(
        "-created_at"
    )
    bookings = (
        queries.bookings_visible_to(request.user).filter(claim__claimant=request.user)
        .select_related("session__branch", "claim").order_by("-session__starts_at")[:20]
    )  # fmt: skip
    waiting = WaitlistEntry.objects.filter(claim__claimant=request.user, status="waiting").select_related(
        "branch"
    )
    active = {b.claim_id for b in bookings if b.status in ("booked", "checked_in", "called")}
    context = {"claims": [c for c in claims if c.pk not in active], "bookings": bookings, "waiting": waiting}
    return render(request, "portal/booking/my_schedule.html", context)


@login_required
def choose_session(request, number: str):
    claim = queries.get_claim_for(request.user, number)
    moving = None
    if request.GET.get("pindah"):
        moving = get_object_or_404(
            queries.bookings_visible_to(request.user), pk=request.GET["pindah"], claim=claim
        )
    branch = Branch.objects.filter(code=request.GET.get("cabang", "")).first()
    channel = request.GET.get("kanal") if request.GET.get("kanal") in SessionChannel.values else None
    sessions = queries.earliest_sessions(claim, branch=branch, channel=channel)
    context = {
        "claim": claim, "sessions": sessions, "moving": moving, "branches": Branch.objects.all(),
        "branch": branch, "channel": channel, "request_key": uuid.uuid4().hex, "channels": SessionChannel.choices,
        "tomorrow": today_at(claim.branch.time_zone) + dt.timedelta(days=1),
    }  # fmt: skip
    return render(request, "portal/booking/choose.html", context)


@login_required
@require_POST
def book(request, number: str):
    claim = queries.get_claim_for(request.user, number)
    session = get_object_or_404(Session, pk=request.POST.get("session"))
    key = (
        f"{request.user.pk}:{request.POST.get('request_key', '')[:40]}"
        if request.POST.get("request_key")
        else None
    )
    try:
        if request.POST.get("moving"):
            old = get_object_or_404(
                queries.bookings_visible_to(request.user), pk=request.POST["moving"], claim=claim
            )
            booking = actions.reschedule_booking(old, session, by=request.user, request_key=key)
        else:
            booking = actions.book_seat(session, claim, by=request.user, request_key=key)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("booking_choose", number=claim.number)
    messages.success(
        request, _("Jadwal Anda tersimpan. Kode booking: %(code)s") % {"code": booking.display_code}
    )
    return redirect("booking_detail", pk=booking.pk)


@login_required
@require_POST
def join_waitlist(request, number: str):
    claim = queries.get_claim_for(request.user, number)
    branch = get_object_or_404(Branch, code=request.POST.get("branch", ""))
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
        actions.join_waitlist(claim, branch=branch, date=day, channel=request.POST.get("channel", "offline"),
                              by=request.user)  # fmt: skip
    except ValueError:
        messages.error(request, _("Tanggal tidak sah; gunakan TTTT-BB-HH."))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Anda masuk daftar tunggu. Kami memberi tahu bila ada kursi kosong."))
    return redirect("booking_mine")


@login_required
def booking_detail(request, pk: int):
    booking = queries.get_booking_for(request.user, pk)
    context = {
        "booking": booking, "session": booking.session, "video_link": queries.video_link(booking),
        "video_opens_at": queries.video_link_opens_at(booking), "now": timezone.now(),
    }  # fmt: skip
    return render(request, "portal/booking/detail.html", context)


@login_required
def booking_ics(request, pk: int):
    booking = queries.get_booking_for(request.user, pk)
    response = HttpResponse(ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lapakasik-{booking.code}.ics"'
    return response


@login_required
@require_POST
def cancel(request, pk: int):
    booking = queries.get_booking_for(request.user, pk)
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
    """Reached from the QR code at the branch: no login, booking code + last four NIK digits."""
    branch = get_object_or_404(Branch, code=branch_code)
    ticket, error, status = None, None, 200
    if request.method == "POST":
        address = throttle.client_address(request)
        code = request.POST.get("code", "").strip()
        if throttle.is_locked("checkin", address):
            error, status = _("Terlalu banyak percobaan. Silakan minta bantuan petugas."), 429
        else:
            try:
                if request.POST.get("walk_in"):
                    ticket = actions.walk_in(
                        branch, claim_number=code, nik_last4=request.POST.get("nik4", "").strip()
                    )
                else:
                    ticket = actions.check_in(
                        branch, code=code, nik_last4=request.POST.get("nik4", "").strip()
                    )
                throttle.clear("checkin", address)
            except DomainError as exc:
                if exc.code == "checkin_failed":
                    throttle.record_failure("checkin", address)
                error, status = str(exc.message), exc.status
    return render(request, "portal/booking/checkin.html", {"branch": branch, "ticket": ticket, "error": error},
                  status=status)  # fmt: skip


def display(request, branch_code: str):
    """The waiting-room screen: refreshes itself (meta refresh; no script needed under the CSP)."""
    branch = get_object_or_404(Branch, code=branch_code)
    board = queries.display_board(branch, today_at(branch.time_zone))
    return render(request, "portal/booking/display.html", {"branch": branch, **board})
