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


def pytest_configure(config):
    """Tests serve static files from the source tree: no collectstatic manifest is needed."""
    from django.conf import settings

    if not config.pluginmanager.has_plugin("django"):
        return
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True
    # Uploaded files of a run go to a directory of their own, removed at the end: runs never see each
    # other's files (list ids restart with each test database) and var/media keeps only the demo's.
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="lapakasik-test-media-"))


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
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )  # fmt: skip
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
