"""Import of paid claims from a legacy system (and the demo loader's path into the database).

Columns (header row required, UTF-8, comma-separated; order free):
  branch, program, region, nik, kpj, reason, channel, submitted_date, paid_date, amount
optional: full_name (needed when the participant is not yet in the registry), npp.
Dates are YYYY-MM-DD; amount is whole rupiah.

Parsing is pure; validation runs set-based against the database (one query per check); the write
is all-or-nothing: a file with any bad row imports nothing and every bad row is reported.

This is the one import that writes beneath the lifecycle writers, on purpose: it records *history*
(claims that were paid in another system, with the dates they were paid there), in bulk. Nothing here
moves a live claim, so no lifecycle table applies; the import itself keeps no status (it is one
all-or-nothing transaction), and each claim gets one "imported" event saying where it came from.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _

from lapakasik.lib.bulk import ids_by, insert_rows
from lapakasik.lib.identifiers import check_kpj, check_nik, normalize_digits
from lapakasik.registry.models import Branch, Employer, Participant, Region, ServiceArea
from lapakasik.reporting.rollup import record_paid

from .models import REASONS_BY_PROGRAM, Channel, Claim, ClaimAction, ClaimEvent, Program, Status

REQUIRED_COLUMNS = (
    "branch", "program", "region", "nik", "kpj", "reason", "channel", "submitted_date", "paid_date", "amount",
)  # fmt: skip
OPTIONAL_COLUMNS = ("full_name", "npp")
CHUNK = 2000


@dataclass(frozen=True)
class HistoryRow:
    line: int
    branch: str
    program: str
    region: str
    nik: str
    kpj: str
    reason: str
    channel: str
    submitted_on: dt.date
    paid_on: dt.date
    amount: int
    full_name: str = ""
    npp: str = ""

    @cached_property  # asked three times a row by one import
    def import_key(self) -> str:
        raw = "|".join(
            [self.branch, self.program, self.nik, self.reason, self.paid_on.isoformat(), str(self.amount)]
        )
        return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("baris %(line)d, kolom %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    imported: int = 0
    already_imported: int = 0
    participants_created: int = 0
    errors: list[RowError] = field(default_factory=list)


class HistoryFileError(ValueError):
    """The file as a whole cannot be read (no header, missing columns, not UTF-8)."""


def parse_history(text: str) -> tuple[list[HistoryRow], list[RowError]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise HistoryFileError(_("Kolom wajib tidak ada: %(cols)s") % {"cols": ", ".join(missing)})
    rows: list[HistoryRow] = []
    errors: list[RowError] = []
    for line, raw in enumerate(reader, start=2):
        record = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not any(record.values()):
            continue
        row, row_errors = _parse_row(line, record)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    return rows, errors


def _parse_row(line: int, r: dict[str, str]) -> tuple[HistoryRow | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    program = r["program"].upper()
    if program not in Program.values:
        fail("program", _("program harus salah satu dari JHT, JKK, JKM, JP, JKP"))
    elif r["reason"] not in REASONS_BY_PROGRAM[Program(program)]:
        fail(
            "reason",
            _("alasan %(reason)s tidak berlaku untuk program %(program)s")
            % {"reason": r["reason"] or "-", "program": program},
        )
    if r["channel"] not in Channel.values:
        fail("channel", _("kanal harus online, offline, atau collective"))
    nik_check = check_nik(r["nik"])
    for message in nik_check.errors:
        fail("nik", message)
    for message in check_kpj(r["kpj"]):
        fail("kpj", message)
    submitted, paid = _date(r, "submitted_date", fail), _date(r, "paid_date", fail)
    if submitted and paid and paid < submitted:
        fail("paid_date", _("tanggal dibayar sebelum tanggal pengajuan"))
    amount = _amount(r["amount"], fail)
    if errors or submitted is None or paid is None or amount is None:
        return None, errors
    row = HistoryRow(
        line=line,
        branch=r["branch"],
        program=program,
        region=r["region"],
        nik=nik_check.nik,
        kpj=normalize_digits(r["kpj"]),
        reason=r["reason"],
        channel=r["channel"],
        submitted_on=submitted,
        paid_on=paid,
        amount=amount,
        full_name=r.get("full_name", ""),
        npp=r.get("npp", ""),
    )
    return row, errors


def _date(r: dict[str, str], column: str, fail) -> dt.date | None:
    try:
        return dt.date.fromisoformat(r[column])
    except ValueError:
        fail(column, _("tanggal harus berformat TTTT-BB-HH, misalnya 2020-07-23"))
        return None


def _amount(text: str, fail) -> int | None:
    if not text.isdigit():
        fail("amount", _("jumlah harus rupiah utuh tanpa titik atau koma, misalnya 42000000"))
        return None
    return int(text)


def import_history(rows: list[HistoryRow], *, by=None) -> ImportResult:
    """Validate against the registry in bulk, then write everything or nothing."""
    result = ImportResult()
    context = _Context.load(rows)
    new_rows = [row for row in rows if row.import_key not in context.imported_keys]
    result.already_imported = len(rows) - len(new_rows)
    result.errors = [error for row in new_rows for error in context.check(row)]
    if result.errors:
        return result
    with transaction.atomic():
        result.participants_created = context.create_missing_participants(new_rows)
        result.imported = _write_claims(new_rows, context, by)
    return result


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _in_bulk(model, field_name: str, values: set[str]) -> dict:
    found: dict = {}
    for chunk in _chunks(sorted(values)):
        found.update(model.objects.in_bulk(chunk, field_name=field_name))
    return found


class _Person(NamedTuple):
    """What the import needs of a registered participant: a tuple, not a model instance (the demo's 11,570
    participants as instances, looked up twice, cost a second of CPU)."""

    pk: int
    nik: str
    kpj: str


def _people(field_name: str, values: set[str]) -> dict[str, _Person]:
    rows = Participant.objects.values_list("pk", "nik", "kpj")
    if _most_of(rows, values):
        people = map(_Person._make, rows)
        return {key: person for person in people if (key := getattr(person, field_name)) in values}
    found: dict[str, _Person] = {}
    for chunk in _chunks(sorted(values)):
        people = map(_Person._make, rows.filter(**{f"{field_name}__in": chunk}))
        found.update((getattr(person, field_name), person) for person in people)
    return found


def _imported_keys(keys: set[str]) -> set[str | None]:
    rows = Claim.objects.filter(import_key__isnull=False).values_list("import_key", flat=True)
    if _most_of(rows, keys):
        return set(rows) & keys
    imported: set[str | None] = set()
    for chunk in _chunks(sorted(keys)):
        imported.update(rows.filter(import_key__in=chunk))
    return imported


def _most_of(rows, values: set[str]) -> bool:
    """Whether `values` are as many as half the table's rows: then one read of the whole table is cheaper than
    lists of 2,000 values (whose parameters Django prepares one by one). The demo's import asks for every one
    of its 11,570 participants; a branch's yearly import into a national registry asks for a few."""
    return len(values) * 2 >= rows.count()


