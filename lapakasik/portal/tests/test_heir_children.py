"""Issue 14: the heir's JKM claim asks about the children and shows the rules' scholarship schedule."""

import pytest
from django.urls import reverse

from lapakasik.claims import actions
from lapakasik.claims.models import ClaimAction, ClaimChild, SchoolLevel
from lapakasik.registry.models import Heir
from lapakasik.rules.scholarship import LEVELS


@pytest.fixture
def jkm(heir):
    siti = Heir.objects.get(participant=heir.participant, nik="3577015608780004")
    return actions.start_online_claim(
        by=heir, participant=heir.participant, program="JKM", reason="death", heir=siti
    )


def _children(**rows):
    data = {}
    for n, (name, born, level) in rows.items():
        data.update({f"child_{n}_name": name, f"child_{n}_birth_date": born, f"child_{n}_level": level})
    return data


def test_the_school_levels_are_the_rules_levels():
    assert tuple(SchoolLevel.values) == LEVELS


def test_the_heir_names_the_children_and_sees_the_scholarship_schedule(client, heir, jkm):
    client.force_login(heir)
    url = reverse("claims_children", args=[jkm.number])
    assert (
        'data-testid="children-link"'
        in client.get(reverse("claims_task_choice", args=[jkm.number])).content.decode()
    )
    posted = client.post(
        url, _children(**{"1": ("Rina", "2012-05-01", "smp"), "2": ("Dimas", "2016-09-10", "sd")})
    )
    assert posted.status_code == 302 and posted["Location"] == url
    assert list(jkm.children.values_list("name", flat=True)) == ["Rina", "Dimas"]
    event = jkm.events.get(action=ClaimAction.CHILDREN_SAVED)
    assert event.data["children"][0] == {"birth_date": "2012-05-01", "level": "smp"}
    page = client.get(url)
    html = page.content.decode()
    # Bambang died on 20 October 2026 after 17 years: the yearly scholarship, two children, named rows.
    schedule = page.context["schedule"]
    assert 'data-testid="scholarship-schedule"' in html and "Rina" in html and "Dimas" in html
    assert {row["name"] for row in schedule} == {"Rina", "Dimas"}
    assert schedule[0]["amount"] == 2_000_000 and schedule[0]["level"] == "smp"  # SMP: Rp2 jt a year
    # The claim now asks for the proof of schooling, and its page shows the same schedule.
    from lapakasik.claims.cases import assess_claim

    assert "school_proof" in dict(assess_claim(jkm).documents)
    detail = client.get(reverse("claims_task_choice", args=[jkm.number])).content.decode()
    assert 'data-testid="scholarship-schedule"' in detail


def test_a_half_filled_child_is_refused_in_indonesian_with_the_error_summary(client, heir, jkm):
    client.force_login(heir)
    response = client.post(
        reverse("claims_children", args=[jkm.number]), _children(**{"1": ("Rina", "", "sd")})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ada yang perlu diperbaiki" in html and "Isi tanggal lahir anak ini." in html
    assert not ClaimChild.objects.filter(claim=jkm).exists()


def test_a_birth_in_the_future_is_refused(client, heir, jkm):
    client.force_login(heir)
    response = client.post(
        reverse("claims_children", args=[jkm.number]), _children(**{"1": ("Rina", "2999-01-01", "sd")})
    )
    assert response.status_code == 400 and "tidak boleh sesudah" in response.content.decode()


def test_children_are_asked_only_on_the_claimants_own_jkm_claim(client, heir, participant, jkm, madiun):
    from lapakasik.claims.tests.helpers import online_jht_draft

    client.force_login(participant)
    assert client.get(reverse("claims_children", args=[jkm.number])).status_code == 404
    draft = online_jht_draft(participant, madiun)
    assert client.get(reverse("claims_children", args=[draft.number])).status_code == 404


def test_saving_children_again_replaces_the_list(heir, jkm):
    import datetime as dt

    from lapakasik.claims.heirs import save_children

    save_children(jkm, by=heir, children=[("Rina", dt.date(2012, 5, 1), "smp")])
    save_children(jkm, by=heir, children=[("Dimas", dt.date(2016, 9, 10), "sd")])
    assert list(jkm.children.values_list("name", flat=True)) == ["Dimas"]


def test_the_children_are_an_optional_task_on_the_jkm_task_list(client, heir, jkm):
    client.force_login(heir)
    tasks = reverse("claims_detail", args=[jkm.number])
    children = reverse("claims_children", args=[jkm.number])
    page = client.get(tasks).content.decode()
    assert 'data-task="children"' in page and f'href="{children}"' in page and "(opsional)" in page
    assert "Anda sudah menyelesaikan 2 dari 6 tugas." in page
    # "2. Ajukan" holds only the check-answers task, whatever the number of tasks before it.
    assert page.split("2. Ajukan", 1)[1].count('data-task="') == 1
    # Optional: not among what "check answers" says is missing.
    check = client.get(reverse("claims_task_check", args=[jkm.number])).content.decode()
    missing = check.split('data-testid="not-ready"', 1)[1].split("</div>", 1)[0]
    assert f'href="{children}?dari=periksa"' not in missing

    client.post(children, _children(**{"1": ("Rina", "2012-05-01", "smp")}))

    assert "Anda sudah menyelesaikan 3 dari 6 tugas." in client.get(tasks).content.decode()


def test_other_programs_have_no_children_task(client, participant, madiun):
    from lapakasik.claims.tests.helpers import online_jht_draft

    draft = online_jht_draft(participant, madiun)
    client.force_login(participant)
    assert (
        'data-task="children"'
        not in client.get(reverse("claims_detail", args=[draft.number])).content.decode()
    )


def test_an_upload_on_a_jkm_claim_returns_to_the_documents_until_they_are_complete(client, heir, jkm):
    from lapakasik.claims.cases import assess_claim
    from lapakasik.claims.heirs import save_children
    from lapakasik.claims.tests.helpers import jpeg

    client.force_login(heir)
    save_children(jkm, by=heir, children=[])  # the children task done, the documents not
    first_kind = assess_claim(jkm).documents[0][0]
    response = client.post(reverse("claims_upload", args=[jkm.number]), {"kind": first_kind, "file": jpeg()})
    assert response.status_code == 302 and response["Location"] == reverse("claims_upload", args=[jkm.number])


def test_the_children_are_on_periksa_jawaban_and_ubah_comes_back_there(client, heir, jkm):
    client.force_login(heir)
    check = reverse("claims_task_check", args=[jkm.number])
    html = client.get(check).content.decode()
    assert 'data-testid="check-children"' in html and "Tidak ada anak yang dicatat." in html
    children = reverse("claims_children", args=[jkm.number])
    assert f"{children}?dari=periksa" in html
    # From "Ubah": the page offers the way back to the check page and saving returns there.
    assert "Kembali ke Periksa jawaban Anda" in client.get(f"{children}?dari=periksa").content.decode()
    posted = client.post(children, {**_children(**{"1": ("Rina", "2012-05-01", "smp")}), "dari": "periksa"})
    assert posted.status_code == 302 and posted["Location"] == check
    html = client.get(check).content.decode()
    assert "Rina" in html and "1 Mei 2012" in html


def test_a_jht_claim_has_no_children_on_periksa_jawaban(client, participant, madiun):
    from lapakasik.claims.tests.helpers import online_jht_draft

    claim = online_jht_draft(participant, madiun)
    client.force_login(participant)
    html = client.get(reverse("claims_task_check", args=[claim.number])).content.decode()
    assert 'data-testid="check-children"' not in html
