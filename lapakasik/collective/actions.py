"""Every change in the collective channel, one function each (ARCHITECTURE §3.2).

Mandates: `create_mandate` (representative) → `approve_mandate` / `reject_mandate` (supervisor of the
employer's branch) → `revoke_mandate` (either). Lists: `upload_list` → `prepare_list` (parse and
validate, background) → `submit_list` → `run_submission` (claims, background, chunk by chunk,
resumable) → officers' `start_batch_verification`.

The claims themselves are written by `create_collective_claims`, the set-based twin of
claims.actions.start_claim + submit_claim: the same two rules (the reason belongs to the program; no
second open claim of a program for a participant, checked under a lock on the participants), the
same resulting rows (Claim in "submitted", a "started" and a "submitted" ClaimEvent, with the action
names of claims' ClaimAction) — one INSERT per table per chunk instead of three queries per worker.
Those rows are written beneath claims/lifecycle.py's writer, in bulk, by its ``insert_submitted``: a list of
10,000 rows through the writer one claim at a time took minutes.
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
from django_tasks import task

from lapakasik.accounts.models import Role
from lapakasik.claims import bulk
from lapakasik.claims import lifecycle as claim_lifecycle
from lapakasik.claims.checks import recompute_findings_for
from lapakasik.claims.models import (
    OPEN_STATUSES,
    REASONS_BY_PROGRAM,
    Channel,
    Claim,
    ClaimDocument,
    PayoutAccount,
    PayoutAccountStatus,
    Program,
    Status,
)
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError
from lapakasik.lib.lifecycle import CHANGED_MEANWHILE
from lapakasik.lib.names import name_similarity
from lapakasik.registry.models import Participant

from .documents import DocumentChecker
from .files import (
    StagedDocuments,
    UnsafeArchive,
    check_archive,
    check_power_of_attorney,
    delete_stored,
    index_documents,
    open_archive,
)
from .lifecycle import CollectiveAction as A
from .lifecycle import move_lists, move_mandates, move_rows, record
from .models import ListRow, ListStatus, Mandate, MandateStatus, MassList, RowStatus
from .parse import Issue, ListFileError, ParsedRow, Table, parse_rows, read_table
from .validate import CHUNK, LISTROW_FIELDS, Validator, flag_shared_accounts

SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.BRANCH_HEAD})
MAX_MANDATE_DAYS = 366
CLAIM_CHUNK = 2000
STALE_AFTER = dt.timedelta(minutes=2)


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


# --- mandates ------------------------------------------------------------------------------


def create_mandate(*, by, power_of_attorney, accept_statement: bool, valid_until: dt.date) -> Mandate:
    """The representative files the employer's power of attorney and signs the no-misuse statement."""
    _require_representative(by)
    employer = by.employer
    if not accept_statement:
        raise DomainError(
            "statement_required",
            _("Pernyataan tidak menyalahgunakan kuasa wajib disetujui."),
            field="accept_statement",
        )
    today = _today(employer)
    if not today <= valid_until <= today + dt.timedelta(days=MAX_MANDATE_DAYS):
        raise DomainError(
            "bad_period",
            _("Masa berlaku surat kuasa paling lama satu tahun sejak hari ini."),
            field="valid_until",
        )
    try:
        clean = check_power_of_attorney(power_of_attorney)
    except UnsafeArchive as error:
        raise DomainError("bad_file", error.render(), field="power_of_attorney")
    with transaction.atomic():
        mandate = Mandate(
            employer=employer,
            representative=by,
            poa_sha256=clean.sha256,
            poa_content_type=clean.content_type,
            statement_accepted_at=timezone.now(),
            valid_from=today,
            valid_until=valid_until,
        )
        # What is stored is what passed the checks (images re-encoded), never the bytes as uploaded.
        mandate.power_of_attorney.save(f"kuasa.{clean.extension}", ContentFile(clean.content), save=False)
        mandate.save()
        record(
            A.MANDATE_CREATED, by=by, employer_id=employer.id, mandate=mandate, valid_until=str(valid_until)
        )
    return mandate


