"""Signed HTTPS calls to WeChat Pay API v3, on the standard library's `urllib.request`.

Every request carries the merchant's signature; every 2xx answer must carry a valid
platform signature over a fresh timestamp before anything in it is believed. An error
answer (4xx/5xx) is only reported, never acted on, so it is read even when unsigned (a
gateway in between may answer without WeChat Pay's headers)."""

import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from dingdan.payments.providers.base import (
    ProviderAnswerInvalid,
    ProviderRefused,
    ProviderUnavailable,
)
from dingdan.payments.providers.wechatpay import signing
from dingdan.payments.providers.wechatpay.config import LoadedKeys, WeChatPayConfig

logger = logging.getLogger("dingdan.payments.wechatpay")

MAX_CLOCK_SKEW_SECONDS = 300  # WeChat Pay's own window for signed timestamps
USER_AGENT = "dingdan (WeChat Pay API v3)"
# WeChat Pay's codes that mean "try again later", whatever the HTTP status says.
RETRYABLE_CODES = frozenset({"SYSTEM_ERROR", "SYSTEMERROR", "FREQUENCY_LIMITED", "BANKERROR"})


@dataclass(frozen=True)
class Answer:
    status: int
    body: Mapping[str, Any]  # {} for an empty answer (204)


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, whatever its case (http.client, Django and plain dicts differ)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


class WeChatPayClient:
    def __init__(
        self,
        config: WeChatPayConfig,
        keys: LoadedKeys,
        *,
        clock: Callable[[], float] = time.time,
        opener: urllib.request.OpenerDirector | None = None,
    ) -> None:
        self.config = config
        self.keys = keys
        self.clock = clock
        self.opener = opener or urllib.request.build_opener()

    def call(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        keys_in_answer: Callable[[bytes], Mapping[str, Any]] | None = None,
    ) -> Answer:
        """Send one signed request; the verified answer, or a ProviderError.

        `keys_in_answer` reads platform keys out of the answer itself, for the certificate
        download: an answer may be signed by a certificate that only it brings."""
        if query:
            path = f"{path}?{urlencode(query)}"
        payload = (
            "" if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        )
        timestamp = int(self.clock())
        request = urllib.request.Request(
            self.config.api_base_url.rstrip("/") + path,
            data=payload.encode() if body is not None else None,
            method=method,
            headers={
                "Authorization": signing.authorization(
                    mchid=self.config.mchid,
                    serial_no=self.config.merchant_serial_no,
                    private_key=self.keys.merchant,
                    method=method,
                    path=path,
                    body=payload,
                    timestamp=timestamp,
                    nonce=signing.new_nonce(),
                ),
                "Accept": "application/json",
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            },
        )
        try:
            with self.opener.open(request, timeout=self.config.timeout_seconds) as response:
                status, headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            raw = error.read()
            raise self._error(error.code, raw) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            reason = getattr(error, "reason", error)
            raise ProviderUnavailable(f"WeChat Pay did not answer: {reason}") from error
        platform = dict(self.keys.platform)
        if keys_in_answer is not None:
            platform = keys_in_answer(raw) | platform
        self._verify(platform, headers, raw)
        if not raw.strip():
            return Answer(status, {})
        try:
            parsed = json.loads(raw)
        except ValueError as error:
            raise ProviderAnswerInvalid("WeChat Pay answered with unreadable JSON.") from error
        if not isinstance(parsed, dict):
            raise ProviderAnswerInvalid("WeChat Pay answered with JSON that is not an object.")
        return Answer(status, parsed)

    def _verify(self, platform: Mapping[str, Any], headers: Mapping[str, str], raw: bytes) -> None:
        serial = header(headers, "Wechatpay-Serial")
        timestamp = header(headers, "Wechatpay-Timestamp")
        nonce = header(headers, "Wechatpay-Nonce")
        signature = header(headers, "Wechatpay-Signature")
        if not (serial and timestamp and nonce and signature):
            raise ProviderAnswerInvalid("WeChat Pay's answer is not signed.")
        key = platform.get(serial)
        if key is None:
            raise ProviderAnswerInvalid(
                f"WeChat Pay signed its answer with an unknown platform serial {serial}: "
                "add the new platform certificate to the shop's WeChat Pay settings."
            )
        if not timestamp.isdigit() or abs(self.clock() - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
            raise ProviderAnswerInvalid("WeChat Pay's answer has a stale timestamp.")
        signed = signing.message(timestamp, nonce, raw)
        if not signing.is_valid_signature(key, signed, signature):
            raise ProviderAnswerInvalid("WeChat Pay's answer has a wrong signature.")

    @staticmethod
    def _error(status: int, raw: bytes) -> Exception:
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = {}
        if not isinstance(parsed, dict):
            parsed = {}
        code = str(parsed.get("code") or "")
        text = str(parsed.get("message") or raw[:200].decode("utf-8", "replace") or status)
        message = f"WeChat Pay refused the request: {code or status} {text}".strip()
        logger.warning("WeChat Pay answered %s %s: %s", status, code, text)
        if status >= 500 or status == 429 or code in RETRYABLE_CODES:
            return ProviderUnavailable(message, provider_code=code, http_status=status)
        return ProviderRefused(message, provider_code=code, http_status=status)
