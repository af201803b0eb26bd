"""Logging a demo persona in and out in a browser test: one way, for every end-to-end test."""

from __future__ import annotations

from lapakasik.demo.loader import DEMO_PASSWORD


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]:has-text('Masuk')")


def log_out(page) -> None:
    page.click("button:has-text('Keluar')")
