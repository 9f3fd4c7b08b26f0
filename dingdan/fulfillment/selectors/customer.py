"""What the customer's order link shows of the shipments: each parcel with its carrier,
tracking number and link and its steps, in the shop's time — nothing about staff."""

from dingdan.fulfillment.carriers import tracking_url
from dingdan.fulfillment.models import ShipmentStatus
from dingdan.fulfillment.selectors.presentation import carrier_name
from dingdan.fulfillment.selectors.shipments import shipments_of, shop_carriers
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
            "carrier": carrier_name(shipment.carrier) if shipment.carrier else "",
            "tracking_number": shipment.tracking_number,
            "tracking_url": tracking_url(shipment.carrier, shipment.tracking_number,
                                         shop_carriers=own)
            if shipment.carrier and shipment.tracking_number else None,
            "lines": [(line.name, line.quantity) for line in shipment.lines.all()],
            "events": [{"at": shop_time(shop, e.at), "status": e.get_status_display(),
                        "detail": e.detail} for e in reversed(list(shipment.events.all()))],
        })
    return rows


def may_confirm_receipt(order: Order) -> bool:
    """Something is on its way to the customer, and nothing is left to ship."""
    return order.status in (Status.SHIPPED, Status.IN_TRANSIT) and order.fulfillment_status in (
        "shipped", "partially_delivered")
