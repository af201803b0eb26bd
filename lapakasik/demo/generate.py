"""Deterministic demo history of the Madiun branch, 1 Jan – 23 Jul 2020 (pure Python, no Django).

The branch head's figures (``reference/madiun-2020-claims.csv``, from DOMAIN.md §4) fix, per program ×
region, how many claims were paid and how much money went out. This module invents the people behind them:
employers, participants with valid NIKs from the right regencies, their employments, heirs for deaths, and
11,729 paid claims whose sums per cell equal the reference exactly (cases and rupiah).

Everything flows from one ``random.Random(seed)``; nothing depends on set or hash ordering, and all amount
arithmetic is integer, so the same seed gives the same history on every run and machine.

How the amounts are built (each cell is split with the largest-remainder method, so it sums exactly):

* **JHT** — each claim's weight is its balance shape: wage × contribution months × a yearly-return factor
  (tenure log-normal, longer for PHK and retirement; wage log-normal around the 2020 regional minimum
  wage). The cell total is then shared in proportion to the weights, so the mean per claim is the cell
  mean and the spread is that of real balances (a few hundred thousand rupiah to a few hundred million).
* **JKM** — a claim is one of a few *documented benefit packages*, and each cell is decomposed exactly
  into them by a small search that prefers the ordinary case:

  ========================  =============  =====================================================
  package                   amount (Rp)    why it exists in 2020
  ========================  =============  =====================================================
  ``pp82``                  42,000,000     PP 82/2019, deaths from 2 Dec 2019: the normal case
  ``pp44``                  24,000,000     PP 44/2015, deaths up to 1 Dec 2019 paid in 2020; or a
                                           migrant worker (PMI) dying before/after placement
                                           (Permenaker 18/2018: 16.2 + 4.8 + 3 jt)
  ``pp44_scholarship``      36,000,000     PP 44/2015 with its one-child Rp12 jt scholarship (≥5
                                           years of contributions), paid with the benefit
  ``pmi_placement``         85,000,000     PMI dying during placement abroad (Permenaker 18/2018)
  ``pp44_no_funeral``       21,000,000     PP 44/2015 lump + periodic to heirs; the Rp3 jt
                                           funeral allowance went to whoever arranged the burial
  ``pp44_periodic``          4,800,000     PP 44/2015 periodic benefit (24 × Rp200,000) settled
                                           on its own in 2020 after the rest was paid in 2019 [U]
  ========================  =============  =====================================================

  Why this mix: the cells cannot all be 42 jt. Madiun (85 cases, Rp3,283 jt) is below 85 × 42 jt and odd
  in millions, Ngawi (31, Rp1,080 jt) is far below 31 × 42 jt, and Ponorogo (35, Rp1,570.8 jt) is *above*
  35 × 42 jt and ends in Rp800,000. Late-2019 deaths under the old PP 44/2015 rates explain the shortfall;
  Ponorogo is one of East Java's biggest senders of migrant workers, whose in-placement JKM of Rp85 jt
  explains an average above 42 jt; and the only documented JKM component ending in Rp800,000 is the
  PP 44/2015 periodic benefit of Rp4.8 jt, so Ponorogo gets one such separate settlement. That last one is
  the weakest link and is marked [U]. With the reference figures the search gives: Madiun 65 × 42 +
  18 × 24 + 36 + 85 jt; Ponorogo 20 × 42 + 6 × 24 + 2 × 36 + 6 × 85 + 4.8 jt; Ngawi 18 × 42 + 12 × 24 +
  36 jt; Pacitan 42 jt. Roughly 30% of the 24 jt cases are migrant workers, the rest PP 44/2015 deaths.
  Benefits with no heir (funeral allowance only) are not used, because every death claim here has an heir
  as the claimant. The scholarship under PP 82/2019 is not used: it was first paid in 2021.
* **JKK** — a few deaths (Madiun only: elsewhere one death alone would exceed the cell) paid as PP 82/2019
  says: 48 × monthly wage + Rp10 jt funeral + Rp12 jt periodic. The rest of the cell is shared among
  accident and occupational-disease claims with log-normal weights (medical bills, wage while unable to
  work, the odd partial disability).
* **JP** — lump sums: contributions (3% of the wage up to the ceiling) for the months since the program
  started in July 2015, so short memberships give small sums, shared like JHT.

Dates: paid on working days 2 Jan – 23 Jul 2020 (weekends and the 2020 national holidays skipped; the
Idul Fitri collective leave of 22–27 May 2020 had been moved to December), submitted a few working days
before. Volume and the PHK share of JHT rise from April as pandemic layoffs did. Resign/PHK separations are
at least one month before submission (Permenaker 19/2015). Channels: offline until Lapak Asik opened
(``LAPAK_ASIK_START``), then mostly online, plus collective submissions by employers for PHK batches.

NIKs carry only a two-digit year: ``stdnum.id.nik.get_birth_date`` reads "00"–"02" as 1900–1902, so ~100
participants born 2000–2002 must take their birth date from the record, never from the NIK.

Contact details are invented: e-mail addresses use the reserved example.com/.net/.org domains (RFC 2606);
phone numbers are valid-format Indonesian mobile numbers and so cannot be guaranteed unassigned — demo
code must never send real messages to them.
"""

from __future__ import annotations

import calendar
import csv
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from random import Random
from typing import TypeVar

T = TypeVar("T")

REFERENCE_CSV = Path(__file__).resolve().parent / "reference" / "madiun-2020-claims.csv"

