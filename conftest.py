"""Shared test fixtures: the demo world and the named personas every test speaks of.

The demo (Madiun 2020 history, a second branch, a user per role) is loaded once per test session
into the test database; ordinary tests run inside a transaction on top of it. Transactional tests
(browser, concurrency) run last, flush the database, and reload what they need with `demo_world`.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest


def load_demo():
    # Imported here so that pure packages (rules, demo.generate) can be tested without Django.
    from lapakasik.demo.loader import load_demo as load

    return load()


def _travel_to_the_test_clock() -> None:
    """LAPAKASIK_TEST_CLOCK=2026-12-02T17:05:00Z runs the whole suite with the clock set there (and ticking).

    Branch dates and UTC dates differ for hours each day (00:00–07:00 WIB is still yesterday in UTC): CI runs
    the suite just before and just after midnight in each of the three time zones to prove no test or product
    path mixes them.
    """
    import datetime as dt
    import os

    instant = os.environ.get("LAPAKASIK_TEST_CLOCK")
    if instant:
        import time_machine

        time_machine.travel(dt.datetime.fromisoformat(instant.replace("Z", "+00:00")), tick=True).start()


def _force_login_passes_the_second_factor() -> None:
    """``client.force_login(staff)`` stands for a finished log-in, second factor included: the session gets a
    confirmed authenticator of the user's, as ``django_otp.login`` would after a right code. The product path
    (password, then code) is unchanged and tested on its own (accounts/tests/test_second_factor.py)."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if getattr(user, "needs_second_factor", False):
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    Client.force_login = force_login  # type: ignore[method-assign]


def pytest_configure(config):
    """Tests serve static files from the source tree: no collectstatic manifest is needed."""
    from django.conf import settings

    _travel_to_the_test_clock()

    if not config.pluginmanager.has_plugin("django"):
        return
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    _force_login_passes_the_second_factor()
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True
    # Uploaded files of a run go to a directory of their own, removed at the end: runs never see each
    # other's files (list ids restart with each test database) and var/media keeps only the demo's.
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="lapakasik-test-media-"))
    # SMS/WhatsApp messages of the file backend likewise: never into var/notify.
    settings.NOTIFY_FILE_DIR = Path(tempfile.mkdtemp(prefix="lapakasik-test-notify-"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture
def demo_world(transactional_db):
    """For transactional tests, whose flush removed the session's demo data."""
    load_demo()


def _user(username: str):
    from lapakasik.accounts.models import User

    return User.objects.get(username=username)


@pytest.fixture
def participant(db):
    return _user("peserta")


@pytest.fixture
def heir(db):
    return _user("ahliwaris")


@pytest.fixture
def employer_rep(db):
    return _user("pemberikerja")


@pytest.fixture
def cso(db):
    return _user("cso")


@pytest.fixture
def supervisor(db):
    return _user("supervisor")


@pytest.fixture
def branch_head(db):
    return _user("kepalacabang")


@pytest.fixture
def finance(db):
    return _user("keuangan")


@pytest.fixture
def outsider(db):
    """A CSO of another branch (Makassar): must see nothing of Madiun."""
    return _user("cso.makassar")


@pytest.fixture
def madiun(db):
    from lapakasik.registry.models import Branch

    return Branch.objects.get(code="madiun")


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Throttle counters live in the cache; one test's lock-out must not leak into the next."""
    if not request.config.pluginmanager.has_plugin("django"):
        yield  # a pure package tested with -p no:django
        return
    from django.conf import settings
    from django.core.cache import cache, caches

    # The database cache (the throttle's on the embedded default) is rolled back with each test's
    # transaction; any other backend (Redis when REDIS_URL is set) is cleared like the default cache.
    shared = (
        []
        if "DatabaseCache" in settings.CACHES[settings.THROTTLE_CACHE]["BACKEND"]
        else [caches[settings.THROTTLE_CACHE]]
    )
    for each in [cache, *shared]:
        each.clear()
    yield
    for each in [cache, *shared]:
        each.clear()


@pytest.fixture(autouse=True)
def _office_language_after_each_test(request):
    """A request in English (the test client's language cookie) leaves English active in the thread after
    the response: the next test in this process would read English where it expects the office language."""
    yield
    if request.config.pluginmanager.has_plugin("django"):
        from django.utils import translation

        translation.deactivate()


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page():
    """A page in Debian's chromium (never a downloaded browser)."""
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        pytest.fail(f"Browser tests need Debian's chromium at {CHROMIUM}: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(locale="id-ID")
        page.set_default_timeout(15000)
        yield page
        browser.close()


def pytest_sessionfinish(session, exitstatus):
    """Django deletes the per-process SQLite test file; its WAL side files are ours to remove."""
    import os

    var = Path(os.environ.get("LAPAKASIK_VAR_DIR", Path(__file__).resolve().parent / "var"))
    for leftover in var.glob(f"test-{os.getpid()}.sqlite3*"):
        leftover.unlink(missing_ok=True)
    from django.conf import settings

    if settings.configured and "lapakasik-test-media-" in str(settings.MEDIA_ROOT):
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    if settings.configured and "lapakasik-test-notify-" in str(settings.NOTIFY_FILE_DIR):
        shutil.rmtree(settings.NOTIFY_FILE_DIR, ignore_errors=True)
