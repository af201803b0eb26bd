"""The supervisor's capacity planning page: the simulated day, the comparison chart, the recommendation and
turning it into session templates; who may see it; bad input answered on the form."""

import datetime as dt

import pytest
from django.urls import reverse

from lapakasik.booking import actions
from lapakasik.booking.models import BookingEvent, SessionTemplate
from lapakasik.booking.tests.conftest import make_claimant, make_session

DAY = dt.date(2026, 12, 8)  # a Tuesday
QUERY = {
    "date": "2026-12-08",
    "officers": "1",
    "mode": "one_to_many",
    "group_size": "5",
    "seed": "7",
    "replications": "3",
}


@pytest.fixture
def booked_day(db, madiun):
    for hour in (9, 10):
        session = make_session(day=DAY, at=dt.time(hour), seats=5, minutes=45)
        for _ in range(5):
            claim = make_claimant()
            actions.book_seat(
                session, claim, by=claim.claimant, now=dt.datetime(2026, 12, 3, 2, tzinfo=dt.UTC)
            )
    return madiun


def test_the_supervisor_simulates_the_day_and_sees_a_recommendation(client, supervisor, booked_day):
    client.force_login(supervisor)
    response = client.get(reverse("console:capacity"), QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Perencanaan kapasitas" in html and 'data-metric="served"' in html
    report = response.context["page"].report
    assert report["booked"] == 10 and report["served"] + report["unserved_at_closing"] == report["arrivals"]
    labels = [o.label for o in response.context["page"].options]
    assert labels == ["1:1", "1:2", "1:3", "1:4", "1:5", "1:6"]
    best = response.context["page"].best
    assert best is not None and best.summary["unserved"].mean < 0.5
    assert response.context["slots"] and all(s.seats == best.group_size for _, s in response.context["slots"])
    assert "measured" in html or "default" in html  # every input says where it came from


def test_the_chart_is_an_svg_of_the_compared_ways(client, supervisor, booked_day):
    client.force_login(supervisor)
    response = client.get(reverse("console:capacity_chart"), QUERY)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<svg" in svg and "1:5" in svg and "<script" not in svg


def test_bad_input_is_answered_on_the_form_with_the_field_at_fault(client, supervisor, booked_day):
    client.force_login(supervisor)
    response = client.get(reverse("console:capacity"), {**QUERY, "group_size": "1"})
    assert response.status_code == 400
    assert response.context["page"].form.errors["group_size"] == [
        "Ukuran kelompok satu petugas banyak peserta harus 2 sampai 6 orang (diminta 1)."
    ]
    response = client.get(reverse("console:capacity"), {**QUERY, "date": "2026-12-06"})
    assert response.status_code == 400 and "Tidak ada sesi pada 2026-12-06" in response.content.decode()
    response = client.get(reverse("console:capacity"), {**QUERY, "officers": "0"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "officers" in response.context["page"].form.errors


def test_the_page_speaks_english(client, supervisor, booked_day):
    client.force_login(supervisor)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("console:capacity"), {**QUERY, "mode": "one_to_one"})
    html = response.content.decode()
    assert "Capacity planning" in html and "the group size must be 1 (asked for 5)" in html


def test_the_recommendation_becomes_the_weekday_s_templates_with_an_audit_trail(
    client, supervisor, booked_day
):
    old = SessionTemplate.objects.filter(
        branch=booked_day, weekday=DAY.weekday(), channel="offline", active=True
    )
    old_ids = set(old.values_list("pk", flat=True))
    assert old_ids  # the demo's Tuesday templates
    client.force_login(supervisor)
    page = client.get(reverse("console:capacity"), QUERY).context["page"]
    url = reverse("console:capacity_templates") + "?" + "&".join(f"{k}={v}" for k, v in QUERY.items())
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("console:booking_templates")
    )
    new = SessionTemplate.objects.filter(
        branch=booked_day, weekday=DAY.weekday(), channel="offline", active=True
    )
    assert not old_ids & set(new.values_list("pk", flat=True))
    assert [(t.start, t.duration_minutes, t.seats) for t in new.order_by("start")] == sorted(
        (s.start, s.minutes, s.seats) for s in page.slots
    )
    assert BookingEvent.objects.filter(action="template_added", actor=supervisor).count() == len(page.slots)
    assert BookingEvent.objects.filter(action="template_deactivated", actor=supervisor).count() == len(
        old_ids
    )


def test_officers_and_other_branches_do_not_see_the_page(client, cso, booked_day):
    client.force_login(cso)
    assert client.get(reverse("console:capacity"), QUERY).status_code == 404
    url = reverse("console:capacity_templates") + "?date=2026-12-08&officers=1&mode=one_to_one&group_size=1"
    assert client.post(url).status_code == 404
    assert not BookingEvent.objects.filter(action="template_added").exists()
    from lapakasik.accounts.models import User

    makassar_supervisor = User.objects.create(
        username="spv.makassar", role="supervisor", branch=User.objects.get(username="cso.makassar").branch
    )
    client.force_login(makassar_supervisor)
    assert client.get(reverse("console:capacity"), {**QUERY, "branch": "madiun"}).status_code == 404
