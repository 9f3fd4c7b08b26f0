"""What WeChat Pay reports, recorded: a payment notification (or a query that found one)
and a refund notification; money that arrived for a cancelled order is sent back through
`wechatpay_refunds` (docs/payments-wechatpay.md)."""

import logging
from collections.abc import Mapping
from functools import partial

from django.db import transaction

from dingdan import hooks
from dingdan.payments.models import Method, Payment
from dingdan.payments.providers import base
from dingdan.payments.providers.base import (
    InvalidNotification,
    NotificationReply,
)
from dingdan.payments.providers.wechatpay import WeChatPay, notifications
from dingdan.payments.selectors.wechatpay import attempt_by_reference, wechat_pay_for
from dingdan.payments.services import wechatpay_refunds
from dingdan.payments.services.payments import record_provider_payment
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop

log = logging.getLogger(__name__)


class UnknownPaymentReference(LookupError):
    """A notification for an out_trade_no or out_refund_no this shop never created: answered
    as an error, so WeChat Pay keeps it and retries (and the merchant can look it up)."""


def receive_wechat_pay_notification(
    *, shop: Shop, headers: Mapping[str, str], body: bytes
) -> NotificationReply:
    """A notification from WeChat Pay to the shop: verified on the exact body bytes, then
    recorded once. Answered 2xx only once recorded (or already recorded), so WeChat Pay
    retries anything that failed; a refused notification records nothing."""
    try:
        provider = wechat_pay_for(shop)
    except Exception as error:  # e.g. SecretUnreadable: 5xx, WeChat Pay retries meanwhile
        log.exception("WeChat Pay account of %s unusable", shop.slug)
        return notifications.reply(error)
    if provider is None:
        return notifications.reply(
            InvalidNotification("unknown_serial", "The shop has no WeChat Pay account."))
    try:
        notice = provider.parse_notification(headers, body)
    except InvalidNotification as error:
        log.warning("WeChat Pay notification for %s refused: %s", shop.slug, error.reason)
        return provider.reply_to_notification(error)
    try:
        if notice.kind == "payment" and notice.payment is not None:
            record_reported_payment(shop=shop, provider=provider, reported=notice.payment)
        elif notice.kind == "refund" and notice.refund is not None:
            wechatpay_refunds.record_reported_refund(shop=shop, reported=notice.refund)
    except Exception as error:  # answered 5xx: WeChat Pay sends it again later
        log.exception("WeChat Pay notification %s for %s not recorded", notice.id, shop.slug)
        return provider.reply_to_notification(error)
    return provider.reply_to_notification()


@transaction.atomic
def record_reported_payment(*, shop: Shop, provider: WeChatPay,
                            reported: base.ProviderPayment) -> Payment | None:
    """A payment WeChat Pay took for one of the shop's attempts, recorded once per
    transaction id. An amount other than the attempt asked for is recorded as it is (the
    money moved) and alerted; on a cancelled order it is refunded after commit."""
    if not reported.is_paid or not reported.transaction_id:
        return None
    attempt = attempt_by_reference(shop, reported.out_trade_no)
    if attempt is None:
        raise UnknownPaymentReference(reported.out_trade_no)
    order = attempt.order
    recorded = record_provider_payment(
        actor=Actor.system(shop), order=order, amount_cents=reported.amount_cents,
        method=Method.WECHAT_PAY, provider_transaction_id=reported.transaction_id,
        paid_at=reported.paid_at, reference=reported.transaction_id, attempt=attempt,
    )
    if recorded.already_recorded:
        return recorded.payment
    if reported.amount_cents != attempt.amount_cents or reported.currency != "CNY":
        hooks.announce("payments.alert", shop_id=shop.pk, kind="payment_mismatch",
                       subject=f"payment:{recorded.payment.pk}",
                       data={"order_number": order.number, "amount_cents": reported.amount_cents,
                             "currency": reported.currency,
                             "expected_cents": attempt.amount_cents})
    if recorded.refund is not None:
        hooks.announce("payments.alert", shop_id=shop.pk, kind="paid_after_cancel",
                       subject=f"payment:{recorded.payment.pk}",
                       data={"order_number": order.number, "amount_cents": reported.amount_cents,
                             "refund_number": recorded.refund.number})
        # The provider is called only once the payment and its pending refund are committed.
        transaction.on_commit(partial(wechatpay_refunds.send_refund,
                                      refund_id=recorded.refund.pk))
    return recorded.payment


