"""The WECHATPAY2-SHA256-RSA2048 scheme of WeChat Pay API v3, on `cryptography`.

A signed message is its parts, each followed by "\\n". The merchant signs requests
(method, path with query, timestamp, nonce, body) and the JSAPI payment parameters with
its API private key; WeChat Pay signs answers and notifications (timestamp, nonce, body)
with the platform key named by `Wechatpay-Serial`. RSA PKCS#1 v1.5 over SHA-256, base64."""

import base64
import binascii
import secrets

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SCHEME = "WECHATPAY2-SHA256-RSA2048"


def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    """The merchant's API private key (apiclient_key.pem); ValueError when it is not one."""
    key = serialization.load_pem_private_key(pem.strip().encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < 2048:
        raise ValueError("not an RSA private key of at least 2048 bits")
    return key


def load_verifying_key(pem: str) -> rsa.RSAPublicKey:
    """A platform certificate (wechatpay_<serial>.pem) or a WeChat Pay public key
    (pub_key.pem, serial "PUB_KEY_ID_…"): both verify WeChat Pay's signatures."""
    data = pem.strip().encode()
    if b"CERTIFICATE" in data:
        key = x509.load_pem_x509_certificate(data).public_key()
    else:
        key = serialization.load_pem_public_key(data)
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("not an RSA certificate or public key")
    return key


def certificate_serial(pem: str) -> str:
    """A certificate's serial number as WeChat Pay writes it (upper-case hexadecimal)."""
    return f"{x509.load_pem_x509_certificate(pem.strip().encode()).serial_number:X}"


def message(*parts: str | bytes) -> bytes:
    """The signed bytes: each part and a newline (a body is signed as the bytes sent)."""
    return b"".join((part if isinstance(part, bytes) else part.encode()) + b"\n" for part in parts)


def sign(private_key: rsa.RSAPrivateKey, signed: bytes) -> str:
    signature = private_key.sign(signed, padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")


def is_valid_signature(public_key: rsa.RSAPublicKey, signed: bytes, signature: str) -> bool:
    try:
        raw = base64.b64decode(signature, validate=True)
        public_key.verify(raw, signed, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def new_nonce() -> str:
    return secrets.token_hex(16).upper()


def authorization(
    *,
    mchid: str,
    serial_no: str,
    private_key: rsa.RSAPrivateKey,
    method: str,
    path: str,
    body: str,
    timestamp: int,
    nonce: str,
) -> str:
    """The `Authorization` header of a request to `path` (with its query string)."""
    signature = sign(private_key, message(method.upper(), path, str(timestamp), nonce, body))
    return (
        f'{SCHEME} mchid="{mchid}",nonce_str="{nonce}",signature="{signature}",'
        f'timestamp="{timestamp}",serial_no="{serial_no}"'
    )


def decrypt_resource(apiv3_key: bytes, nonce: str, associated_data: str, ciphertext: str) -> bytes:
    """AEAD_AES_256_GCM with the APIv3 key: the ciphertext is base64 with the 16-byte tag at
    its end. ValueError when it does not decrypt (wrong key, tampered data)."""
    try:
        raw = base64.b64decode(ciphertext, validate=True)
        return AESGCM(apiv3_key).decrypt(nonce.encode(), raw, associated_data.encode())
    except (InvalidTag, binascii.Error, ValueError) as error:
        raise ValueError("the resource does not decrypt with the APIv3 key") from error


def encrypt_resource(apiv3_key: bytes, nonce: str, associated_data: str, plaintext: bytes) -> str:
    """The inverse of `decrypt_resource`, as WeChat Pay encrypts (tests and tools)."""
    sealed = AESGCM(apiv3_key).encrypt(nonce.encode(), plaintext, associated_data.encode())
    return base64.b64encode(sealed).decode("ascii")
