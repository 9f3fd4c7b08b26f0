"""WeChat Pay API v3 for one shop's merchant account: the `PaymentProvider` the payments
app calls. Direct merchants (普通商户) only; JSAPI (inside WeChat) and Native (a QR code)."""

import re
import time
import urllib.request
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar
from urllib.parse import quote

from dingdan.errors import InvalidInput
from dingdan.payments.providers.base import (
    CreatedPayment,
    Notification,
    NotificationReply,
    PaymentKind,
    ProviderAnswerInvalid,
    ProviderPayment,
    ProviderRefund,
    ProviderRefused,
)
from dingdan.payments.providers.wechatpay import certificates, notifications, signing
from dingdan.payments.providers.wechatpay.client import WeChatPayClient
from dingdan.payments.providers.wechatpay.config import WeChatPayConfig, load_keys
from dingdan.payments.providers.wechatpay.resources import (
    PROVIDER,
    UnreadableResource,
    payment_from_transaction,
    refund_from_resource,
)

# WeChat Pay's limits: out_trade_no / out_refund_no 6–32 of these characters, description
# 127 bytes, refund reason 80.
REFERENCE = re.compile(r"[0-9A-Za-z_\-*|]{6,32}")
DESCRIPTION_BYTES = 127
REASON_CHARACTERS = 80
CURRENCY = "CNY"
NOT_FOUND_CODES = frozenset({"ORDER_NOT_EXIST", "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS"})
_T = TypeVar("_T")
_CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")


