"""Uploaded scans are hostile input: sniff the real type, verify, re-encode images, parse PDFs.

The browser's content type and the file name say nothing; only the bytes count. Images are decoded
under a pixel limit (decompression bombs) and saved again from the pixels alone, so anything
appended to or hidden in the file (a script after the JPEG end marker, EXIF payloads) is dropped.
A PDF must open with pypdf and have at least one page. Nothing is stored unless every check passes.

Every upload path goes through :func:`check_file`: a participant's or officer's upload
(:func:`clean_upload`, which answers with a DomainError for the form), an employer's power of
attorney and the documents inside a collective list's ZIP (which keep the deferred message to show
it later, in the reader's language, in the list's error report).
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import magic
from django.conf import settings
from django.utils.translation import gettext_noop as N_
from PIL import Image, UnidentifiedImageError

from lapakasik.lib.errors import DeferredMessageError, DomainError

if TYPE_CHECKING:
    from pypdf import PdfReader

# Sniffed type → (stored extension, the format Pillow must find, the format images are re-encoded to).
ALLOWED = {
    "image/jpeg": ("jpg", "JPEG"),
    "image/png": ("png", "PNG"),
    "image/bmp": ("png", "BMP"),  # BMP is stored as PNG: same pixels, a fraction of the size
    "image/x-ms-bmp": ("png", "BMP"),
    "application/pdf": ("pdf", None),
}
ALLOWED_EXTENSIONS = {"jpg", "jpeg", "png", "bmp", "pdf"}


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    extension: str
    content_type: str
    sha256: str
    original_name: str


class RefusedFile(DeferredMessageError):
    """An upload that failed a check: a stable code and a message translated when shown."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.code = code


def clean_upload(upload) -> CleanFile:
    """Check one ``UploadedFile`` and return what may be stored, or raise a DomainError saying why not."""
    limit = settings.CLAIM_UPLOAD_MAX_BYTES
    try:
        if upload.size is not None and upload.size > limit:
            raise _too_large(limit)
        return check_file(getattr(upload, "name", "") or "", upload.read(limit + 1), max_bytes=limit)
    except RefusedFile as refused:
        raise DomainError(refused.code, refused.render(), field="file")


