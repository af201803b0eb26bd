"""Document checklists per program x reason, read from dated parameters (``documents.*``).

A checklist entry may carry a ``when`` condition; the conditions are the case facts below, so
the data says *which* document and the code only says *whether the condition holds*.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from .params import per_parameter_set, value
from .results import DocumentRequirement

LABELS_FILE = Path(__file__).resolve().parent / "document_labels.yaml"

# Condition names allowed in params/documents.yaml; anything else there is a data error.
CONDITIONS = frozenset(
    {"citizen", "foreign_national", "above_npwp_threshold", "heir_is_spouse", "scholarship"}
)


def required_documents(
    program: str, reason: str, on: date, facts: Mapping[str, bool] | None = None
) -> tuple[DocumentRequirement, ...]:
    """The documents for ``program``/``reason`` on ``on``; conditional ones only when ``facts`` hold."""
    return _required_documents(program, reason, on, tuple(facts.items()) if facts else ())


@per_parameter_set  # facts are booleans: the plain key is exact
def _required_documents(
    program: str, reason: str, on: date, fact_items: tuple[tuple[str, bool], ...]
) -> tuple[DocumentRequirement, ...]:
    facts = _with_identity(dict(fact_items))
    checklist = value(f"documents.{program.lower()}.{reason}", on)
    return tuple(_requirement(code) for code in _codes_that_apply(checklist, facts))


def _codes_that_apply(checklist: tuple[object, ...], facts: Mapping[str, bool]) -> list[str]:
    codes = []
    for entry in checklist:
        if isinstance(entry, str):
            codes.append(entry)
            continue
        assert isinstance(entry, dict)
        condition = entry["when"]
        if condition not in CONDITIONS:
            raise ValueError(f"unknown document condition {condition!r}")
        if facts.get(condition, _DEFAULTS[condition]):
            codes.append(entry["code"])
    return codes


# Default when the case does not say: an Indonesian citizen, no NPWP need, and — because the
# heir's relationship is often unknown at estimate time — the marriage book is listed.
_DEFAULTS = {
    "citizen": True,
    "foreign_national": False,
    "above_npwp_threshold": False,
    "heir_is_spouse": True,
    "scholarship": False,
}


def _with_identity(facts: Mapping[str, bool]) -> dict[str, bool]:
    """``citizen`` and ``foreign_national`` are one fact; a caller may give either."""
    combined = dict(facts)
    if "foreign_national" in combined and "citizen" not in combined:
        combined["citizen"] = not combined["foreign_national"]
    return combined


@lru_cache(maxsize=512)  # the labels file is read once per process (document_labels)
def _requirement(code: str) -> DocumentRequirement:
    label = document_labels()[code]
    return DocumentRequirement(code, label["id"], label["en"])


@lru_cache(maxsize=1)
def document_labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    return labels
