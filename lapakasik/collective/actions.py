"""Every change in the collective channel, one function each (ARCHITECTURE §3.2).

Mandates: `create_mandate` (representative) → `approve_mandate` / `reject_mandate` (supervisor of the
employer's branch) → `revoke_mandate` (either). Lists: `upload_list` → `prepare_list` (parse and
validate, background) → `submit_list` → `run_submission` (claims, background, chunk by chunk,
resumable) → officers' `start_batch_verification`.

The claims themselves are written by `create_collective_claims`, the set-based twin of
claims.actions.start_claim + submit_claim: the same two rules (the reason belongs to the program; no
second open claim of a program for a participant, checked under a lock on the participants), the
same resulting rows (Claim in "submitted", a "started" and a "submitted" ClaimEvent) — one INSERT
per table per chunk instead of three queries per worker.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from lapakasik.accounts.models import Role
from lapakasik.claims import bulk
from lapakasik.claims.checks import recompute_findings_for
from lapakasik.claims.models import (
    OPEN_STATUSES,
    REASONS_BY_PROGRAM,
    Channel,
    Claim,
    ClaimDocument,
    ClaimEvent,
    PayoutAccount,
    Program,
    Status,
    new_claim_number,
)
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Participant

from .files import (
    StagedDocuments,
    UnsafeArchive,
    check_power_of_attorney,
    delete_stored,
    index_documents,
    open_archive,
)
from .models import CollectiveEvent, ListRow, ListStatus, Mandate, MandateStatus, MassList, RowStatus
from .parse import Issue, ListFileError, ParsedRow, Table, parse_rows, read_table
from .validate import CHUNK, LISTROW_FIELDS, Validator, flag_shared_accounts, name_score

SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.BRANCH_HEAD})
MAX_MANDATE_DAYS = 366
CLAIM_CHUNK = 2000
STALE_AFTER = dt.timedelta(minutes=2)


def _event(action: str, *, by, employer_id: int, mandate=None, mass_list=None, **data: Any) -> None:
    CollectiveEvent.objects.create(
        action=action, actor=by, employer_id=employer_id, mandate=mandate, mass_list=mass_list, data=data
    )


def _today(employer) -> dt.date:
    return today_at(employer.branch.time_zone)


def _not_permitted() -> DomainError:
    return DomainError("not_permitted", _("Peran Anda tidak berwenang untuk tindakan ini."), status=403)


def _require_representative(by) -> None:
    if by.role != Role.EMPLOYER_REP or not by.employer_id:
        raise _not_permitted()


def _require_branch_supervisor(mandate: Mandate, by) -> None:
    if not by.can_see_branch(mandate.employer.branch_id):
        raise DomainError("not_found", _("Surat kuasa tidak ditemukan."), status=404)
    if not (by.role in SUPERVISING_ROLES or by.is_admin_role):
        raise DomainError(
            "not_permitted", _("Surat kuasa disetujui oleh supervisor atau kepala cabang."), status=403
        )


def _guarded(model, pk: int, old: str | tuple[str, ...], **changes: Any) -> None:
    """UPDATE … WHERE status = old that must hit one row: two people acting at once cannot both win."""
    olds = (old,) if isinstance(old, str) else old
    if model.objects.filter(pk=pk, status__in=olds).update(**changes) != 1:
        raise DomainError(
            "changed",
            _(
                "Data ini baru saja diubah oleh orang lain. Muat ulang halaman untuk melihat keadaannya sekarang."
            ),
            status=409,
        )


# --- mandates ------------------------------------------------------------------------------


def create_mandate(*, by, power_of_attorney, accept_statement: bool, valid_until: dt.date) -> Mandate:
    """The representative files the employer's power of attorney and signs the no-misuse statement."""
    _require_representative(by)
    employer = by.employer
    if not accept_statement:
        raise DomainError("statement_required", _("Pernyataan tidak menyalahgunakan kuasa wajib disetujui."),
                          field="accept_statement")  # fmt: skip
    today = _today(employer)
    if not today <= valid_until <= today + dt.timedelta(days=MAX_MANDATE_DAYS):
        raise DomainError("bad_period", _("Masa berlaku surat kuasa paling lama satu tahun sejak hari ini."),
                          field="valid_until")  # fmt: skip
    try:
        clean = check_power_of_attorney(power_of_attorney)
    except UnsafeArchive as error:
        raise DomainError("bad_file", error.render(), field="power_of_attorney")
    with transaction.atomic():
        mandate = Mandate(
            employer=employer, representative=by, poa_sha256=clean.sha256, poa_content_type=clean.content_type,
            statement_accepted_at=timezone.now(), valid_from=today, valid_until=valid_until,
        )  # fmt: skip
        # What is stored is what passed the checks (images re-encoded), never the bytes as uploaded.
        mandate.power_of_attorney.save(f"kuasa.{clean.extension}", ContentFile(clean.content), save=False)
        mandate.save()
        _event(
            "mandate_created", by=by, employer_id=employer.id, mandate=mandate, valid_until=str(valid_until)
        )
    return mandate


