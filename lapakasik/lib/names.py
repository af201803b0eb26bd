"""Comparing Indonesian personal names tolerantly, but not loosely.

People write the same name in old and new spelling (Soeharto / Suharto, Djoko / Joko, Tjahjo /
Cahyo), with other spacing or capitals, with titles (H., Hj., Ir.) or academic degrees; banks
truncate long names. Everything else — another first name, a missing word — is a different name.
"""

from __future__ import annotations

import re

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


def names_match(a: str, b: str, *, threshold: int = 100) -> bool:
    """Identity: the same name up to case, spacing, titles and old spelling — no typos tolerated."""
    return name_similarity(a, b) >= threshold
