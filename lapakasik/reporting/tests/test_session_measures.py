"""Officer productivity and queue measures read the booking module's sessions when it is installed."""

import datetime as dt

from lapakasik.booking.models import Booking, Session
from lapakasik.claims.models import Claim
from lapakasik.lib.dates import at_local
from lapakasik.reporting.dashboard import Filters, officer_productivity, queue

# A day no demo claim was worked on: the demo's live claims carry officers' events dated some working days
# before today, so a recent fixed day (2026-11-25 was one) fills with them a week later.
DAY = dt.date(2019, 11, 25)


def _session(branch, officer, seats):
    starts = at_local(DAY, dt.time(9, 0), branch.time_zone)
    return Session.objects.create(
        branch=branch,
        channel="offline",
        officer=officer,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=30),
        local_date=DAY,
        seats=seats,
    )


def _seat(session, claim, number, status):
    return Booking.objects.create(session=session, claim=claim, seat_number=number, status=status)


def test_sessions_people_served_and_one_to_many_are_counted_per_officer(madiun, cso, supervisor):
    group = _session(madiun, cso, seats=4)
    single = _session(madiun, supervisor, seats=1)
    claims = list(Claim.objects.filter(branch=madiun, status="paid")[:5])
    for number, (claim, status) in enumerate(
        zip(claims[:4], ["served", "served", "served", "no_show"], strict=True), 1
    ):
        _seat(group, claim, number, status)
    _seat(single, claims[4], 1, "served")

    rows = {r["officer"]: r for r in officer_productivity(madiun, Filters(DAY, DAY))}

    assert (
        rows["cso"]["sessions"],
        rows["cso"]["served"],
        rows["cso"]["one_to_many"],
        rows["cso"]["one_to_one"],
    ) == (
        1,
        3,
        1,
        0,
    )
    assert (rows["supervisor"]["served"], rows["supervisor"]["one_to_one"]) == (1, 1)
    bookings = queue(madiun, Filters(DAY, DAY))["bookings"]
    assert (bookings["booked"], bookings["served"], bookings["no_show"]) == (5, 4, 1)


def test_another_branchs_sessions_are_not_counted(madiun, outsider):
    from lapakasik.registry.models import Branch

    makassar = Branch.objects.get(code="makassar")
    _seat(_session(makassar, outsider, seats=4), Claim.objects.filter(branch=madiun).first(), 1, "served")
    assert officer_productivity(madiun, Filters(DAY, DAY)) == []
