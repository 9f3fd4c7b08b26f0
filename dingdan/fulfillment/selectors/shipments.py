"""Reading shipments: an order's, one by id, and how much of each order line has gone out
or arrived. Every read is scoped to the shop."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, Sum
from django.utils.translation import gettext as _

from dingdan.errors import NotFound
from dingdan.fulfillment.carriers import ShopCarrier as CarrierShape
from dingdan.fulfillment.models import (
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    ShopCarrier,
    TrackingEvent,
)
from dingdan.inventory.services import reservations
from dingdan.orders.models import Order, OrderLine
from dingdan.orders.services.placement import reference
from dingdan.shops.models import Shop


def _with_parts(shipments: QuerySet) -> QuerySet:
    return shipments.select_related("pickup_code").prefetch_related(
        Prefetch("lines", queryset=ShipmentLine.objects.order_by("id")),
        Prefetch("events", queryset=TrackingEvent.objects.order_by("at", "id")),
        "interceptions",
    )


def shipments_of(order: Order) -> QuerySet:
    """The order's shipments, oldest first, with their lines and tracking events."""
    return _with_parts(Shipment.objects.filter(order=order, shop_id=order.shop_id))


def shipment_in_shop(shop: Shop, shipment_id: int) -> Shipment:
    shipment = (_with_parts(Shipment.objects.filter(shop=shop, pk=shipment_id))
                .select_related("order__shop").first())
    if shipment is None:
        raise NotFound(_("No such shipment in this shop."))
    return shipment


def units_by_line(order: Order, *, delivered_only: bool = False) -> dict[int, int]:
    """Order line id → units in its shipments that were not cancelled (or only in the
    delivered ones)."""
    rows = ShipmentLine.objects.filter(shipment__order=order, shop_id=order.shop_id)
    if delivered_only:
        rows = rows.filter(shipment__status=ShipmentStatus.DELIVERED)
    else:
        rows = rows.exclude(shipment__status=ShipmentStatus.CANCELLED)
    totals = rows.values("order_line_id").annotate(units=Sum("quantity"))
    return {row["order_line_id"]: row["units"] for row in totals}


def shop_carriers(shop: Shop) -> list[CarrierShape]:
    """The shop's own carriers, in the shape the carrier checks take."""
    return [CarrierShape(code=c.code, name=c.name, pattern=c.pattern or None,
                         url_template=c.url_template or None)
            for c in ShopCarrier.objects.filter(shop=shop)]


@dataclass(frozen=True)
class LineToShip:
    line: OrderLine
    shipped: int  # in shipments not cancelled
    left: int  # ordered less shipped
    ready: int  # of what is left, what the order holds now (services need no stock)


def lines_to_ship(order: Order) -> list[LineToShip]:
    """Each line of the order with what is left to ship and how much of it is ready: lines
    of one SKU share what the order holds of it, in line order."""
    shipped = units_by_line(order)
    held = dict(reservations.held_for(reference(order)))
    result = []
    for line in order.lines.select_related("variant__product").order_by("id"):
        left = line.quantity - shipped.get(line.pk, 0)
        ready = left
        if not line.variant.product.is_service:
            ready = max(min(left, held.get(line.variant_id, 0)), 0)
            held[line.variant_id] = held.get(line.variant_id, 0) - ready
        result.append(LineToShip(line, shipped.get(line.pk, 0), left, ready))
    return result
