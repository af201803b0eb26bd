import io

import pytest
from django.core.management import CommandError, call_command


def test_the_press_command_prints_the_summary_for_the_demo(madiun):
    out = io.StringIO()
    call_command(
        "report", "press", "--branch", "madiun", "--from", "2020-01-01", "--to", "2020-07-23", stdout=out
    )
    text = out.getvalue()
    assert text.startswith("BPJAMSOSTEK Cabang Madiun membayarkan klaim Rp96 miliar\n")
    assert "Ngawi sebanyak Rp100.157.722 (empat kasus), dan Pacitan nihil." in text


def test_the_press_command_refuses_an_unknown_branch(db):
    with pytest.raises(CommandError):
        call_command("report", "press", "--branch", "atlantis", "--from", "2020-01-01", "--to", "2020-07-23")


def test_rebuilding_the_rollups_keeps_the_report(madiun):
    call_command("report", "rebuild-rollups", stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "report", "claims", "--branch", "madiun", "--from", "2020-01-01", "--to", "2020-07-23", stdout=out
    )
    assert "96.091.106.200" in out.getvalue()
