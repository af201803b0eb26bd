"""One path per state (issue 12): the schedule's statuses move through booking/lifecycle.py only, with an event
each, and the seams between booking and claims hold: verdicts on the session's day for people who came, a
returned claim books after re-submission, the waitlist and the calendar leave an audit trail."""

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from lapakasik.booking import actions
from lapakasik.booking.models import (
    Booking,
    BookingAction,
    BookingEvent,
    Closure,
    Session,
    WaitlistEntry,
)
from lapakasik.claims import actions as claim_actions
from lapakasik.claims import lifecycle as claim_lifecycle
from lapakasik.claims.models import Claim
from lapakasik.lib.errors import DomainError

from .conftest import make_claimant, make_session

TUESDAY = dt.date(2026, 12, 1)
BEFORE = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)  # Monday 08:00 WIB, 25 h before the 09:00 session
ON_THE_DAY = dt.datetime(2026, 12, 1, 1, 45, tzinfo=dt.UTC)  # Tuesday 08:45 WIB
NEXT_DAY = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)  # Wednesday 00:30 WIB


def booked(session, claim, when=BEFORE):
    with time_machine.travel(when, tick=False):
        return actions.book_seat(session, claim, by=claim.claimant)


def checked_in(booking):
    with time_machine.travel(ON_THE_DAY, tick=False):
        return actions.check_in(
            booking.session.branch, code=booking.code, nik_last4=booking.claim.participant.nik[-4:]
        )


def returned(claim, cso):
    claim = claim_actions.start_verification(claim, by=cso)
    return claim_actions.return_for_documents(claim, by=cso, reason="Paklaring belum ada")


# ---------------------------------------------------------------- verdicts: the session's window, people who came


@pytest.mark.parametrize("when", [BEFORE, NEXT_DAY], ids=["a day before", "after the session's day"])
def test_a_verdict_is_refused_outside_the_sessions_day(db, cso, when):
    claim = make_claimant()
    booking = (
        checked_in(booked(make_session(day=TUESDAY), claim))
        if when == NEXT_DAY
        else booked(make_session(day=TUESDAY), claim)
    )
    with time_machine.travel(when, tick=False), pytest.raises(DomainError) as error:
        actions.record_verdict(booking, "absent", by=cso)
    assert error.value.code == "session_not_now"
    assert Booking.objects.get(pk=booking.pk).verdict == ""


def test_verified_is_refused_for_someone_who_never_checked_in_and_the_claim_stays(db, cso):
    claim = make_claimant()
    booking = booked(make_session(day=TUESDAY, seats=4), claim)
    with time_machine.travel(ON_THE_DAY, tick=False):
        for verdict, note in (("verified", ""), ("documents_missing", "Paklaring belum ada")):
            with pytest.raises(DomainError) as error:
                actions.record_verdict(booking, verdict, by=cso, note=note)
            assert error.value.code == "not_checked_in"
        assert Claim.objects.get(pk=claim.pk).status == "submitted"
        assert Booking.objects.get(pk=booking.pk).status == "booked"
        actions.record_verdict(booking, "absent", by=cso)  # "did not come" is what the officer can say
    assert Booking.objects.get(pk=booking.pk).status == "no_show"


@override_settings(VIDEO_LINK_LEAD_MINUTES=10)
def test_online_only_who_joined_the_video_room_is_called_and_verified(db, cso):
    present, missing = make_claimant(), make_claimant()
    session = make_session(day=TUESDAY, channel="online", seats=4)
    joined, absent = booked(session, present), booked(session, missing)
    for booking in (joined, absent):
        actions.record_video_consent(booking, by=booking.claim.claimant)
    with time_machine.travel(session.starts_at - dt.timedelta(minutes=5), tick=False):
        actions.join_video(joined, by=present.claimant)
        assert [b.pk for b in actions.call_next(session, by=cso)] == [joined.pk]
        with pytest.raises(DomainError) as error:
            actions.record_verdict(absent, "verified", by=cso)
        assert error.value.code == "not_checked_in"
        actions.record_verdict(joined, "verified", by=cso, note="Wajah cocok dengan KTP")
    assert Claim.objects.get(pk=present.pk).status == "verified"
    assert Claim.objects.get(pk=missing.pk).status == "submitted"
    event = BookingEvent.objects.get(booking=joined, action=BookingAction.JOINED)
    assert (event.from_status, event.to_status, event.actor) == ("booked", "checked_in", present.claimant)


