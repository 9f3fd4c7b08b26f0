from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dingdan.errors import NotFound
from dingdan.shops.models import Shop

from .models import Alert


def alerts_for_shop(shop: Shop, *, unread: bool | None = None, user=None) -> QuerySet[Alert]:
    """The shop's alerts; with `user`, only those for everyone and those for that person (an
    API token acts for the whole shop and reads them all)."""
    alerts = Alert.objects.filter(shop=shop)
    if user is not None:
        alerts = alerts.filter(Q(recipient__isnull=True) | Q(recipient=user))
    if unread is not None:
        alerts = alerts.filter(read_at__isnull=unread)
    return alerts


def alert_in_shop(shop: Shop, alert_id: int, *, user=None) -> Alert:
    alert = alerts_for_shop(shop, user=user).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(_("Alert not found."), code="alert_not_found")
    return alert