def approve_mandate(mandate: Mandate, *, by) -> Mandate:
    _require_branch_supervisor(mandate, by)
    if mandate.valid_until < _today(mandate.employer):
        raise DomainError("expired", _("Masa berlaku surat kuasa sudah lewat."), status=409)
    move_mandates([mandate], "approve", by=by, decided_by=by, decided_at=timezone.now())
    mandate.refresh_from_db()
    return mandate


def reject_mandate(mandate: Mandate, *, by, note: str) -> Mandate:
    _require_branch_supervisor(mandate, by)
    note = (note or "").strip()
    if not note:
        raise DomainError("reason_required", _("Alasan wajib diisi."), field="note")
    move_mandates(
        [mandate], "reject", by=by, reason=note, note=note, decided_by=by, decided_at=timezone.now()
    )
    mandate.refresh_from_db()
    return mandate


def revoke_mandate(mandate: Mandate, *, by, note: str = "") -> Mandate:
    """By the representative (the company withdrew the power) or by the branch; lists not yet submitted stop."""
    if mandate.representative_id != by.id:
        _require_branch_supervisor(mandate, by)
    note = (note or "").strip()
    move_mandates(
        [mandate], "revoke", by=by, reason=note, note=note, revoked_by=by, revoked_at=timezone.now()
    )
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
        )
        .order_by("-valid_until")
        .first()
    )


def _require_active_mandate(by) -> Mandate:
    _require_representative(by)
    mandate = active_mandate_for(by)
    if mandate is None:
        raise DomainError(
            "no_active_mandate",
            _(
                "Belum ada surat kuasa yang disetujui dan masih berlaku. Unggah surat kuasa dan tunggu persetujuan "
                "kantor cabang."
            ),
            status=403,
        )
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
    refusal = _file_refusal(list_file, documents_file)
    with transaction.atomic():
        mass_list = MassList(
            employer_id=by.employer_id,
            mandate=mandate,
            uploaded_by=by,
            file_sha256=file_sha256,
            filename=(list_file.name or "daftar")[-120:],
        )
        if refusal is None:
            mass_list.list_file.save(list_file.name or "daftar.csv", list_file, save=False)
            if documents_file:
                mass_list.documents_file.save("dokumen.zip", documents_file, save=False)
        mass_list.save()
        record(A.LIST_UPLOADED, by=by, employer_id=by.employer_id, mass_list=mass_list, size=list_file.size)
        if refusal is not None:
            # The list is recorded (its page says why it was refused) but nothing of the files is stored.
            return _reject_file(mass_list, refusal), True
        _dispatch("prepare", mass_list.pk, inline=list_file.size <= _inline_bytes())
    return mass_list, True


def _file_refusal(list_file, documents_file) -> list | None:
    """prepare_list's checks of the files as a whole, run before anything is stored (issue 18 finding 6):
    an unreadable list, a missing column, an archive that is no ZIP, unsafe names or a zip bomb. They
    read the header and the archive's directory only; the rows are checked later, in the background."""
    try:
        read_table(list_file.read(), list_file.name or "")
        if documents_file:
            with open_archive(documents_file) as archive:
                check_archive(archive)
    except (ListFileError, UnsafeArchive) as error:
        return [error.message, error.params]
    finally:
        for upload in (list_file, documents_file):
            if upload:
                upload.seek(0)
    return None


def _inline_bytes() -> int:
    # Small lists are checked within the request (no worker needed for a demo); big ones in the background.
    return int(getattr(settings, "COLLECTIVE_INLINE_BYTES", 256 * 1024))


# The background stages (Django tasks API; `python -m lapakasik db_worker` runs them). They live
# beside the actions that queue them, so the actions need not import a module that imports them back.
# Each takes only the list's id and does what is not done yet: running one twice, or again after a
# worker was killed, is safe; that is how an import resumes.


@task()
def prepare_list_task(list_id: int) -> None:
    prepare_list(list_id)


@task()
def submit_list_task(list_id: int) -> None:
    run_submission(list_id)