PERIOD_START = date(2020, 1, 1)
PERIOD_END = date(2020, 7, 23)
LAPAK_ASIK_START = date(2020, 4, 1)  # [U] the branch's contact-free service opened in April 2020
PP82_START = date(2019, 12, 2)
JP_START = date(2015, 7, 1)
JP_WAGE_CEILING = 8_939_700  # from March 2020 (DOMAIN §2)
UMK_2020 = 1_900_000  # [U] round figure just under the 2020 minimum wages of the four regencies
JKK_DEATH_EXTRA = 10_000_000 + 12_000_000  # PP 82/2019 funeral + periodic

PROGRAMS = ("JHT", "JKK", "JKM", "JP")
REGIONS = ("Madiun", "Ponorogo", "Ngawi", "Pacitan")
CHANNELS = ("online", "offline", "collective")
JHT_REASONS = ("resign", "phk", "retirement_age", "death", "disability", "leaving_indonesia")
JKK_REASONS = ("accident", "occupational_disease", "accident_death")
JKM_REASONS = ("death",)
JP_REASONS = ("old_age_lump_sum", "death", "disability")
END_REASONS = ("resign", "phk", "end_of_contract", "retirement_age", "death")

# Region label of the press figures -> (regency code, weight). "Madiun" is Kab. and Kota Madiun together.
REGION_REGENCIES: dict[str, tuple[tuple[str, int], ...]] = {
    "Madiun": (("35.19", 78), ("35.77", 22)),
    "Ponorogo": (("35.02", 1),),
    "Ngawi": (("35.21", 1),),
    "Pacitan": (("35.01", 1),),
}
# Number of districts per regency (Kepmendagri codes, DOMAIN §3); districts are 01..N.
DISTRICT_COUNT = {"35.01": 12, "35.02": 21, "35.19": 15, "35.21": 19, "35.77": 3}

# National holidays on weekdays, Nov 2019 – Jul 2020 (SKB 3 Menteri as revised in 2020).
_HOLIDAYS = frozenset(
    date.fromisoformat(d)
    for d in (
        "2019-12-24", "2019-12-25", "2020-01-01", "2020-03-25", "2020-04-10", "2020-05-01",
        "2020-05-07", "2020-05-21", "2020-05-25", "2020-06-01",
    )
)  # fmt: skip

# Relative claims per working day by month of payment.
_JHT_MONTH_WEIGHT = {1: 10, 2: 10, 3: 9, 4: 12, 5: 16, 6: 19, 7: 22}
_FLAT_MONTH_WEIGHT = {1: 10, 2: 10, 3: 10, 4: 10, 5: 10, 6: 11, 7: 11}
_EARLY_MONTH_WEIGHT = {1: 30, 2: 20, 3: 10, 4: 3, 5: 1, 6: 1, 7: 1}
# Share (per mille) of PHK among ordinary JHT claims by month of payment.
_PHK_PER_MILLE = {1: 120, 2: 120, 3: 150, 4: 330, 5: 450, 6: 500, 7: 520}

# (name, amount, cost): cost is how unusual the package is; the search minimises the total cost.
JKM_PACKAGES: tuple[tuple[str, int, int], ...] = (
    ("pp82", 42_000_000, 0),
    ("pp44", 24_000_000, 1),
    ("pp44_scholarship", 36_000_000, 2),
    ("pmi_placement", 85_000_000, 3),
    ("pp44_no_funeral", 21_000_000, 6),
    ("pp44_periodic", 4_800_000, 10),
)
_JKM_RARE_MAX = 8

RESERVED_NIKS = frozenset({"3519084507880003", "3577011203750002", "3577015608780004"})  # live demo people
RESERVED_KPJS = frozenset({"19001234567", "19001234568"})


@dataclass(frozen=True)
class DemoEmployer:
    npp: str
    name: str
    regency_code: str  # "35.19"


@dataclass(frozen=True)
class DemoParticipant:
    nik: str
    kpj: str
    full_name: str
    birth_date: date
    sex: str  # "M" / "F"
    mother_maiden_name: str
    phone: str  # "+62…"
    email: str  # "" when none
    regency_code: str  # "35.19"
    district_code: str  # "35.19.08"
    deceased_on: date | None


@dataclass(frozen=True)
class DemoEmployment:
    kpj: str
    npp: str
    start: date
    end: date | None
    end_reason: str | None  # one of END_REASONS


@dataclass(frozen=True)
class DemoHeir:
    participant_kpj: str
    nik: str
    full_name: str
    relationship: str  # "spouse", "child", "parent"
    birth_date: date
    sex: str


@dataclass(frozen=True)
class DemoClaim:
    program: str  # "JHT", "JKK", "JKM", "JP"
    kpj: str
    region: str  # "Madiun", "Ponorogo", "Ngawi", "Pacitan"
    reason: str
    channel: str  # "online", "offline", "collective"
    submitted_on: date
    paid_on: date
    amount: int
    npp: str


@dataclass(frozen=True)
class DemoHistory:
    employers: tuple[DemoEmployer, ...]
    participants: tuple[DemoParticipant, ...]
    employments: tuple[DemoEmployment, ...]
    heirs: tuple[DemoHeir, ...]
    claims: tuple[DemoClaim, ...]


# --------------------------------------------------------------------------------------------- reference


def reference_cells() -> list[dict]:
    """Rows of the reference CSV: program, region, cases (int), amount (int), in file order."""
    with REFERENCE_CSV.open(newline="", encoding="utf-8") as f:
        return [
            {
                "program": r["program"],
                "region": r["region"],
                "cases": int(r["cases"]),
                "amount": int(r["amount_idr"]),
            }
            for r in csv.DictReader(f)
        ]


