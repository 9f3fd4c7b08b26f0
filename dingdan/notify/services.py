"""Raising and reading merchant alerts."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dingdan.money import format_yuan
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require

from .models import Alert, AlertKind


def raise_alert(
    *, shop_id: int, kind: str, subject: str, data: dict, recipient_ids=()
) -> None:
    """Alert the merchant: everyone in the shop, or each of `recipient_ids` (users). While an
    alert of this kind and subject is unread (for that person), no second one."""
    recipients = list(dict.fromkeys(recipient_ids)) or [None]
    Alert.objects.bulk_create(
        [Alert(shop_id=shop_id, kind=kind, subject=subject, data=data, recipient_id=user_id)
         for user_id in recipients],
        ignore_conflicts=True,
    )


@transaction.atomic
def mark_read(*, actor: Actor, shop: Shop, alert: Alert) -> Alert:
    require(actor, "shop.view", shop)
    if alert.read_at is None:
        alert.read_at = timezone.now()
        alert.save(update_fields=["read_at"])
    return alert


def alert_message(alert: Alert) -> str:
    """The alert in words, in the language active now."""
    data = alert.data
    if alert.kind == AlertKind.LOW_STOCK:
        return _("Low stock: %(name)s (%(sku)s) has %(available)s left.") % data
    if alert.kind == AlertKind.CAMPAIGN_CLOSED:
        return _campaign_closed_message(data)
    if alert.kind == AlertKind.BACKORDER_FILLED:
        return _(
            "Stock arrived: %(quantity)s × %(name)s (%(sku)s) reserved for %(reference)s, "
            "which was waiting for it."
        ) % data
    if alert.kind == AlertKind.PAID_AFTER_CANCEL:
        return _(
            "Order %(order_number)s was paid ¥%(amount)s by WeChat Pay after it was cancelled; "
            "the money is being refunded (%(refund_number)s)."
        ) % {**data, "amount": format_yuan(data["amount_cents"])}
    if alert.kind == AlertKind.PAYMENT_MISMATCH:
        return _(
            "Order %(order_number)s: WeChat Pay reports ¥%(amount)s (%(currency)s), but "
            "¥%(expected)s was asked for. Check the payment."
        ) % {**data, "amount": format_yuan(data["amount_cents"]),
             "expected": format_yuan(data["expected_cents"])}
    if alert.kind == AlertKind.REFUND_FAILED:
        return _(
            "Refund %(refund_number)s of order %(order_number)s did not go through at WeChat "
            "Pay (%(reason)s). Refund the customer another way."
        ) % data
    if alert.kind == AlertKind.REFUND_STUCK:
        return _(
            "Refund %(refund_number)s of order %(order_number)s has still not settled at WeChat "
            "Pay after several days. Look it up in the WeChat Pay merchant platform."
        ) % data
    return alert.kind


def _campaign_closed_message(data: dict) -> str:
    products = "; ".join(
        f"{product['name']} ×{product['quantity']}" for product in data.get("products", ())
    )
    message = ngettext(
        "Group buy %(title)s closed at its cut-off: %(count)d order, %(total)s.",
        "Group buy %(title)s closed at its cut-off: %(count)d orders, %(total)s.",
        data["order_count"],
    ) % {"title": data["title"], "count": data["order_count"],
         "total": f"¥{format_yuan(data['total_cents'])}"}
    return f"{message} {products}" if products else message
