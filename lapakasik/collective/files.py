"""Hostile-upload checks for the collective channel: the power of attorney and the documents ZIP.

Nothing here extracts to disk: entries are listed, and each document is read into memory (at most
the upload limit) for the single-upload checks, so a path like `../../etc/passwd` could do no harm;
it is still refused, because a tool that produced it is not to be trusted with the rest of the
archive either. A zip bomb is stopped by the declared sizes (Python's zipfile never inflates past an
entry's declared size) and by a ratio limit. A damaged entry is an error on its row, not a crash.
"""

from __future__ import annotations

import re
import secrets
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_noop as N_

from lapakasik.claims.uploads import ALLOWED_EXTENSIONS, CleanFile, RefusedFile, check_file
from lapakasik.lib.errors import DeferredMessageError

MAX_POA_BYTES = 10 * 1024 * 1024
MAX_ZIP_ENTRIES = 200_000
MAX_ZIP_UNCOMPRESSED = 4 * 1024**3
MAX_RATIO = 200  # scans compress by 1–3×; text-like PDFs by ~10×; a bomb by thousands
_NIK = re.compile(r"^(\d{16})(?:\D|$)")
_IGNORED = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)")


class UnsafeArchive(DeferredMessageError):
    """A documents ZIP that is unsafe to open (path traversal, zip bomb, too many entries)."""


class UnacceptableFile(UnsafeArchive):
    """A single uploaded file (the power of attorney) that is not what it claims to be."""


def _unsafe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\"))
        or "\\" in name
        or "\x00" in name
        or re.match(r"^[A-Za-z]:", name) is not None
        or any(part == ".." for part in parts)
    )


def check_archive(
    archive: zipfile.ZipFile, *, max_total: int = MAX_ZIP_UNCOMPRESSED, max_entries: int = MAX_ZIP_ENTRIES
) -> list[zipfile.ZipInfo]:
    entries = archive.infolist()
    if len(entries) > max_entries:
        raise UnsafeArchive(
            N_("arsip berisi %(n)d berkas; paling banyak %(max)d."), n=len(entries), max=max_entries
        )
    total = 0
    for info in entries:
        if _unsafe_name(info.filename):
            raise UnsafeArchive(
                N_("nama berkas '%(name)s' dalam arsip tidak aman (jalur di luar folder)."),
                name=info.filename[:80],
            )
        if info.flag_bits & 0x1:
            raise UnsafeArchive(N_("arsip terenkripsi (berkata sandi) tidak dapat dibaca."))
        total += info.file_size
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1024 * 1024:
            raise UnsafeArchive(
                N_("berkas '%(name)s' mengembang terlalu besar saat dibuka (zip bomb?)."),
                name=info.filename[:80],
            )
    if total > max_total:
        raise UnsafeArchive(N_("isi arsip terlalu besar setelah dibuka (%(mb)d MB)."), mb=total // 2**20)
    return entries


@dataclass
class DocumentIndex:
    """Which documents the ZIP holds for each NIK (their paths in the archive), and what it cannot use."""

    by_nik: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    invalid: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # NIK → bad files
    unassigned: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        return sorted(path for paths in self.by_nik.values() for path in paths)


def open_archive(stream: Any) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError):
        raise UnsafeArchive(N_("berkas dokumen bukan arsip ZIP yang sah."))


def index_documents(archive: zipfile.ZipFile) -> DocumentIndex:
    """One folder per NIK (`3519…/ktp.pdf`) or a NIK prefix on the file (`3519…_ktp.pdf`)."""
    index = DocumentIndex()
    for info in check_archive(archive):
        if info.is_dir() or _IGNORED.search(info.filename):
            continue
        _index_entry(info, index)
    return index


def _index_entry(info: zipfile.ZipInfo, index: DocumentIndex) -> None:
    parts = info.filename.split("/")
    name = parts[-1]
    nik_match = next((m for m in (_NIK.match(p) for p in parts[:-1]) if m), None) or _NIK.match(name)
    if nik_match is None:
        index.unassigned.append(info.filename[:120])
        return
    nik = nik_match.group(1)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    # The name is judged here; size and bytes are check_file's, when the row is checked.
    if extension not in ALLOWED_EXTENSIONS:
        index.invalid[nik].append(name)
        return
    index.by_nik[nik].append(info.filename)