def jkm_packages(cases: int, amount: int) -> list[str]:
    """Decompose a JKM cell into benefit packages (see module docstring); one name per claim, cheapest mix.

    Raises ValueError when no mix of the documented packages gives exactly ``amount`` in ``cases`` claims.
    """
    (base, base_amt, _), (low, low_amt, low_cost) = JKM_PACKAGES[0], JKM_PACKAGES[1]
    rare = JKM_PACKAGES[2:]
    best: tuple[int, tuple[int, ...], int, int] | None = None
    for counts in itertools.product(range(_JKM_RARE_MAX), repeat=len(rare)):
        rest_cases = cases - sum(counts)
        if rest_cases < 0:
            continue
        rest = amount - sum(n * p[1] for n, p in zip(counts, rare, strict=True))
        # base_amt * a + low_amt * b == rest, a + b == rest_cases
        num = rest - low_amt * rest_cases
        if num < 0 or num % (base_amt - low_amt):
            continue
        a = num // (base_amt - low_amt)
        b = rest_cases - a
        if b < 0:
            continue
        cost = b * low_cost + sum(n * p[2] for n, p in zip(counts, rare, strict=True))
        if best is None or cost < best[0]:
            best = (cost, counts, a, b)
    if best is None:
        raise ValueError(f"JKM cell of {cases} cases and Rp{amount} has no documented-package decomposition")
    _, counts, a, b = best
    names = [base] * a + [low] * b
    for n, p in zip(counts, rare, strict=True):
        names += [p[0]] * n
    return names


def jkm_package_amount(name: str) -> int:
    return next(amt for n, amt, _ in JKM_PACKAGES if n == name)


# ------------------------------------------------------------------------------------------------ dates


def _add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 Feb
        return date(d.year + n, 2, 28)


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _HOLIDAYS


_WORKING_DAYS = tuple(
    d
    for d in (date(2019, 6, 3) + timedelta(days=i) for i in range(420))
    if d <= PERIOD_END and is_working_day(d)
)
_WD_INDEX = {d: i for i, d in enumerate(_WORKING_DAYS)}
PAID_DAYS = tuple(d for d in _WORKING_DAYS if d >= PERIOD_START)


def _wd_back(d: date, n: int) -> date:
    return _WORKING_DAYS[_WD_INDEX[d] - n]


def _wd_on_or_after(d: date) -> date:
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


@cache
def _cum_weights(profile: tuple[tuple[int, int], ...]) -> list[int]:
    weights = dict(profile)
    return list(itertools.accumulate(weights[d.month] for d in PAID_DAYS))


def _months_between(a: date, b: date) -> int:
    return max(0, (b.year - a.year) * 12 + b.month - a.month)


# ------------------------------------------------------------------------------------------------ names

_MALE_GIVEN = (
    "Agus", "Budi", "Joko", "Bambang", "Eko", "Dwi", "Tri", "Heru", "Slamet", "Sugeng", "Wahyu", "Rudi",
    "Arif",
    "Fajar", "Hendra", "Imam", "Ahmad", "Yusuf", "Rizky", "Dimas", "Bayu", "Adi", "Teguh", "Wawan", "Edi",
    "Yoga", "Anang", "Didik", "Hari", "Puji", "Sigit", "Totok", "Aris", "Dedi", "Irfan", "Rohmat", "Nur",
    "Galih", "Bagus", "Rendra", "Yudi", "Hadi", "Sapto", "Wisnu", "Danang", "Gatot", "Lukman", "Feri",
)  # fmt: skip
_MALE_SECOND = (
    "Santoso", "Prasetyo", "Wibowo", "Setiawan", "Saputra", "Nugroho", "Susanto", "Purnomo", "Hidayat",
    "Kurniawan", "Wijaya", "Hartono", "Sutrisno", "Suryadi", "Pranoto", "Haryanto", "Gunawan", "Firmansyah",
    "Ramadhan", "Pratama", "Utomo", "Cahyono", "Widodo", "Subagyo", "Mulyono", "Wicaksono", "Hermawan",
    "Kusuma", "Riyadi", "Setyawan", "Prabowo", "Budiman", "Sulistyo", "Nurcahyo", "Ardiansyah", "Hakim",
)  # fmt: skip
_FEMALE_GIVEN = (
    "Sri", "Siti", "Dwi", "Tri", "Eka", "Nur", "Dewi", "Ratna", "Endang", "Puji", "Ayu", "Rina", "Yuni",
    "Sari", "Indah", "Fitri", "Novi", "Anik", "Umi", "Tutik", "Ika", "Wulan", "Lina", "Desi", "Erna", "Lilik",
    "Retno",
    "Diah", "Nanik", "Rini", "Yeni", "Mega", "Putri", "Nining", "Eni", "Heni", "Winarti", "Anis", "Rahma",
)  # fmt: skip
_FEMALE_SECOND = (
    "Wahyuni", "Lestari", "Rahayu", "Handayani", "Susanti", "Rahmawati", "Kurniasih", "Purwanti", "Astuti",
    "Setyowati", "Utami", "Wulandari", "Yuliani", "Anggraini", "Pratiwi", "Hartini", "Suryani", "Mulyani",
    "Nurhayati", "Kusumawati", "Safitri", "Maryani", "Widayati", "Permatasari", "Puspitasari", "Ningsih",
    "Indriyani", "Susilowati", "Damayanti", "Lestiyani", "Fatimah", "Khoirunnisa",
)  # fmt: skip
_MALE_SINGLE = (
    "Sutrisno", "Suparno", "Paimin", "Sukirman", "Sumadi", "Parman", "Karsono", "Tukiran", "Sudarmaji",
    "Jumadi", "Kasmadi", "Suwito", "Sarmidi", "Suyono", "Mujiono", "Samijan", "Wagiman", "Poniman",
)  # fmt: skip
_FEMALE_SINGLE = (
    "Suparmi", "Sumini", "Katini", "Painem", "Sarinah", "Tukini", "Sumarni", "Wartini", "Suyatmi", "Jumiati",
    "Sulastri", "Suwarni", "Kasiyem", "Warsini", "Sutinah", "Mujiati", "Tumini", "Sukarti", "Parmi", "Sarmi",
    "Lasmini", "Rukmini", "Sunarsih", "Tarmini", "Supiyah", "Sriatun", "Ngatini", "Juwariyah",
)  # fmt: skip

