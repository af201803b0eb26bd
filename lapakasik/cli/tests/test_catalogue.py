"""The English catalogue covers every message, including those translated only when shown (N_)."""

from __future__ import annotations

import ast
from pathlib import Path

from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUE = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _catalogue() -> dict[str, str]:
    with CATALOGUE.open("rb") as f:
        return {
            m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str) and "fuzzy" not in m.flags
        }


def _deferred_msgids() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "rules" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if _is_deferred_message(node):
                found.add(node.args[0].value)
    return found


def _is_deferred_message(node: ast.AST) -> bool:
    """N_("a literal"): the msgid is in the code, not computed."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "N_"
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def test_every_deferred_message_has_an_english_translation():
    catalogue = _catalogue()
    deferred = _deferred_msgids()
    assert len(deferred) > 50  # the collective channel's row messages, the upload checks, …
    missing = sorted(m for m in deferred if not catalogue.get(m))
    assert missing == [], "run makemessages (see docs/operations.md) and translate these"


def test_the_catalogue_has_no_empty_or_fuzzy_entries():
    with CATALOGUE.open("rb") as f:
        bad = [m.id for m in read_po(f) if m.id and (not m.string or "fuzzy" in m.flags)]
    assert bad == []
