"""The order follows its shipments: `fulfillment_status` derived from them, and the order's
own status moved where they take it, in the transaction that changed them."""

from dingdan.fulfillment.models import ShipmentStatus
from dingdan.fulfillment.selectors.shipments import units_by_line
from dingdan.orders.models import Order
from dingdan.orders.services import lifecycle
from dingdan.orders.states import FulfillmentStatus, Status
from dingdan.shops.actors import Actor, ActorKind

ON_THE_WAY = frozenset({ShipmentStatus.IN_TRANSIT, ShipmentStatus.OUT_FOR_DELIVERY})


def fulfillment_status(order: Order) -> str:
    """From the shipments: nothing out; some lines or units out; everything out; some of it
    arrived; everything arrived."""
    ordered = sum(line.quantity for line in order.lines.all())
    shipped = sum(units_by_line(order).values())
    delivered = sum(units_by_line(order, delivered_only=True).values())
    if shipped == 0:
        return FulfillmentStatus.UNFULFILLED
    if delivered >= ordered:
        return FulfillmentStatus.DELIVERED
    if delivered:
        return FulfillmentStatus.PARTIALLY_DELIVERED
    return FulfillmentStatus.SHIPPED if shipped >= ordered else FulfillmentStatus.PARTIALLY_SHIPPED


def _target(order: Order, status: str, on_the_way: bool) -> Status | None:
    if status == FulfillmentStatus.UNFULFILLED:
        return Status.ACCEPTED if order.status == Status.SHIPPED else None
    if order.status in (Status.ACCEPTED, Status.PREPARING):
        return Status.SHIPPED
    if status == FulfillmentStatus.DELIVERED and order.status in (Status.SHIPPED,
                                                                  Status.IN_TRANSIT):
        return Status.DELIVERED
    if on_the_way and order.status == Status.SHIPPED:
        return Status.IN_TRANSIT
    return None


def follow(order: Order, *, actor: Actor, note: str = "", on_the_way: bool = False) -> Order:
    """Bring the order in line with its shipments (the caller holds the order's lock).
    The first shipment makes it 已发货; a parcel reported on its way 运输中; everything
    delivered 已送达; every shipment cancelled before it left, 已接受 again (a move only the
    system makes)."""
    status = fulfillment_status(order)
    to = _target(order, status, on_the_way)
    if to == Status.ACCEPTED:
        return lifecycle.follow_shipments(actor=Actor.system(order.shop), order=order,
                                          fulfillment_status=status, to=to, note=note,
                                          cause="shipments_cancelled")
    if actor.kind == ActorKind.CUSTOMER and to is not None:
        # The customer confirmed receipt; the table lets the shop's system move the order.
        return lifecycle.follow_shipments(actor=Actor.system(order.shop), order=order,
                                          fulfillment_status=status, to=to, note=note,
                                          cause="received_by_customer")
    return lifecycle.follow_shipments(actor=actor, order=order, fulfillment_status=status,
                                      to=to, note=note)
