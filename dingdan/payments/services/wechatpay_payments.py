"""Asking WeChat Pay for an order's money: opening a payment attempt, and checking an
unpaid order before it is cancelled (docs/payments-wechatpay.md)."""

import logging
import secrets
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.errors import Conflict, DomainError
from dingdan.orders.models import Order
from dingdan.payments.models import PaymentAttempt
from dingdan.payments.providers.base import PaymentKind, ProviderError, ProviderRefused
from dingdan.payments.providers.wechatpay import WeChatPay
from dingdan.payments.selectors.wechatpay import (
    open_attempts,
    open_native_payment,
    wechat_pay_for,
)
from dingdan.payments.services.wechatpay_notifications import record_reported_payment
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require

log = logging.getLogger(__name__)

# WeChat Pay keeps a Native code payable for 2 hours; a code about to lapse is not shown.
NATIVE_VALIDITY = timedelta(hours=2)


class WeChatPayUnavailable(DomainError):
    """WeChat Pay did not open the payment (unreachable, or it refused): the customer is
    told to try again or pay another way; the provider's details go to the log."""

    status = 503
    code = "wechat_pay_unavailable"


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
    attempt = PaymentAttempt.objects.create(
        shop_id=order.shop_id, order=order, provider=provider.name, kind=kind,
        out_trade_no=out_trade_no, amount_cents=due, expires_at=expires_at)
    created = provider.create_payment(
        out_trade_no, due, _("Order %(number)s") % {"number": order.number}, kind,
        payer_openid=payer_openid, expires_at=expires_at,
    )
    if kind == "native":
        PaymentAttempt.objects.filter(pk=attempt.pk).update(code_url=created.code_url or "")
        return created.code_url
    return dict(created.jsapi_params or {})


def wechat_pay_code(order: Order) -> PaymentAttempt:
    """The Native payment the customer scans on their order link: the one already open when
    it asks for what is due now and stays payable a while, otherwise a new one valid for
    two hours. The customer's action: no actor."""
    found = open_native_payment(order)
    if found is not None:
        return found
    try:
        create_wechat_payment(order, "native", expires_at=timezone.now() + NATIVE_VALIDITY)
    except ProviderError as error:
        log.warning("WeChat Pay payment for order %s not opened: %s", order.pk, error)
        raise WeChatPayUnavailable(_("WeChat Pay is not available just now. Try again in a "
                                     "minute, or pay another way.")) from error
    return open_native_payment(order)


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
