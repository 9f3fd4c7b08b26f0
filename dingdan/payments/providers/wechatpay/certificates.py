"""Downloading WeChat Pay's platform certificates (`GET /v3/certificates`), for a merchant
whose account signs with certificates rather than the WeChat Pay public key.

Each certificate comes encrypted with the APIv3 key (AEAD_AES_256_GCM), which proves it
came from WeChat Pay or from someone who holds the shop's APIv3 key; the answer must then
be signed by one of the certificates already trusted or by one it brings. The settings
keep the answer beside the certificates already there: a rotation takes both for a while."""

import json
from datetime import datetime

from dingdan.payments.providers.base import ProviderAnswerInvalid
from dingdan.payments.providers.wechatpay import signing
from dingdan.payments.providers.wechatpay.client import WeChatPayClient
from dingdan.payments.providers.wechatpay.config import WeChatPayConfig, load_keys
from dingdan.payments.providers.wechatpay.notifications import ALGORITHM


def download_platform_certificates(
    config: WeChatPayConfig, *, client: WeChatPayClient | None = None
) -> dict[str, str]:
    """{serial: PEM} of every certificate WeChat Pay signs with now, still valid."""
    if client is None:
        client = WeChatPayClient(config, load_keys(config, needs_platform_key=False))
    found: dict[str, str] = {}

    def brought(raw: bytes) -> dict:
        found.update(_decrypt_all(config, raw))
        return {serial: signing.load_verifying_key(pem) for serial, pem in found.items()}

    client.call("GET", "/v3/certificates", keys_in_answer=brought)
    return found


def _decrypt_all(config: WeChatPayConfig, raw: bytes) -> dict[str, str]:
    try:
        entries = json.loads(raw)["data"]
        certificates = {}
        for entry in entries:
            sealed = entry["encrypt_certificate"]
            if sealed["algorithm"] != ALGORITHM:
                raise ValueError(f"algorithm {sealed['algorithm']}")
            if datetime.fromisoformat(entry["expire_time"]) <= datetime.now().astimezone():
                continue
            pem = signing.decrypt_resource(
                config.apiv3_key_bytes,
                sealed["nonce"],
                sealed["associated_data"],
                sealed["ciphertext"],
            ).decode()
            if signing.certificate_serial(pem) != str(entry["serial_no"]).upper():
                raise ValueError(f"certificate {entry['serial_no']} holds another serial")
            certificates[entry["serial_no"]] = pem
    except (ValueError, KeyError, TypeError) as error:
        raise ProviderAnswerInvalid(
            f"WeChat Pay's certificates cannot be read with the APIv3 key: {error}"
        ) from None
    return certificates
