"""WeChat Pay's payment and refund notifications: verified, decrypted, read.

In order, each failure refusing the notification with its reason: the four Wechatpay-*
headers are there; the timestamp is within 5 minutes of now (an old request replayed is
refused); the serial names a platform key of this shop; the signature over timestamp,
nonce and body is that key's; the resource is AEAD_AES_256_GCM and decrypts with the
shop's APIv3 key; it is for this shop's merchant id (and AppID, for a payment)."""

import json
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from dingdan.payments.providers.base import InvalidNotification, Notification, NotificationReply
from dingdan.payments.providers.wechatpay import signing
from dingdan.payments.providers.wechatpay.client import MAX_CLOCK_SKEW_SECONDS, header
from dingdan.payments.providers.wechatpay.config import LoadedKeys, WeChatPayConfig
from dingdan.payments.providers.wechatpay.resources import (
    PROVIDER,
    UnreadableResource,
    payment_from_transaction,
    refund_from_resource,
)

PAYMENT_EVENTS = frozenset({"TRANSACTION.SUCCESS"})
REFUND_EVENTS = frozenset({"REFUND.SUCCESS", "REFUND.ABNORMAL", "REFUND.CLOSED"})
ALGORITHM = "AEAD_AES_256_GCM"


def parse_notification(
    config: WeChatPayConfig,
    keys: LoadedKeys,
    headers: Mapping[str, str],
    body: bytes,
    *,
    clock: Callable[[], float] = time.time,
) -> Notification:
    _verify(keys, headers, body, clock)
    envelope = _json(body, "the body is not a JSON object")
    resource = envelope.get("resource")
    if not isinstance(resource, Mapping):
        raise InvalidNotification("malformed_body", "the body has no resource")
    if resource.get("algorithm") != ALGORITHM:
        raise InvalidNotification("unsupported_algorithm", f"resource.algorithm is not {ALGORITHM}")
    try:
        plaintext = signing.decrypt_resource(
            config.apiv3_key_bytes,
            str(resource.get("nonce") or ""),
            str(resource.get("associated_data") or ""),
            str(resource.get("ciphertext") or ""),
        )
    except ValueError:
        raise InvalidNotification(
            "bad_ciphertext",
            "the resource does not decrypt with the APIv3 key (a wrong key, or tampered with)",
        ) from None
    data = _json(plaintext, "the decrypted resource is not a JSON object")
    if data.get("mchid") != config.mchid:
        raise InvalidNotification("wrong_merchant", "the resource is for another merchant id")
    event_type = str(envelope.get("event_type") or "")
    common = {
        "provider": PROVIDER,
        "id": str(envelope.get("id") or ""),
        "event_type": event_type,
        "created_at": _created_at(envelope.get("create_time")),
        "summary": str(envelope.get("summary") or ""),
    }
    try:
        if event_type in PAYMENT_EVENTS:
            if data.get("appid") != config.appid:
                raise InvalidNotification("wrong_merchant", "the payment is for another AppID")
            return Notification(kind="payment", payment=payment_from_transaction(data), **common)
        if event_type in REFUND_EVENTS:
            return Notification(kind="refund", refund=refund_from_resource(data), **common)
    except UnreadableResource as error:
        raise InvalidNotification(
            "malformed_body", f"the resource cannot be read: {error}"
        ) from None
    return Notification(kind="other", **common)


def reply(error: Exception | None = None) -> NotificationReply:
    """204 takes the notification; any 4xx/5xx makes WeChat Pay send it again later (over
    about a day), with a message for the merchant's notification log."""
    if error is None:
        return NotificationReply(status=204)
    message = str(error) if isinstance(error, InvalidNotification) else "internal error"
    body = json.dumps({"code": "FAIL", "message": message}, ensure_ascii=False).encode()
    status = 400 if isinstance(error, InvalidNotification) else 500
    return NotificationReply(status=status, body=body)


def _verify(
    keys: LoadedKeys, headers: Mapping[str, str], body: bytes, clock: Callable[[], float]
) -> None:
    found = {
        name: header(headers, name)
        for name in (
            "Wechatpay-Timestamp",
            "Wechatpay-Nonce",
            "Wechatpay-Signature",
            "Wechatpay-Serial",
        )
    }
    missing = [name for name, value in found.items() if not value]
    if missing:
        raise InvalidNotification("missing_header", f"missing header {', '.join(missing)}")
    timestamp = found["Wechatpay-Timestamp"]
    if not timestamp.isdigit() or abs(clock() - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        raise InvalidNotification(
            "stale_timestamp", "Wechatpay-Timestamp is more than 5 minutes from now"
        )
    serial = found["Wechatpay-Serial"]
    key = keys.platform.get(serial)
    if key is None:
        raise InvalidNotification(
            "unknown_serial",
            f"no platform certificate or public key with serial {serial} in the shop's settings",
        )
    signed = signing.message(timestamp, found["Wechatpay-Nonce"], body)
    if not signing.is_valid_signature(key, signed, found["Wechatpay-Signature"]):
        raise InvalidNotification("bad_signature", "Wechatpay-Signature does not verify")


def _json(raw: bytes, complaint: str) -> dict[str, Any]:
    try:
        parsed = json.loads(raw)
    except ValueError:
        raise InvalidNotification("malformed_body", complaint) from None
    if not isinstance(parsed, dict):
        raise InvalidNotification("malformed_body", complaint)
    return parsed


def _created_at(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
