"""The supervisor edits the calendar in Debian's chromium at 1366×768; the administrator picks a branch."""

from __future__ import annotations

import pytest

from lapakasik.accounts.tests.browser import log_in
from lapakasik.booking.models import SessionTemplate

from .test_safe_forms_e2e import _flash, _shot

pytestmark = pytest.mark.e2e


def test_the_supervisor_edits_a_template_and_a_wrong_seat_count_shows_under_that_form_only(
    live_server, demo_world, browser_page
):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    old = SessionTemplate.objects.filter(branch__code="madiun", active=True, channel="offline").first()
    log_in(page, live_server.url, "supervisor")
    page.click("nav >> text=Sesi layanan")
    page.click("text=Templat & kalender")
    # Saturday is not offered: Madiun opens Monday to Friday.
    days = page.eval_on_selector_all("#id_t-weekday option", "os => os.map(o => o.textContent)")
    assert days == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat"]
    page.click(f"[data-testid=edit-{old.pk}]")
    form = page.locator("[data-testid=edit-form]")
    form.locator("select[name=e-seats]").select_option("6")
    form.locator("input[name=e-start]").fill("14:40")
    form.locator("input[name=e-programs][value=JHT]").check()
    form.locator("input[name=e-reasons][value=phk]").check()
    form.locator("button:has-text('Simpan perubahan')").click()
    assert "dalam jam buka (08:00–15:00)" in form.inner_text()
    assert page.locator(".errorlist").count() == 1  # no false errors under the other forms
    _shot(page, "calendar-edit-error-under-its-form")
    form.locator("input[name=e-start]").fill("11:00")
    form.locator("button:has-text('Simpan perubahan')").click()
    assert "Templat diubah" in _flash(page)
    old.refresh_from_db()
    new = SessionTemplate.objects.filter(branch__code="madiun").latest("pk")
    assert not old.active and (new.seats, new.programs, new.reasons) == (6, "JHT", "phk")
    row = page.locator("[data-testid=templates]").inner_text()
    assert "Jaminan Hari Tua (JHT)" in row and "PHK" in row
    _shot(page, "calendar-templates-by-name")


def test_the_administrator_picks_makassar_in_the_menu_and_every_menu_link_follows(
    live_server, demo_world, browser_page
):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server.url, "admin")
    page.click("nav >> text=Antrean klaim")
    assert "Madiun" in page.inner_text("h1")  # the first branch until one is picked
    page.select_option("[data-testid=branch-picker] select", "makassar")
    page.click("[data-testid=branch-picker] button")
    assert "Makassar" in page.inner_text("h1")
    for name in ("Sesi layanan", "Pembayaran", "Antrean klaim"):
        page.click(f"nav >> text={name}")
        assert "Makassar" in page.inner_text("main h1"), name
    _shot(page, "admin-branch-picker")
