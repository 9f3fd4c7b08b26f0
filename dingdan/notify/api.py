"""Merchant alerts over the API."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from dingdan.api.errors import with_errors
from dingdan.shops.permissions import require

from . import selectors, services

router = Router(tags=["alerts"])


class AlertOut(Schema):
    id: int
    kind: str
    message: str
    data: dict
    created_at: datetime
    read_at: datetime | None


def _out(alert) -> dict:
    return {
        "id": alert.pk,
        "kind": alert.kind,
        "message": services.alert_message(alert),
        "data": alert.data,
        "created_at": alert.created_at,
        "read_at": alert.read_at,
    }


@router.get("/alerts", response=with_errors(list[AlertOut]))
def list_alerts(request: HttpRequest, unread: bool | None = None):
    """Newest first. Staff see the shop's alerts and their own (a closed group buy goes to
    its organiser); a token reads all of the shop's."""
    actor = request.auth
    require(actor, "shop.view", actor.shop)
    alerts = selectors.alerts_for_shop(actor.shop, unread=unread, user=actor.user)
    return [_out(a) for a in alerts[:200]]


@router.post("/alerts/{alert_id}/read", response=with_errors(AlertOut))
def read_alert(request: HttpRequest, alert_id: int):
    actor = request.auth
    alert = selectors.alert_in_shop(actor.shop, alert_id, user=actor.user)
    return _out(services.mark_read(actor=actor, shop=actor.shop, alert=alert))