def _dispatch(stage: str, list_id: int, *, inline: bool) -> None:
    task = {"prepare": prepare_list_task, "submit": submit_list_task}[stage]
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
            file_count = sum(len(paths) for paths in documents.by_nik.values()) if documents else 0
            checker = files.enter_context(DocumentChecker(staged, files=file_count))
            validator = Validator(
                mass_list.pk,
                mass_list.employer_id,
                mass_list.employer.branch_id,
                _today(mass_list.employer),
                documents,
                archive,
                staged,
                heartbeat=_heartbeat(mass_list),
                checker=checker,
            )
            total, content = _check_rows(mass_list, table, validator)
    except (ListFileError, UnsafeArchive) as error:
        return _reject_file(mass_list, [error.message, error.params])
    if total == 0:
        return _reject_file(mass_list, [N_("Daftar tidak berisi satu baris data pun."), {}])
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
        notices.append(
            Issue(
                "row",
                N_("Kolom tambahan tidak dibaca: %(columns)s."),
                {"columns": ", ".join(extra_columns)[:300]},
            ).as_json()
        )
    if documents is not None and documents.unassigned:
        notices.append(
            Issue(
                "documents",
                N_(
                    "%(n)d berkas di ZIP tidak berada di folder NIK atau tidak diawali NIK, "
                    "sehingga diabaikan, misalnya %(example)s."
                ),
                {"n": len(documents.unassigned), "example": documents.unassigned[0]},
            ).as_json()
        )
    return notices


def _progress(mass_list: MassList, **fields: Any) -> None:
    MassList.objects.filter(pk=mass_list.pk).update(heartbeat_at=timezone.now(), **fields)


def _content_hash(rows_sum: int, total: int, documents) -> str:
    digest = hashlib.sha256(f"{rows_sum:064x}|{total}".encode())
    for name in documents.names() if documents else ():
        digest.update(name.encode() + b"\n")
    return digest.hexdigest()


def _system_move(
    mass_list: MassList, move: str, *, data: dict[str, Any] | None = None, **changes: Any
) -> bool:
    """The worker's move of its list; False when another run of the stage moved it first (a resume
    raced a slow worker): that run's result stands, and this one writes nothing more."""
    try:
        move_lists([mass_list], move, by=None, data=data, **changes)
    except DomainError as error:
        if error.code != CHANGED_MEANWHILE:
            raise
        return False
    return True


def _discard_rows(mass_list: MassList) -> None:
    """The rows and staged files of a list that will never be submitted; the files go once this commits."""
    ListRow.objects.filter(mass_list=mass_list).delete()
    transaction.on_commit(_staged(mass_list).clear)


def _reject_file(mass_list: MassList, file_error: list) -> MassList:
    """A refused file is not kept (issue 18 finding 6): its rows, staged documents and the uploads go."""
    stored = [f.name for f in (mass_list.list_file, mass_list.documents_file) if f.name]
    with transaction.atomic():
        if _system_move(
            mass_list,
            "reject_file",
            file_error=file_error,
            finished_at=timezone.now(),
            list_file="",
            documents_file="",
        ):
            _discard_rows(mass_list)
            transaction.on_commit(lambda: delete_stored(stored))
    return MassList.objects.get(pk=mass_list.pk)


def _summarise(mass_list: MassList, content_sha256: str) -> MassList:
    earlier = (
        MassList.objects.filter(
            employer_id=mass_list.employer_id,
            content_sha256=content_sha256,
            status__in=[ListStatus.VALIDATED, ListStatus.SUBMITTING, ListStatus.SUBMITTED],
        )
        .exclude(pk=mass_list.pk)
        .first()
    )
    with transaction.atomic():
        if earlier is not None:
            # The same workers again (another export of the same sheet): nothing to check or create twice.
            if _system_move(
                mass_list,
                "mark_duplicate",
                data={"of": earlier.pk},
                duplicate_of=earlier,
                content_sha256=content_sha256,
                finished_at=timezone.now(),
            ):
                _discard_rows(mass_list)
        else:
            _validated(mass_list, content_sha256)
    return MassList.objects.get(pk=mass_list.pk)