def approve_mandate(mandate: Mandate, *, by) -> Mandate:
    _require_branch_supervisor(mandate, by)
    if mandate.valid_until < _today(mandate.employer):
        raise DomainError("expired", _("Masa berlaku surat kuasa sudah lewat."), status=409)
    with transaction.atomic():
        _guarded(Mandate, mandate.pk, MandateStatus.PENDING, status=MandateStatus.APPROVED, decided_by=by,
                 decided_at=timezone.now())  # fmt: skip
        _event("mandate_approved", by=by, employer_id=mandate.employer_id, mandate=mandate)
    mandate.refresh_from_db()
    return mandate


def reject_mandate(mandate: Mandate, *, by, note: str) -> Mandate:
    _require_branch_supervisor(mandate, by)
    note = (note or "").strip()
    if not note:
        raise DomainError("reason_required", _("Alasan wajib diisi."), field="note")
    with transaction.atomic():
        _guarded(Mandate, mandate.pk, MandateStatus.PENDING, status=MandateStatus.REJECTED, decided_by=by,
                 decided_at=timezone.now(), note=note)  # fmt: skip
        _event("mandate_rejected", by=by, employer_id=mandate.employer_id, mandate=mandate, note=note)
    mandate.refresh_from_db()
    return mandate


def revoke_mandate(mandate: Mandate, *, by, note: str = "") -> Mandate:
    """By the representative (the company withdrew the power) or by the branch; lists not yet submitted stop."""
    if mandate.representative_id != by.id:
        _require_branch_supervisor(mandate, by)
    with transaction.atomic():
        _guarded(Mandate, mandate.pk, (MandateStatus.PENDING, MandateStatus.APPROVED), status=MandateStatus.REVOKED,
                 revoked_by=by, revoked_at=timezone.now(), note=(note or "").strip())  # fmt: skip
        _event("mandate_revoked", by=by, employer_id=mandate.employer_id, mandate=mandate)
    mandate.refresh_from_db()
    return mandate


def active_mandate_for(user) -> Mandate | None:
    if user.role != Role.EMPLOYER_REP or not user.employer_id:
        return None
    today = _today(user.employer)
    return (
        Mandate.objects.filter(
            employer_id=user.employer_id,
            representative=user,
            status=MandateStatus.APPROVED,
            valid_from__lte=today,
            valid_until__gte=today,
        )  # fmt: skip
        .order_by("-valid_until")
        .first()
    )


def _require_active_mandate(by) -> Mandate:
    _require_representative(by)
    mandate = active_mandate_for(by)
    if mandate is None:
        raise DomainError(
            "no_active_mandate",
            _("Belum ada surat kuasa yang disetujui dan masih berlaku. Unggah surat kuasa dan tunggu persetujuan "
              "kantor cabang."),
            status=403,
        )  # fmt: skip
    return mandate


