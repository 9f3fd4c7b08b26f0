"""A provider's secrets are kept encrypted under a key derived from SECRET_KEY, survive a
rotation of SECRET_KEY kept in SECRET_KEY_FALLBACKS, and are shown again only masked."""

import pytest

from dingdan.secret_box import (
    MASK,
    SecretUnreadable,
    decrypt_secret,
    encrypt_secret,
    mask_secret,
    reencrypt_secret,
)

APIV3_KEY = "0123456789abcdefghijABCDEFGHIJ01"


def test_a_secret_is_stored_encrypted_and_read_back(settings):
    settings.SECRET_KEY = "one key " * 8
    token = encrypt_secret(APIV3_KEY)
    assert APIV3_KEY not in token
    assert encrypt_secret(APIV3_KEY) != token  # a fresh IV every time
    assert decrypt_secret(token) == APIV3_KEY


def test_a_secret_needs_the_secret_key_it_was_saved_under(settings):
    settings.SECRET_KEY = "one key " * 8
    token = encrypt_secret(APIV3_KEY)
    settings.SECRET_KEY = "another key " * 8
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(SecretUnreadable):
        decrypt_secret(token)


def test_after_rotating_secret_key_the_old_one_still_reads_and_reencrypts(settings):
    settings.SECRET_KEY = "old key " * 8
    token = encrypt_secret(APIV3_KEY)
    settings.SECRET_KEY = "new key " * 8
    settings.SECRET_KEY_FALLBACKS = ["old key " * 8]
    assert decrypt_secret(token) == APIV3_KEY
    moved = reencrypt_secret(token)
    settings.SECRET_KEY_FALLBACKS = []
    assert decrypt_secret(moved) == APIV3_KEY


def test_a_damaged_token_is_unreadable_not_a_crash(settings):
    with pytest.raises(SecretUnreadable):
        decrypt_secret("not a token")
    with pytest.raises(SecretUnreadable):
        decrypt_secret("密钥")


def test_a_masked_secret_shows_that_it_is_set_and_never_the_secret():
    assert mask_secret("") == ""
    assert mask_secret(APIV3_KEY) == MASK + "IJ01"
    assert mask_secret("short-one") == MASK
    pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\n-----END PRIVATE KEY-----\n"
    assert mask_secret(pem) == f"PRIVATE KEY {MASK}"
    assert "MIIE" not in mask_secret(pem)
