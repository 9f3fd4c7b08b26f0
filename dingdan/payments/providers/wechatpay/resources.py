"""WeChat Pay's transaction and refund objects (from a query, a refund answer or a decrypted
notification) read into the provider's plain answers. Amounts are already integer 分 in
API v3; anything else in an amount field is refused, never rounded."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dingdan.payments.providers.base import (
    PaymentState,
    ProviderPayment,
    ProviderRefund,
    RefundState,
)

PROVIDER = "wechat_pay"

TRADE_STATES = {
    "SUCCESS": PaymentState.SUCCEEDED,
    "REFUND": PaymentState.REFUNDED,
    "NOTPAY": PaymentState.PENDING,
    "USERPAYING": PaymentState.PENDING,
    "CLOSED": PaymentState.CLOSED,
    "REVOKED": PaymentState.CLOSED,
    "PAYERROR": PaymentState.FAILED,
}
REFUND_STATES = {
    "SUCCESS": RefundState.SUCCEEDED,
    "PROCESSING": RefundState.PENDING,
    "CLOSED": RefundState.CLOSED,
    "ABNORMAL": RefundState.FAILED,
}


class UnreadableResource(ValueError):
    """A WeChat Pay object missing a field or holding one of the wrong kind."""


def _text(data: Mapping[str, Any], name: str, *, required: bool = True) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise UnreadableResource(f"{name} is missing")
        return ""
    if not isinstance(value, str):
        raise UnreadableResource(f"{name} is not text")
    return value


def _cents(data: Mapping[str, Any], name: str, *, required: bool = True) -> int | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UnreadableResource(f"amount.{name} is not a whole number of 分")
    return value


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise UnreadableResource(f"{value!r} is not an RFC 3339 time") from error
    if moment.tzinfo is None:
        raise UnreadableResource(f"{value!r} has no time zone")
    return moment


def _object(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name) or {}
    if not isinstance(value, Mapping):
        raise UnreadableResource(f"{name} is not an object")
    return value


def payment_from_transaction(data: Mapping[str, Any]) -> ProviderPayment:
    state = _text(data, "trade_state")
    if state not in TRADE_STATES:
        raise UnreadableResource(f"unknown trade_state {state!r}")
    amount = _object(data, "amount")
    payment_state = TRADE_STATES[state]
    transaction_id = _text(data, "transaction_id", required=False) or None
    if payment_state in (PaymentState.SUCCEEDED, PaymentState.REFUNDED) and not transaction_id:
        raise UnreadableResource("a paid transaction without transaction_id")
    return ProviderPayment(
        provider=PROVIDER,
        out_trade_no=_text(data, "out_trade_no"),
        state=payment_state,
        amount_cents=_cents(amount, "total"),
        currency=_text(amount, "currency", required=False) or "CNY",
        transaction_id=transaction_id,
        payer_paid_cents=_cents(amount, "payer_total", required=False),
        paid_at=_time(data.get("success_time")),
        payer_openid=_text(_object(data, "payer"), "openid", required=False) or None,
        trade_type=_text(data, "trade_type", required=False) or None,
        state_description=_text(data, "trade_state_desc", required=False),
        raw=dict(data),
    )


def refund_from_resource(data: Mapping[str, Any]) -> ProviderRefund:
    """A refund, from the refund API's answer (`status`) or a notification (`refund_status`)."""
    state = data.get("status") or data.get("refund_status")
    if state not in REFUND_STATES:
        raise UnreadableResource(f"unknown refund status {state!r}")
    amount = _object(data, "amount")
    return ProviderRefund(
        provider=PROVIDER,
        out_refund_no=_text(data, "out_refund_no"),
        state=REFUND_STATES[state],
        amount_cents=_cents(amount, "refund"),
        total_cents=_cents(amount, "total"),
        refund_id=_text(data, "refund_id", required=False) or None,
        out_trade_no=_text(data, "out_trade_no", required=False) or None,
        transaction_id=_text(data, "transaction_id", required=False) or None,
        currency=_text(amount, "currency", required=False) or "CNY",
        refunded_at=_time(data.get("success_time")),
        received_account=_text(data, "user_received_account", required=False),
        raw=dict(data),
    )
