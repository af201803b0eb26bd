"""The employer's representative in a real browser: upload, see errors, fix, submit, watch progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from lapakasik.accounts.tests.browser import log_in
from lapakasik.collective.demo import sample_documents, sample_rows
from lapakasik.collective.parse import template_header, write_csv

pytestmark = pytest.mark.e2e


def test_the_representative_uploads_fixes_and_submits_a_list(
    live_server, demo_world, browser_page, tmp_path: Path, settings
):
    settings.COLLECTIVE_INLINE_ROWS = (
        0  # the submission goes to the (immediate) task backend: progress is shown
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    rows = sample_rows()
    wrong = [list(r) for r in rows]
    wrong[0][0] = "3.519e+15"
    (tmp_path / "daftar.csv").write_bytes(write_csv(template_header(), wrong))
    (tmp_path / "daftar-benar.csv").write_bytes(write_csv(template_header(), rows))
    (tmp_path / "dokumen.zip").write_bytes(sample_documents())

    page = browser_page
    log_in(page, live_server.url, "pemberikerja")
    page.click("text=Klaim kolektif")
    assert page.is_visible("[data-testid=mandate-active]")

    page.set_input_files("input[name=list_file]", str(tmp_path / "daftar.csv"))
    page.set_input_files("input[name=documents_file]", str(tmp_path / "dokumen.zip"))
    page.click("button:has-text('Unggah dan periksa')")
    assert page.inner_text("[data-testid=error-rows]") == "1"
    assert "3.519e+15" in page.inner_text("[data-testid=rows]")
    assert "Excel" in page.inner_text("[data-testid=rows]")

    page.click("text=Klaim kolektif")
    page.set_input_files("input[name=list_file]", str(tmp_path / "daftar-benar.csv"))
    page.set_input_files("input[name=documents_file]", str(tmp_path / "dokumen.zip"))
    page.click("button:has-text('Unggah dan periksa')")
    assert page.inner_text("[data-testid=valid-rows]") == "6"
    assert page.inner_text("[data-testid=error-rows]") == "0"

    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=claims-created]")
    assert page.inner_text("[data-testid=claims-created]") == "6"
    assert page.inner_text("[data-testid=list-status]") == "Sudah diajukan"
    assert page.get_attribute("progress", "value") == "100"
    page.click("text=Semua baris")
    assert page.inner_text("[data-testid=rows]").count("KLM-") == 6