@dataclass
class _Context:
    branches: dict[str, Branch]
    areas: dict[tuple[str, str], ServiceArea]
    participants: dict[str, _Person]
    kpj_owners: dict[str, str]
    employers: dict[str, Employer]
    regions: set[str]
    imported_keys: set[str | None]

    @classmethod
    def load(cls, rows: list[HistoryRow]) -> _Context:
        branches = Branch.objects.in_bulk({r.branch for r in rows}, field_name="code")
        areas = {
            (a.branch.code, a.name): a
            for a in ServiceArea.objects.filter(branch__in=branches.values()).select_related("branch")
        }
        participants = _people("nik", {r.nik for r in rows})
        kpj_owners = {p.kpj: p.nik for p in _people("kpj", {r.kpj for r in rows}).values()}
        employers = _in_bulk(Employer, "npp", {r.npp for r in rows if r.npp})
        regions = set(Region.objects.filter(level__gte=2).values_list("code", flat=True))
        imported = _imported_keys({r.import_key for r in rows})
        return cls(branches, areas, participants, kpj_owners, employers, regions, imported)

    def check(self, row: HistoryRow) -> list[RowError]:
        errors = []
        if row.branch not in self.branches:
            errors.append(
                RowError(row.line, "branch", _("kantor cabang %(b)s tidak dikenal") % {"b": row.branch})
            )
        elif (row.branch, row.region) not in self.areas:
            errors.append(
                RowError(
                    row.line,
                    "region",
                    _("wilayah %(r)s bukan wilayah layanan cabang ini") % {"r": row.region},
                )
            )
        if row.npp and row.npp not in self.employers:
            errors.append(RowError(row.line, "npp", _("NPP %(npp)s tidak terdaftar") % {"npp": row.npp}))
        errors.extend(self._check_person(row))
        return errors

    def _check_person(self, row: HistoryRow) -> list[RowError]:
        known = self.participants.get(row.nik)
        if known is not None and known.kpj != row.kpj:
            return [RowError(row.line, "kpj", _("KPJ tidak sama dengan KPJ peserta dengan NIK ini"))]
        if known is None and self.kpj_owners.get(row.kpj, row.nik) != row.nik:
            return [RowError(row.line, "kpj", _("KPJ ini sudah dipakai peserta lain"))]
        if known is None and not row.full_name:
            return [RowError(row.line, "full_name", _("peserta belum terdaftar: nama lengkap wajib diisi"))]
        return []

    def create_missing_participants(self, rows: list[HistoryRow]) -> int:
        new: dict[str, Participant] = {}
        for row in rows:
            if row.nik in self.participants or row.nik in new:
                continue
            info = check_nik(row.nik).info
            assert info is not None  # parse_history rejected invalid NIKs
            region = info.district_code if info.district_code in self.regions else info.regency_code
            new[row.nik] = Participant(
                nik=row.nik,
                kpj=row.kpj,
                full_name=row.full_name,
                sex=info.sex,
                region_id=region,
                birth_date=_birth_date(info.day, info.month, info.two_digit_year, row.paid_on),
            )
        Participant.objects.bulk_create(new.values(), batch_size=CHUNK)
        self.participants.update(_people("nik", set(new)))
        return len(new)


