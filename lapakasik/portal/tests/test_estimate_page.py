"""The public "Perkiraan manfaat" page: a participant chooses a program, then the case, enters only that
case's fields and sees the itemized estimate with its legal basis, without an account and without
JavaScript. The tests marked "issue 14" each pin one finding of the phone review."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

URL = "/perkiraan-manfaat/"
JKM_DEATH = {"death_date": "2019-12-02", "contribution_months": "12", "membership_active": "on"}


def estimate(client, program, data, case=None):
    """POST the case; a good answer is redirected (Post/Redirect/Get) and followed to the result."""
    url = f"{URL}?program={program}" + (f"&kasus={case}" if case else "")
    return client.post(url, data, follow=True)


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
    assert "2 Desember 2019" in page  # the date the rule was read on (its parameter key is not shown)
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
    assert "1 Januari 1990" in response.context["form"].errors["death_date"][0]


def test_a_resignation_within_the_waiting_period_says_when_it_can_be_claimed(client, db):
    case = {
        "claim_date": "2020-03-05",
        "separation_date": "2020-03-01",
        "balance": "10.000.000",
        "heir_is_spouse": "unknown",
    }
    response = estimate(client, "JHT", case, "resign")
    result = response.context["result"]
    assert not result.eligible and result.total == 0
    page = response.content.decode()
    assert "Belum memenuhi syarat." in page
    assert "Dapat diajukan mulai Rabu, 1 April 2020." in page  # the one long date format
    assert "klaim dapat diajukan mulai Rabu, 1 April 2020" in page  # the rule's own reason, same format


def test_the_rules_texts_follow_the_language(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = estimate(client, "JKM", JKM_DEATH).content.decode()
    assert "Death on Monday, 2 December 2019: PP 82/2019 applies." in page
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
        "accident_date": "2020-03-01",
        "monthly_wage": "4.000.000",
        "incapacity_days": "30",
        "transport_land": "Rp 1.000.000",
    }
    response = estimate(client, "JKK", data, "stmb")
    result = response.context["result"]
    assert result.eligible and result.total > 0
    # issue 14: the mode is said in words, never as its code
    assert "transportasi (darat)" in response.text and "(land)" not in response.text


def test_jkk_partial_disability_reads_the_anatomical_table(client, db):
    page = client.get(URL, {"program": "JKK", "kasus": "partial_disability"}).content.decode()
    assert 'value="right_arm_from_shoulder"' in page
    data = {
        "accident_date": "2020-03-01",
        "monthly_wage": "4000000",
        "disability_item": "right_arm_from_shoulder",
    }
    result = estimate(client, "JKK", data, "partial_disability").context["result"]
    assert result.eligible and result.items and result.total > 0


def test_the_jkp_form_estimates_six_monthly_payments(client, db):
    case = {
        "termination_date": "2025-03-01",
        "monthly_wage": "4.000.000",
        "contribution_months_last_24": "14",
        "consecutive_months": "10",
    }
    response = estimate(client, "JKP", case, "phk")
    result = response.context["result"]
    # PP 6/2025: 60% of the wage for six months, one monthly item each; the total is their sum.
    assert result.eligible and [item.amount for item in result.items] == [2_400_000] * 6
    assert {item.periodicity for item in result.items} == {"monthly"} and result.total == 14_400_000


def test_a_resignation_does_not_open_jkp_on_the_page(client, db):
    case = {
        "termination_date": "2025-03-01",
        "monthly_wage": "4000000",
        "contribution_months_last_24": "14",
        "consecutive_months": "10",
    }
    response = estimate(client, "JKP", case, "resign")
    result = response.context["result"]
    assert not result.eligible and result.total == 0
    # the reason's words, not its code 'resign'
    assert any("bukan untuk alasan 'Mengundurkan diri'" in reason.message_id for reason in result.reasons)


# --- issue 14: the participant journey on a phone ------------------------------------------------

RESIGNED = {"separation_date": "2020-01-10", "claim_date": "2020-03-05", "balance": "46.250.000"}
JP_DEATH = {"event_date": "2020-03-10", "contribution_months": "24", "beneficiary": "spouse"}


def _names(html: str) -> set[str]:
    """The inputs of the page's own form (not the header's language switch)."""
    main = html.split("<main>", 1)[1]
    return set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', main)) - {"csrfmiddlewaretoken"}


def _wages(rows, total=None):
    data = {"upah-TOTAL_FORMS": str(total or len(rows)), "upah-INITIAL_FORMS": "0"}
    for index, (month, wage) in enumerate(rows):
        data[f"upah-{index}-month"], data[f"upah-{index}-wage"] = month, wage
    return data


def test_the_first_steps_ask_one_thing_each_program_then_case(client, db):
    first = client.get(URL).text
    assert _names(first) == {"program"} and 'type="radio"' in first
    second = client.get(URL, {"program": "JHT"}).text
    assert _names(second) == {"program", "kasus"}  # the program rides along as a hidden field
    assert 'value="resign"' in second and "Mengundurkan diri" in second and 'type="date"' not in second
    assert client.get(URL, {"program": "JHT", "kasus": "nonsense"}).status_code == 400


@pytest.mark.parametrize(
    ("program", "case", "shown", "hidden"),
    [
        ("JHT", "resign", {"separation_date", "balance", "claim_date"},
         {"birth_date", "membership_start", "company_retirement_age", "heir_is_spouse", "reason"}),
        ("JHT", "retirement_age", {"birth_date", "company_retirement_age"}, {"separation_date", "membership_start"}),
        ("JHT", "partial_30", {"membership_start"}, {"separation_date", "birth_date"}),
        ("JKK", "stmb", {"incapacity_days", "transport_land"},
         {"disability_item", "disability_percent", "child_1_birth_date", "heir_is_spouse", "benefit"}),
        ("JP", "disability", {"event_date", "upah-0-month"}, {"birth_date", "beneficiary", "heir_is_spouse", "event"}),
    ],
)  # fmt: skip
def test_a_case_shows_only_the_fields_it_needs(client, db, program, case, shown, hidden):
    names = _names(client.get(URL, {"program": program, "kasus": case}).text)
    assert shown <= names and not hidden & names


def test_optional_fields_are_marked_and_required_ones_are_not(client, db):
    page = client.get(URL, {"program": "JHT", "kasus": "resign"}).text
    label = re.search(r'<label for="id_claim_date">(.*?)</label>', page, re.S).group(1)
    assert "(tidak wajib)" in label
    label = re.search(r'<label for="id_separation_date">(.*?)</label>', page, re.S).group(1)
    assert "tidak wajib" not in label


@pytest.mark.parametrize(
    ("program", "case", "data", "field", "message"),
    [
        ("JKM", None, {**JKM_DEATH, "death_date": "9999-01-01"}, "death_date",
         "Tanggal meninggal dunia tidak boleh sesudah hari ini"),
        ("JKM", None, {**JKM_DEATH, "death_date": "1950-06-01"}, "death_date",
         "Tanggal meninggal dunia tidak boleh sebelum Sabtu, 1 Januari 1977."),
        ("JHT", "retirement_age", {"birth_date": "2030-01-01", "balance": "1000000"}, "birth_date",
         "Tanggal lahir peserta tidak boleh sesudah hari ini"),
        ("JHT", "retirement_age", {"birth_date": "1901-01-01", "balance": "1000000"}, "birth_date",
         "Tanggal lahir peserta tidak boleh sebelum Rabu, 1 Januari 1930."),
        ("JP", "death", {**JP_DEATH, "event_date": "2014-12-31"}, "event_date",
         "(JP dimulai Rabu, 1 Juli 2015.)"),
        ("JHT", "resign", {**RESIGNED, "claim_date": "2999-01-01"}, "claim_date",
         "Tanggal pengajuan klaim paling lambat"),
    ],
)  # fmt: skip
def test_implausible_dates_are_refused_on_their_field(client, db, program, case, data, field, message):
    response = estimate(client, program, data, case)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]


def test_date_inputs_carry_the_plausible_range(client, db):
    page = client.get(URL, {"program": "JKM"}).text
    death = re.search(r'<input[^>]*name="death_date"[^>]*>', page).group(0)
    assert 'min="1977-01-01"' in death and 'max="20' in death


@pytest.mark.parametrize(
    "typed", ["46 250 000", "46.250.000", "46,250,000", "Rp46.250.000", "Rp 46.250.000,-"]
)
def test_rupiah_is_read_with_spaces_dots_or_commas(client, db, typed):
    response = estimate(client, "JHT", {**RESIGNED, "balance": typed}, "resign")
    assert response.status_code == 200, response.context["form"].errors
    assert response.context["result"].items[0].amount == 46_250_000


def test_a_rupiah_amount_with_sen_is_refused_with_an_example(client, db):
    response = estimate(client, "JHT", {**RESIGNED, "balance": "46.250.000,50"}, "resign")
    assert "misalnya 46.250.000" in response.context["form"].errors["balance"][0]


def test_amounts_and_counts_bring_up_the_number_pad(client, db):
    page = client.get(URL, {"program": "JKP", "kasus": "phk"}).text
    for name in ("monthly_wage", "contribution_months_last_24", "consecutive_months"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'inputmode="numeric"' in field and 'type="text"' in field


def test_jp_wages_are_a_small_table_of_months_and_amounts(client, db):
    page = client.get(URL, {"program": "JP", "kasus": "death"}).text
    assert "<textarea" not in page and 'name="upah-5-month"' in page and 'name="upah-6-month"' not in page
    assert re.search(r'<input[^>]*type="month"[^>]*name="upah-0-month"', page)
    rows = _wages([("2019-03", "4.500.000"), ("", ""), ("03/2019", "Rp 4500000")], total=6)
    response = estimate(client, "JP", {**JP_DEATH, **rows}, "death")
    errors = response.context["form"].wages.errors
    assert errors[2]["month"] == ["Bulan ini sudah ditulis di baris lain."]  # 03/2019 is 2019-03
    response = estimate(
        client, "JP", {**JP_DEATH, **_wages([("2019-03", "4.500.000"), ("2019-04", "4500000")])}, "death"
    )
    assert response.status_code == 200 and response.context["result"] is not None


def test_a_bad_wage_row_is_named_in_the_summary(client, db):
    response = estimate(client, "JP", {**JP_DEATH, **_wages([("2019-03", "empat juta")])}, "death")
    assert response.status_code == 400
    assert 'href="#id_upah-0-wage">Upah baris 1, upah (rp): Tulis nominal' in response.text


def test_more_wage_rows_without_javascript_keep_what_was_typed(client, db):
    rows = _wages([("2019-03", "4.500.000")], total=6)
    response = client.post(f"{URL}?program=JP&kasus=death", {**JP_DEATH, **rows, "tambah_baris": "1"})
    assert response.status_code == 200 and response.context["result"] is None
    page = response.text
    assert 'name="upah-11-month"' in page and 'value="4.500.000"' in page
    assert "error-summary" not in page  # adding rows is not an attempt to answer


def test_no_code_or_parameter_key_reaches_the_page(client, db):
    page = estimate(client, "JHT", RESIGNED, "resign").text
    assert "<code>" not in page and "'resign'" not in page and "&#x27;resign&#x27;" not in page
    assert not re.search(r"\b(jht|jkm|jkk|jp|jkp|tax)\.[a-z_]+", page)
    assert "Mengundurkan diri" in page


def test_the_survivor_pension_names_the_beneficiary_in_words(client, db):
    data = {**JP_DEATH, "contribution_months": "13", **_wages([("2019-03", "4000000")])}
    result = estimate(client, "JP", data, "death").context["result"]
    labels = " ".join(item.label_id for item in result.items)
    assert "janda/duda" in labels and "spouse" not in labels


def test_a_doubtful_result_says_so_once(client, db):
    data = {
        **JP_DEATH,
        "event_date": "2021-06-30",
        "membership_start": "2020-06-01",
        "contribution_months": "12",
    }
    rows = _wages([(f"2020-{m:02d}", "4000000") for m in range(6, 13)])
    page = estimate(client, "JP", {**data, **rows}, "death").text
    assert page.count("belum terverifikasi") == 1


def test_an_eligible_estimate_offers_to_start_this_claim(client, db, participant):
    response = estimate(client, "JHT", RESIGNED, "resign")
    assert response.context["result"].eligible
    assert (
        'href="/klaim/identifikasi/?choice=JHT%3Aresign"' in response.text
    )  # no account yet: identify first
    client.force_login(participant)
    page = client.get(f"{URL}?program=JHT&kasus=resign&hasil=1").text
    assert 'href="/klaim/baru/?choice=JHT%3Aresign"' in page and "Mulai klaim ini" in page


def test_an_ineligible_or_offline_estimate_offers_no_claim_button(client, db):
    waiting = estimate(client, "JHT", {**RESIGNED, "separation_date": "2020-03-01"}, "resign").text
    assert 'data-testid="start-claim"' not in waiting
    data = {"accident_date": "2020-03-01", "monthly_wage": "4000000", "incapacity_days": "30"}
    jkk = estimate(client, "JKK", data, "stmb").text
    assert 'data-testid="start-claim"' not in jkk and 'data-testid="claim-at-branch"' in jkk


def test_identifying_keeps_the_claim_the_estimate_chose(client, db):
    from lapakasik.accounts.models import User
    from lapakasik.portal.tests.test_claim_portal import ACCOUNT, SRI

    User.objects.filter(username="peserta").update(participant=None)  # a first-time visitor
    response = client.post("/klaim/identifikasi/?choice=JHT:resign", {**SRI, **ACCOUNT})
    assert response.status_code == 302 and response["Location"] == "/klaim/baru/?choice=JHT%3Aresign"
    assert "Mengundurkan diri" in client.get(response["Location"]).text
    junk = client.post("/klaim/identifikasi/?choice=<script>", {**SRI, **ACCOUNT})
    assert "choice" not in junk.get("Location", "")


def test_a_good_answer_is_redirected_so_a_reload_does_not_post_again(client, db):
    response = client.post(f"{URL}?program=JKM", JKM_DEATH)
    assert response.status_code == 302 and response["Location"] == f"{URL}?program=JKM&hasil=1#hasil"
    again = client.get(response["Location"])
    assert again.context["result"].total == 42_000_000
    assert client.get(f"{URL}?program=JHT&kasus=resign&hasil=1").context["result"] is None  # another case


def test_a_rules_refusal_about_the_wage_table_links_to_the_table(client, db):
    response = estimate(
        client, "JP", {**JP_DEATH, "contribution_months": "13", **_wages([], total=6)}, "death"
    )
    assert response.status_code == 400
    assert '<a href="#upah">Wajib diisi: riwayat upah bulanan</a>' in response.text


def test_a_refused_answer_has_an_error_summary_linking_to_each_field(client, db):
    response = estimate(client, "JKM", {**JKM_DEATH, "death_date": "", "contribution_months": "dua"})
    page = response.text
    assert response.status_code == 400
    summary = page.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert 'href="#id_death_date">Tanggal meninggal dunia:' in summary
    assert 'href="#id_contribution_months">Lama kepesertaan (bulan iuran):' in summary
    assert 'action="/perkiraan-manfaat/?program=JKM#isian"' in page  # back to the form, not the page top


def test_the_steps_and_the_error_summary_speak_english_too(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Which programme do you want to estimate?" in client.get(URL).text
    page = client.get(URL, {"program": "JHT", "kasus": "resign"}).text
    assert "(optional)" in page and "Leave empty for today." in page
    refused = estimate(client, "JKM", {**JKM_DEATH, "death_date": "9999-01-01"}).text
    assert "There is a problem" in refused and "cannot be after today" in refused
