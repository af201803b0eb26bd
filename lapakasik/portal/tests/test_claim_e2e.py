"""A JHT resignation claim end to end in Debian's chromium: participant → officer → supervisor → participant."""

import pytest
from PIL import Image

from lapakasik.accounts.tests.browser import confirm, log_in, log_out

pytestmark = pytest.mark.e2e


def _scan(tmp_path, i: int):
    path = tmp_path / f"scan{i}.png"
    Image.new("RGB", (60, 40), (i * 30 % 256, 120, 60)).save(path, format="PNG")
    return path


def _status(page, task: str) -> str:
    return page.inner_text(f"#task-{task}-status").strip()


def test_a_resignation_claim_is_submitted_verified_approved_and_seen(
    live_server, demo_world, browser_page, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page, url = browser_page, live_server.url
    log_in(page, url, "peserta")
    page.goto(f"{url}/klaim/baru/?choice=JHT:resign")
    assert page.is_visible("text=Memenuhi syarat.")
    page.click("button:has-text('Mulai klaim ini')")
    # The draft is a task list; each task is a page of its own.
    assert page.is_visible("h1:has-text('Lengkapi klaim Anda')")
    number = page.url.rstrip("/").split("/")[-1]
    assert _status(page, "documents") == "Belum dimulai" and _status(page, "check") == "Tidak bisa dimulai"
    page.click("[data-task=documents] a")
    count = page.locator("form.upload").count()
    for i in range(count):
        page.locator("form.upload input[type=file]").nth(i).set_input_files(str(_scan(tmp_path, i)))
        page.locator("form.upload").nth(i).locator("button").click()
        page.wait_for_selector("text=Dokumen tersimpan.")
    assert _status(page, "documents") == "Selesai"  # the last upload returns to the list

    # Progress is kept with the claim: after logging out and in again the list is where it was.
    log_out(page)
    log_in(page, url, "peserta")
    page.goto(f"{url}/klaim/")
    page.click(f"text={number}")
    assert _status(page, "documents") == "Selesai" and _status(page, "account") == "Belum dimulai"
    page.click("[data-task=account] a")
    page.select_option("#id_bank_code", "BRI")
    page.fill("#id_account_number", "012345678901")
    page.click("button:has-text('Simpan rekening')")
    assert page.is_visible("text=Rekening tersimpan.") and _status(page, "account") == "Selesai"
    assert page.locator("#submit-claim").count() == 0  # submitting lives on "Periksa jawaban Anda" only

    page.click("[data-task=check] a")
    assert page.is_visible("h1:has-text('Periksa jawaban Anda')")
    assert page.locator("[data-testid=check-documents] .row").count() == count
    page.click("#submit-claim")
    assert page.is_visible("h1:has-text('Klaim Anda sudah diajukan')")
    assert page.inner_text("[data-testid=claim-number]").strip() == number
    page.goto(f"{url}/klaim/{number}/")
    assert page.is_visible(".status:has-text('Diajukan')")
    log_out(page)

    log_in(page, url, "cso")
    page.goto(f"{url}/console/klaim/{number}/")
    page.click("button:has-text('Mulai verifikasi')")
    page.click("button:has-text('Verifikasi: data dan dokumen benar')")
    assert page.is_visible("h1:has-text('Terverifikasi')")
    log_out(page)

    log_in(page, url, "supervisor")
    page.goto(f"{url}/console/klaim/supervisor/")
    page.click(f"text={number}")
    page.click("button:has-text('Setujui klaim')")
    with page.expect_navigation():
        confirm(page)
    assert page.is_visible("h1:has-text('Disetujui')")
    log_out(page)

    log_in(page, url, "peserta")
    page.goto(f"{url}/klaim/{number}/")
    assert page.is_visible(".status:has-text('Disetujui')")
