"""Uploaded scans are hostile input: sniff the real type, verify, re-encode images, parse PDFs.

The browser's content type and the file name say nothing; only the bytes count. Images are decoded
under a pixel limit (decompression bombs) and saved again from the pixels alone, so anything
appended to or hidden in the file (a script after the JPEG end marker, EXIF payloads) is dropped.
A PDF must open with pypdf and have at least one page. Nothing is stored unless every check passes.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import magic
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from lapakasik.lib.errors import DomainError

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


def _refuse(code: str, message) -> DomainError:
    return DomainError(code, message, field="file")


def clean_upload(upload) -> CleanFile:
    """Check one ``UploadedFile`` and return what may be stored, or raise a DomainError saying why not."""
    name = _display_name(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise _refuse("file_type", _("Hanya berkas JPG, PNG, BMP, atau PDF yang diterima."))
    limit = settings.CLAIM_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise _refuse("file_too_large", _("Berkas lebih dari %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    data = upload.read(limit + 1)
    if not data:
        raise _refuse("file_empty", _("Berkas kosong."))
    if len(data) > limit:
        raise _refuse("file_too_large", _("Berkas lebih dari %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    sniffed = magic.from_buffer(data[:8192], mime=True)
    if sniffed not in ALLOWED:
        raise _refuse("file_type", _("Isi berkas bukan gambar JPG/PNG/BMP atau PDF."))
    stored_extension, image_format = ALLOWED[sniffed]
    if image_format is None:
        _check_pdf(data)
        content, content_type = data, "application/pdf"
    else:
        content = _reencode(data, image_format)
        content_type = "image/jpeg" if stored_extension == "jpg" else "image/png"
    return CleanFile(content, stored_extension, content_type, hashlib.sha256(content).hexdigest(), name)


def _display_name(name: str) -> str:
    """The last path component only, for display: '../../etc/passwd.jpg' is shown as 'passwd.jpg'."""
    return name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:120]


def _reencode(data: bytes, expected_format: str) -> bytes:
    bomb = _("Gambar terlalu besar (jumlah piksel melebihi batas).")
    broken = _("Gambar rusak atau bukan gambar yang sah.")
    Image.MAX_IMAGE_PIXELS = settings.CLAIM_UPLOAD_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != expected_format:
                    raise _refuse("file_invalid", broken)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                return _save(image, expected_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse("file_too_many_pixels", bomb)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refuse("file_invalid", broken)


def _save(image: Image.Image, source_format: str) -> bytes:
    out = io.BytesIO()
    if source_format == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    else:
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
        image.convert(mode).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _check_pdf(data: bytes) -> None:
    invalid = _refuse("file_invalid", _("PDF rusak atau bukan PDF yang sah."))
    if not data.startswith(b"%PDF-"):
        raise invalid
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refuse("file_encrypted", _("PDF terkunci kata sandi; unggah versi tanpa kata sandi."))
        if len(reader.pages) < 1:
            raise invalid
    except DomainError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise invalid
