from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dingdan.errors import NotFound
from dingdan.shops.models import Shop

from .models import Alert


def alerts_for_shop(shop: Shop, *, unread: bool | None = None) -> QuerySet[Alert]:
    alerts = Alert.objects.filter(shop=shop)
    if unread is not None:
        alerts = alerts.filter(read_at__isnull=unread)
    return alerts


def alert_in_shop(shop: Shop, alert_id: int) -> Alert:
    alert = Alert.objects.filter(shop=shop, pk=alert_id).first()
    if alert is None:
        raise NotFound(_("Alert not found."), code="alert_not_found")
    return alert
