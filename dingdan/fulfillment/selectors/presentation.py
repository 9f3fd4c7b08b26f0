"""The shipments' timeline entries put into words, in the language active when called (the
`orders.event_sentence` hook)."""

from django.utils.translation import gettext as _

from dingdan.fulfillment import events
from dingdan.fulfillment.carriers import CARRIERS
from dingdan.fulfillment.models import Method, ShipmentStatus
from dingdan.money import format_yuan
from dingdan.orders.models import OrderEvent
from dingdan.orders.selectors.presentation import actor_name, choice_label


def carrier_name(code: str, shop_carriers=()) -> str:
    carrier = CARRIERS.get(code)
    if carrier is not None:
        return str(carrier.name)
    return next((c.name for c in shop_carriers if c.code == code), code)


def _units(units: dict) -> str:
    return ", ".join(f"{sku} × {n}" for sku, n in (units or {}).items())


def event_sentence(*, event: OrderEvent) -> str | None:
    if event.kind not in events.KINDS:
        return None
    data = event.data or {}
    if event.kind in events.SUBSTITUTE_KINDS:
        return _substitute_sentence(event, data)
    words = {"actor": actor_name(event), "number": data.get("number", ""),
             "units": _units(data.get("units")),
             "method": choice_label(Method, data.get("method", "")),
             "from": choice_label(ShipmentStatus, data.get("from", "")),
             "to": choice_label(ShipmentStatus, data.get("to", ""))}
    if event.kind == events.SHIPMENT_CREATED and data.get("tracking_number"):
        words["carrier"] = carrier_name(data.get("carrier", ""))
        words["tracking"] = data["tracking_number"]
        return _("%(actor)s shipped %(units)s by %(carrier)s, tracking number %(tracking)s "
                 "(%(number)s)") % words
    if event.kind == events.SHIPMENT_CREATED:
        return _("%(actor)s shipped %(units)s: %(method)s (%(number)s)") % words
    if event.kind == events.PICKUP_REDEEMED and data.get("partial"):
        return _("%(actor)s handed over %(units)s against the pickup code; the rest waits "
                 "for pickup (%(number)s)") % words
    if event.kind == events.PICKUP_REDEEMED:
        return _("%(actor)s handed over %(units)s against the pickup code (%(number)s)") % words
    if event.kind == events.SHIPMENT_CANCELLED:
        return _("%(actor)s cancelled shipment %(number)s; %(units)s held for the order "
                 "again") % words
    if event.kind == events.TRACKING_NUMBER_SET:
        return _("%(actor)s set the tracking number of shipment %(number)s: %(carrier)s "
                 "%(tracking)s") % {**words, "carrier": carrier_name(data.get("carrier", "")),
                                    "tracking": data.get("tracking_number", "")}
    if event.kind == events.COURIER_ASSIGNED:
        return _("%(actor)s gave shipment %(number)s to %(courier)s to deliver") % {
            **words, "courier": data.get("courier", "")}
    if event.kind == events.INTERCEPTION_REQUESTED:
        return _("%(actor)s asked for shipment %(number)s to be intercepted and sent to "
                 "%(address)s") % {**words, "address": data.get("address", "")}
    if event.kind == events.INTERCEPTION_SETTLED and data.get("status") == "intercepted":
        return _("Shipment %(number)s was intercepted: it goes to %(address)s (%(actor)s)") % {
            **words, "address": data.get("address", "")}
    if event.kind == events.INTERCEPTION_SETTLED:
        return _("Shipment %(number)s could not be intercepted; it goes to the old address "
                 "(%(actor)s)") % words
    return _("Shipment %(number)s: %(from)s → %(to)s (%(actor)s)") % words


def _substitute_sentence(event: OrderEvent, data: dict) -> str:
    words = {"actor": actor_name(event), "name": data.get("name", ""),
             "original": data.get("original_name", ""), "quantity": data.get("quantity", ""),
             "price": format_yuan(data.get("unit_price_cents") or 0),
             "before": format_yuan(data.get("total_before") or 0),
             "after": format_yuan(data.get("total_after") or 0)}
    if event.kind == events.SUBSTITUTE_OFFERED:
        return _("%(actor)s offered %(name)s × %(quantity)s at ¥%(price)s each instead of "
                 "%(original)s") % words
    if event.kind == events.SUBSTITUTE_ACCEPTED:
        return _("The customer accepted %(name)s × %(quantity)s instead of %(original)s; "
                 "the total went from ¥%(before)s to ¥%(after)s") % words
    if event.kind == events.SUBSTITUTE_DECLINED:
        return _("The customer declined %(name)s instead of %(original)s") % words
    return _("%(actor)s withdrew the offer of %(name)s instead of %(original)s") % words
