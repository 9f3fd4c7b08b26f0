"""Shipments over the API: ship an order (all or chosen lines), list and read shipments,
record a tracking event, cancel a shipment that has not left."""

from django.http import HttpRequest
from ninja import Router, Status

from dingdan.api.errors import with_errors
from dingdan.fulfillment.api.schemas import (
    InterceptionIn,
    InterceptionOut,
    InterceptionOutcomeIn,
    ShipmentIn,
    ShipmentOut,
    TrackingEventIn,
    TrackingNumberIn,
    interception_out,
    shipment_out,
)
from dingdan.fulfillment.selectors import shipments as selectors
from dingdan.fulfillment.services import interceptions, shipping, tracking
from dingdan.orders.selectors import orders as order_selectors
from dingdan.shops import idempotency
from dingdan.shops.permissions import require

router = Router(tags=["shipments"])


@router.post("/orders/{order_id}/shipments", response=with_errors({201: ShipmentOut}, 409))
def create_shipment(request: HttpRequest, order_id: int, payload: ShipmentIn):
    """Ship `lines` (or, without them, everything the order holds and has not shipped).
    409 `over_shipment` (more than is left of a line), `not_in_stock` (units the order does
    not hold yet, the lines named in `details`), `not_paid`, `not_accepted` or
    `order_cancelled`; 400 on `tracking_number` when it does not fit the carrier. With an
    `Idempotency-Key` header a retry returns the first answer."""
    actor = request.auth
    require(actor, "fulfillment.ship", actor.shop)
    order = order_selectors.order_in_shop(actor.shop, order_id)
    lines = None if payload.lines is None else [line.dict() for line in payload.lines]

    def create() -> dict:
        shipment = shipping.create_shipment(
            actor=actor, order=order, lines=lines, method=payload.method,
            carrier=payload.carrier, tracking_number=payload.tracking_number,
            pickup_point_id=payload.pickup_point_id)
        return shipment_out(selectors.shipment_in_shop(actor.shop, shipment.pk), actor)

    return idempotency.created(request, actor.shop, ShipmentOut, create)


@router.get("/orders/{order_id}/shipments", response=with_errors(list[ShipmentOut]))
def list_shipments(request: HttpRequest, order_id: int):
    """The order's shipments, oldest first, cancelled ones too, with lines and events."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    order = order_selectors.order_in_shop(actor.shop, order_id)
    return [shipment_out(s, actor) for s in selectors.shipments_of(order)]


@router.get("/shipments/{shipment_id}", response=with_errors(ShipmentOut))
def get_shipment(request: HttpRequest, shipment_id: int):
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    return shipment_out(selectors.shipment_in_shop(actor.shop, shipment_id), actor)


@router.post("/shipments/{shipment_id}/events", response=with_errors({201: ShipmentOut}, 409))
def add_tracking_event(request: HttpRequest, shipment_id: int, payload: TrackingEventIn):
    """A step of the journey (e.g. `in_transit`, `delivered`, `exception`): the shipment
    takes its status and the order follows (运输中, 已送达 once everything is delivered).
    Answers the shipment. 409 `shipment_cancelled`."""
    actor = request.auth
    require(actor, "fulfillment.ship", actor.shop)
    shipment = selectors.shipment_in_shop(actor.shop, shipment_id)
    tracking.record_tracking_event(actor=actor, shipment=shipment, status=payload.status,
                                   detail=payload.detail, at=payload.at)
    return Status(201, shipment_out(selectors.shipment_in_shop(actor.shop, shipment_id), actor))


@router.post("/shipments/{shipment_id}/tracking-number",
             response=with_errors(ShipmentOut, 409))
def set_tracking_number(request: HttpRequest, shipment_id: int, payload: TrackingNumberIn):
    """Add the tracking number a parcel got later, or correct it: 400 on `tracking_number`
    when it does not fit the carrier; 409 `shipment_closed` once delivered or cancelled."""
    actor = request.auth
    require(actor, "fulfillment.ship", actor.shop)
    shipment = selectors.shipment_in_shop(actor.shop, shipment_id)
    shipping.set_tracking_number(actor=actor, shipment=shipment, carrier=payload.carrier,
                                 tracking_number=payload.tracking_number)
    return shipment_out(selectors.shipment_in_shop(actor.shop, shipment_id))


@router.post("/shipments/{shipment_id}/cancel", response=with_errors(ShipmentOut, 409))
def cancel_shipment(request: HttpRequest, shipment_id: int):
    """Cancel a shipment that has not left: its units are held for the order again. 409
    `shipment_has_left` or `already_cancelled`."""
    actor = request.auth
    require(actor, "fulfillment.ship", actor.shop)
    shipment = selectors.shipment_in_shop(actor.shop, shipment_id)
    shipping.cancel_shipment(actor=actor, shipment=shipment)
    return shipment_out(selectors.shipment_in_shop(actor.shop, shipment_id), actor)


@router.post("/shipments/{shipment_id}/interceptions",
             response=with_errors({201: InterceptionOut}, 409))
def request_interception(request: HttpRequest, shipment_id: int, payload: InterceptionIn):
    """A new address for a parcel on its way: the carrier is asked to intercept it. The
    order's address changes once the outcome says intercepted. 409 `not_interceptable` (not
    on its way) or `interception_open` (one is already waiting)."""
    actor = request.auth
    require(actor, "orders.edit", actor.shop)
    shipment = selectors.shipment_in_shop(actor.shop, shipment_id)
    return Status(201, interception_out(interceptions.request_interception(
        actor=actor, shipment=shipment, address=payload.address, note=payload.note)))


@router.post("/interceptions/{interception_id}/outcome",
             response=with_errors(InterceptionOut, 409))
def settle_interception(request: HttpRequest, interception_id: int,
                        payload: InterceptionOutcomeIn):
    """What the carrier answered. 409 `interception_decided`."""
    actor = request.auth
    require(actor, "fulfillment.ship", actor.shop)
    found = interceptions.interception_in_shop(actor.shop, interception_id)
    return interception_out(interceptions.settle_interception(
        actor=actor, interception=found, intercepted=payload.intercepted, note=payload.note))
