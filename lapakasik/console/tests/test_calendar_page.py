"""The supervisor's templates and calendar page: the service's rules, one form's errors under that form only,
programs and reasons by name, and templates that can be edited (replaced, with the audit trail)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lapakasik.booking import actions
from lapakasik.booking.calendar import seats_allowed, slot_problem
from lapakasik.booking.models import BookingEvent, SessionTemplate
from lapakasik.lib.errors import DomainError

URL = "/console/sesi/templat/"
HOURS = {0: (dt.time(8), dt.time(15)), 1: (dt.time(8), dt.time(15))}


def _form(cso, **overrides) -> dict:
    return {
        "kind": "template",
        "t-channel": "offline",
        "t-officer": cso.pk,
        "t-weekday": 1,
        "t-start": "09:00",
        "t-duration_minutes": 45,
        "t-seats": 5,
        **overrides,
    }


def test_seats_are_one_to_one_or_a_group_of_four_to_six():
    assert [n for n in range(0, 9) if seats_allowed(n)] == [1, 4, 5, 6]


def test_a_slot_must_fall_on_an_opening_day_within_the_hours():
    assert slot_problem(1, dt.time(9), 45, HOURS) is None
    assert slot_problem(1, dt.time(14, 15), 45, HOURS) is None  # ends at closing
    assert slot_problem(5, dt.time(9), 45, HOURS) == "closed_day"  # Saturday
    assert slot_problem(1, dt.time(7, 30), 45, HOURS) == "outside_hours"
    assert slot_problem(1, dt.time(14, 30), 45, HOURS) == "outside_hours"
    assert slot_problem(1, dt.time(23, 50), 45, {1: (dt.time(8), dt.time(23, 59))}) == "outside_hours"


@pytest.mark.parametrize("seats", [2, 3, 7])
def test_two_or_three_seats_are_refused_under_the_seats_field(client, supervisor, cso, seats):
    client.force_login(supervisor)
    before = SessionTemplate.objects.count()
    response = client.post(URL, _form(cso, **{"t-seats": seats}))
    assert response.status_code == 400
    assert "Kursi 1 (satu-satu) atau 4–6" in str(response.context["form"].errors["seats"])
    assert SessionTemplate.objects.count() == before


def test_a_saturday_template_is_refused_for_a_branch_closed_on_saturdays(client, supervisor, cso):
    client.force_login(supervisor)
    page = client.get(URL)
    assert 'value="5"' not in str(page.context["form"]["weekday"])  # Saturday is not even offered
    response = client.post(URL, _form(cso, **{"t-weekday": 5}))
    assert response.status_code == 400
    assert "tutup pada hari Sabtu" in str(response.context["form"].errors["weekday"])


def test_one_form_s_error_shows_under_that_form_only(client, supervisor, cso):
    client.force_login(supervisor)
    response = client.post(URL, _form(cso, **{"t-seats": 2}))
    html = response.content.decode()
    assert html.count('class="errorlist') == 1
    assert not response.context["hours_form"].is_bound and not response.context["closure_form"].is_bound


def test_programs_and_reasons_are_chosen_from_lists_and_shown_by_name(client, supervisor, cso, madiun):
    client.force_login(supervisor)
    page = client.get(URL).content.decode()
    assert 'type="checkbox" name="t-programs" value="JKM"' in page and "Jaminan Kematian (JKM)" in page
    assert 'name="t-reasons" value="resign"' in page and "Mengundurkan diri" in page
    form = {**_form(cso), "t-programs": ["JHT", "JKM"], "t-reasons": ["resign", "phk"]}
    assert client.post(URL, form).status_code == 302
    template = madiun.session_templates.latest("pk")
    assert template.programs == "JHT JKM" and template.reasons == "resign phk"
    row = client.get(URL).content.decode()
    assert "Jaminan Hari Tua (JHT), Jaminan Kematian (JKM)" in row and "Mengundurkan diri, PHK" in row


def test_an_unknown_program_code_is_refused_by_the_action(supervisor, cso, madiun):
    with pytest.raises(DomainError) as refused:
        actions.add_template(
            madiun,
            by=supervisor,
            channel="offline",
            officer=cso,
            weekday=1,
            start=dt.time(9),
            duration_minutes=45,
            seats=5,
            programs="JHT XYZ",
        )
    assert refused.value.field == "programs"


def test_a_template_is_edited_by_replacing_it_with_both_events(client, supervisor, cso, madiun):
    old = SessionTemplate.objects.filter(branch=madiun, active=True, channel="offline").first()
    client.force_login(supervisor)
    page = client.get(URL, {"ubah": old.pk})
    assert page.context["edit_form"].instance == old
    edit = {
        "kind": "edit",
        "template": old.pk,
        "e-channel": "offline",
        "e-officer": cso.pk,
        "e-weekday": old.weekday,
        "e-start": "11:00",
        "e-duration_minutes": 60,
        "e-seats": 6,
        "e-programs": ["JHT"],
    }
    assert client.post(URL, edit).status_code == 302
    old.refresh_from_db()
    new = madiun.session_templates.latest("pk")
    assert not old.active and new.active and (new.start, new.seats, new.programs) == (dt.time(11), 6, "JHT")
    events = BookingEvent.objects.filter(branch=madiun, actor=supervisor).order_by("pk")
    assert [(e.action, e.data.get("replaces"), e.data.get("replaced_by")) for e in events] == [
        ("template_added", old.pk, None),
        ("template_deactivated", None, new.pk),
    ]


def test_editing_with_an_error_keeps_the_old_template_and_shows_the_error_in_the_edit_form(
    client, supervisor, cso, madiun
):
    old = SessionTemplate.objects.filter(branch=madiun, active=True).first()
    client.force_login(supervisor)
    edit = {
        "kind": "edit",
        "template": old.pk,
        "e-channel": old.channel,
        "e-officer": cso.pk,
        "e-weekday": old.weekday,
        "e-start": "14:50",
        "e-duration_minutes": 45,
        "e-seats": 1,
    }
    response = client.post(URL, edit)
    assert response.status_code == 400
    assert "dalam jam buka (08:00–15:00)" in str(response.context["edit_form"].errors["start"])
    assert not response.context["form"].is_bound
    old.refresh_from_db()
    assert old.active


def test_an_inactive_template_cannot_be_replaced(supervisor, cso, madiun):
    old = SessionTemplate.objects.filter(branch=madiun, active=True).first()
    actions.deactivate_template(old, by=supervisor)
    with pytest.raises(DomainError) as refused:
        actions.replace_template(
            old,
            by=supervisor,
            channel=old.channel,
            officer=cso,
            weekday=old.weekday,
            start=old.start,
            duration_minutes=old.duration_minutes,
            seats=old.seats,
            programs="",
            reasons="",
        )
    assert refused.value.code == "template_inactive"


def test_a_cso_cannot_edit_templates(client, cso, madiun):
    old = SessionTemplate.objects.filter(branch=madiun, active=True).first()
    client.force_login(cso)
    assert client.get(reverse("console:booking_templates"), {"ubah": old.pk}).status_code == 404
