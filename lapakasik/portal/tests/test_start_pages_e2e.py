"""Issue 14 in Debian's chromium: the start pages and the heir's claim pages fit 390 and 320 px without
sideways scrolling and have no serious or critical axe finding. Screenshots (390x844 and 320 wide, id-ID) go to
/tmp/shots-h14/ like the other participant pages', or to $LAPAKASIK_SHOTS."""

import os
from pathlib import Path

import pytest

from lapakasik.accounts.tests.browser import log_in, log_out
from lapakasik.claims import actions
from lapakasik.registry.models import Heir

from . import test_phone_a11y_e2e
from .test_phone_a11y_e2e import _problems, _visit

pytestmark = pytest.mark.e2e


@pytest.mark.timeout(900)
def test_start_pages_and_the_heirs_claims_fit_a_phone_and_pass_axe(
    live_server, demo_world, browser_page, monkeypatch
):
    from lapakasik.accounts.models import User

    if os.environ.get("LAPAKASIK_SHOTS"):
        monkeypatch.setattr(test_phone_a11y_e2e, "SHOTS", Path(os.environ["LAPAKASIK_SHOTS"]))

    page, url = browser_page, live_server.url
    found: list[str] = []
    for slug in ("jht", "jkm", "jp", "jkk", "jkp"):
        found += _visit(page, f"{url}/layanan/{slug}/", f"start-{slug}")
    heir = User.objects.get(username="ahliwaris")
    siti = Heir.objects.get(participant=heir.participant, nik="3577015608780004")
    claims = {
        program: actions.start_online_claim(
            by=heir, participant=heir.participant, program=program, reason="death", heir=siti
        )
        for program in ("JKM", "JP")
    }
    log_in(page, url, "ahliwaris")
    found += _visit(page, f"{url}/layanan/jkm/", "start-jkm-heir")
    found += _visit(page, f"{url}/klaim/{claims['JKM'].number}/", "heir-jkm-task-list")
    found += _visit(page, f"{url}/klaim/{claims['JKM'].number}/pilihan/", "heir-jkm-claim")
    found += _visit(page, f"{url}/klaim/{claims['JP'].number}/pilihan/", "heir-jp-claim")
    found += _visit(page, f"{url}/klaim/{claims['JKM'].number}/anak/", "heir-children")
    page.set_viewport_size({"width": 390, "height": 844})
    page.fill("#id_child_1_name", "Rina")
    page.fill("#id_child_1_birth_date", "2012-05-01")
    page.select_option("#id_child_1_level", "smp")
    page.fill("#id_child_2_name", "Dimas")
    page.click("[data-testid=save-children]")
    found += _problems(page, "heir-children-refused")  # Dimas without a date: the error summary
    page.fill("#id_child_2_birth_date", "2016-09-10")
    page.select_option("#id_child_2_level", "sd")
    page.click("[data-testid=save-children]")
    assert page.locator("[data-testid=scholarship-schedule]").is_visible()
    found += _visit(page, page.url, "heir-children-schedule")
    found += _visit(page, f"{url}/klaim/{claims['JKM'].number}/pilihan/", "heir-jkm-claim-with-children")
    log_out(page)
    assert not found, "\n".join(found)