# --- lists: upload and preparation -----------------------------------------------------------------


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def upload_list(*, by, list_file, documents_file=None) -> tuple[MassList, bool]:
    """Store the files and start checking them. The very same files uploaded again return the first list."""
    mandate = _require_active_mandate(by)
    digest = hashlib.sha256(_sha256(list_file).encode())
    digest.update(_sha256(documents_file).encode() if documents_file else b"-")
    file_sha256 = digest.hexdigest()
    existing = MassList.objects.filter(employer_id=by.employer_id, file_sha256=file_sha256).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        mass_list = MassList(employer_id=by.employer_id, mandate=mandate, uploaded_by=by, file_sha256=file_sha256,
                             filename=(list_file.name or "daftar")[-120:])  # fmt: skip
        mass_list.list_file.save(list_file.name or "daftar.csv", list_file, save=False)
        if documents_file:
            mass_list.documents_file.save("dokumen.zip", documents_file, save=False)
        mass_list.save()
        _event("list_uploaded", by=by, employer_id=by.employer_id, mass_list=mass_list, size=list_file.size)
        _dispatch("prepare", mass_list.pk, inline=list_file.size <= _inline_bytes())
    return mass_list, True


def _inline_bytes() -> int:
    # Small lists are checked within the request (no worker needed for a demo); big ones in the background.
    return int(getattr(settings, "COLLECTIVE_INLINE_BYTES", 256 * 1024))


def _dispatch(stage: str, list_id: int, *, inline: bool) -> None:
    from . import tasks

    task = {"prepare": tasks.prepare_list_task, "submit": tasks.submit_list_task}[stage]
    if inline:
        transaction.on_commit(lambda: task.call(list_id))
    else:
        transaction.on_commit(lambda: task.enqueue(list_id))


