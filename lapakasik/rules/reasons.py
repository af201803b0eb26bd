"""The one vocabulary of claim reasons, for every part of the system.

These are the codes of docs/import.md. Rules, the estimator (CLI, API, page), claims, the registry,
collective lists and payments all use them; ``claims.models.Reason`` takes its values from here, so
the codes are written once. The rules package once had its own codes (``resignation``,
``contract_end``, ``retirement``, ``total_disability``): they are still accepted as input
(:data:`ALIASES`) and turned into these codes before anything is computed, so no result ever
carries them.
"""

from __future__ import annotations

from .messages import Words

RESIGN = "resign"
PHK = "phk"
END_OF_CONTRACT = "end_of_contract"
SELF_EMPLOYED_STOP = "self_employed_stop"
RETIREMENT_AGE = "retirement_age"
DEATH = "death"
DISABILITY = "disability"
LEAVING_INDONESIA = "leaving_indonesia"
PARTIAL_10 = "partial_10"
PARTIAL_30 = "partial_30"
ACCIDENT = "accident"
OCCUPATIONAL_DISEASE = "occupational_disease"
ACCIDENT_DEATH = "accident_death"
OLD_AGE_LUMP_SUM = "old_age_lump_sum"
OLD_AGE_PENSION = "old_age_pension"

# Indonesian (the UI's source language) and English; claims.models.Reason uses the same Indonesian
# texts as its gettext msgids (a test keeps the two equal).
LABELS: dict[str, tuple[str, str]] = {
    RESIGN: ("Mengundurkan diri", "Resignation"),
    PHK: ("PHK", "Termination of employment (PHK)"),
    END_OF_CONTRACT: ("Kontrak berakhir", "End of a fixed-term contract"),
    SELF_EMPLOYED_STOP: ("Berhenti usaha (BPU)", "Self-employed member stopped working"),
    RETIREMENT_AGE: ("Usia pensiun", "Retirement age"),
    DEATH: ("Meninggal dunia", "Death"),
    DISABILITY: ("Cacat total tetap", "Total permanent disability"),
    LEAVING_INDONESIA: ("Meninggalkan Indonesia", "Leaving Indonesia for good"),
    PARTIAL_10: ("Klaim sebagian 10%", "Partial claim 10%"),
    PARTIAL_30: ("Klaim sebagian 30% (perumahan)", "Partial claim 30% (housing)"),
    ACCIDENT: ("Kecelakaan kerja", "Work accident"),
    OCCUPATIONAL_DISEASE: ("Penyakit akibat kerja", "Occupational disease"),
    ACCIDENT_DEATH: ("Meninggal karena kecelakaan kerja", "Death from a work accident"),
    OLD_AGE_LUMP_SUM: ("Manfaat lumsum hari tua", "Old-age lump sum"),
    OLD_AGE_PENSION: ("Pensiun hari tua", "Old-age pension"),
}
ALL = tuple(LABELS)

JHT_REASONS = (
    RESIGN, PHK, END_OF_CONTRACT, SELF_EMPLOYED_STOP, RETIREMENT_AGE, DEATH, DISABILITY, LEAVING_INDONESIA,
    PARTIAL_10, PARTIAL_30,
)  # fmt: skip
JKM_REASONS = (DEATH,)
JKK_REASONS = (ACCIDENT, OCCUPATIONAL_DISEASE, ACCIDENT_DEATH)
JP_REASONS = (OLD_AGE_LUMP_SUM, OLD_AGE_PENSION, DEATH, DISABILITY)
# JKP (PP 37/2021 ps. 19-20): only a termination of employment opens it.
JKP_REASONS = (PHK,)
REASONS_BY_PROGRAM: dict[str, tuple[str, ...]] = {
    "JHT": JHT_REASONS,
    "JKM": JKM_REASONS,
    "JKK": JKK_REASONS,
    "JP": JP_REASONS,
    "JKP": JKP_REASONS,
}

PARTIAL_REASONS = frozenset({PARTIAL_10, PARTIAL_30})
# Separations after which a participant may claim once the waiting period (if any) is over.
SEPARATION_REASONS = frozenset({RESIGN, PHK, END_OF_CONTRACT, SELF_EMPLOYED_STOP})
DEATH_REASONS = frozenset({DEATH, ACCIDENT_DEATH})

# The rules package's former codes: accepted as input, never emitted.
ALIASES = {
    "resignation": RESIGN,
    "contract_end": END_OF_CONTRACT,
    "retirement": RETIREMENT_AGE,
    "total_disability": DISABILITY,
}


def canonical(code: str) -> str:
    """The vocabulary's code for ``code`` (an old alias becomes the current code; others pass unchanged)."""
    return ALIASES.get(code, code)


def words(code: str) -> Words:
    """The reason's label in both languages, to be filled into a message (never the code itself)."""
    return Words(*LABELS[code])


def label(code: str, language: str = "id") -> str:
    label_id, label_en = LABELS[code]
    return label_en if language.startswith("en") else label_id
