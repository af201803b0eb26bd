"""The public "Perkiraan manfaat" page: a participant chooses a program, enters the case and sees
the itemized estimate with its legal basis, without an account and without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

URL = "/perkiraan-manfaat/"
JKM_DEATH = {"death_date": "2019-12-02", "contribution_months": "12", "membership_active": "on"}


def estimate(client, program, data):
    return client.post(f"{URL}?program={program}", data)


def test_anyone_can_open_the_page_from_the_navigation(client, db):
    home = client.get("/")
    assert f'href="{URL}"' in home.content.decode()
    page = client.get(URL)
    assert page.status_code == 200
    assert 'name="program"' in page.content.decode()


def test_choosing_a_program_shows_its_fields_without_javascript(client, db):
    page = client.get(URL, {"program": "JKM"}).content.decode()
    assert 'name="death_date"' in page and 'name="child_1_birth_date"' in page
    # CSP: no inline code (the console's static confirm.js is a file, and this page works without it)
    assert not re.search(r"<script(?![^>]*\ssrc=)", page) and "style=" not in page


def test_an_unknown_program_is_refused(client, db):
    response = client.get(URL, {"program": "JKN"})
    assert response.status_code == 400
    assert response.context["form"] is None


def test_a_death_on_2_december_2019_is_paid_under_pp_82_2019(client, db):
    response = estimate(client, "JKM", JKM_DEATH)
    assert response.status_code == 200
    result = response.context["result"]
    assert result.eligible and result.total == 42_000_000 and result.net == 42_000_000
    page = response.content.decode()
    assert 'data-testid="total">Rp42.000.000<' in page
    assert "Rp20.000.000" in page and "PP 82/2019 (mengubah PP 44/2015 ps. 34 ayat (1) huruf a)" in page
    assert "jkm.lump_sum" in page and "2 Desember 2019" in page  # parameter and the date it was read on
    assert "Akta kematian" in page  # the document checklist


def test_the_day_before_pays_under_pp_44_2015(client, db):
    result = estimate(client, "JKM", {**JKM_DEATH, "death_date": "2019-12-01"}).context["result"]
    assert result.items[0].amount == 16_200_000


def test_a_bad_date_is_shown_on_its_field(client, db):
    response = estimate(client, "JKM", {**JKM_DEATH, "death_date": "2019-13-02"})
    assert response.status_code == 400
    assert response.context["result"] is None
    assert response.context["form"].errors["death_date"]
    assert 'id="id_death_date_error"' in response.content.decode()


def test_a_date_no_recorded_rule_covers_is_shown_on_that_field(client, db):
    response = estimate(client, "JKM", {**JKM_DEATH, "death_date": "1990-01-01"})
    assert response.status_code == 400
    assert "1990-01-01" in response.context["form"].errors["death_date"][0]


def test_a_resignation_within_the_waiting_period_says_when_it_can_be_claimed(client, db):
    case = {
        "reason": "resign",
        "claim_date": "2020-03-05",
        "separation_date": "2020-03-01",
        "balance": "10.000.000",
        "heir_is_spouse": "unknown",
    }
    response = estimate(client, "JHT", case)
    result = response.context["result"]
    assert not result.eligible and result.total == 0
    page = response.content.decode()
    assert "Belum memenuhi syarat." in page
    assert "Dapat diajukan mulai Rabu, 1 April 2020." in page  # the one long date format
    assert "klaim dapat diajukan mulai 2020-04-01" in page  # the rule's own reason


def test_the_rules_texts_follow_the_language(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = estimate(client, "JKM", JKM_DEATH).content.decode()
    assert "Death on 2019-12-02: PP 82/2019 applies." in page
    assert "Death certificate" in page


def test_a_child_s_scholarship_is_listed_apart_from_the_total(client, db):
    data = {
        **JKM_DEATH,
        "contribution_months": "40",
        "child_1_birth_date": "2010-05-01",
        "child_1_level": "sd",
    }
    result = estimate(client, "JKM", data).context["result"]
    assert result.schedule and result.total == 42_000_000


def test_a_child_without_a_school_level_is_asked_for_it(client, db):
    response = estimate(client, "JKM", {**JKM_DEATH, "child_1_birth_date": "2010-05-01"})
    assert response.context["form"].errors["child_1_level"]


def test_jkk_transport_costs_are_capped_per_mode(client, db):
    data = {
        "benefit": "stmb",
        "accident_date": "2020-03-01",
        "monthly_wage": "4.000.000",
        "incapacity_days": "30",
        "transport_land": "Rp 1.000.000",
    }
    result = estimate(client, "JKK", data).context["result"]
    assert result.eligible and result.total > 0


def test_jp_wages_are_read_one_month_per_line(client, db):
    data = {
        "event": "death",
        "event_date": "2020-03-10",
        "contribution_months": "24",
        "beneficiary": "spouse",
        "wages": "2019-03 4.500.000\n\n2019-04 Rp 4500000\n",
    }
    response = estimate(client, "JP", data)
    assert response.status_code == 200, response.context["form"].errors
    assert response.context["result"] is not None


@pytest.mark.parametrize(
    ("wages", "message"),
    [
        ("2019-13 4500000", "Baris 1: bulan harus berformat YYYY-MM"),
        ("2019-03 4500000\n2019-03 4600000", "Baris 2: bulan ini sudah ditulis"),
        ("2019-03 empat juta", "Baris 1: upah harus nominal rupiah"),
        ("2019-03", "Baris 1: tulis bulan dan upah"),
    ],
)
def test_a_bad_wage_line_is_named_by_its_number(client, db, wages, message):
    data = {
        "event": "death",
        "event_date": "2020-03-10",
        "contribution_months": "24",
        "beneficiary": "spouse",
        "wages": wages,
    }
    errors = estimate(client, "JP", data).context["form"].errors["wages"]
    assert any(error.startswith(message) for error in errors), errors


def test_jkk_partial_disability_reads_the_anatomical_table(client, db):
    page = client.get(URL, {"program": "JKK"}).content.decode()
    assert 'value="right_arm_from_shoulder"' in page
    data = {
        "benefit": "partial_disability",
        "accident_date": "2020-03-01",
        "monthly_wage": "4000000",
        "disability_item": "right_arm_from_shoulder",
    }
    result = estimate(client, "JKK", data).context["result"]
    assert result.eligible and result.items and result.total > 0


def test_the_jkp_form_estimates_six_monthly_payments(client, db):
    case = {
        "reason": "phk",
        "termination_date": "2025-03-01",
        "monthly_wage": "4.000.000",
        "contribution_months_last_24": "14",
        "consecutive_months": "10",
    }
    response = estimate(client, "JKP", case)
    result = response.context["result"]
    # PP 6/2025: 60% of the wage for six months, one monthly item each; the total is their sum.
    assert result.eligible and [item.amount for item in result.items] == [2_400_000] * 6
    assert {item.periodicity for item in result.items} == {"monthly"} and result.total == 14_400_000


def test_a_resignation_does_not_open_jkp_on_the_page(client, db):
    case = {
        "reason": "resign",
        "termination_date": "2025-03-01",
        "monthly_wage": "4000000",
        "contribution_months_last_24": "14",
        "consecutive_months": "10",
    }
    result = estimate(client, "JKP", case).context["result"]
    assert not result.eligible and result.total == 0
