"""Hostile-upload checks for the collective channel: the power of attorney and the documents ZIP.

Nothing here extracts to disk: ZIP entries are only listed and their first bytes read, so a path
like `../../etc/passwd` could do no harm; it is still refused, because a tool that produced it is
not to be trusted with the rest of the archive either. A zip bomb is stopped by the declared sizes
(Python's zipfile never inflates past an entry's declared size) and by a ratio limit.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop as N_

from lapakasik.lib.errors import DeferredMessageError

MAX_POA_BYTES = 10 * 1024 * 1024
MAX_ZIP_ENTRIES = 200_000
MAX_ZIP_UNCOMPRESSED = 4 * 1024**3
MAX_ENTRY_BYTES = 20 * 1024 * 1024
MAX_RATIO = 200  # scans compress by 1–3×; text-like PDFs by ~10×; a bomb by thousands
DOCUMENT_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "bmp": (b"BM",),
}
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


def check_archive(archive: zipfile.ZipFile, *, max_total: int = MAX_ZIP_UNCOMPRESSED,
                  max_entries: int = MAX_ZIP_ENTRIES) -> list[zipfile.ZipInfo]:  # fmt: skip
    entries = archive.infolist()
    if len(entries) > max_entries:
        raise UnsafeArchive(
            N_("arsip berisi %(n)d berkas; paling banyak %(max)d."), n=len(entries), max=max_entries
        )
    total = 0
    for info in entries:
        if _unsafe_name(info.filename):
            raise UnsafeArchive(N_("nama berkas '%(name)s' dalam arsip tidak aman (jalur di luar folder)."),
                                name=info.filename[:80])  # fmt: skip
        if info.flag_bits & 0x1:
            raise UnsafeArchive(N_("arsip terenkripsi (berkata sandi) tidak dapat dibaca."))
        total += info.file_size
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1024 * 1024:
            raise UnsafeArchive(N_("berkas '%(name)s' mengembang terlalu besar saat dibuka (zip bomb?)."),
                                name=info.filename[:80])  # fmt: skip
    if total > max_total:
        raise UnsafeArchive(N_("isi arsip terlalu besar setelah dibuka (%(mb)d MB)."), mb=total // 2**20)
    return entries


@dataclass
class DocumentIndex:
    """Which documents the ZIP holds for each NIK, and what in it could not be used."""

    by_nik: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    invalid: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # NIK → bad files
    unassigned: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        return sorted(f"{nik}/{name}" for nik, names in self.by_nik.items() for name in names)


def index_documents(data: Any) -> DocumentIndex:
    """One folder per NIK (`3519…/ktp.pdf`) or a NIK prefix on the file (`3519…_ktp.pdf`)."""
    try:
        archive = zipfile.ZipFile(data if not isinstance(data, bytes) else io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise UnsafeArchive(N_("berkas dokumen bukan arsip ZIP yang sah."))
    index = DocumentIndex()
    with archive:
        for info in check_archive(archive):
            if info.is_dir() or _IGNORED.search(info.filename):
                continue
            _index_entry(archive, info, index)
    return index


def _index_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, index: DocumentIndex) -> None:
    parts = info.filename.split("/")
    name = parts[-1]
    nik_match = next((m for m in (_NIK.match(p) for p in parts[:-1]) if m), None) or _NIK.match(name)
    if nik_match is None:
        index.unassigned.append(info.filename[:120])
        return
    nik = nik_match.group(1)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_SIGNATURES or info.file_size > MAX_ENTRY_BYTES:
        index.invalid[nik].append(name)
        return
    with archive.open(info) as stream:
        head = stream.read(16)
    if not head.startswith(DOCUMENT_SIGNATURES[extension]):
        index.invalid[nik].append(name)
        return
    index.by_nik[nik].append(name)


def check_power_of_attorney(upload) -> tuple[str, str]:
    """A PDF or an image, read in full by a real parser; returns (content type, sha256)."""
    import magic

    if upload.size > MAX_POA_BYTES:
        raise UnacceptableFile(N_("Berkas surat kuasa lebih dari %(mb)d MB."), mb=MAX_POA_BYTES // 2**20)
    data = upload.read()
    upload.seek(0)
    content_type = magic.from_buffer(data[:4096], mime=True)
    if content_type == "application/pdf":
        _check_pdf(data)
    elif content_type in ("image/jpeg", "image/png"):
        _check_image(data)
    else:
        raise UnacceptableFile(N_("Surat kuasa harus berupa PDF, JPG, atau PNG."))
    return content_type, hashlib.sha256(data).hexdigest()


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UnacceptableFile(N_("PDF surat kuasa berkata sandi; unggah PDF tanpa kata sandi."))
        if len(reader.pages) < 1:
            raise ValueError("no pages")
    except UnacceptableFile:
        raise
    except Exception:
        raise UnacceptableFile(N_("PDF surat kuasa rusak atau tidak dapat dibaca."))


def _check_image(data: bytes) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > 60_000_000:
                raise ValueError("too many pixels")
            image.verify()
    except Exception:
        raise UnacceptableFile(N_("Gambar surat kuasa rusak atau terlalu besar."))
