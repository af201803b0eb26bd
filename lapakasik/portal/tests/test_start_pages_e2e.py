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
from .test_phone_a11y_e2e import _visit

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
    found += _visit(page, f"{url}/klaim/{claims['JKM'].number}/", "heir-jkm-claim")
    found += _visit(page, f"{url}/klaim/{claims['JP'].number}/", "heir-jp-claim")
    log_out(page)
    assert not found, "\n".join(found)
