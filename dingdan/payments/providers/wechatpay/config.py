"""A shop's WeChat Pay merchant account, and the form it is kept in in the shop's settings.

The private key and the APIv3 key are stored encrypted (`dingdan.secret_box`) and shown
again only masked; certificates and ids are public and stored as they are."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dingdan.payments.providers.base import InvalidProviderConfig
from dingdan.payments.providers.wechatpay import signing
from dingdan.secret_box import (
    SecretUnreadable,
    decrypt_secret,
    encrypt_secret,
    mask_secret,
)

DEFAULT_API_BASE_URL = "https://api.mch.weixin.qq.com"
SECRET_FIELDS = ("merchant_private_key_pem", "apiv3_key")


@dataclass(frozen=True)
class WeChatPayConfig:
    mchid: str  # 商户号
    appid: str  # the 公众号 / 小程序 AppID the payer's openid belongs to
    merchant_serial_no: str  # 商户API证书序列号
    merchant_private_key_pem: str = field(repr=False)  # apiclient_key.pem
    apiv3_key: str = field(repr=False)  # APIv3密钥: 32 characters
    # Platform certificates or the WeChat Pay public key, by serial ("PUB_KEY_ID_…" for a
    # public key): every serial WeChat Pay may sign with, old and new while it rotates.
    platform_certificates: Mapping[str, str] = field(repr=False)
    notify_url: str = ""  # https://…/api/v1/payments/wechatpay/notify/<shop>
    api_base_url: str = DEFAULT_API_BASE_URL
    timeout_seconds: float = 10.0

    @property
    def apiv3_key_bytes(self) -> bytes:
        return self.apiv3_key.encode()


@dataclass(frozen=True)
class LoadedKeys:
    merchant: Any  # RSAPrivateKey
    platform: Mapping[str, Any]  # serial -> RSAPublicKey


def load_keys(config: WeChatPayConfig, *, needs_platform_key: bool = True) -> LoadedKeys:
    """The keys of `config`, or InvalidProviderConfig naming every setting that is wrong.
    Only the first download of platform certificates goes without a platform key."""
    errors: dict[str, str] = {}
    if not re.fullmatch(r"\d{6,32}", config.mchid):
        errors["mchid"] = "The merchant id (商户号) is a number of 6 to 32 digits."
    if not re.fullmatch(r"[A-Za-z0-9_]{4,32}", config.appid):
        errors["appid"] = "The AppID is 4 to 32 letters and digits, such as wx8888888888888888."
    if not re.fullmatch(r"[0-9A-Fa-f]{8,64}", config.merchant_serial_no):
        errors["merchant_serial_no"] = "The API certificate serial number is hexadecimal."
    if len(config.apiv3_key_bytes) != 32:
        errors["apiv3_key"] = "The APIv3 key is exactly 32 characters."
    merchant = None
    try:
        merchant = signing.load_private_key(config.merchant_private_key_pem)
    except (ValueError, TypeError):
        errors["merchant_private_key_pem"] = (
            "Not an RSA private key in PEM form (apiclient_key.pem, without a password)."
        )
    platform = {}
    for serial, pem in config.platform_certificates.items():
        try:
            platform[serial] = signing.load_verifying_key(pem)
        except (ValueError, TypeError):
            errors["platform_certificates"] = (
                f"{serial}: not a WeChat Pay platform certificate or public key in PEM form."
            )
    if needs_platform_key and not platform and "platform_certificates" not in errors:
        errors["platform_certificates"] = (
            "Add the WeChat Pay platform certificate or public key, with its serial number."
        )
    if not config.api_base_url.startswith(("https://", "http://")):
        errors["api_base_url"] = "The API address starts with https://."
    if errors:
        raise InvalidProviderConfig("The WeChat Pay settings cannot work.", fields=errors)
    return LoadedKeys(merchant=merchant, platform=platform)


def config_to_stored(config: WeChatPayConfig) -> dict[str, Any]:
    """The JSON to keep in the shop's settings: secrets encrypted. The notify URL is not
    kept: it follows from the site's address and the shop, see `config_from_stored`."""
    load_keys(config)  # never store what cannot work
    return {
        "mchid": config.mchid,
        "appid": config.appid,
        "merchant_serial_no": config.merchant_serial_no,
        "merchant_private_key_pem": encrypt_secret(config.merchant_private_key_pem),
        "apiv3_key": encrypt_secret(config.apiv3_key),
        "platform_certificates": dict(config.platform_certificates),
        "api_base_url": config.api_base_url,
    }


def config_from_stored(
    stored: Mapping[str, Any], *, notify_url: str, timeout_seconds: float = 10.0
) -> WeChatPayConfig:
    """The config kept by `config_to_stored`; `SecretUnreadable` when SECRET_KEY changed."""
    return WeChatPayConfig(
        mchid=stored["mchid"],
        appid=stored["appid"],
        merchant_serial_no=stored["merchant_serial_no"],
        merchant_private_key_pem=decrypt_secret(stored["merchant_private_key_pem"]),
        apiv3_key=decrypt_secret(stored["apiv3_key"]),
        platform_certificates=dict(stored["platform_certificates"]),
        notify_url=notify_url,
        api_base_url=stored.get("api_base_url") or DEFAULT_API_BASE_URL,
        timeout_seconds=timeout_seconds,
    )


def masked_stored(stored: Mapping[str, Any]) -> dict[str, Any]:
    """The stored config as a settings page may show it: secrets masked, never decrypted
    into the page (a secret that no longer decrypts shows as unreadable)."""
    shown = dict(stored)
    for name in SECRET_FIELDS:
        token = stored.get(name)
        if not token:
            shown[name] = ""
            continue
        try:
            shown[name] = mask_secret(decrypt_secret(token))
        except SecretUnreadable:  # say so rather than fail the page
            shown[name] = "(unreadable: enter it again)"
    shown["platform_certificates"] = sorted(stored.get("platform_certificates", {}))
    return shown
