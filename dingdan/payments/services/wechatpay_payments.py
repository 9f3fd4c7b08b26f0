"""Asking WeChat Pay for an order's money: opening a payment attempt, and checking an
unpaid order before it is cancelled (docs/payments-wechatpay.md)."""

import secrets
from datetime import datetime

from django.utils.translation import gettext as _

from dingdan.errors import Conflict
from dingdan.orders.models import Order
from dingdan.payments.models import PaymentAttempt
from dingdan.payments.providers.base import PaymentKind, ProviderRefused
from dingdan.payments.providers.wechatpay import WeChatPay
from dingdan.payments.selectors.wechatpay import open_attempts, wechat_pay_for
from dingdan.payments.services.wechatpay_notifications import record_reported_payment
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require


class NoWeChatPayAccount(Conflict):
    code = "wechat_pay_not_configured"


class NothingDue(Conflict):
    code = "nothing_due"


def _provider(order: Order) -> WeChatPay:
    provider = wechat_pay_for(order.shop)
    if provider is None:
        raise NoWeChatPayAccount(_("This shop has no WeChat Pay account."))
    return provider


def create_wechat_payment(
    order: Order,
    kind: PaymentKind = "native",
    *,
    payer_openid: str | None = None,
    expires_at: datetime | None = None,
) -> str | dict:
    """Open a WeChat Pay payment of what is still due, under a fresh out_trade_no stored as
    the order's attempt (WeChat Pay ties a reference to one amount). Answers the `code_url`
    to show as a QR code (native) or the JSAPI parameters. The customer's action: no actor."""
    due = order.balance_due_cents
    if due <= 0:
        raise NothingDue(_("Order %(number)s has nothing left to pay.") % {"number": order.number})
    provider = _provider(order)
    out_trade_no = secrets.token_hex(16)
    # Stored before the call: a notification may arrive before the answer does.
    PaymentAttempt.objects.create(shop_id=order.shop_id, order=order, provider=provider.name,
                                  kind=kind, out_trade_no=out_trade_no, amount_cents=due)
    created = provider.create_payment(
        out_trade_no, due, _("Order %(number)s") % {"number": order.number}, kind,
        payer_openid=payer_openid, expires_at=expires_at,
    )
    return created.code_url if kind == "native" else dict(created.jsapi_params or {})


def is_paid_at_provider(*, actor: Actor, order: Order) -> bool:
    """Before an unpaid order is cancelled: close every attempt at WeChat Pay, then query it;
    a payment found is recorded (once per transaction id) and the answer is True. Closing
    first makes the answer final. `ProviderUnavailable` propagates: do not cancel, retry."""
    require(actor, "payments.record", order.shop)
    attempts = open_attempts(order)
    if not attempts:
        return False
    provider = _provider(order)
    paid = False
    for attempt in attempts:
        try:
            provider.close_payment(attempt.out_trade_no)
        except ProviderRefused as error:
            if error.provider_code not in ("ORDER_PAID", "ORDER_NOT_EXIST", "ORDER_CLOSED"):
                raise
        found = provider.query_payment(attempt.out_trade_no)
        if found is not None and found.is_paid:
            record_reported_payment(shop=order.shop, provider=provider, reported=found)
            paid = True
    return paid
