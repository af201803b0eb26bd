"""Comparing Indonesian personal names tolerantly, but not loosely: the one name rule of Lapak Asik.

Every comparison of a name with another (identifying a person, an account holder, a worker on a
collective list) goes through ``name_matches`` with one of the ``NameCheck`` purposes below; what
differs between purposes is only how alike the names must be, and those thresholds are settings.

People write the same name in old and new spelling (Soeharto / Suharto, Djoko / Joko, Tjahjo /
Cahyo), with other spacing or capitals, with titles (H., Hj., Ir.) or academic degrees; banks
truncate long names. Everything else — another first name, a missing word — is a different name.
"""

from __future__ import annotations

import enum
import re

from django.conf import settings
from rapidfuzz import fuzz

# Old (Van Ophuijsen / Soewandi) spellings and their EYD equivalents, applied in this order.
_SPELLING = [("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("nj", "ny"), ("ch", "kh")]
_TITLES = {
    "h",
    "hj",
    "ir",
    "dr",
    "drs",
    "dra",
    "prof",
    "se",
    "sh",
    "st",
    "skom",
    "spd",
    "mm",
    "amd",
    "alm",
    "almh",
}


def normalize_name(name: str) -> str:
    words = re.sub(r"[^a-z\s]", " ", (name or "").lower().replace(".", " ")).split()
    words = [w for w in words if w not in _TITLES]
    text = " ".join(words)
    for old, new in _SPELLING:
        text = text.replace(old, new)
    return text


def name_similarity(a: str, b: str) -> int:
    """0–100 after normalization; the same letters in other spacing ("Sri Wahyuni" / "Sriwahyuni") score 100."""
    left, right = normalize_name(a), normalize_name(b)
    if not left or not right:
        return 0
    # Soewandi spelling also wrote "j" for today's "y" (Wahjuni): compare both readings, keep the best.
    return max(_score(left, right), _score(_j_as_y(left), _j_as_y(right)))


def _j_as_y(text: str) -> str:
    return text.replace("j", "y")


def _score(left: str, right: str) -> int:
    if left.replace(" ", "") == right.replace(" ", ""):
        return 100
    return round(fuzz.ratio(left, right))


class NameCheck(enum.Enum):
    """Why two names are compared; each purpose's minimum score (0–100) is a setting."""

    # Identifying a person from NIK, KPJ, birth date and name: the same name up to case, spacing,
    # titles and old spelling (100), because a typo tolerated here lets a guesser in.
    IDENTITY = "NAME_IDENTITY_MIN_SCORE"
    # The bank account a benefit is paid to: banks shorten and respell, another person's name is refused.
    # One threshold for every channel: a collective list may not pass a holder a single claim refuses.
    ACCOUNT_HOLDER = "PAYOUT_NAME_MIN_SCORE"
    # A worker's name on an employer's list against the registry (NIK and birth date already match).
    LISTED_WORKER = "COLLECTIVE_NAME_MIN_SCORE"

    @property
    def threshold(self) -> int:
        return int(getattr(settings, self.value))


def name_matches(given: str, registered: str, purpose: NameCheck) -> tuple[int, bool]:
    """The score of ``given`` against ``registered`` and whether it is enough for ``purpose``."""
    score = name_similarity(given, registered)
    return score, score >= purpose.threshold