def _validated(mass_list: MassList, content_sha256: str) -> None:
    flagged = flag_shared_accounts(mass_list.pk)
    counts = ListRow.objects.filter(mass_list=mass_list).aggregate(
        total=Count("id"),
        valid=Count("id", filter=Q(status=RowStatus.VALID)),
        flagged=Count("id", filter=~Q(warnings=[])),
    )
    _system_move(
        mass_list,
        "validate",
        data={"total": counts["total"], "valid": counts["valid"], "shared_accounts": flagged},
        content_sha256=content_sha256,
        total_rows=counts["total"],
        valid_rows=counts["valid"],
        error_rows=counts["total"] - counts["valid"],
        flagged_rows=counts["flagged"],
        finished_at=timezone.now(),
    )


# --- lists: submission and claims -------------------------------------------------------------------


def submit_list(mass_list: MassList, *, by) -> MassList:
    """The representative submits the list's valid rows; rows with errors stay for a corrected upload."""
    mandate = _require_active_mandate(by)
    if mass_list.employer_id != by.employer_id:
        raise DomainError("not_found", _("Daftar tidak ditemukan."), status=404)
    if mass_list.valid_rows == 0:
        raise DomainError("nothing_valid", _("Tidak ada baris yang siap diajukan."), status=409)
    with transaction.atomic():
        move_lists(
            [mass_list],
            "submit",
            by=by,
            data={"rows": mass_list.valid_rows},
            mandate=mandate,
            submitted_by=by,
            submitted_at=timezone.now(),
            rows_done=0,
            rows_to_do=mass_list.valid_rows,
            heartbeat_at=timezone.now(),
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
    with transaction.atomic():
        _progress(mass_list)
        record(
            A.LIST_RESUMED,
            by=by,
            employer_id=mass_list.employer_id,
            mass_list=mass_list,
            stage=mass_list.status,
        )
        _dispatch(
            "prepare" if mass_list.status == ListStatus.RECEIVED else "submit", mass_list.pk, inline=False
        )
    return True


def resume_stalled_lists(*, now: dt.datetime | None = None) -> list[int]:
    """Take over every list whose worker stopped renewing its lease (the heartbeat) for STALE_AFTER.

    The heartbeat is the lease: a running stage renews it at least every HEARTBEAT_EVERY, so one older
    than STALE_AFTER means its worker died (kill -9, a crash, a restart). Each takeover is a guarded
    UPDATE on the very heartbeat value that was read, so of two workers sweeping at once only one
    resumes a list, and a list is never queued twice beside itself. The worker command
    (``python -m lapakasik worker``) sweeps when it starts and every minute.
    """
    now = now or timezone.now()
    stalled = MassList.objects.filter(status__in=[ListStatus.RECEIVED, ListStatus.SUBMITTING]).filter(
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - STALE_AFTER)
    )
    resumed = []
    for mass_list in stalled:
        taken = MassList.objects.filter(
            pk=mass_list.pk, status=mass_list.status, heartbeat_at=mass_list.heartbeat_at
        )
        if taken.update(heartbeat_at=now) and resume_list(mass_list, force=True):
            resumed.append(mass_list.pk)
    return resumed


def run_submission(list_id: int) -> MassList:
    """Turn the valid rows into claims, one transaction per chunk; a rerun continues where it stopped."""
    mass_list = MassList.objects.select_related("employer__branch", "mandate", "submitted_by").get(pk=list_id)
    while mass_list.status == ListStatus.SUBMITTING:
        mandate = Mandate.objects.get(pk=mass_list.mandate_id)
        if not mandate.is_active_on(_today(mass_list.employer)):
            return _stop(mass_list)
        # The cells and warnings are not needed to make claims: not read back (nor JSON-decoded).
        chunk: list[ListRow] = list(
            ListRow.objects.filter(mass_list=mass_list, status=RowStatus.VALID)
            .defer("cells", "warnings")
            .annotate(registered_name=F("participant__full_name"))
            .order_by("line")[:CLAIM_CHUNK]
        )
        if not chunk:
            break
        create_collective_claims(chunk, mass_list=mass_list, by=mass_list.submitted_by)
    if mass_list.status == ListStatus.SUBMITTING:
        # The chunks moved the counters, not the status: read them (and the status) as they are now.
        mass_list.refresh_from_db(fields=["status", "claims_created"])
        if mass_list.status == ListStatus.SUBMITTING:
            _system_move(
                mass_list, "finish", data={"claims": mass_list.claims_created}, finished_at=timezone.now()
            )
    return MassList.objects.get(pk=list_id)


