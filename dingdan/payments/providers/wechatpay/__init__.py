"""WeChat Pay API v3 (docs/payments-wechatpay.md).

- `config.py` — the merchant account (`WeChatPayConfig`), checked, stored encrypted.
- `signing.py` — WECHATPAY2-SHA256-RSA2048 signatures and AEAD_AES_256_GCM, on `cryptography`.
- `client.py` — signed HTTPS calls with verified answers (`urllib.request`).
- `resources.py` — WeChat Pay's transaction and refund objects read into plain answers.
- `certificates.py` — downloading the platform certificates, proven by the APIv3 key.
- `notifications.py` — payment and refund notifications: verified, decrypted, read.
- `provider.py` — `WeChatPay`, the `PaymentProvider` the payments app calls.
"""

from dingdan.payments.providers.wechatpay.certificates import download_platform_certificates
from dingdan.payments.providers.wechatpay.config import (
    WeChatPayConfig,
    config_from_stored,
    config_to_stored,
    masked_stored,
)
from dingdan.payments.providers.wechatpay.provider import WeChatPay

__all__ = [
    "WeChatPay",
    "WeChatPayConfig",
    "config_from_stored",
    "config_to_stored",
    "download_platform_certificates",
    "masked_stored",
]