def test_the_video_room_cannot_be_joined_long_before_the_session(db):
    claim = make_claimant()
    booking = booked(make_session(day=TUESDAY, channel="online"), claim)
    actions.record_video_consent(booking, by=claim.claimant)
    with time_machine.travel(BEFORE, tick=False), pytest.raises(DomainError) as error:
        actions.join_video(booking, by=claim.claimant)
    assert error.value.code == "video_not_now"


# ---------------------------------------------------------------- a returned claim books after re-submission


def test_a_claim_returned_for_documents_books_only_after_it_is_resubmitted(db, cso):
    claim = returned(make_claimant(), cso)
    session = make_session(day=TUESDAY)
    with time_machine.travel(BEFORE, tick=False):
        for attempt in (
            lambda: actions.book_seat(session, claim, by=claim.claimant),
            lambda: actions.join_waitlist(
                claim, branch=session.branch, date=TUESDAY, channel="offline", by=claim.claimant
            ),
        ):
            with pytest.raises(DomainError) as error:
                attempt()
            assert error.value.code == "claim_not_bookable"
        assert not Booking.objects.filter(claim=claim).exists()
        # The claimant uploads what was missing and re-submits: now an officer can verify it in a session.
        claim_lifecycle.move([claim], "submitted", by=claim.claimant)
        assert actions.book_seat(session, claim, by=claim.claimant).status == "booked"


# ---------------------------------------------------------------- the waitlist moves people with events


def test_the_participant_leaves_the_waitlist_after_confirming_on_the_page(db, client, participant):
    claim, holder = make_claimant(), make_claimant()
    with time_machine.travel(BEFORE, tick=False):
        session = make_session(day=TUESDAY)
        actions.book_seat(session, holder, by=holder.claimant)  # the day is full: the waitlist is open
        entry = actions.join_waitlist(
            claim, branch=session.branch, date=TUESDAY, channel="offline", by=claim.claimant
        )
    client.force_login(participant)
    assert client.get(f"/jadwal/tunggu/{entry.pk}/keluar/").status_code == 404  # not theirs
    client.force_login(claim.claimant)
    assert f"/jadwal/tunggu/{entry.pk}/keluar/" in client.get("/jadwal/").text
    confirm = client.get(f"/jadwal/tunggu/{entry.pk}/keluar/")
    assert confirm.status_code == 200 and "Ya, keluar dari daftar tunggu" in confirm.text
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "waiting"  # asking changes nothing
    assert client.post(f"/jadwal/tunggu/{entry.pk}/keluar/").url == "/jadwal/"
    assert client.post(f"/jadwal/tunggu/{entry.pk}/keluar/").url == "/jadwal/"  # a second click: same
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "left"
    event = BookingEvent.objects.get(waitlist_entry=entry, action=BookingAction.WAITLIST_LEFT)
    assert (event.from_status, event.to_status, event.actor) == ("waiting", "left", claim.claimant)


def test_the_waitlist_promotes_and_drops_people_with_an_event_each(db):
    session = make_session(day=TUESDAY)
    holder, booked_elsewhere, first = make_claimant(), make_claimant(), make_claimant()
    with time_machine.travel(BEFORE, tick=False):
        booking = actions.book_seat(session, holder, by=holder.claimant)
        for claim in (booked_elsewhere, first):
            actions.join_waitlist(
                claim, branch=session.branch, date=TUESDAY, channel="offline", by=claim.claimant
            )
        actions.book_seat(
            make_session(day=TUESDAY, at=dt.time(10)), booked_elsewhere, by=booked_elsewhere.claimant
        )
        actions.cancel_booking(booking, by=holder.claimant)
    events = {
        e.claim_id: (e.action, e.from_status, e.to_status)
        for e in BookingEvent.objects.filter(waitlist_entry__isnull=False).exclude(action="waitlist_joined")
    }
    assert events == {
        booked_elsewhere.pk: ("waitlist_dropped", "waiting", "left"),
        first.pk: ("waitlist_promoted", "waiting", "promoted"),
    }
    assert Booking.objects.get(claim=first, status="booked").session == session


# ---------------------------------------------------------------- one guard, one code


def test_a_stale_page_cancelling_a_booking_staff_already_cancelled_gets_changed_meanwhile(db, cso):
    claim = make_claimant()
    booking = booked(make_session(day=TUESDAY), claim)
    stale = Booking.objects.get(pk=booking.pk)
    with time_machine.travel(BEFORE, tick=False):
        actions.cancel_booking(booking, by=cso)
        with pytest.raises(DomainError) as error:
            actions.cancel_booking(stale, by=claim.claimant)
    assert error.value.code == "changed_meanwhile"
    assert BookingEvent.objects.filter(booking=booking, action="cancelled").count() == 1


# ---------------------------------------------------------------- the supervisor's calendar