def _stop(mass_list: MassList) -> MassList:
    # The mandate was revoked or expired mid-way: what is created stays, the rest waits for a new mandate.
    with transaction.atomic():
        remaining = ListRow.objects.filter(mass_list=mass_list, status=RowStatus.VALID).count()
        _system_move(mass_list, "stop", data={"remaining": remaining}, valid_rows=remaining)
    return MassList.objects.get(pk=mass_list.pk)


ALREADY_OPEN: dict[str, str] = {
    Program.JHT: N_("Sudah ada klaim JHT yang sedang diproses untuk peserta ini (%(number)s)."),
    Program.JKP: N_("Sudah ada klaim JKP yang sedang diproses untuk peserta ini (%(number)s)."),
}


def create_collective_claims(rows: list[ListRow], *, mass_list: MassList, by) -> int:
    """Set-based start_claim + submit_claim for validated rows; all of a chunk or nothing. Returns claims made."""
    employer = mass_list.employer
    now = timezone.now()
    submitted_on = today_at(employer.branch.time_zone, now=now)  # the branch's date, not Jakarta's
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
        # One read of the participants' JHT and JKP claims gives both what an earlier run of this chunk
        # already wrote (its import keys: the row's participant and program) and the other open claims.
        keys = {r.claim_key for r in rows}
        done: set[str] = set()
        open_claims: dict[tuple[int, str], str] = {}
        for participant_id, program, number, status, import_key in Claim.objects.filter(
            participant_id__in=participant_ids, program__in=[Program.JHT, Program.JKP]
        ).values_list("participant_id", "program", "number", "status", "import_key"):
            if import_key in keys:
                done.add(import_key)
            elif status in OPEN_STATUSES:
                open_claims[(participant_id, program)] = number
        fresh, refused = [], []
        for row in rows:
            if row.claim_key in done:
                continue  # written by an earlier run that died before marking the row
            program = row.program if row.program in ALREADY_OPEN else Program.JHT
            if (
                row.participant_id is None
                or (row.participant_id, program) in open_claims
                or row.reason not in REASONS_BY_PROGRAM[program]
            ):
                number = open_claims.get((row.participant_id or 0, program), "-")
                row.errors = [*row.errors, ["nik", ALREADY_OPEN[program], {"number": number}]]
                refused.append(row)
            else:
                fresh.append(row)
        fresh.sort(key=lambda r: r.program != Program.JHT)  # stable: JHT rows, then JKP rows, each in order
        claim_ids = [
            claim_id
            for program in (Program.JHT, Program.JKP)
            for claim_id in _insert_claims(
                [r for r in fresh if r.program == program],
                program=program,
                employer=employer,
                by=by,
                now=now,
                submitted_on=submitted_on,
                mass_list=mass_list,
            )
        ]
        _write_claim_details(claim_ids, fresh, mass_list, by, now=now)
        # The same data-validity findings and rules estimate as submit_claim gives a single claim.
        recompute_findings_for(claim_ids)
        move_rows([r for r in rows if r not in refused], "claim", by=by, employer_id=employer.id)
        refused_files = [d["file"] for row in refused for d in row.documents]
        for row in refused:
            row.documents = []  # their files go once this commits: the row is corrected and uploaded again
        move_rows(refused, "refuse", by=by, employer_id=employer.id)
        ListRow.objects.bulk_update(refused, ["errors", "documents"])
        transaction.on_commit(lambda: delete_stored(refused_files))
        MassList.objects.filter(pk=mass_list.pk).update(
            rows_done=F("rows_done") + len(rows),
            claims_created=F("claims_created") + len(fresh),
            valid_rows=F("valid_rows") - len(refused),
            error_rows=F("error_rows") + len(refused),
            heartbeat_at=timezone.now(),
        )
    return len(fresh)


