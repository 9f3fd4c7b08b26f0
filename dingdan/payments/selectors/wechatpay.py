"""Reading a shop's WeChat Pay account: masked for its settings page, or as the provider
the services call (its secrets decrypted only for that)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from dingdan.payments.models import PaymentAttempt, WeChatPayAccount
from dingdan.payments.providers.wechatpay import WeChatPay, config_from_stored, masked_stored
from dingdan.shops.models import Shop

NOTIFY_PATH = "/api/v1/payments/wechatpay/notify/{slug}"


def wechat_pay_account(shop: Shop) -> WeChatPayAccount | None:
    return WeChatPayAccount.objects.filter(shop=shop).first()


def masked_wechat_pay_config(shop: Shop) -> dict[str, Any] | None:
    """What the settings page shows: the ids and platform serials, the secrets masked."""
    account = wechat_pay_account(shop)
    return None if account is None else masked_stored(account.stored)


def notify_url_for(shop: Shop) -> str:
    return settings.SITE_URL + NOTIFY_PATH.format(slug=shop.slug)


def wechat_pay_for(shop: Shop) -> WeChatPay | None:
    """The shop's WeChat Pay provider, or None when the shop has no account."""
    account = wechat_pay_account(shop)
    if account is None:
        return None
    return WeChatPay(config_from_stored(account.stored, notify_url=notify_url_for(shop)))


def attempt_by_reference(shop: Shop, out_trade_no: str) -> PaymentAttempt | None:
    return (PaymentAttempt.objects.filter(shop=shop, out_trade_no=out_trade_no)
            .select_related("order").first())


def open_attempts(order) -> list[PaymentAttempt]:
    return list(PaymentAttempt.objects.filter(order=order, shop_id=order.shop_id))


# A code that lapses sooner than this is not shown: the customer needs time to pay.
STILL_PAYABLE = timedelta(minutes=10)


def open_native_payment(order) -> PaymentAttempt | None:
    """The newest Native payment of the order asking for exactly what is due now and still
    payable for a while (None: a new one is needed)."""
    due = order.balance_due_cents
    if due <= 0:
        return None
    return (PaymentAttempt.objects
            .filter(order=order, shop_id=order.shop_id, kind="native", amount_cents=due,
                    expires_at__gt=timezone.now() + STILL_PAYABLE)
            .exclude(code_url="").order_by("-id").first())


def takes_wechat_pay(shop: Shop) -> bool:
    """The shop has a WeChat Pay account its customers can pay into."""
    return WeChatPayAccount.objects.filter(shop=shop).exists()