class WeChatPay:
    name = PROVIDER

    def __init__(
        self,
        config: WeChatPayConfig,
        *,
        clock: Callable[[], float] = time.time,
        opener: urllib.request.OpenerDirector | None = None,
    ) -> None:
        self.config = config
        self.keys = load_keys(config)
        self.clock = clock
        self.client = WeChatPayClient(config, self.keys, clock=clock, opener=opener)

    def create_payment(
        self,
        order_ref: str,
        amount_cents: int,
        description: str,
        kind: PaymentKind = "native",
        payer_openid: str | None = None,
        expires_at: datetime | None = None,
    ) -> CreatedPayment:
        """Open a payment. `expires_at` (e.g. the order's auto-cancel time) makes WeChat Pay
        refuse to take the money after it, so an order is not paid once it is cancelled."""
        _check_reference("order_ref", order_ref)
        _check_amount("amount_cents", amount_cents)
        if kind not in ("native", "jsapi"):
            raise InvalidInput("Unknown payment kind.", fields={"kind": "native or jsapi"})
        if kind == "jsapi" and not payer_openid:
            raise InvalidInput(
                "A JSAPI payment needs the payer's openid.",
                fields={"payer_openid": "required for jsapi"},
            )
        if not self.config.notify_url:
            raise InvalidInput("No notify URL.", fields={"notify_url": "required"})
        body: dict[str, Any] = {
            "appid": self.config.appid,
            "mchid": self.config.mchid,
            "description": _truncate_bytes(description.strip() or order_ref, DESCRIPTION_BYTES),
            "out_trade_no": order_ref,
            "notify_url": self.config.notify_url,
            "amount": {"total": amount_cents, "currency": CURRENCY},
        }
        if expires_at is not None:
            body["time_expire"] = _rfc3339(expires_at)
        if kind == "jsapi":
            body["payer"] = {"openid": payer_openid}
        answer = self.client.call("POST", f"/v3/pay/transactions/{kind}", body=body)
        if kind == "native":
            code_url = answer.body.get("code_url")
            if not isinstance(code_url, str) or not code_url:
                raise ProviderAnswerInvalid("WeChat Pay answered without a code_url.")
            return CreatedPayment(out_trade_no=order_ref, kind=kind, code_url=code_url)
        prepay_id = answer.body.get("prepay_id")
        if not isinstance(prepay_id, str) or not prepay_id:
            raise ProviderAnswerInvalid("WeChat Pay answered without a prepay_id.")
        return CreatedPayment(
            out_trade_no=order_ref, kind=kind, jsapi_params=self.jsapi_params(prepay_id)
        )

    def jsapi_params(self, prepay_id: str) -> dict[str, str]:
        """What the page inside WeChat passes to getBrandWCPayRequest, signed by the merchant
        over appId, timeStamp, nonceStr and package."""
        params = {
            "appId": self.config.appid,
            "timeStamp": str(int(self.clock())),
            "nonceStr": signing.new_nonce(),
            "package": f"prepay_id={prepay_id}",
            "signType": "RSA",
        }
        signed = signing.message(
            params["appId"], params["timeStamp"], params["nonceStr"], params["package"]
        )
        params["paySign"] = signing.sign(self.keys.merchant, signed)
        return params

    def query_payment(self, out_trade_no: str) -> ProviderPayment | None:
        _check_reference("out_trade_no", out_trade_no)
        try:
            answer = self.client.call(
                "GET",
                f"/v3/pay/transactions/out-trade-no/{quote(out_trade_no, safe='')}",
                query={"mchid": self.config.mchid},
            )
        except ProviderRefused as error:
            if error.http_status == 404 or error.provider_code in NOT_FOUND_CODES:
                return None
            raise
        return self._read(payment_from_transaction, answer.body)

    def close_payment(self, out_trade_no: str) -> None:
        """Close an unpaid payment (WeChat Pay answers 204). Then query it: a payment made
        just before closing shows as paid there, and the order must not be cancelled."""
        _check_reference("out_trade_no", out_trade_no)
        self.client.call(
            "POST",
            f"/v3/pay/transactions/out-trade-no/{quote(out_trade_no, safe='')}/close",
            body={"mchid": self.config.mchid},
        )

    def refund(
        self,
        out_trade_no: str,
        out_refund_no: str,
        amount_cents: int,
        total_cents: int,
        reason: str,
    ) -> ProviderRefund:
        """Ask WeChat Pay to return `amount_cents` of the payment of `total_cents`. The same
        `out_refund_no` again (a retry after a timeout) is the same refund, never a second."""
        _check_reference("out_trade_no", out_trade_no)
        _check_reference("out_refund_no", out_refund_no)
        _check_amount("amount_cents", amount_cents)
        _check_amount("total_cents", total_cents)
        if amount_cents > total_cents:
            raise InvalidInput(
                "A refund cannot exceed the payment.",
                fields={"amount_cents": "more than total_cents"},
            )
        body: dict[str, Any] = {
            "out_trade_no": out_trade_no,
            "out_refund_no": out_refund_no,
            "amount": {"refund": amount_cents, "total": total_cents, "currency": CURRENCY},
        }
        if reason.strip():
            body["reason"] = reason.strip()[:REASON_CHARACTERS]
        if self.config.notify_url:
            body["notify_url"] = self.config.notify_url
        answer = self.client.call("POST", "/v3/refund/domestic/refunds", body=body)
        return self._read(refund_from_resource, answer.body)

    def query_refund(self, out_refund_no: str) -> ProviderRefund | None:
        _check_reference("out_refund_no", out_refund_no)
        try:
            answer = self.client.call(
                "GET", f"/v3/refund/domestic/refunds/{quote(out_refund_no, safe='')}"
            )
        except ProviderRefused as error:
            if error.http_status == 404 or error.provider_code in NOT_FOUND_CODES:
                return None
            raise
        return self._read(refund_from_resource, answer.body)

    def download_platform_certificates(self) -> dict[str, str]:
        """{serial: PEM} of WeChat Pay's current platform certificates, to add to the
        shop's settings (`certificates.py`)."""
        return certificates.download_platform_certificates(self.config, client=self.client)

    def parse_notification(self, headers: Mapping[str, str], body: bytes) -> Notification:
        return notifications.parse_notification(
            self.config, self.keys, headers, body, clock=self.clock
        )

    def reply_to_notification(self, error: Exception | None = None) -> NotificationReply:
        return notifications.reply(error)

    @staticmethod
    def _read(reader: Callable[[Mapping[str, Any]], _T], data: Mapping[str, Any]) -> _T:
        try:
            return reader(data)
        except UnreadableResource as error:
            raise ProviderAnswerInvalid(f"WeChat Pay's answer cannot be read: {error}") from None


def _check_reference(name: str, value: str) -> None:
    if not isinstance(value, str) or not REFERENCE.fullmatch(value):
        raise InvalidInput(
            "WeChat Pay needs 6 to 32 letters, digits, _ - * or |.",
            fields={name: "6 to 32 letters, digits, _ - * |"},
        )


def _check_amount(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidInput("An amount is a whole number of 分 above 0.", fields={name: "> 0"})


def _truncate_bytes(text: str, limit: int) -> str:
    return text.encode()[:limit].decode("utf-8", "ignore")


def _rfc3339(moment: datetime) -> str:
    """WeChat Pay wants RFC 3339 with an offset, to the second: China time reads best."""
    if moment.tzinfo is None:
        raise InvalidInput("expires_at needs a time zone.", fields={"expires_at": "aware"})
    china = moment.astimezone(_CHINA)
    return china.replace(microsecond=0).isoformat()
