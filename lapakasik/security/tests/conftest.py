import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of these tests go to a throw-away directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# The collective channel's builders (a list of laid-off workers, upload, submit) for the crash test.
from lapakasik.collective.tests.conftest import demo_employer, laid_off, submit, upload  # noqa: E402, F401

# The payments builders (approved claims, a sent batch) for the bank result import test.
from lapakasik.payments.tests.conftest import approved_claim, checker, sent_batch  # noqa: E402, F401
