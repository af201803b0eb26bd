"""Changes a user makes to their own settings (saved views); nothing here touches a claim."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lapakasik.lib.errors import DomainError

from .models import SavedView

SAVED_VIEWS_PER_PAGE = 20


def save_view(user, *, page: str, name: str, query: str) -> SavedView:
    """Keep the list under ``name`` (a view of the same name is replaced: saving again updates it)."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("name_required", _("Nama tampilan wajib diisi."), field="name")
    if len(name) > 60:
        raise DomainError("name_too_long", _("Nama tampilan paling panjang 60 karakter."), field="name")
    with transaction.atomic():
        views = SavedView.objects.select_for_update().filter(user=user, page=page)
        existing = views.filter(name=name).first()
        if existing is not None:
            existing.query = query
            existing.save(update_fields=["query"])
            return existing
        if views.count() >= SAVED_VIEWS_PER_PAGE:
            raise DomainError(
                "too_many_views",
                _("Paling banyak %(n)d tampilan tersimpan; hapus satu dulu.") % {"n": SAVED_VIEWS_PER_PAGE},
                field="name",
            )
        return SavedView.objects.create(user=user, page=page, name=name, query=query)


def delete_view(user, pk: int) -> None:
    """Only one's own view (another user's id is simply not found)."""
    deleted, _rows = SavedView.objects.filter(user=user, pk=pk).delete()
    if not deleted:
        raise DomainError("not_found", _("Tampilan tidak ditemukan."), status=404)
