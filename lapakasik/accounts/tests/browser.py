"""Logging a demo persona in and out in a browser test: one way, for every end-to-end test."""

from __future__ import annotations

from lapakasik.demo.loader import DEMO_PASSWORD


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('Masuk')")
    if "/accounts/verifikasi/" in page.url:  # staff: the second factor, as `demo otp` prints it
        page.fill("#id_token", _current_code(username))
        with page.expect_navigation():
            page.click("button[type=submit]:has-text('Verifikasi')")


def _current_code(username: str) -> str:
    from lapakasik.accounts.models import User
    from lapakasik.accounts.otp import current_code, demo_device

    device = demo_device(User.objects.get(username=username))
    return current_code(device)


def log_out(page) -> None:
    page.click("button:has-text('Keluar')")


def confirm(page) -> None:
    """Answer the console's confirmation dialog (irreversible steps ask first) with "Ya"."""
    page.locator("#confirm-dialog").wait_for(state="visible")
    page.click("[data-testid=confirm-yes]")
