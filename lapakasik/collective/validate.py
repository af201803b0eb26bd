"""Checking parsed list rows against the registry, set-based (ARCHITECTURE §3.7).

`Validator.check(chunk)` runs one query per check over a whole chunk of rows (participants by NIK,
their employments with this employer, their open and paid JHT claims), never one per row. The
checks that span the whole file (a NIK twice, one bank account for several workers) keep small
sets across chunks or run as one aggregate at the end.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_noop as N_

from lapakasik.claims.bulk import as_json, date_value
from lapakasik.claims.cases import JOB_FIELDS, Job, jkp_facts
from lapakasik.claims.models import OPEN_STATUSES, PROGRAM_STARTS, Claim, Program, Status
from lapakasik.claims.uploads import RefusedFile, display_name
from lapakasik.lib.names import NameCheck, name_matches
from lapakasik.registry.models import Employment, Participant, ServiceArea
from lapakasik.rules import jht, jkp, reasons
from lapakasik.rules.dates import add_months
from lapakasik.rules.errors import RulesInputError
from lapakasik.rules.params import ParameterNotDefined, lookup

from .documents import DocumentChecker, Item, RowFiles, RowResult, check_row_files
from .files import OTHER_KIND, DocumentIndex, StagedDocuments, read_document
from .models import ListRow, RowStatus
from .parse import Issue, ParsedRow

# The reasons a mass-termination list may give (one vocabulary with the rules and the claims).
LIST_REASONS = (reasons.PHK, reasons.RESIGN, reasons.END_OF_CONTRACT)
LIST_PROGRAMS = (Program.JHT, Program.JKP)
JKP_START = PROGRAM_STARTS[Program.JKP]
# The rules' reasons that say a JKP condition is not met (PP 37/2021 ps. 19-20).
JKP_UNMET = frozenset({"jkp_contributions_short", "jkp_consecutive_short", "jkp_registered_too_old"})
CHUNK = 2000
LISTROW_FIELDS = (
    "mass_list", "line", "cells", "nik", "kpj", "full_name", "birth_date", "termination_date", "reason", "bank",
    "account_number", "holder_name", "documents", "participant", "area", "errors", "warnings", "status",
    "claim_key", "program",
)  # fmt: skip
# A JKP row's documents: the file words name JHT's kinds; JKP's checklist has one proof of the PHK.
JKP_KINDS = {"phk_agreement_or_ruling": "phk_proof", "paklaring": "phk_proof"}


def claim_key(mass_list_id: int, nik: str, program: str = Program.JHT) -> str:
    """Claim.import_key of the claim a row becomes: the same row of the same list never becomes two."""
    return hashlib.sha256(f"kolektif|{mass_list_id}|{nik}|{program}".encode()).hexdigest()


@dataclass
class _Person:
    id: int
    kpj: str
    full_name: str
    birth_date: dt.date
    region_id: str
    deceased: bool


@dataclass
class Validator:
    """Holds what one list's validation needs across chunks; `check` turns parsed rows into ListRows."""

    mass_list_id: int
    employer_id: int
    branch_id: int
    today: dt.date
    documents: DocumentIndex | None
    archive: zipfile.ZipFile | None
    storage: StagedDocuments
    # Called after each row's files (in the pool: as its batches complete): checking a chunk's scans can
    # take minutes, and a list whose heartbeat stops for STALE_AFTER may be started again by a resume.
    heartbeat: Callable[[], None] = lambda: None
    # Checks the documents (in a pool for a big list); None: each row's files in-process.
    checker: DocumentChecker | None = None
    first_line_of_nik: dict[str, int] = field(default_factory=dict)
    first_line_of_kpj: dict[str, int] = field(default_factory=dict)
    _areas: dict[str, int] = field(default_factory=dict)
    _waiting: dict[tuple[str, dt.date], jht.Eligibility | None] = field(default_factory=dict)
    _jobs: dict[int, list[Job]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        areas = ServiceArea.objects.values_list("id", "branch_id", "regencies__code").order_by(
            "branch_id", "position"
        )
        for area_id, branch_id, regency in areas:
            # The employer's own branch wins when two branches' areas cover one regency.
            if regency and (regency not in self._areas or branch_id == self.branch_id):
                self._areas[regency] = area_id

    def check(self, rows: list[ParsedRow]) -> list[tuple]:
        """The chunk's ListRows as tuples in LISTROW_FIELDS order, ready for bulk.insert."""
        self._duplicates(rows)
        people = self._people(rows)
        employments = self._employments(people.values())
        open_claims, paid_claims = self._claims(people.values())
        self._jobs = self._all_jobs(
            [people[r.nik] for r in rows if r.program == Program.JKP and r.nik in people]
        )
        checked = []
        for row in rows:
            person = people.get(row.nik) if row.nik else None
            if person is not None:
                self._person(row, person)
                self._employment(row, employments.get(person.id, []))
                key = (person.id, row.program)
                self._claimed(row, open_claims.get(key), paid_claims.get(key, []))
            if row.program == Program.JKP:
                self._jkp(row, person)
            else:
                self._dates(row)
            if person is not None:
                self._account_holder(row, person)
            area_id = self._areas.get(person.region_id[:5]) if person else None
            if person is not None and area_id is None:
                row.fail("nik", N_("Wilayah tempat tinggal peserta tidak dilayani kantor cabang mana pun."))
            checked.append((row, person, area_id))
        # Last: a row's files are stored only if it is valid. The whole chunk's files at once, so that a
        # big list's are checked in the pool (collective/documents.py).
        documents = self._documents([row for row, _person, _area in checked])
        return [
            self._to_model(row, person, area_id, stored)
            for (row, person, area_id), stored in zip(checked, documents, strict=True)
        ]

    # --- file-wide ------------------------------------------------------------------------

    def _duplicates(self, rows: list[ParsedRow]) -> None:
        for row in rows:
            for value, seen, column in (
                (row.nik, self.first_line_of_nik, "nik"),
                (row.kpj, self.first_line_of_kpj, "kpj"),
            ):
                if not value:
                    continue
                # One row per worker and program: a worker laid off may have a JHT row and a JKP row.
                key = value if row.program == Program.JHT else f"{value}|{row.program}"
                if key in seen:
                    row.fail(
                        column,
                        N_("Sama dengan baris %(line)d; setiap pekerja cukup satu baris."),
                        line=seen[key],
                    )
                else:
                    seen[key] = row.line

    # --- registry -------------------------------------------------------------------------

    def _people(self, rows: list[ParsedRow]) -> dict[str, _Person]:
        niks = {row.nik for row in rows if row.nik}
        found = Participant.objects.filter(nik__in=niks).values_list(
            "nik", "id", "kpj", "full_name", "birth_date", "region_id", "status"
        )
        people = {
            nik: _Person(pk, kpj, name, born, region, status == "deceased")
            for nik, pk, kpj, name, born, region, status in found
        }
        for row in rows:
            if row.nik and row.nik not in people:
                row.fail("nik", N_("NIK ini tidak terdaftar sebagai peserta BPJS Ketenagakerjaan."))
        return people

    def _employments(self, people: Iterable[_Person]) -> dict[int, list[tuple[dt.date, dt.date | None]]]:
        by_person: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        ids = [p.id for p in people]
        for pid, start, end in Employment.objects.filter(
            participant_id__in=ids, employer_id=self.employer_id
        ).values_list("participant_id", "start", "end"):
            by_person[pid].append((start, end))
        return by_person

    def _claims(
        self, people: Iterable[_Person]
    ) -> tuple[dict[tuple[int, str], str], dict[tuple[int, str], list[tuple[str, dt.date | None]]]]:
        ids = [p.id for p in people]
        # Open and paid JHT and JKP claims in one query, by (participant, program).
        open_claims: dict[tuple[int, str], str] = {}
        paid: dict[tuple[int, str], list[tuple[str, dt.date | None]]] = defaultdict(list)
        for pid, program, number, status, submitted in Claim.objects.filter(
            Q(status__in=OPEN_STATUSES) | Q(status=Status.PAID, reason__in=list(LIST_REASONS)),
            participant_id__in=ids,
            program__in=LIST_PROGRAMS,
        ).values_list("participant_id", "program", "number", "status", "submitted_on"):
            if status == Status.PAID:
                paid[(pid, program)].append((number, submitted))
            else:
                open_claims[(pid, program)] = number
        return open_claims, paid

    def _all_jobs(self, people: list[_Person]) -> dict[int, list[Job]]:
        """Every employment (any employer) of the JKP rows' workers: JKP counts the last 24 months' iuran."""
        jobs: dict[int, list[Job]] = defaultdict(list)
        rows = Employment.objects.filter(participant_id__in={p.id for p in people}).values_list(
            "participant_id", *JOB_FIELDS
        )
        for pid, *job in rows:
            jobs[pid].append(Job(*job))
        return jobs

    # --- per row, on data already loaded ------------------------------------------------------

    def _person(self, row: ParsedRow, person: _Person) -> None:
        if row.kpj and row.kpj != person.kpj:
            row.fail("kpj", N_("Nomor KPJ tidak sama dengan KPJ peserta yang ber-NIK ini."))
        if row.full_name and not name_matches(row.full_name, person.full_name, NameCheck.LISTED_WORKER)[1]:
            row.fail("full_name", N_("Nama tidak sama dengan nama peserta di data kepesertaan."))
        if row.birth_date and row.birth_date != person.birth_date:
            row.fail("birth_date", N_("Tanggal lahir tidak sama dengan data kepesertaan."))
        if person.deceased:
            row.fail(
                "nik",
                N_(
                    "Peserta tercatat meninggal dunia: klaim diajukan ahli waris, bukan lewat daftar "
                    "kolektif."
                ),
            )

    def _employment(self, row: ParsedRow, spans: list[tuple[dt.date, dt.date | None]]) -> None:
        if not spans:
            row.fail("nik", N_("Peserta tidak tercatat sebagai pekerja perusahaan ini."))
            return
        end = row.termination_date
        if end is None:
            return
        if any(span_end == end for _, span_end in spans):
            return
        open_spans = [start for start, span_end in spans if span_end is None]
        if open_spans and end >= min(open_spans):
            row.warn(
                "termination_date",
                N_("Tanggal berhenti belum tercatat di data kepesertaan; petugas akan mencocokkannya."),
            )
            return
        recorded = ", ".join(sorted(s.strftime("%d/%m/%Y") for _, s in spans if s))
        row.fail(
            "termination_date",
            N_("Tanggal berhenti tidak sama dengan data kepesertaan (%(recorded)s)."),
            recorded=recorded or "-",
        )

    def _claimed(
        self, row: ParsedRow, open_number: str | None, paid: list[tuple[str, dt.date | None]]
    ) -> None:
        jkp = row.program == Program.JKP
        if open_number:
            if jkp:
                row.fail(
                    "nik",
                    N_("Sudah ada klaim JKP yang sedang diproses untuk peserta ini (%(number)s)."),
                    number=open_number,
                )
            else:
                row.fail(
                    "nik",
                    N_("Sudah ada klaim JHT yang sedang diproses untuk peserta ini (%(number)s)."),
                    number=open_number,
                )
        end = row.termination_date
        for number, submitted in paid:
            if end and submitted and submitted >= end:
                if jkp:
                    row.fail("nik", N_("JKP untuk PHK ini sudah dibayar (%(number)s)."), number=number)
                else:
                    row.fail(
                        "nik", N_("JHT untuk pemberhentian ini sudah dibayar (%(number)s)."), number=number
                    )

    def _jkp(self, row: ParsedRow, person: _Person | None) -> None:
        """A JKP row (PP 37/2021 ps. 19-20, as amended by PP 6/2025): a PHK, in JKP's time, and the
        conditions the rules check, on the registry's contribution months up to the listed PHK date."""
        end = row.termination_date
        if row.reason and row.reason != reasons.PHK:
            row.fail("reason", N_("Klaim JKP hanya untuk pekerja yang di-PHK; alasan harus PHK."))
        if end is None or not row.reason:
            return
        if end > self.today:
            row.fail("termination_date", N_("Tanggal berhenti bekerja belum terjadi."))
            return
        if end < JKP_START:
            row.fail(
                "termination_date",
                N_("JKP belum berlaku pada tanggal PHK ini; JKP berlaku untuk PHK sejak %(date)s."),
                date=JKP_START.strftime("%d/%m/%Y"),
            )
            return
        if person is None or row.reason != reasons.PHK:
            return
        # The registry's employments, the one ended by this PHK closed on the listed date (a PHK the
        # registry has not recorded yet is the warning of _employment).
        jobs = [j if j.end is not None else Job(j.start, end, reasons.PHK, j.reported_wage)
                for j in self._jobs.get(person.id, [])]  # fmt: skip
        facts = jkp_facts([j for j in jobs if j.start <= end], person.birth_date)
        if "monthly_wage" not in facts:
            row.warn(
                "row",
                N_(
                    "Upah terakhir pekerja belum tercatat; petugas mencatatnya di halaman klaim sebelum dibayar."
                ),
            )
        case = jkp.JkpCase(
            reason=reasons.PHK,
            termination_date=end,
            monthly_wage=facts.get("monthly_wage", 0),
            contribution_months_last_24=facts.get("contribution_months_last_24", 0),
            consecutive_months=min(
                facts.get("consecutive_months", 0), facts.get("contribution_months_last_24", 0)
            ),
            registered_age=facts.get("registered_age"),
        )
        try:
            result = jkp.calculate(case)
        except (RulesInputError, ParameterNotDefined):
            row.fail("termination_date", N_("Syarat JKP tidak dapat diperiksa untuk tanggal PHK ini."))
            return
        for reason in result.reasons:
            if reason.code in JKP_UNMET:
                row.fail("nik", N_("Tidak memenuhi syarat JKP: %(why)s"), why=reason.message_id)
        deadline = add_months(end, lookup("jkp.claim_within_months", end).value)
        if self.today > deadline:
            row.warn(
                "termination_date",
                N_("Batas pengajuan JKP (sampai %(date)s) sudah lewat; petugas memeriksa alasannya."),
                date=deadline.strftime("%d/%m/%Y"),
            )

    def _dates(self, row: ParsedRow) -> None:
        end = row.termination_date
        if end is None or not row.reason:
            return
        if end > self.today:
            row.fail("termination_date", N_("Tanggal berhenti bekerja belum terjadi."))
            return
        if row.birth_date and end < row.birth_date:
            row.fail("termination_date", N_("Tanggal berhenti bekerja sebelum tanggal lahir."))
            return
        eligibility = self._eligibility(row.reason, end)
        if eligibility is None or not eligibility.recognised:
            row.fail("reason", N_("Alasan ini tidak diakui untuk klaim JHT pada tanggal pengajuan."))
        elif not eligibility.eligible:
            row.fail(
                "termination_date",
                N_(
                    "Masa tunggu sejak berhenti bekerja belum lewat; klaim JHT dapat diajukan mulai %(date)s."
                ),
                date=eligibility.payable_from.strftime("%d/%m/%Y") if eligibility.payable_from else "-",
            )

    def _eligibility(self, reason: str, end: dt.date) -> jht.Eligibility | None:
        # A mass layoff has few distinct dates: the rules run once per (reason, date), not per row.
        key = (reason, end)
        if key not in self._waiting:
            case = jht.JhtCase(reason=reason, claim_date=self.today, separation_date=end)
            try:
                self._waiting[key] = jht.decide_eligibility(case)
            except RulesInputError:
                self._waiting[key] = None
        return self._waiting[key]

    def _account_holder(self, row: ParsedRow, person: _Person) -> None:
        # JHT is paid only into the participant's own account (DOMAIN §1, "account in own name"). The
        # holder is compared with the registered name, by the rule a single claim's account passes.
        if (
            row.holder_name
            and not name_matches(row.holder_name, person.full_name, NameCheck.ACCOUNT_HOLDER)[1]
        ):
            row.fail(
                "holder_name", N_("Rekening harus atas nama peserta sendiri; nama pemilik rekening berbeda.")
            )

    def _documents(self, rows: list[ParsedRow]) -> list[list[dict[str, Any]]]:
        """Every file of the rows through the same checks as a single upload; stored only for a valid row."""
        jobs = (self._files_of(row) for row in rows)  # read from the ZIP as the checker takes them
        if self.checker is None:
            results = []
            for job in jobs:
                results.append(check_row_files(job, self.storage))
                self.heartbeat()
        else:
            results = self.checker.check(jobs, self.heartbeat)
        return [self._documents_of(row, result) for row, result in zip(rows, results, strict=True)]

    def _files_of(self, row: ParsedRow) -> RowFiles:
        """The row's files as read from the ZIP (the index's own complaints recorded on the row first)."""
        if self.documents is None or not row.nik:
            if self.documents is None:
                row.fail("documents", N_("Berkas ZIP dokumen belum diunggah."))
            return RowFiles([], store=False)
        bad = self.documents.invalid.get(row.nik, [])
        if bad:
            row.fail(
                "documents",
                N_("Dokumen %(names)s bukan PDF, JPG, PNG, atau BMP yang sah."),
                names=", ".join(sorted(bad))[:200],
            )
        paths = sorted(self.documents.by_nik.get(row.nik, []))
        if not paths and not bad:
            row.fail(
                "documents",
                N_(
                    "Tidak ada dokumen untuk NIK ini di berkas ZIP (folder atau awalan nama "
                    "berkas harus NIK)."
                ),
            )
        return RowFiles([self._read(path) for path in paths], store=not row.errors)

    def _read(self, path: str) -> Item:
        assert self.archive is not None
        try:
            return display_name(path), read_document(self.archive, path)
        except RefusedFile as refused:
            return display_name(path), (refused.message, refused.params)

    def _documents_of(self, row: ParsedRow, result: RowResult) -> list[dict[str, Any]]:
        # A refusal is the row's error, naming the file; nothing of an invalid row is stored.
        for name, message, params in result.refused:
            row.fail("documents", message, subject=name, **params)
        if row.errors:
            return []
        stored = result.stored
        if row.program == Program.JKP:  # a JKP claim's checklist names the proof of termination as one kind
            stored = [{**d, "kind": JKP_KINDS.get(d["kind"], d["kind"])} for d in stored]
        unsorted = [d["name"] for d in stored if d["kind"] == OTHER_KIND]
        if unsorted:
            row.warn(
                "documents",
                N_("Jenis dokumen %(names)s tidak dikenali dari nama berkasnya; petugas akan memilahnya."),
                names=", ".join(unsorted)[:200],
            )
        return stored

    def _to_model(
        self, row: ParsedRow, person: _Person | None, area_id: int | None, documents: list[dict[str, Any]]
    ) -> tuple:
        ok = not row.errors
        return (
            self.mass_list_id,
            row.line,
            as_json(row.cells),
            row.nik,
            row.kpj,
            row.full_name,
            date_value(row.birth_date),
            date_value(row.termination_date),
            row.reason,
            row.bank,
            row.account_number,
            row.holder_name,
            as_json(documents),
            person.id if person else None,
            area_id,
            as_json([i.as_json() for i in row.errors]),
            as_json([i.as_json() for i in row.warnings]),
            RowStatus.VALID.value if ok else RowStatus.INVALID.value,
            claim_key(self.mass_list_id, row.nik, row.program) if ok else "",
            row.program,
        )


SHARED_ACCOUNT = Issue(
    "account_number", N_("Rekening yang sama dipakai %(n)d pekerja dalam daftar ini; periksa kembali.")
)


def flag_shared_accounts(mass_list_id: int) -> int:
    """One aggregate over the stored rows: a bank account given for several workers is flagged on each."""
    rows = ListRow.objects.filter(mass_list_id=mass_list_id).exclude(account_number="")
    shared = {
        (bank, number): n
        for bank, number, n in rows.values("bank", "account_number")
        .annotate(n=Count("nik", distinct=True))
        .filter(n__gt=1)
        .values_list("bank", "account_number", "n")
    }
    if not shared:
        return 0
    flagged = []
    numbers = sorted({number for _, number in shared})
    for start in range(0, len(numbers), CHUNK):
        for row in rows.filter(account_number__in=numbers[start : start + CHUNK]).only(
            "id", "bank", "account_number", "warnings"
        ):
            n = shared.get((row.bank, row.account_number))
            if n:
                row.warnings = [
                    *row.warnings,
                    Issue(SHARED_ACCOUNT.column, SHARED_ACCOUNT.message, {"n": n}).as_json(),
                ]
                flagged.append(row)
    ListRow.objects.bulk_update(flagged, ["warnings"], batch_size=500)
    return len(flagged)