def _chunks(rows: Iterator[ParsedRow], size: int) -> Iterator[list[ParsedRow]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def prepare_list(list_id: int) -> MassList:
    """Parse and validate in chunks (bounded memory), store every row with its messages, then summarise.

    Safe to run again after a crash: it starts the list over, because nothing depends on its rows yet.
    """
    mass_list = MassList.objects.select_related("employer__branch").get(pk=list_id)
    if mass_list.status != ListStatus.RECEIVED:
        return mass_list
    ListRow.objects.filter(mass_list=mass_list).delete()
    staged = _staged(mass_list)
    staged.clear()
    try:
        with ExitStack() as files:
            archive = _open_documents(mass_list, files)
            documents = index_documents(archive) if archive else None
            with mass_list.list_file.open("rb") as stream:
                table = read_table(stream.read(), mass_list.filename)
            notices = _notices(table.extra_columns, documents)
            _progress(mass_list, rows_done=0, rows_to_do=table.estimated_rows, notices=notices)
            validator = Validator(mass_list.pk, mass_list.employer_id, mass_list.employer.branch_id,
                                  _today(mass_list.employer), documents, archive, staged,
                                  heartbeat=_heartbeat(mass_list))  # fmt: skip
            total, content = _check_rows(mass_list, table, validator)
    except (ListFileError, UnsafeArchive) as error:
        ListRow.objects.filter(mass_list=mass_list).delete()
        staged.clear()
        MassList.objects.filter(pk=list_id).update(status=ListStatus.REJECTED, file_error=[error.message, error.params],
                                                   finished_at=timezone.now())  # fmt: skip
        _event("list_rejected", by=None, employer_id=mass_list.employer_id, mass_list=mass_list)
        return MassList.objects.get(pk=list_id)
    if total == 0:
        return _reject_empty(mass_list)
    content_sha256 = _content_hash(content, total, documents)
    return _summarise(mass_list, content_sha256)


def _check_rows(mass_list: MassList, table: Table, validator: Validator) -> tuple[int, int]:
    """Check and store the rows chunk by chunk; returns their number and the sum of their fingerprints."""
    total, content = 0, 0
    for chunk in _chunks(parse_rows(table), CHUNK):
        # Checked (registry reads, document files) before the transaction: it stays open only to write.
        rows = validator.check(chunk)
        with transaction.atomic():
            _relaxed_commit()
            bulk.insert(ListRow, LISTROW_FIELDS, rows)
        fingerprints = sum(int(hashlib.sha256(r.fingerprint().encode()).hexdigest(), 16) for r in chunk)
        content = (content + fingerprints) % 2**256
        total += len(chunk)
        _progress(mass_list, rows_done=total)
    return total, content


HEARTBEAT_EVERY = dt.timedelta(seconds=15)


def _heartbeat(mass_list: MassList):
    """A callback for each row that touches the list's heartbeat at most every HEARTBEAT_EVERY."""
    last = timezone.now()

    def beat() -> None:
        nonlocal last
        if timezone.now() - last >= HEARTBEAT_EVERY:
            last = timezone.now()
            _progress(mass_list)

    return beat


def _staged(mass_list: MassList) -> StagedDocuments:
    return StagedDocuments(f"kolektif/dokumen/{mass_list.pk}")


def _open_documents(mass_list: MassList, files: ExitStack) -> zipfile.ZipFile | None:
    """The documents ZIP, open for the whole check (rows read their files from it); None if none."""
    if not mass_list.documents_file:
        return None
    stream = files.enter_context(mass_list.documents_file.open("rb"))
    return files.enter_context(open_archive(stream))


def _notices(extra_columns: list[str], documents) -> list:
    notices = []
    if extra_columns:
        notices.append(Issue("row", N_("Kolom tambahan tidak dibaca: %(columns)s."),
                             {"columns": ", ".join(extra_columns)[:300]}).as_json())  # fmt: skip
    if documents is not None and documents.unassigned:
        notices.append(Issue("documents", N_("%(n)d berkas di ZIP tidak berada di folder NIK atau tidak diawali NIK, "
                                             "sehingga diabaikan, misalnya %(example)s."),
                             {"n": len(documents.unassigned), "example": documents.unassigned[0]}).as_json())  # fmt: skip
    return notices


def _progress(mass_list: MassList, **fields: Any) -> None:
    MassList.objects.filter(pk=mass_list.pk).update(heartbeat_at=timezone.now(), **fields)


def _content_hash(rows_sum: int, total: int, documents) -> str:
    digest = hashlib.sha256(f"{rows_sum:064x}|{total}".encode())
    for name in documents.names() if documents else ():
        digest.update(name.encode() + b"\n")
    return digest.hexdigest()


def _reject_empty(mass_list: MassList) -> MassList:
    MassList.objects.filter(pk=mass_list.pk).update(
        status=ListStatus.REJECTED, file_error=[N_("Daftar tidak berisi satu baris data pun."), {}],
        finished_at=timezone.now(),
    )  # fmt: skip
    return MassList.objects.get(pk=mass_list.pk)


def _summarise(mass_list: MassList, content_sha256: str) -> MassList:
    earlier = (
        MassList.objects.filter(
            employer_id=mass_list.employer_id,
            content_sha256=content_sha256,
            status__in=[ListStatus.VALIDATED, ListStatus.SUBMITTING, ListStatus.SUBMITTED],
        )  # fmt: skip
        .exclude(pk=mass_list.pk)
        .first()
    )
    if earlier is not None:
        # The same workers again (another export of the same sheet): nothing to check or create twice.
        ListRow.objects.filter(mass_list=mass_list).delete()
        _staged(mass_list).clear()
        MassList.objects.filter(pk=mass_list.pk).update(
            status=ListStatus.DUPLICATE,
            duplicate_of=earlier,
            content_sha256=content_sha256,
            finished_at=timezone.now(),
        )
        _event(
            "list_duplicate", by=None, employer_id=mass_list.employer_id, mass_list=mass_list, of=earlier.pk
        )
        return MassList.objects.get(pk=mass_list.pk)
    flagged = flag_shared_accounts(mass_list.pk)
    counts = ListRow.objects.filter(mass_list=mass_list).aggregate(
        total=Count("id"), valid=Count("id", filter=Q(status=RowStatus.VALID)),
        flagged=Count("id", filter=~Q(warnings=[])),
    )  # fmt: skip
    MassList.objects.filter(pk=mass_list.pk, status=ListStatus.RECEIVED).update(
        status=ListStatus.VALIDATED, content_sha256=content_sha256, total_rows=counts["total"],
        valid_rows=counts["valid"], error_rows=counts["total"] - counts["valid"], flagged_rows=counts["flagged"],
        finished_at=timezone.now(),
    )  # fmt: skip
    _event("list_validated", by=None, employer_id=mass_list.employer_id, mass_list=mass_list,
           total=counts["total"], valid=counts["valid"], shared_accounts=flagged)  # fmt: skip
    return MassList.objects.get(pk=mass_list.pk)


# --- lists: submission and claims -------------------------------------------------------------------


def submit_list(mass_list: MassList, *, by) -> MassList:
    """The representative submits the list's valid rows; rows with errors stay for a corrected upload."""
    mandate = _require_active_mandate(by)
    if mass_list.employer_id != by.employer_id:
        raise DomainError("not_found", _("Daftar tidak ditemukan."), status=404)
    if mass_list.valid_rows == 0:
        raise DomainError("nothing_valid", _("Tidak ada baris yang siap diajukan."), status=409)
    with transaction.atomic():
        _guarded(MassList, mass_list.pk, ListStatus.VALIDATED, status=ListStatus.SUBMITTING, mandate=mandate,
                 submitted_by=by, submitted_at=timezone.now(), rows_done=0, rows_to_do=mass_list.valid_rows,
                 heartbeat_at=timezone.now())  # fmt: skip
        _event(
            "list_submitted",
            by=by,
            employer_id=by.employer_id,
            mass_list=mass_list,
            rows=mass_list.valid_rows,
        )
        _dispatch("submit", mass_list.pk, inline=mass_list.valid_rows <= _inline_rows())
    mass_list.refresh_from_db()
    return mass_list


def _inline_rows() -> int:
    return int(getattr(settings, "COLLECTIVE_INLINE_ROWS", 2000))


def resume_list(mass_list: MassList, *, by=None, force: bool = False) -> bool:
    """Start a stalled stage again (a worker died): it picks up only what is not done yet."""
    stale = mass_list.heartbeat_at is None or timezone.now() - mass_list.heartbeat_at > STALE_AFTER
    if not mass_list.is_working or not (stale or force):
        return False
    _progress(mass_list)
    _event(
        "list_resumed", by=by, employer_id=mass_list.employer_id, mass_list=mass_list, stage=mass_list.status
    )
    _dispatch("prepare" if mass_list.status == ListStatus.RECEIVED else "submit", mass_list.pk, inline=False)
    return True


def run_submission(list_id: int) -> MassList:
    """Turn the valid rows into claims, one transaction per chunk; a rerun continues where it stopped."""
    mass_list = MassList.objects.select_related("employer__branch", "mandate", "submitted_by").get(pk=list_id)
    while mass_list.status == ListStatus.SUBMITTING:
        mandate = Mandate.objects.get(pk=mass_list.mandate_id)
        if not mandate.is_active_on(_today(mass_list.employer)):
            return _stop(mass_list)
        # The cells and warnings are not needed to make claims: not read back (nor JSON-decoded).
        chunk = list(
            ListRow.objects.filter(mass_list=mass_list, status=RowStatus.VALID)
            .defer("cells", "warnings")
            .order_by("line")[:CLAIM_CHUNK]
        )
        if not chunk:
            break
        create_collective_claims(chunk, mass_list=mass_list, by=mass_list.submitted_by)
    if MassList.objects.filter(pk=list_id, status=ListStatus.SUBMITTING).update(
        status=ListStatus.SUBMITTED, finished_at=timezone.now()
    ):
        mass_list.refresh_from_db()
        _event("list_claims_created", by=None, employer_id=mass_list.employer_id, mass_list=mass_list,
               claims=mass_list.claims_created)  # fmt: skip
    return MassList.objects.get(pk=list_id)


def _stop(mass_list: MassList) -> MassList:
    # The mandate was revoked or expired mid-way: what is created stays, the rest waits for a new mandate.
    MassList.objects.filter(pk=mass_list.pk, status=ListStatus.SUBMITTING).update(status=ListStatus.VALIDATED)
    remaining = ListRow.objects.filter(mass_list=mass_list, status=RowStatus.VALID).count()
    MassList.objects.filter(pk=mass_list.pk).update(valid_rows=remaining)
    _event(
        "list_stopped", by=None, employer_id=mass_list.employer_id, mass_list=mass_list, remaining=remaining
    )
    return MassList.objects.get(pk=mass_list.pk)


ALREADY_OPEN = N_("Sudah ada klaim JHT yang sedang diproses untuk peserta ini (%(number)s).")


def create_collective_claims(rows: list[ListRow], *, mass_list: MassList, by) -> int:
    """Set-based start_claim + submit_claim for validated rows; all of a chunk or nothing. Returns claims made."""
    employer = mass_list.employer
    now = timezone.now()
    submitted_on = timezone.localdate(now)
    with transaction.atomic():
        _relaxed_commit()
        participant_ids: list[Any] = sorted({r.participant_id for r in rows if r.participant_id})
        # Lock the participants (as start_claim does) so a single claim started meanwhile cannot slip in.
        list(
            Participant.objects.select_for_update()
            .filter(pk__in=participant_ids)
            .order_by("pk")
            .values_list("pk")
        )
        # One read of the participants' JHT claims gives both what an earlier run of this chunk already
        # wrote (its import keys: always the row's participant and JHT) and the other open claims.
        keys = {r.claim_key for r in rows}
        done: set[str] = set()
        open_claims: dict[int, str] = {}
        for participant_id, number, status, import_key in Claim.objects.filter(
            participant_id__in=participant_ids, program=Program.JHT
        ).values_list("participant_id", "number", "status", "import_key"):
            if import_key in keys:
                done.add(import_key)
            elif status in OPEN_STATUSES:
                open_claims[participant_id] = number
        fresh, refused = [], []
        for row in rows:
            if row.claim_key in done:
                continue  # written by an earlier run that died before marking the row
            if (
                row.participant_id is None
                or row.participant_id in open_claims
                or row.reason not in REASONS_BY_PROGRAM[Program.JHT]
            ):
                row.errors = [
                    *row.errors,
                    ["nik", ALREADY_OPEN, {"number": open_claims.get(row.participant_id or 0, "-")}],
                ]
                row.status = RowStatus.INVALID
                refused.append(row)
            else:
                fresh.append(row)
        claim_ids = _insert_claims(fresh, employer=employer, by=by, now=now, submitted_on=submitted_on)
        _write_claim_details(claim_ids, fresh, mass_list, by, now=now)
        # The same data-validity findings and rules estimate as submit_claim gives a single claim.
        recompute_findings_for(claim_ids)
        ListRow.objects.filter(pk__in=[r.pk for r in rows if r not in refused]).update(
            status=RowStatus.CLAIMED
        )
        refused_files = [d["file"] for row in refused for d in row.documents]
        for row in refused:
            row.documents = []  # their files go once this commits: the row is corrected and uploaded again
        ListRow.objects.bulk_update(refused, ["errors", "status", "documents"])
        transaction.on_commit(lambda: delete_stored(refused_files))
        MassList.objects.filter(pk=mass_list.pk).update(
            rows_done=F("rows_done") + len(rows), claims_created=F("claims_created") + len(fresh),
            valid_rows=F("valid_rows") - len(refused), error_rows=F("error_rows") + len(refused),
            heartbeat_at=timezone.now(),
        )  # fmt: skip
    return len(fresh)


def _relaxed_commit() -> None:
    # A chunk is re-done from its rows if a crash loses its commit, so waiting for the WAL flush buys nothing.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


CLAIM_FIELDS = (
    "number", "program", "reason", "channel", "status", "participant", "employer", "claimant", "branch", "area",
    "created_at", "submitted_on", "submitted_at", "decision_code", "decision_note", "import_key",
)  # fmt: skip
EVENT_FIELDS = ("claim", "at", "actor", "action", "from_status", "to_status", "note", "data")
DOCUMENT_FIELDS = (
    "claim", "kind", "file", "original_name", "sha256", "size", "content_type", "uploaded_by", "uploaded_at"
)  # fmt: skip
ACCOUNT_FIELDS = ("claim", "bank_code", "account_number", "holder_name", "name_match", "updated_at")


def _insert_claims(
    rows: list[ListRow], *, employer, by, now: dt.datetime, submitted_on: dt.date
) -> list[int]:
    """The rows' claims in "submitted", as Claim(…) with its defaults would be; returns their ids, in order."""
    at, on = bulk.datetime_value(now), bulk.date_value(submitted_on)
    values = [
        (new_claim_number(), Program.JHT.value, row.reason, Channel.COLLECTIVE.value, Status.SUBMITTED.value,
         row.participant_id or 0, employer.id, by.pk if by else None, employer.branch_id, row.area_id or 0, at, on,
         at, "", "", row.claim_key)
        for row in rows
    ]  # fmt: skip
    ids = bulk.next_ids(Claim, len(values))
    if ids is not None:  # PostgreSQL: COPY with ids from the sequence, nothing to read back
        bulk.insert(
            Claim, ("id", *CLAIM_FIELDS), [(pk, *value) for pk, value in zip(ids, values, strict=True)]
        )
        return ids
    bulk.insert(Claim, CLAIM_FIELDS, values)
    by_key = dict(
        Claim.objects.filter(import_key__in=[r.claim_key for r in rows]).values_list("import_key", "pk")
    )
    return [by_key[row.claim_key] for row in rows]


def _write_claim_details(
    claim_ids: list[int], rows: list[ListRow], mass_list: MassList, by, *, now: dt.datetime
) -> None:
    at = bulk.datetime_value(now)
    actor = by.pk if by else None
    data = {"channel": Channel.COLLECTIVE.value, "list": mass_list.pk}
    submitted = bulk.as_json(data)
    events = []
    for claim_id, row in zip(claim_ids, rows, strict=True):
        started = bulk.as_json({**data, "line": row.line})
        events.append((claim_id, at, actor, "started", "", Status.DRAFT.value, "", started))
        for document in row.documents:  # as claims.actions.add_document records each file
            events.append((claim_id, at, actor, "document_added", Status.DRAFT.value, Status.DRAFT.value,
                           document["name"], bulk.as_json({"kind": document["kind"], "sha256": document["sha256"]})))  # fmt: skip
        events.append(
            (claim_id, at, actor, "submitted", Status.DRAFT.value, Status.SUBMITTED.value, "", submitted)
        )
    bulk.insert(ClaimEvent, EVENT_FIELDS, events)
    bulk.insert(ClaimDocument, DOCUMENT_FIELDS, [
        (claim_id, d["kind"], d["file"], d["name"], d["sha256"], d["size"], d["content_type"], actor, at)
        for claim_id, row in zip(claim_ids, rows, strict=True) for d in row.documents
    ])  # fmt: skip
    bulk.insert(PayoutAccount, ACCOUNT_FIELDS, [
        (claim_id, row.bank, row.account_number, row.holder_name, name_score(row.holder_name, row.full_name), at)
        for claim_id, row in zip(claim_ids, rows, strict=True)
    ])  # fmt: skip


# --- officers ---------------------------------------------------------------------------------


def start_batch_verification(mass_list: MassList, *, by) -> int:
    """An officer takes a whole list into verification: claims.actions.start_verification per claim."""
    from lapakasik.claims.actions import start_verification

    if not by.can_see_branch(mass_list.employer.branch_id):
        raise DomainError("not_found", _("Daftar tidak ditemukan."), status=404)
    started = 0
    for claim in Claim.objects.filter(
        import_key__in=_claim_keys(mass_list), status=Status.SUBMITTED
    ).iterator():
        start_verification(claim, by=by)
        started += 1
    _event("batch_verification_started", by=by, employer_id=mass_list.employer_id, mass_list=mass_list,
           claims=started)  # fmt: skip
    return started


def _claim_keys(mass_list: MassList):
    return ListRow.objects.filter(mass_list=mass_list, status=RowStatus.CLAIMED).values("claim_key")
