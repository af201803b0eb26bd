"""The officer's queue (issue 13, "finding and working claims"): search, facets, sorting, paging, SLA age,
the holder, "Klaim berikutnya", bulk "Mulai verifikasi" and saved views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from lapakasik.accounts.models import SavedView
from lapakasik.booking.tests.conftest import make_claimant
from lapakasik.claims.models import Claim, ClaimEvent
from lapakasik.claims.queries import QUEUE_STATUSES

URL = "/console/klaim/"


def _get(client, **query):
    return client.get(reverse("console:claims_queue"), query)


def _numbers(response) -> list[str]:
    return [c.number for c in response.context["claims"]]


@pytest.fixture
def officer(client, cso):
    client.force_login(cso)
    return client


def test_a_paid_claim_is_found_by_its_number_nik_kpj_and_name(officer):
    paid = Claim.objects.filter(branch__code="madiun", status="paid").select_related("participant").first()
    person = paid.participant
    for q in (paid.number, paid.number.lower(), person.nik, person.kpj, person.full_name.lower()[1:8]):
        response = _get(officer, q=q)
        assert response.status_code == 200
        assert paid.number in _numbers(response) or response.context["page"].paginator.count > 50, q
    assert _numbers(_get(officer, q=paid.number)) == [paid.number]
    assert set(_numbers(_get(officer, q=person.nik))) == set(
        Claim.objects.filter(branch__code="madiun", participant=person).values_list("number", flat=True)
    )


def test_a_name_search_matches_the_start_of_a_word_before_the_middle_of_one(officer):
    names = {c.participant.full_name for c in _get(officer, q="agus", status="all").context["claims"]}
    assert names and all(any(w.lower().startswith("agus") for w in n.split()) for n in names)
    assert "Agus Prasetyo" in {
        c.participant.full_name for c in _get(officer, q="AGUS PRAS").context["claims"]
    }
    middle = {c.participant.full_name for c in _get(officer, q="rasetyo", status="all").context["claims"]}
    assert middle and all("rasetyo" in n.lower() for n in middle)  # no word starts so: anywhere in a word


def _claimed_by_heir(branch_code: str, heir_name: str, heir_nik: str) -> Claim:
    """A claim of a deceased participant, made by an heir with this name (as a JKM/JHT/JP heir claims)."""
    from lapakasik.registry.models import Heir

    claim = make_claimant(branch_code=branch_code)
    heir = Heir.objects.create(
        participant=claim.participant,
        nik=heir_nik,
        full_name=heir_name,
        relationship="spouse",
        birth_date=dt.date(1987, 5, 1),
        sex="F",
    )
    Claim.objects.filter(pk=claim.pk).update(heir=heir)  # set-up data: who claims, not a status
    return claim


def test_a_claim_is_found_by_the_name_of_the_heir_who_claims_it(officer):
    claim = _claimed_by_heir("madiun", "Wahyuningsih Kartikasari", "3519084101870007")
    assert "Wahyuningsih" not in claim.participant.full_name
    for q in ("wahyuningsih", "KARTIKA", "Wahyuningsih Kartikasari", "ningsih kart"):
        assert _numbers(_get(officer, q=q)) == [claim.number], q
    body = officer.get("/api/staff/claims/", {"q": "kartikasari"})
    assert [c["number"] for c in body.json()] == [claim.number] and body["X-Total-Count"] == "1"


def test_an_heirs_name_does_not_reveal_another_branchs_claims(client, cso, outsider):
    makassar = _claimed_by_heir("makassar", "Wahyuningsih Kartikasari", "7371014101870007")
    madiun = _claimed_by_heir("madiun", "Kartikasari Wulandari", "3519084101870008")
    client.force_login(cso)
    assert _numbers(_get(client, q="kartikasari")) == [madiun.number]
    assert _numbers(_get(client, q="wahyuningsih")) == []
    assert client.get("/api/staff/claims/", {"q": "wahyuningsih"})["X-Total-Count"] == "0"
    client.force_login(outsider)  # Makassar's officer: the same search shows Makassar's claim only
    assert _numbers(_get(client, q="kartikasari")) == [makassar.number]
    api = [c["number"] for c in client.get("/api/staff/claims/", {"q": "kartikasari"}).json()]
    assert api == [makassar.number]


def test_a_search_too_short_to_be_useful_says_so_instead_of_listing_everything(officer):
    response = _get(officer, q="ag")
    assert response.status_code == 200 and _numbers(response) == []
    assert "minimal 3 huruf" in " ".join(response.context["notes"])


def test_paging_says_which_claims_of_how_many_and_never_stops_at_200(officer):
    paid = Claim.objects.filter(branch__code="madiun", status="paid").count()
    assert paid > 200
    first = _get(officer, status="paid")
    assert f"Menampilkan 1–50 dari {paid}" in first.content.decode()
    second = _get(officer, status="paid", page=2)
    assert f"Menampilkan 51–100 dari {paid}" in second.content.decode()
    assert not set(_numbers(first)) & set(_numbers(second))
    last_page = (paid + 49) // 50
    last = _get(officer, status="paid", page=last_page)
    assert f"Menampilkan {(last_page - 1) * 50 + 1}–{paid} dari {paid}" in last.content.decode()
    beyond = _get(officer, status="paid", page=last_page + 5)
    assert beyond.status_code == 200 and beyond.context["page"].number == last_page
    assert "tidak ada" in " ".join(beyond.context["notes"])
    assert f'href="?status=paid&amp;page={last_page}"' in first.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"page": "abc"}, {"page": "0"}, {"status": "bogus"}, {"sort": "password"}, {"program": "XYZ"},
     {"q": "x" * 101}, {"q": "a\x00b"}, {"age": "old"}],
)  # fmt: skip
def test_bad_parameters_answer_400_naming_the_field_never_500(officer, query):
    response = _get(officer, **query)
    assert response.status_code == 400


def test_facet_counts_are_the_lists_they_lead_to(officer):
    response = _get(officer)
    counts = response.context["counts"]
    for status in QUEUE_STATUSES:
        listed = _get(officer, status=status).context["page"].paginator.count
        assert counts["status"].get(status, 0) == listed
    assert counts["overdue"] == _get(officer, age="overdue").context["page"].paginator.count
    total = response.context["page"].paginator.count
    assert sum(counts["program"].values()) == total == sum(counts["channel"].values())


def test_columns_sort_both_ways(officer):
    up = [c.participant.full_name for c in _get(officer, status="all", sort="name").context["claims"]]
    down = [c.participant.full_name for c in _get(officer, status="all", sort="-name").context["claims"]]
    assert up == sorted(up) and down == sorted(down, reverse=True) and up[0] != down[0]
    amounts = [c.amount_claimed or 0 for c in _get(officer, status="paid", sort="-amount").context["claims"]]
    assert amounts == sorted(amounts, reverse=True)


def test_each_row_shows_working_day_age_sla_colour_and_who_holds_it(officer):
    claims = {c.number: c for c in _get(officer).context["claims"]}
    late = [c for c in claims.values() if c.participant.full_name == "Agus Prasetyo"][0]
    assert late.age > 5 and late.sla == "late"
    assert {c.sla for c in claims.values() if c.status != "returned_for_documents"} <= {"ok", "risk", "late"}
    verified = [c for c in claims.values() if c.status == "verified"][0]
    assert verified.holder == "Menunggu persetujuan"
    returned = [c for c in claims.values() if c.status == "returned_for_documents"][0]
    assert returned.holder == "Peserta" and returned.sla == ""
    page = _get(officer).content.decode()
    assert "sla-late" in page and "lewat SLA" in page


def test_next_claim_takes_the_oldest_unbooked_submitted_claim_into_verification(officer, cso):
    from lapakasik.claims.queries import next_claim_candidates

    expected = next_claim_candidates(cso, cso.branch).first()
    response = officer.post(reverse("console:claims_next"))
    assert response.status_code == 302 and response["Location"].endswith(f"/klaim/{expected.number}/")
    expected.refresh_from_db()
    assert expected.status == "in_verification"
    event = ClaimEvent.objects.get(claim=expected, action="verification_started")
    assert event.actor == cso
    assert _get(officer, q=expected.number).context["claims"][0].holder == cso.get_full_name() or cso.username


def test_next_claim_with_nothing_waiting_says_so(officer, cso):
    from lapakasik.claims.queries import next_claim_candidates

    for _ in range(next_claim_candidates(cso, cso.branch).count()):
        officer.post(reverse("console:claims_next"))
    response = officer.post(reverse("console:claims_next"), follow=True)
    assert "Tidak ada klaim yang menunggu" in response.content.decode()


def test_bulk_start_moves_the_submitted_ones_with_an_event_each_and_reports_the_refused(officer, cso):
    submitted = [make_claimant(), make_claimant()]
    other = Claim.objects.filter(branch__code="madiun", status="verified").first()
    response = officer.post(
        reverse("console:claims_bulk_start"),
        {
            "claim": [c.number for c in submitted] + [other.number, "KLM-NOSUCHONE"],
            "back": "sort=-name&page=3",
        },
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[0][0].endswith("?sort=-name")
    for claim in submitted:
        claim.refresh_from_db()
        assert claim.status == "in_verification"
        assert ClaimEvent.objects.filter(claim=claim, action="verification_started", actor=cso).count() == 1
    assert "Verifikasi 2 klaim dimulai" in page
    assert f"{other.number} tidak dimulai" in page and "KLM-NOSUCHONE tidak dimulai" in page
    other.refresh_from_db()
    assert other.status == "verified"


def test_bulk_start_that_loses_a_race_starts_nothing(officer, cso, supervisor, monkeypatch):
    from lapakasik.claims import actions

    claims = [make_claimant(), make_claimant()]
    real = actions.start_verification_of_selected

    def colleague_first(selected, *, by):
        actions.start_verification(claims[1], by=supervisor)  # taken between the officer's read and the move
        return real(selected, by=by)

    monkeypatch.setattr(actions, "start_verification_of_selected", colleague_first)
    response = officer.post(
        reverse("console:claims_bulk_start"), {"claim": [c.number for c in claims]}, follow=True
    )
    assert "Tidak ada yang dimulai" in response.content.decode()
    claims[0].refresh_from_db()
    assert claims[0].status == "submitted"
    assert not ClaimEvent.objects.filter(claim=claims[0], action="verification_started").exists()


def test_an_officer_saves_a_view_and_only_they_see_it(officer, cso, client, supervisor):
    response = officer.post(
        reverse("console:claims_save_view"),
        {"name": "JHT lewat SLA", "query": "program=JHT&age=overdue&page=4&evil=1"},
    )
    assert response.status_code == 302
    view = SavedView.objects.get(user=cso)
    assert view.query == "program=JHT&age=overdue"
    assert f'href="?{view.query}"'.replace("&", "&amp;") in _get(officer).content.decode()
    assert (
        officer.post(reverse("console:claims_save_view"), {"name": "x", "query": "status=bogus"}).status_code
        == 400
    )
    client.force_login(supervisor)
    assert "JHT lewat SLA" not in _get(client).content.decode()
    assert client.post(reverse("console:claims_delete_view", args=[view.pk])).status_code == 302
    assert SavedView.objects.filter(pk=view.pk).exists()  # not the supervisor's to delete
    client.force_login(cso)
    client.post(reverse("console:claims_delete_view", args=[view.pk]))
    assert not SavedView.objects.filter(pk=view.pk).exists()


@pytest.mark.postgres
def test_searches_read_indexes_not_the_claims_or_participants_tables(officer):
    if connection.vendor != "postgresql":
        pytest.skip("the plans are PostgreSQL's")
    from django.test.utils import CaptureQueriesContext

    person = Claim.objects.filter(branch__code="madiun", status="paid").first().participant
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for q in (person.nik, person.kpj, person.full_name[2:9], "KLM-"):
        with CaptureQueriesContext(connection) as queries:
            _get(officer, q=q)
        for query in queries.captured_queries:
            sql = query["sql"]
            table = sql.split("FROM", 1)[-1][:40]
            if "registry_participant" not in table and "registry_heir" not in table and "LIKE" not in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute("SET enable_seqscan = off")
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                cursor.execute("SET enable_seqscan = on")
            assert "Seq Scan on registry_participant" not in plan, (q, sql, plan)
            assert "Seq Scan on registry_heir" not in plan, (q, sql, plan)


@pytest.mark.postgres
def test_two_officers_pressing_next_claim_at_once_get_different_claims(demo_world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL")
    import threading

    from django.db import connections

    from lapakasik.accounts.models import User
    from lapakasik.claims import actions

    extra = [make_claimant(), make_claimant()]  # at least two unbooked submitted claims
    officers = [User.objects.get(username="cso"), User.objects.get(username="supervisor")]
    barrier, taken = threading.Barrier(2), []

    def press(officer):
        try:
            barrier.wait()
            claim = actions.take_next_claim(officer.branch, by=officer)
            taken.append(claim.number if claim else None)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(o,)) for o in officers]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert None not in taken and len(set(taken)) == 2
    for number in taken:
        claim = Claim.objects.get(number=number)
        assert claim.status == "in_verification"
        assert claim.events.filter(action="verification_started").count() == 1
    assert extra
