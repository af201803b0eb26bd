"""Which branches are near a participant, without coordinates.

The registry holds Kemendagri region codes, not coordinates, so distance is ranked by what the codes say:
the claim's own branch first, then branches serving the participant's province (the code's first two
digits), then the same island group (the province code's first digit: 1 Sumatra, 3 Java, 5 Bali and Nusa
Tenggara, 6 Kalimantan, 7 Sulawesi, 8 Maluku, 9 Papua), then the same time zone, then the rest. A Madiun
participant is thus never offered Makassar before every Javanese branch. Pure: callers pass the facts in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

HOME, SAME_PROVINCE, SAME_ISLANDS, SAME_TIME_ZONE, FARTHER = range(5)


@dataclass(frozen=True)
class Place:
    """What ranking needs of a branch: its code, time zone and the province codes its areas cover."""

    code: str
    time_zone: str
    provinces: frozenset[str]


def rank(place: Place, *, home: Place, province: str) -> int:
    """0 for the home branch, growing with distance (see the module's note)."""
    if place.code == home.code:
        return HOME
    if province in place.provinces:
        return SAME_PROVINCE
    if province[:1] in {p[:1] for p in place.provinces}:
        return SAME_ISLANDS
    if place.time_zone == home.time_zone:
        return SAME_TIME_ZONE
    return FARTHER


def by_distance(places: Iterable[Place], *, home: Place, province: str) -> list[Place]:
    """Places nearest first; branches equally near keep their code order."""
    return sorted(places, key=lambda p: (rank(p, home=home, province=province), p.code))
