"""What the customer's order link shows of the shipments: each parcel with its carrier,
tracking number and link and its steps, in the shop's time — nothing about staff."""

from dingdan.fulfillment.carriers import tracking_url
from dingdan.fulfillment.models import PickupCode, PickupCodeStatus, ShipmentStatus
from dingdan.fulfillment.selectors.presentation import carrier_name
from dingdan.fulfillment.selectors.shipments import lines_to_ship, shipments_of, shop_carriers
from dingdan.localtime import shop_time
from dingdan.orders.models import Order
from dingdan.orders.states import Status


def shipments_for_customer(order: Order) -> list[dict]:
    shop = order.shop
    own = shop_carriers(shop)
    rows = []
    for shipment in shipments_of(order).exclude(status=ShipmentStatus.CANCELLED):
        rows.append({
            "number": shipment.number,
            "method": shipment.get_method_display(),
            "status": shipment.get_status_display(),
            "carrier": carrier_name(shipment.carrier, own) if shipment.carrier else "",
            "tracking_number": shipment.tracking_number,
            "tracking_url": tracking_url(shipment.carrier, shipment.tracking_number,
                                         shop_carriers=own)
            if shipment.carrier and shipment.tracking_number else None,
            "lines": [(line.name, line.quantity) for line in shipment.lines.all()],
            "courier": shipment.courier_name,
            "courier_phone": shipment.courier_phone,
            "events": [{"at": shop_time(shop, e.at), "status": e.get_status_display(),
                        "detail": e.detail} for e in reversed(list(shipment.events.all()))],
        })
    return rows


def may_confirm_receipt(order: Order) -> bool:
    """Something is on its way to the customer, nothing is left to ship, and nothing waits
    at a pickup point (that is handed over with its code, not confirmed from home)."""
    return (order.status in (Status.SHIPPED, Status.IN_TRANSIT)
            and order.fulfillment_status in ("shipped", "partially_delivered")
            and not waits_for_pickup(order))


def waits_for_pickup(order: Order) -> bool:
    return PickupCode.objects.filter(shipment__order=order, shop_id=order.shop_id,
                                     status=PickupCodeStatus.OPEN).exists()


def still_to_come(order: Order) -> list[dict]:
    """Once part of the order went out: the units that follow later, and whether they are
    waiting for stock."""
    if order.fulfillment_status not in ("partially_shipped", "partially_delivered"):
        return []
    return [{"name": t.line.name, "quantity": t.left, "waiting": t.ready < t.left}
            for t in lines_to_ship(order) if t.left > 0]
