"""In Debian's chromium: a participant files a complaint with an attachment on a 390 px phone (no sideways
scrolling, no serious axe finding), an officer triages and answers it in the console, the participant reads
the answer."""

from __future__ import annotations

import pytest

from lapakasik.accounts.tests.browser import log_in, log_out
from lapakasik.complaints.models import Complaint
from lapakasik.portal.tests.test_phone_a11y_e2e import _visit

from .conftest import pdf_upload

pytestmark = pytest.mark.e2e


@pytest.mark.timeout(600)
def test_a_participant_files_and_an_officer_answers(live_server, demo_world, browser_page, tmp_path):
    page, url = browser_page, live_server.url
    scan = tmp_path / "bukti.pdf"
    scan.write_bytes(pdf_upload().read())
    log_in(page, url, "peserta")
    found = _visit(page, f"{url}/pengaduan/", "complaints")
    found += _visit(page, f"{url}/pengaduan/baru/", "complaint-new")
    page.set_viewport_size({"width": 390, "height": 844})
    page.select_option("#id_category", "service")
    page.select_option("#id_about", "service")
    page.select_option("#id_branch", "madiun")
    page.fill("#id_text", "Petugas loket tidak menjelaskan dokumen yang kurang.")
    page.set_input_files("#id_attachments", str(scan))
    with page.expect_navigation():
        page.click("button:has-text('Kirim pengaduan')")
    complaint = Complaint.objects.get(filed_by__username="peserta")
    assert complaint.number in page.content() and complaint.attachments.count() == 1
    found += _visit(page, f"{url}/pengaduan/{complaint.number}/", "complaint-detail")
    log_out(page)

    log_in(page, url, "cso")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{url}/console/pengaduan/")
    page.click(f"a:has-text('{complaint.number}')")
    page.click("[data-testid=step-triage]")
    page.fill("#answer-text", "Dokumen yang kurang adalah surat keterangan kerja; petugas sudah ditegur.")
    page.click("[data-testid=step-answer]")
    assert "Dijawab" in page.text_content("[data-testid=complaint-status]")
    log_out(page)

    log_in(page, url, "peserta")
    found += _visit(page, f"{url}/pengaduan/{complaint.number}/", "complaint-answered")
    assert "surat keterangan kerja" in page.text_content("[data-testid=complaint-answer]")
    assert found == []