# The checklist code a document's file name stands for (claims.ClaimDocument.kind): words an HR
# department would use, matched as whole words of the name without its NIK and extension; the first
# match wins, so a phrase comes before a word it contains ("kartu keluarga" before "kartu …"). A scan
# holding two documents ("ktp dan kk") counts as the first; the officer can sort it.
KIND_WORDS = (
    ("npwp", "npwp"), ("kitas", "kitas"), ("kartu keluarga", "kartu_keluarga"), ("kk", "kartu_keluarga"),
    ("kartu peserta", "kpj_card"), ("kartu bpjs", "kpj_card"), ("kpj", "kpj_card"), ("bpjs", "kpj_card"),
    ("jamsostek", "kpj_card"), ("ektp", "ektp"), ("e ktp", "ektp"), ("ktp", "ektp"),
    ("paklaring", "paklaring"), ("keterangan kerja", "paklaring"), ("pengalaman kerja", "paklaring"),
    ("surat keterangan", "paklaring"),
    ("perjanjian bersama", "phk_agreement_or_ruling"), ("putusan", "phk_agreement_or_ruling"),
    ("pb", "phk_agreement_or_ruling"), ("phk", "phk_agreement_or_ruling"),
    ("kontrak", "end_of_contract_letter"), ("pkwt", "end_of_contract_letter"),
    ("buku tabungan", "savings_book"), ("tabungan", "savings_book"), ("rekening", "savings_book"),
    ("rek", "savings_book"), ("foto", "photo"), ("swafoto", "photo"), ("selfie", "photo"),
    ("formulir", "claim_form_materai"), ("form", "claim_form_materai"),
    ("siapkerja", "siapkerja_registration"), ("siap kerja", "siapkerja_registration"),
)  # fmt: skip
OTHER_KIND = "other"
_NIK_PREFIX = re.compile(r"^\d{16}")


def document_kind(name: str) -> str:
    """'3519…_KTP.pdf' → 'ektp', 'Buku-Tabungan.jpg' → 'savings_book'; OTHER_KIND when no word matches."""
    stem = _NIK_PREFIX.sub("", name.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower())
    words = " " + " ".join(re.findall(r"[a-z]+", stem)) + " "
    return next((kind for phrase, kind in KIND_WORDS if f" {phrase} " in words), OTHER_KIND)


def read_document(archive: zipfile.ZipFile, path: str) -> bytes:
    """One entry's bytes, at most one byte past the upload limit (check_file then says "too large")."""
    try:
        with archive.open(path) as stream:
            return stream.read(settings.CLAIM_UPLOAD_MAX_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError):
        # A bad checksum, a broken compressed stream or a compression method zipfile cannot read.
        raise RefusedFile("file_damaged", N_("Berkas di dalam ZIP rusak dan tidak dapat dibaca."))


@dataclass
class StagedDocuments:
    """Where a list's checked documents wait for their claims (`kolektif/dokumen/<list>/<random>.<ext>`).

    A valid row's files are stored while the list is checked, so submitting only records them; the
    claims' ClaimDocuments then point at these files. Random names: nothing the employer chose.
    """

    directory: str

    def save(self, clean: CleanFile) -> str:
        name = f"{self.directory}/{secrets.token_hex(16)}.{clean.extension}"
        return default_storage.save(name, ContentFile(clean.content))

    def __post_init__(self) -> None:
        if not self.directory.strip("/"):
            raise ValueError("staged documents need a directory of their own")

    def clear(self) -> None:
        """A check started over (after a crash) first removes what the interrupted run stored."""
        try:  # not exists(): object storages have no directories, only names with a prefix
            names = default_storage.listdir(self.directory)[1]
        except FileNotFoundError:
            return
        delete_stored([f"{self.directory}/{name}" for name in names])


def delete_stored(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def check_power_of_attorney(upload) -> CleanFile:
    """A PDF or an image, through the same checks as every other upload (claims/uploads.py)."""
    if upload.size > MAX_POA_BYTES:
        raise UnacceptableFile(N_("Berkas surat kuasa lebih dari %(mb)d MB."), mb=MAX_POA_BYTES // 2**20)
    try:
        return check_file(upload.name or "kuasa", upload.read(MAX_POA_BYTES + 1), max_bytes=MAX_POA_BYTES)
    except RefusedFile as refused:
        raise UnacceptableFile(refused.message, **refused.params)
