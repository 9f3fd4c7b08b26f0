"""An outside service's secrets (a payment provider's private key, a tracking service's
key and salt) as a shop's settings keep them: encrypted, and shown again only masked.

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) under a key derived with HKDF from
Django's SECRET_KEY, so a copy of the database alone does not hold a usable key. After
SECRET_KEY is rotated, the old key in SECRET_KEY_FALLBACKS still reads what was saved
under it, and `reencrypt_secret` moves a saved value to the new key."""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from dingdan.errors import DomainError

# Changing these makes every saved secret unreadable: they name the key's one purpose (the
# salt keeps the name of the module's first home).
_SALT = b"dingdan.payments.providers"
_INFO = b"provider secrets in shop settings, v1"
MASK = "••••••••"


class SecretUnreadable(DomainError):
    """A saved secret that no current key decrypts (SECRET_KEY changed without keeping the
    old one in SECRET_KEY_FALLBACKS): the merchant must enter it again."""

    status = 409
    code = "provider_secret_unreadable"


def _fernet_key(secret_key: str | bytes) -> bytes:
    material = secret_key.encode() if isinstance(secret_key, str) else secret_key
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(material)
    return base64.urlsafe_b64encode(derived)


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_fernet_key(key)) for key in keys])


def encrypt_secret(plaintext: str) -> str:
    """The text to store for `plaintext` (ASCII, different every time)."""
    return _fernet().encrypt(plaintext.encode()).decode("ascii")


def decrypt_secret(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as error:
        raise SecretUnreadable("A saved provider secret can no longer be read.") from error


def reencrypt_secret(token: str) -> str:
    """The same secret encrypted under the current SECRET_KEY."""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError) as error:
        raise SecretUnreadable("A saved provider secret can no longer be read.") from error


def mask_secret(plaintext: str) -> str:
    """What a page may show of a saved secret: that it is set, and for a long key its last
    four characters to tell two keys apart. A PEM shows only its kind."""
    value = plaintext.strip()
    if not value:
        return ""
    if value.startswith("-----BEGIN "):
        kind = value.removeprefix("-----BEGIN ").split("-----", 1)[0]
        return f"{kind} {MASK}"
    if len(value) >= 24:
        return MASK + value[-4:]
    return MASK
