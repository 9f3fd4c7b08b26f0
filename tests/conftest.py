import os
import shutil

import pytest

ON_CI = os.environ.get("CI") == "true"


def skip_or_fail(reason: str) -> None:
    """Missing machinery skips a test on a user's machine, but fails it on CI."""
    if ON_CI:
        pytest.fail(f"{reason} (required on CI)")
    pytest.skip(reason)


@pytest.fixture
def chromium_path() -> str:
    path = "/usr/bin/chromium"
    if not shutil.which(path):
        skip_or_fail("Debian's chromium is not installed")
    return path


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s per account; tests make hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    # A request through the test client leaves its language active in the thread; each
    # test starts in the shop's default language, as a fresh request would.
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