def _relaxed_commit() -> None:
    # A chunk is re-done from its rows if a crash loses its commit, so waiting for the WAL flush buys nothing.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


DOCUMENT_FIELDS = (
    "claim", "kind", "file", "original_name", "sha256", "size", "content_type", "uploaded_by", "uploaded_at"
)  # fmt: skip
ACCOUNT_FIELDS = ("claim", "bank_code", "account_number", "holder_name", "name_match", "status", "updated_at")


def _insert_claims(
    rows: list[ListRow],
    *,
    program: str,
    employer,
    by,
    now: dt.datetime,
    submitted_on: dt.date,
    mass_list: MassList,
) -> list[int]:
    """The rows' claims in "submitted" with their events, beneath the claims' writer in bulk
    (claims.lifecycle.insert_submitted, see this module's docstring); returns their ids, in order."""
    if not rows:
        return []
    return claim_lifecycle.insert_submitted(
        [
            claim_lifecycle.BulkClaim(
                import_key=row.claim_key,
                participant_id=row.participant_id or 0,
                reason=row.reason,
                area_id=row.area_id or 0,
                line=row.line,
                documents=[(d["kind"], d["sha256"], d["name"]) for d in row.documents],
            )
            for row in rows
        ],
        program=str(program),
        channel=Channel.COLLECTIVE.value,
        employer_id=employer.id,
        branch_id=employer.branch_id,
        by=by,
        now=now,
        submitted_on=submitted_on,
        data={"channel": Channel.COLLECTIVE.value, "list": mass_list.pk},
    )


def _write_claim_details(
    claim_ids: list[int], rows: list[ListRow], mass_list: MassList, by, *, now: dt.datetime
) -> None:
    """The rows' documents and payout accounts (entered: checked with the claim, like any account given
    before approval); the files were checked when the list was."""
    at = bulk.datetime_value(now)
    actor = by.pk if by else None
    bulk.insert(
        ClaimDocument,
        DOCUMENT_FIELDS,
        [
            (claim_id, d["kind"], d["file"], d["name"], d["sha256"], d["size"], d["content_type"], actor, at)
            for claim_id, row in zip(claim_ids, rows, strict=True)
            for d in row.documents
        ],
    )
    entered = PayoutAccountStatus.ENTERED.value
    bulk.insert(
        PayoutAccount,
        ACCOUNT_FIELDS,
        [
            (claim_id, row.bank, row.account_number, row.holder_name, _holder_score(row), entered, at)
            for claim_id, row in zip(claim_ids, rows, strict=True)
        ],
    )


def _holder_score(row: ListRow) -> int:
    """The account holder against the registered name, as a single claim's account is scored."""
    return name_similarity(row.holder_name, getattr(row, "registered_name", None) or row.full_name)


# --- officers ---------------------------------------------------------------------------------


def start_batch_verification(mass_list: MassList, *, by) -> int:
    """An officer takes a whole list into verification: the claims' writer moves them all at once."""
    from lapakasik.claims.actions import start_verification_of

    if not by.can_see_branch(mass_list.employer.branch_id):
        raise DomainError("not_found", _("Daftar tidak ditemukan."), status=404)
    claims = list(Claim.objects.filter(import_key__in=_claim_keys(mass_list), status=Status.SUBMITTED))
    with transaction.atomic():
        started = len(start_verification_of(claims, by=by))
    record(
        A.BATCH_VERIFICATION_STARTED,
        by=by,
        employer_id=mass_list.employer_id,
        mass_list=mass_list,
        claims=started,
    )
    return started


def _claim_keys(mass_list: MassList):
    return ListRow.objects.filter(mass_list=mass_list, status=RowStatus.CLAIMED).values("claim_key")