def test_calendar_edits_on_the_console_are_actions_with_events(client, supervisor, cso, madiun):
    client.force_login(supervisor)
    form = {
        "kind": "template",
        "t-channel": "offline",
        "t-officer": cso.pk,
        "t-weekday": 1,
        "t-start": "09:00",
        "t-duration_minutes": 30,
        "t-seats": 5,
        "t-programs": "JHT",
        "t-reasons": "",
    }
    assert client.post("/console/sesi/templat/", form).status_code == 302
    client.post(
        "/console/sesi/templat/", {"kind": "hours", "h-weekday": 1, "h-opens": "08:00", "h-closes": "15:00"}
    )
    template = madiun.session_templates.latest("pk")
    client.post("/console/sesi/templat/", {"kind": "deactivate", "template": template.pk})
    actions_seen = list(
        BookingEvent.objects.filter(branch=madiun, actor=supervisor)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions_seen == ["template_added", "opening_hours_set", "template_deactivated"]
    assert BookingEvent.objects.get(action="template_added").data["seats"] == 5


def test_a_closure_added_after_sessions_were_generated_cancels_them_and_tells_the_booked_and_waiting(
    client, supervisor, madiun, django_capture_on_commit_callbacks
):
    claim, waiting = make_claimant(), make_claimant()
    session = make_session(day=TUESDAY, seats=1)
    other_day = make_session(day=dt.date(2026, 12, 2))
    booking = booked(session, claim)
    with time_machine.travel(BEFORE, tick=False):
        actions.join_waitlist(waiting, branch=madiun, date=TUESDAY, channel="offline", by=waiting.claimant)
        client.force_login(supervisor)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            page = client.post(
                "/console/sesi/templat/", {"kind": "closure", "c-date": TUESDAY, "c-reason": "Banjir"}
            )
    assert page.status_code == 302
    assert Closure.objects.filter(branch=madiun, date=TUESDAY).exists()
    assert Session.objects.get(pk=session.pk).status == "cancelled"
    assert Session.objects.get(pk=other_day.pk).status == "scheduled"
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"
    assert WaitlistEntry.objects.get(claim=waiting).status == "left"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([claim.claimant.email, waiting.claimant.email])
    assert all("Banjir" in m.body for m in mail.outbox)  # the booked and the waiting both hear why
    closed = BookingEvent.objects.get(booking=booking, action=BookingAction.CLOSED)
    assert (closed.actor, closed.from_status, closed.note) == (supervisor, "booked", "Banjir")


def test_a_closure_in_the_past_or_twice_is_refused_on_its_field(client, supervisor, madiun):
    client.force_login(supervisor)
    with time_machine.travel(BEFORE, tick=False):
        past = client.post(
            "/console/sesi/templat/", {"kind": "closure", "c-date": "2026-11-27", "c-reason": "Banjir"}
        )
        assert past.status_code == 400 and "sebelum hari ini" in past.text
        client.post("/console/sesi/templat/", {"kind": "closure", "c-date": TUESDAY, "c-reason": "Banjir"})
        again = client.post(
            "/console/sesi/templat/", {"kind": "closure", "c-date": TUESDAY, "c-reason": "Pindah"}
        )
        assert again.status_code == 400 and "sudah tercatat tutup" in again.text
    assert list(Closure.objects.filter(branch=madiun).values_list("reason", flat=True)) == ["Banjir"]


# ---------------------------------------------------------------- done when: one writer


PACKAGE = Path(__file__).resolve().parents[2]
EVENT_WRITE = re.compile(r"(?<!class )BookingEvent(\.objects\.(create|bulk_create|get_or_create)|\()")
STATUS_WRITE = re.compile(
    r"\.update\((?:[^()]|\([^()]*\))*\bstatus\s*=|\.status\s*=(?!=)|\bstatus\s*=\s*[\"']left[\"']"
)
# Elsewhere only a write through the schedule's own models counts (other apps write their own statuses).
FOREIGN_STATUS_WRITE = re.compile(
    r"\b(Booking|Session|WaitlistEntry)\.objects\.[^;]{0,300}?\.update\([^)]*\bstatus\s*="
)


def _writes(path: Path) -> bool:
    text = path.read_text()
    status_write = STATUS_WRITE if "booking" in path.parts else FOREIGN_STATUS_WRITE
    return bool(EVENT_WRITE.search(text) or status_write.search(text))


def test_no_booking_session_or_waitlist_status_and_no_booking_event_is_written_outside_the_lifecycle():
    writers = {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.relative_to(PACKAGE) != Path("booking/lifecycle.py")
        and _writes(path)
    }
    assert writers == set()
