"""Uploads are size-capped while they stream in, before anything is written anywhere.

Django's own handlers keep up to 2.5 MB in memory and write the rest to a temporary file, however
large the file is; a checked limit in the view comes after the whole body was received and stored.
:class:`CappedUploadHandler` runs first for every multipart request: it counts each file's bytes as
they arrive and, past the limit of the view the request is for, skips the file (the temporary copy
the next handler started is closed and removed) and remembers the refusal, which the strict-parameter
middleware answers with a 400 naming the field. A view that accepts more than the default declares
it with :func:`upload_limits`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _


def upload_limits(*, shows_refusals: bool = False, **limits: int | str) -> Callable[[Any], Any]:
    """``@upload_limits(list_file=40 * 2**20)``: the largest file each named field of this view accepts.

    A string names a setting, read when a request arrives (settings are never read at import time).
    A refused file answers 400 before the view runs, unless the view ``shows_refusals`` itself (in its
    form, through :func:`refused_uploads`)."""

    def mark(view):
        view.upload_limits = limits
        view.shows_refused_uploads = shows_refusals
        return view

    return mark


def refused_uploads(request) -> dict[str, str]:
    """Field → the message saying the file was refused for its size (nothing of it was kept)."""
    return {
        field: _("Berkas lebih dari %(mb)s MB; tidak disimpan.") % {"mb": f"{limit / 2**20:g}"}
        for field, limit in request.__dict__.get("refused_uploads", {}).items()
    }


def limit_for(request, field_name: str) -> int:
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        view = None
    limit = getattr(view, "upload_limits", {}).get(field_name, "UPLOAD_MAX_BYTES")
    return int(getattr(settings, limit) if isinstance(limit, str) else limit)


class CappedUploadHandler(FileUploadHandler):
    def new_file(self, field_name, *args, **kwargs) -> None:
        super().new_file(field_name, *args, **kwargs)
        self.received = 0
        self.limit = limit_for(self.request, field_name)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            refused = self.request.__dict__.setdefault("refused_uploads", {})
            refused[self.field_name] = self.limit
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) builds the UploadedFile
