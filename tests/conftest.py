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
