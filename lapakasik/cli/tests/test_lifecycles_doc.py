"""docs/decisions.md shows the lifecycle tables exactly as the code has them (generated, never copied)."""

from __future__ import annotations

from lapakasik.cli.management.commands.lifecycles import DECISIONS, END, START, render, with_generated_section


def test_the_documented_tables_are_the_ones_in_the_code():
    text = DECISIONS.read_text(encoding="utf-8")
    assert with_generated_section(text, render()) == text, "run: python -m lapakasik lifecycles --write"


def test_writing_twice_changes_nothing():
    once = with_generated_section("# Decisions\n", "table\n")
    assert with_generated_section(once, "table\n") == once and once.count(START) == once.count(END) == 1