_COMPANY_WORDS = (
    "Sumber", "Sinar", "Karya", "Mitra", "Tunas", "Bina", "Cahaya", "Sentosa", "Jaya", "Makmur", "Abadi",
    "Mandiri", "Sejahtera", "Lestari", "Agung", "Utama", "Prima", "Mulia", "Rejeki", "Berkah", "Gemilang",
    "Perkasa", "Santosa", "Anugerah", "Surya", "Bumi", "Nusa", "Citra", "Mega", "Putra", "Dharma", "Wijaya",
)  # fmt: skip
_COMPANY_TRADES = (
    "Tekstil", "Garmen", "Konveksi", "Plywood", "Kayu Lapis", "Mebel", "Logistik", "Beton", "Pangan", "Gula",
    "Tembakau", "Rokok", "Batik", "Keramik", "Genteng", "Bangunan", "Transport", "Niaga", "Elektrik",
    "Farma", "Grafika", "Agro", "Pakan", "Unggas", "Plastik", "Baja", "Motor", "Husada", "Boga", "Sembako",
)  # fmt: skip
_PLACE_WORDS = {
    "35.19": "Madiun",
    "35.77": "Madiun",
    "35.02": "Ponorogo",
    "35.21": "Ngawi",
    "35.01": "Pacitan",
}
_MOBILE_PREFIXES = (
    "811", "812", "813", "821", "822", "823", "851", "852", "853", "814", "815", "816", "855", "856", "857",
    "858", "817", "818", "819", "859", "877", "878", "895", "896", "897", "898", "899", "881", "882", "838",
)  # fmt: skip
_MAIL_DOMAINS = ("example.com", "example.net", "example.org")

# Employers per regency: (regency, ordinary employers, migrant-worker placement companies).
_EMPLOYER_PLAN = (("35.19", 44, 1), ("35.77", 28, 0), ("35.02", 30, 2), ("35.21", 34, 1), ("35.01", 10, 0))


# ----------------------------------------------------------------------------------------------- builder


class _Draft:
    """A claim before its amount is known (mutable while the cell is being built)."""

    __slots__ = (
        "program",
        "kpj",
        "region",
        "reason",
        "channel",
        "submitted",
        "paid",
        "npp",
        "weight",
        "fixed",
    )

    def __init__(
        self,
        program: str,
        kpj: str,
        region: str,
        reason: str,
        channel: str,
        submitted: date,
        paid: date,
        npp: str,
        weight: int = 0,
        fixed: int = 0,
    ) -> None:
        self.program, self.kpj, self.region, self.reason = program, kpj, region, reason
        self.channel, self.submitted, self.paid, self.npp = channel, submitted, paid, npp
        self.weight, self.fixed = weight, fixed