def check_file(name: str, data: bytes, *, max_bytes: int | None = None) -> CleanFile:
    """Check one file's name and bytes; return what may be stored, or raise RefusedFile saying why not."""
    limit = max_bytes or settings.CLAIM_UPLOAD_MAX_BYTES
    name = display_name(name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise RefusedFile("file_type", N_("Hanya berkas JPG, PNG, BMP, atau PDF yang diterima."))
    if not data:
        raise RefusedFile("file_empty", N_("Berkas kosong."))
    if len(data) > limit:
        raise _too_large(limit)
    sniffed = magic.from_buffer(data[:8192], mime=True)
    if sniffed not in ALLOWED:
        raise RefusedFile("file_type", N_("Isi berkas bukan gambar JPG/PNG/BMP atau PDF."))
    stored_extension, image_format = ALLOWED[sniffed]
    if image_format is None:
        _check_pdf(data)
        content, content_type = data, "application/pdf"
    else:
        content = _reencode(data, image_format)
        content_type = "image/jpeg" if stored_extension == "jpg" else "image/png"
    return CleanFile(content, stored_extension, content_type, hashlib.sha256(content).hexdigest(), name)


def _too_large(limit: int) -> RefusedFile:
    return RefusedFile("file_too_large", N_("Berkas lebih dari %(mb)s MB."), mb=limit // (1024 * 1024))


def display_name(name: str) -> str:
    """The last path component only, for display: '../../etc/passwd.jpg' is shown as 'passwd.jpg'."""
    return name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:120]


def _reencode(data: bytes, expected_format: str) -> bytes:
    bomb = RefusedFile("file_too_many_pixels", N_("Gambar terlalu besar (jumlah piksel melebihi batas)."))
    broken = RefusedFile("file_invalid", N_("Gambar rusak atau bukan gambar yang sah."))
    Image.MAX_IMAGE_PIXELS = settings.CLAIM_UPLOAD_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != expected_format:
                    raise broken
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                return _save(image, expected_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise bomb
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise broken


def _save(image: Image.Image, source_format: str) -> bytes:
    out = io.BytesIO()
    if source_format == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    else:
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
        image.convert(mode).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _check_pdf(data: bytes) -> None:
    invalid = RefusedFile("file_invalid", N_("PDF rusak atau bukan PDF yang sah."))
    if not data.startswith(b"%PDF-"):
        raise invalid
    # Imported here: pypdf costs ~0.2 s of CPU to import, which every command that imports the claims (migrate,
    # demo load) would pay without reading a PDF.
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise RefusedFile("file_encrypted", N_("PDF terkunci kata sandi; unggah versi tanpa kata sandi."))
        if len(reader.pages) < 1:
            raise invalid
        _refuse_active_content(data, reader)
    except RefusedFile:
        raise
    except Exception:  # noqa: BLE001 — pypdf raises many kinds of error on hostile input; all mean "not a PDF"
        raise invalid


# Names that make a PDF do something when opened or clicked (docs/decisions.md: such PDFs are refused,
# not rewritten — a scan never needs them, and a rewritten copy would no longer be what was signed).
ACTIVE_NAMES = (
    b"/JavaScript",
    b"/JS",
    b"/OpenAction",
    b"/AA",
    b"/Launch",
    b"/EmbeddedFile",
    b"/EmbeddedFiles",
    b"/RichMedia",
    b"/XFA",
    b"/SubmitForm",
    b"/ImportData",
    b"/GoToE",
)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


def _refuse_active_content(data: bytes, reader: PdfReader) -> None:
    active = RefusedFile(
        "file_active_pdf",
        N_(
            "PDF berisi JavaScript, aksi otomatis, berkas sisipan, atau data setelah akhir berkas; "
            "cetak ulang ke PDF (Print → Save as PDF) atau unggah hasil pindaian."
        ),
    )
    end = data.rstrip().endswith(b"%%EOF")
    if not end:
        raise active  # bytes after the last %%EOF: a polyglot (HTML, a script, a second file)
    # Names may be spelled with #xx escapes (/J#61vaScript): compare them decoded. Stream contents
    # (compressed pixels) are left out: random bytes there would spell "/JS" now and then.
    objects = _STREAM.sub(b"stream endstream", data)
    names = {_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), n) for n in _NAME.findall(objects)}
    if names & set(ACTIVE_NAMES) or _structure_is_active(reader):
        raise active


def _structure_is_active(reader: PdfReader) -> bool:
    """The catalog, pages and annotations as pypdf reads them: finds what compressed object streams hide."""
    root = _resolved(reader.root_object)
    names = _resolved(root.get("/Names"))
    if any(key in root for key in ("/OpenAction", "/AA")) or any(
        k in names for k in ("/JavaScript", "/EmbeddedFiles")
    ):
        return True
    if "/XFA" in _resolved(root.get("/AcroForm")):
        return True
    return any(_page_is_active(_resolved(page)) for page in reader.pages)


def _page_is_active(page: Any) -> bool:
    if "/AA" in page:
        return True
    for reference in _resolved(page.get("/Annots")) or []:
        annotation = _resolved(reference)
        action = _resolved(annotation.get("/A"))
        if "/AA" in annotation or action.get("/S") in (
            "/JavaScript",
            "/Launch",
            "/SubmitForm",
            "/ImportData",
        ):
            return True
        if annotation.get("/Subtype") in ("/FileAttachment", "/RichMedia", "/Screen"):
            return True
    return False


def _resolved(value: Any) -> Any:
    """An indirect reference followed to its object; a missing entry is an empty dictionary."""
    if value is None:
        return {}
    return value.get_object() if hasattr(value, "get_object") else value