def _birth_date(day: int, month: int, yy: int, reference: dt.date) -> dt.date:
    # The NIK holds two digits of the year: take the latest century that makes the person at least 15.
    for century in (2000, 1900):
        try:
            candidate = dt.date(century + yy, month, day)
        except ValueError:
            continue
        if candidate.year <= reference.year - 15:
            return candidate
    return dt.date(1900 + yy, month, day)


def _write_claims(rows: list[HistoryRow], context: _Context, by) -> int:
    claims = [
        {
            "program": row.program,
            "reason": row.reason,
            "channel": row.channel,
            "status": Status.PAID.value,
            "participant_id": context.participants[row.nik].pk,
            "employer_id": context.employers[row.npp].pk if row.npp else None,
            "branch_id": context.branches[row.branch].pk,
            "area_id": context.areas[(row.branch, row.region)].pk,
            "submitted_on": row.submitted_on,
            "paid_on": row.paid_on,
            "amount_paid": row.amount,
            "import_key": row.import_key,
        }
        for row in rows
    ]
    insert_rows(Claim, claims)
    claim_ids = ids_by(Claim, "import_key", (claim["import_key"] for claim in claims))
    # History, not live work: these claims were decided and paid in the legacy system, so they are written
    # in bulk beneath claims/lifecycle.py's writer (no moves to check, nobody to tell), one event each.
    events = [
        {
            "claim_id": claim_ids[claim["import_key"]],
            "actor_id": by.pk if by else None,
            "action": ClaimAction.IMPORTED.value,
            "to_status": Status.PAID.value,
            "data": {"paid_on": str(claim["paid_on"]), "amount": claim["amount_paid"]},
        }
        for claim in claims
    ]
    insert_rows(ClaimEvent, events)
    record_paid(claims)  # the report rollups, in the same transaction as the claims
    return len(claims)