@dataclass
class _Death:
    kpj: str
    region: str
    npp: str
    died: date
    submitted: date
    paid: date
    channel: str
    start: date
    wage: int
    migrant: bool


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = Random(seed)
        self._random = self.rng.random
        self.employers: list[DemoEmployer] = []
        self.employer_size: dict[str, int] = {}
        self.by_region: dict[str, list[DemoEmployer]] = {r: [] for r in REGIONS}
        self.placement: dict[str, list[DemoEmployer]] = {r: [] for r in REGIONS}
        self.participants: list[DemoParticipant] = []
        self.employments: list[DemoEmployment] = []
        self.heirs: list[DemoHeir] = []
        self.claims: list[DemoClaim] = []
        self.nik_serial: dict[str, int] = {}
        self.kpj_counter = 0
        self.phones: set[str] = set()
        self._cum_cache: dict[str, tuple[list[DemoEmployer], list[int]]] = {}

    # ---- small random helpers (faster than Random.randint/choice, and just as deterministic)
    def ri(self, a: int, b: int) -> int:
        return a + int(self._random() * (b - a + 1))

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self._random() * len(seq))]

    def _profile_day(self, weights: dict[int, int]) -> date:
        cum = _cum_weights(tuple(sorted(weights.items())))
        return self.rng.choices(PAID_DAYS, cum_weights=cum)[0]

    def _day_between(self, a: date, b: date) -> date:
        return a + timedelta(days=self.ri(0, max(0, (b - a).days)))

    def _wage(self) -> int:
        """Monthly wage: at least about the 2020 regional minimum wage (Rp1.9 jt), median ≈ Rp2.5 jt."""
        w = UMK_2020 + self.rng.lognormvariate(13.3, 0.9)
        return min(40_000_000, round(w / 1000) * 1000)

    def _months(self, median: float, sigma: float, lo: int, hi: int) -> int:
        return max(lo, min(hi, round(self.rng.lognormvariate(0, sigma) * median)))

    # ---- employers
    def make_employers(self) -> None:
        rng, names, npps = self.rng, set(), set()
        region_of = {code: label for label, regs in REGION_REGENCIES.items() for code, _ in regs}
        for regency, n_ordinary, n_placement in _EMPLOYER_PLAN:
            for i in range(n_ordinary + n_placement):
                placement = i >= n_ordinary
                while True:
                    if placement:
                        name = (
                            f"PT {self.pick(_COMPANY_WORDS)} {self.pick(_COMPANY_WORDS)} Duta Pekerja Migran"
                        )
                    else:
                        prefix = "PT" if rng.random() < 0.7 else "CV"
                        name = f"{prefix} {self.pick(_COMPANY_WORDS)} {self.pick(_COMPANY_WORDS)}"
                        name += f" {self.pick(_COMPANY_TRADES)}"
                        if rng.random() < 0.25:
                            name += f" {_PLACE_WORDS[regency]}"
                    if len(set(name.split()[1:3])) == 2 and name not in names:
                        break
                names.add(name)
                while True:
                    npp = f"NN0{self.ri(0, 99_999):05d}" if rng.random() < 0.55 else f"{self.ri(10, 19)}"
                    if len(npp) == 2:
                        npp += f"{self.ri(0, 999_999):06d}"
                    if npp not in npps:
                        break
                npps.add(npp)
                emp = DemoEmployer(npp=npp, name=name, regency_code=regency)
                self.employers.append(emp)
                region = region_of[regency]
                if placement:
                    self.placement[region].append(emp)
                    self.employer_size[npp] = 20
                else:
                    self.by_region[region].append(emp)
                    # Zipf-like size: a few big factories, many small firms.
                    self.employer_size[npp] = max(1, int(400 / (1 + i) ** 0.9 * rng.uniform(0.6, 1.4)))

    def _employer(self, region: str, migrant: bool = False) -> str:
        if migrant:
            pool = self.placement[region] or self.placement["Ponorogo"]
            return self.pick(pool).npp
        if self.rng.random() < 0.05:
            region = self.pick(REGIONS)
        pool, cum = self._employer_cum(region)
        return self.rng.choices(pool, cum_weights=cum)[0].npp

    def _employer_cum(self, region: str) -> tuple[list[DemoEmployer], list[int]]:
        if region not in self._cum_cache:
            pool = self.by_region[region]
            self._cum_cache[region] = (
                pool,
                list(itertools.accumulate(self.employer_size[e.npp] for e in pool)),
            )
        return self._cum_cache[region]

    # ---- identities
    def _nik(self, district_code: str, birth: date, sex: str) -> str:
        day = birth.day + (40 if sex == "F" else 0)
        head = f"{district_code.replace('.', '')}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        while True:
            serial = self.nik_serial.get(head, 0) + 1
            self.nik_serial[head] = serial
            nik = f"{head}{serial:04d}"
            if nik not in RESERVED_NIKS:
                return nik

    def _kpj(self, registered: date) -> str:
        while True:
            self.kpj_counter += 1
            # 2-digit registration year + 9 digits: a bijective scramble of a counter, so unique and stable.
            body = (self.kpj_counter * 387_420_489 + 104_729) % 1_000_000_000
            kpj = f"{registered.year % 100:02d}{body:09d}"
            if kpj not in RESERVED_KPJS:
                return kpj

    def _name(self, sex: str, birth: date) -> str:
        rng = self.rng
        if rng.random() < (0.45 if birth.year < 1975 else 0.12):
            return self.pick(_MALE_SINGLE if sex == "M" else _FEMALE_SINGLE)
        given, second = (_MALE_GIVEN, _MALE_SECOND) if sex == "M" else (_FEMALE_GIVEN, _FEMALE_SECOND)
        first = self.pick(given)
        name = f"{first} {self.pick(second)}"
        if birth.year >= 1988 and rng.random() < 0.2:
            name = f"{self.pick(('Muhammad', 'Ahmad')) if sex == 'M' else self.pick(('Nur', 'Putri'))} {name}"
        return name

    def _phone(self) -> str:
        while True:
            phone = f"+62{self.pick(_MOBILE_PREFIXES)}{self.ri(0, 99_999_999):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def _email(self, name: str, birth: date) -> str:
        parts = [p.lower() for p in name.split()]
        local = ".".join(parts[-2:]) if self.rng.random() < 0.6 else "".join(parts[-2:])
        if self.rng.random() < 0.7:
            local += f"{birth.year % 100:02d}" if self.rng.random() < 0.5 else str(self.ri(1, 999))
        return f"{local}@{self.pick(_MAIL_DOMAINS)}"

    def _district(self, region: str) -> str:
        regs = REGION_REGENCIES[region]
        regency = regs[0][0]
        if len(regs) > 1:
            roll = self.rng.randrange(sum(w for _, w in regs))
            for regency, w in regs:  # noqa: B007 — the loop variable is the result
                if roll < w:
                    break
                roll -= w
        return f"{regency}.{self.ri(1, DISTRICT_COUNT[regency]):02d}"

    def person(
        self,
        region: str,
        birth: date,
        registered: date,
        deceased_on: date | None = None,
        sex: str | None = None,
    ) -> DemoParticipant:
        rng = self.rng
        sex = sex or ("M" if rng.random() < 0.58 else "F")
        district = self._district(region)
        name = self._name(sex, birth)
        p = DemoParticipant(
            nik=self._nik(district, birth, sex),
            kpj=self._kpj(registered),
            full_name=name,
            birth_date=birth,
            sex=sex,
            mother_maiden_name=self.pick(_FEMALE_SINGLE),
            phone=self._phone(),
            email=self._email(name, birth) if rng.random() < 0.55 else "",
            regency_code=district[:5],
            district_code=district,
            deceased_on=deceased_on,
        )
        self.participants.append(p)
        return p

    def employ(self, kpj: str, npp: str, start: date, end: date | None, reason: str | None) -> None:
        self.employments.append(DemoEmployment(kpj=kpj, npp=npp, start=start, end=end, end_reason=reason))

    def heir(self, p: DemoParticipant, on: date) -> None:
        rng = self.rng
        age = (on - p.birth_date).days // 365
        roll = rng.random()
        if age < 24 or (age < 45 and roll > 0.88):
            rel, sex = "parent", ("F" if rng.random() < 0.6 else "M")
            birth = _add_years(p.birth_date, -self.ri(20, 32)) - timedelta(days=self.ri(0, 364))
        elif age >= 42 and roll > 0.75:
            rel, sex = "child", ("M" if rng.random() < 0.5 else "F")
            birth = _add_years(p.birth_date, self.ri(21, min(30, age - 18)))
            birth += timedelta(days=self.ri(0, 364))
        else:
            rel, sex = "spouse", ("F" if p.sex == "M" else "M")
            shift = self.ri(-2, 8) if p.sex == "M" else -self.ri(-2, 8)
            birth = _add_years(p.birth_date, shift) + timedelta(days=self.ri(-150, 150))
        birth = min(birth, _add_years(on, -18))
        name = self._name(sex, birth)
        if rel == "child" and p.sex == "M" and rng.random() < 0.5 and " " in name:
            name = f"{name.split()[0]} {p.full_name.split()[-1]}"  # a child often carries the father's name
        self.heirs.append(
            DemoHeir(
                participant_kpj=p.kpj,
                nik=self._nik(p.district_code, birth, sex),
                full_name=name,
                relationship=rel,
                birth_date=birth,
                sex=sex,
            )
        )

    def channel(self, submitted: date, online_share: float) -> str:
        if submitted < LAPAK_ASIK_START:
            return "offline"
        return "online" if self.rng.random() < online_share else "offline"

    # ---- deaths (JKM and JKK accident deaths), shared by the JHT and JP death claims of the same person
    def jkm_cell(
        self, region: str, cases: int, amount: int, drafts: list[_Draft], deaths: list[_Death]
    ) -> None:
        rng = self.rng
        packages = jkm_packages(cases, amount)
        rng.shuffle(packages)
        for pkg in packages:
            old_rules = pkg.startswith("pp44")
            migrant = pkg == "pmi_placement" or (pkg == "pp44" and rng.random() < 0.3)
            if migrant and pkg == "pp44":
                old_rules = False  # a migrant worker who died outside placement: Permenaker 18/2018, any date
            paid = self._profile_day(_EARLY_MONTH_WEIGHT if old_rules else _FLAT_MONTH_WEIGHT)
            submitted = _wd_back(paid, self.ri(3, 10))
            if old_rules:
                died = self._day_between(date(2019, 8, 1), min(PP82_START - timedelta(days=1), submitted))
            else:
                died = self._day_between(max(PP82_START, submitted - timedelta(days=120)), submitted)
                died = min(died, submitted - timedelta(days=3))
            if migrant:
                tenure = self.ri(6, 30)
            elif pkg == "pp44_scholarship":
                tenure = self.ri(62, 300)
            else:
                tenure = self._months(70, 0.8, 4, 360)
            start = _add_months(died, -tenure)
            birth = _add_years(start, -self.ri(19, 45)) - timedelta(days=self.ri(0, 364))
            npp = self._employer(region, migrant)
            p = self.person(
                region, birth, start, deceased_on=died, sex="F" if migrant and rng.random() < 0.7 else None
            )
            self.employ(p.kpj, npp, start, died, "death")
            self.heir(p, submitted)
            channel = self.channel(submitted, 0.7)
            drafts.append(
                _Draft(
                    "JKM",
                    p.kpj,
                    region,
                    "death",
                    channel,
                    submitted,
                    paid,
                    npp,
                    fixed=jkm_package_amount(pkg),
                )
            )
            deaths.append(
                _Death(p.kpj, region, npp, died, submitted, paid, channel, start, self._wage(), migrant)
            )

    def jkk_cell(
        self, region: str, cases: int, amount: int, drafts: list[_Draft], deaths: list[_Death]
    ) -> None:
        rng = self.rng
        n_death = round(cases * 0.012)
        wages = [self._wage() for _ in range(n_death)]
        # A death costs 48 wages + 22 jt: keep only as many as leave at least Rp300,000 per other claim.
        while n_death and amount - sum(48 * w + JKK_DEATH_EXTRA for w in wages) < (cases - n_death) * 300_000:
            n_death -= 1
            wages.pop()
        for i in range(cases):
            death = i < n_death
            paid = self._profile_day(_FLAT_MONTH_WEIGHT)
            submitted = _wd_back(paid, self.ri(3, 12))
            event = self._day_between(
                max(PP82_START, submitted - timedelta(days=150)), submitted - timedelta(days=2)
            )
            tenure = self._months(48, 0.9, 1, 360)
            start = _add_months(event, -tenure)
            birth = _add_years(start, -self.ri(18, 40)) - timedelta(days=self.ri(0, 364))
            npp = self._employer(region)
            sex = "M" if rng.random() < 0.8 else "F"
            p = self.person(region, birth, start, deceased_on=event if death else None, sex=sex)
            self.employ(p.kpj, npp, start, event if death else None, "death" if death else None)
            channel = self.channel(submitted, 0.6)
            if death:
                self.heir(p, submitted)
                amt = 48 * wages[i] + JKK_DEATH_EXTRA
                drafts.append(
                    _Draft("JKK", p.kpj, region, "accident_death", channel, submitted, paid, npp, fixed=amt)
                )
                deaths.append(
                    _Death(p.kpj, region, npp, event, submitted, paid, channel, start, wages[i], False)
                )
            else:
                reason = "occupational_disease" if rng.random() < 0.04 else "accident"
                weight = int(
                    max(0.2, rng.lognormvariate(0, 1.0))
                    * (3 if reason == "occupational_disease" else 1)
                    * 10_000
                )
                drafts.append(
                    _Draft("JKK", p.kpj, region, reason, channel, submitted, paid, npp, weight=max(1, weight))
                )

    # ---- JHT
    def jht_cell(self, region: str, cases: int, drafts: list[_Draft], deaths: list[_Death]) -> None:
        rng = self.rng
        linked = [d for d in deaths if not d.migrant and rng.random() < 0.8]
        linked = linked[: max(0, cases - 1)]
        for d in linked:
            months = _months_between(d.start, d.died) + 1
            drafts.append(
                _Draft(
                    "JHT",
                    d.kpj,
                    region,
                    "death",
                    d.channel,
                    d.submitted,
                    d.paid,
                    d.npp,
                    weight=_jht_weight(d.wage, months),
                )
            )
        plan = []  # (paid, reason)
        for _ in range(cases - len(linked)):
            paid = self._profile_day(_JHT_MONTH_WEIGHT)
            roll = rng.randrange(1000)
            phk = _PHK_PER_MILLE[paid.month]
            if roll < phk:
                reason = "phk"
            elif roll < phk + 80:
                reason = "retirement_age"
            elif roll < phk + 86:
                reason = "leaving_indonesia"
            elif roll < phk + 89:
                reason = "disability"
            else:
                reason = "resign"
            plan.append((paid, reason))
        batches = self._collective_batches(region, plan)
        for i, (paid, reason) in enumerate(plan):
            batch = batches.get(i)
            if batch is not None:
                paid, submitted, separated, npp = batch
                channel = "collective"
            else:
                back = self.ri(0, 3) if paid < LAPAK_ASIK_START else self.ri(2, 8)
                submitted = _wd_back(paid, back)
                channel = self.channel(submitted, 0.88)
                npp = self._employer(region)
                separated = self._separation(reason, submitted)
            self._jht_person(region, reason, channel, submitted, paid, npp, separated, drafts)

    def _separation(self, reason: str, submitted: date) -> date:
        rng = self.rng
        latest = _add_months(submitted, -1)  # Permenaker 19/2015: one month after resignation or PHK
        if reason == "phk":
            if submitted >= LAPAK_ASIK_START and rng.random() < 0.75:  # the 2020 layoff wave
                return self._day_between(date(2020, 2, 15), latest)
            return latest - timedelta(days=int(rng.expovariate(1 / 120)))
        if reason in ("resign", "leaving_indonesia"):
            return latest - timedelta(days=min(2500, int(rng.expovariate(1 / 150))))
        if reason == "disability":
            return latest - timedelta(days=self.ri(0, 240))
        return submitted - timedelta(days=self.ri(7, 120))  # retirement_age: no waiting period

    def _jht_person(
        self,
        region: str,
        reason: str,
        channel: str,
        submitted: date,
        paid: date,
        npp: str,
        separated: date,
        drafts: list[_Draft],
    ) -> None:
        if reason == "retirement_age":
            birth = _add_years(separated, -56) - timedelta(days=self.ri(0, 500))
            tenure = self.ri(60, 420)
        else:
            median = {"phk": 60, "disability": 80}.get(reason, 34)
            tenure = self._months(median, 0.95, 3, 360)
        start = _add_months(separated, -tenure)
        if reason != "retirement_age":  # younger than retirement age when they left
            age_at_start = self.ri(18, max(18, min(38, 54 - tenure // 12)))
            birth = _add_years(start, -age_at_start) - timedelta(days=self.ri(0, 364))
        p = self.person(region, birth, start)
        end_reason = {"disability": "phk", "leaving_indonesia": "resign"}
        self.employ(p.kpj, npp, start, separated, end_reason.get(reason, reason))
        wage = self._wage()
        drafts.append(
            _Draft(
                "JHT", p.kpj, region, reason, channel, submitted, paid, npp, weight=_jht_weight(wage, tenure)
            )
        )

    def _collective_batches(self, region: str, plan: list[tuple[date, str]]) -> dict[int, tuple]:
        """PHK claims an employer submitted together: one employer, separation, submission and payment day."""
        rng = self.rng
        first_paid = _wd_on_or_after(LAPAK_ASIK_START + timedelta(days=14))
        chosen = [
            i
            for i, (paid, reason) in enumerate(plan)
            if reason == "phk" and paid >= first_paid and rng.random() < 0.4
        ]
        chosen.sort(key=lambda i: (plan[i][0], i))
        batches: dict[int, tuple] = {}
        used: list[str] = []
        pos = 0
        while pos < len(chosen):
            size = self.ri(25, 90)
            members = chosen[pos : pos + size]
            pos += size
            if len(members) < 10:
                break
            paid = plan[members[len(members) // 2]][0]
            submitted = max(_wd_back(paid, self.ri(4, 8)), _wd_on_or_after(LAPAK_ASIK_START))
            separated = _add_months(submitted, -1) - timedelta(days=self.ri(0, 20))
            pool = [e for e in self.by_region[region] if e.npp not in used] or self.by_region[region]
            npp = rng.choices(pool[:20], weights=[self.employer_size[e.npp] for e in pool[:20]])[0].npp
            used.append(npp)
            for i in members:
                batches[i] = (paid, submitted, separated, npp)
        return batches

    # ---- JP
    def jp_cell(self, region: str, cases: int, drafts: list[_Draft], deaths: list[_Death]) -> None:
        rng = self.rng
        linked = [
            d for d in deaths if not d.migrant and d.start < _add_months(d.died, -12) and rng.random() < 0.35
        ]
        linked = linked[: cases // 4]
        for d in linked:
            months = _months_between(max(d.start, JP_START), d.died) + 1
            drafts.append(
                _Draft(
                    "JP",
                    d.kpj,
                    region,
                    "death",
                    d.channel,
                    d.submitted,
                    d.paid,
                    d.npp,
                    weight=min(d.wage, JP_WAGE_CEILING) // 1000 * months,
                )
            )
        for _ in range(cases - len(linked)):
            paid = self._profile_day(_FLAT_MONTH_WEIGHT)
            submitted = _wd_back(paid, self.ri(2, 8))
            npp = self._employer(region)
            if rng.random() < 0.03:
                reason = "disability"
                separated = _add_months(submitted, -1) - timedelta(days=self.ri(0, 200))
                start = _add_months(separated, -self._months(50, 0.7, 13, 300))
                birth = _add_years(start, -self.ri(20, 40)) - timedelta(days=self.ri(0, 364))
                end_reason = "phk"
            else:
                reason = "old_age_lump_sum"  # retirement age 57 from 2019, fewer than 15 years of JP
                birth = _add_years(submitted, -57) - timedelta(days=self.ri(1, 600))
                separated = min(_add_years(birth, 56) + timedelta(days=self.ri(0, 420)), submitted)
                separated -= timedelta(days=self.ri(3, 30))
                start = _add_months(separated, -self.ri(14, 360))
                end_reason = "retirement_age"
            p = self.person(region, birth, start)
            self.employ(p.kpj, npp, start, separated, end_reason)
            months = _months_between(max(start, JP_START), separated) + 1
            channel = self.channel(submitted, 0.75)
            drafts.append(
                _Draft(
                    "JP",
                    p.kpj,
                    region,
                    reason,
                    channel,
                    submitted,
                    paid,
                    npp,
                    weight=min(self._wage(), JP_WAGE_CEILING) // 1000 * months,
                )
            )


def _jht_weight(wage: int, months: int) -> int:
    """Balance shape: 5.7% of wage a month, with about 5.5%/yr returns on half the tenure on average."""
    return wage // 1000 * months * (1000 + 27 * months // 12)


def _allocate(drafts: list[_Draft], total: int) -> list[int]:
    """Exact integer split: fixed amounts kept, the rest shared by weight (largest remainder)."""
    fixed = sum(d.fixed for d in drafts if d.fixed)
    shared = [i for i, d in enumerate(drafts) if not d.fixed]
    rest = total - fixed
    if rest < 0 or (rest and not shared) or (shared and rest < len(shared)):
        raise ValueError(f"cannot split Rp{total} over {len(drafts)} claims")
    amounts = [d.fixed for d in drafts]
    if shared:
        weight_sum = sum(drafts[i].weight for i in shared)
        rems = []
        for i in shared:
            q, r = divmod(rest * drafts[i].weight, weight_sum)
            amounts[i] = q
            rems.append((-r, i))
        left = rest - sum(amounts[i] for i in shared)
        for _, i in sorted(rems)[:left]:
            amounts[i] += 1
        # Never a zero claim: move one rupiah at a time from the largest claim.
        for i in shared:
            if amounts[i] == 0:
                j = max(shared, key=lambda k: amounts[k])
                amounts[j] -= 1
                amounts[i] += 1
    return amounts


def generate_history(seed: int = 2020) -> DemoHistory:
    """The Madiun branch's claims paid 1 Jan – 23 Jul 2020, matching the reference figures exactly."""
    b = _Builder(seed)
    b.make_employers()
    cells = {(c["program"], c["region"]): c for c in reference_cells()}
    regions = list(dict.fromkeys(c["region"] for c in cells.values()))
    for region in regions:
        deaths: list[_Death] = []
        by_program: dict[str, list[_Draft]] = {p: [] for p in PROGRAMS}
        steps = (("JKM", b.jkm_cell), ("JKK", b.jkk_cell))
        for program, make in steps:
            cell = cells[(program, region)]
            if cell["cases"]:
                make(region, cell["cases"], cell["amount"], by_program[program], deaths)
        deaths.sort(key=lambda d: (d.paid, d.kpj))
        for program, make_linked in (("JHT", b.jht_cell), ("JP", b.jp_cell)):
            cell = cells[(program, region)]
            if cell["cases"]:
                make_linked(region, cell["cases"], by_program[program], deaths)
        for program in PROGRAMS:
            drafts = by_program[program]
            cell = cells.get((program, region), {"cases": 0, "amount": 0})
            if len(drafts) < 5:  # a tiny cell: keep its few claims of one order of magnitude
                for d in drafts:
                    d.weight = max(1, math.isqrt(math.isqrt(d.weight * 10**12)))
            if len(drafts) != cell["cases"]:
                raise AssertionError(f"{program} {region}: {len(drafts)} claims for {cell['cases']} cases")
            for d, amount in zip(drafts, _allocate(drafts, cell["amount"]), strict=True):
                b.claims.append(
                    DemoClaim(
                        program=d.program,
                        kpj=d.kpj,
                        region=d.region,
                        reason=d.reason,
                        channel=d.channel,
                        submitted_on=d.submitted,
                        paid_on=d.paid,
                        amount=amount,
                        npp=d.npp,
                    )
                )
    b.claims.sort(key=lambda c: (c.paid_on, c.submitted_on, c.program, c.kpj))
    return DemoHistory(
        employers=tuple(b.employers),
        participants=tuple(b.participants),
        employments=tuple(b.employments),
        heirs=tuple(b.heirs),
        claims=tuple(b.claims),
    )
