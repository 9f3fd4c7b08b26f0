"""Raising and reading merchant alerts."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require

from .models import Alert, AlertKind


def raise_alert(*, shop_id: int, kind: str, subject: str, data: dict) -> None:
    """Alert the merchant; while an alert of this kind and subject is unread, no second one."""
    Alert.objects.bulk_create(
        [Alert(shop_id=shop_id, kind=kind, subject=subject, data=data)], ignore_conflicts=True
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
    if alert.kind == AlertKind.BACKORDER_FILLED:
        return _(
            "Stock arrived: %(quantity)s × %(name)s (%(sku)s) reserved for %(reference)s, "
            "which was waiting for it."
        ) % data
    return alert.kind
