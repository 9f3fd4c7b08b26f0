"""The shipments' entries on the order's timeline, one small function per kind; appended in
the caller's transaction through the timeline of orders (`orders.events.append`), their
sentences in selectors/presentation.py."""

from dingdan.fulfillment.models import (
    AddressInterception,
    Shipment,
    SubstituteOffer,
    TrackingEvent,
)
from dingdan.orders import events
from dingdan.shops.actors import Actor

SHIPMENT_CREATED = "shipment_created"
SHIPMENT_CANCELLED = "shipment_cancelled"
SHIPMENT_PROGRESSED = "shipment_progressed"
PICKUP_REDEEMED = "pickup_redeemed"
INTERCEPTION_REQUESTED = "interception_requested"
INTERCEPTION_SETTLED = "interception_settled"
COURIER_ASSIGNED = "courier_assigned"
TRACKING_NUMBER_SET = "tracking_number_set"
SUBSTITUTE_OFFERED = "substitute_offered"
SUBSTITUTE_ACCEPTED = "substitute_accepted"
SUBSTITUTE_DECLINED = "substitute_declined"
SUBSTITUTE_WITHDRAWN = "substitute_withdrawn"
SUBSTITUTE_KINDS = (SUBSTITUTE_OFFERED, SUBSTITUTE_ACCEPTED, SUBSTITUTE_DECLINED,
                    SUBSTITUTE_WITHDRAWN)
KINDS = (SHIPMENT_CREATED, SHIPMENT_CANCELLED, SHIPMENT_PROGRESSED, PICKUP_REDEEMED,
         INTERCEPTION_REQUESTED, INTERCEPTION_SETTLED, COURIER_ASSIGNED, TRACKING_NUMBER_SET,
         *SUBSTITUTE_KINDS)


def _shipment_data(shipment: Shipment, units: dict[str, int]) -> dict:
    return {"shipment": shipment.pk, "number": shipment.number, "method": shipment.method,
            "carrier": shipment.carrier, "tracking_number": shipment.tracking_number,
            "units": units}


def shipment_created(shipment: Shipment, *, actor: Actor, units: dict[str, int], note: str = ""):
    """`units`: SKU → units in the shipment."""
    return events.append(shipment.order, actor=actor, kind=SHIPMENT_CREATED,
                         data=_shipment_data(shipment, units), note=note)


def shipment_cancelled(shipment: Shipment, *, actor: Actor, units: dict[str, int],
                       note: str = ""):
    return events.append(shipment.order, actor=actor, kind=SHIPMENT_CANCELLED,
                         data=_shipment_data(shipment, units), note=note)


def shipment_progressed(shipment: Shipment, *, actor: Actor, event: TrackingEvent,
                        before: str):
    return events.append(shipment.order, actor=actor, kind=SHIPMENT_PROGRESSED, data={
        "shipment": shipment.pk, "number": shipment.number, "from": before,
        "to": shipment.status, "tracking_event": event.pk,
    }, note=event.detail)


def pickup_redeemed(shipment: Shipment, *, actor: Actor, units: dict[str, int],
                    partial: bool):
    """Staff handed over `units` against the pickup code (never the code itself: the
    timeline is read by roles that may not redeem)."""
    return events.append(shipment.order, actor=actor, kind=PICKUP_REDEEMED, data={
        "shipment": shipment.pk, "number": shipment.number, "units": units,
        "partial": partial})


def interception_requested(shipment: Shipment, *, actor: Actor,
                           interception: AddressInterception):
    return events.append(shipment.order, actor=actor, kind=INTERCEPTION_REQUESTED, data={
        "shipment": shipment.pk, "number": shipment.number, "interception": interception.pk,
        "address": interception.address}, note=interception.note)


def interception_settled(shipment: Shipment, *, actor: Actor,
                         interception: AddressInterception):
    return events.append(shipment.order, actor=actor, kind=INTERCEPTION_SETTLED, data={
        "shipment": shipment.pk, "number": shipment.number, "interception": interception.pk,
        "address": interception.address, "status": interception.status},
        note=interception.outcome_note)


def courier_assigned(shipment: Shipment, *, actor: Actor):
    return events.append(shipment.order, actor=actor, kind=COURIER_ASSIGNED, data={
        "shipment": shipment.pk, "number": shipment.number,
        "courier": shipment.courier_name, "staff": shipment.courier_id is not None})


def tracking_number_set(shipment: Shipment, *, actor: Actor, before: tuple[str, str]):
    return events.append(shipment.order, actor=actor, kind=TRACKING_NUMBER_SET, data={
        "shipment": shipment.pk, "number": shipment.number, "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number, "before_carrier": before[0],
        "before_tracking_number": before[1]})



def _offer_data(offer: SubstituteOffer) -> dict:
    return {"offer": offer.pk, "original_sku": offer.original_sku,
            "original_name": offer.original_name, "sku": offer.sku, "name": offer.name,
            "quantity": offer.quantity, "unit_price_cents": offer.unit_price_cents,
            "original_unit_price_cents": offer.original_unit_price_cents}


def substitute_offered(offer: SubstituteOffer, *, actor: Actor):
    return events.append(offer.order, actor=actor, kind=SUBSTITUTE_OFFERED,
                         data=_offer_data(offer), note=offer.note)


def substitute_accepted(offer: SubstituteOffer, *, actor: Actor, total_before: int):
    """The order's total before and after go with it: the customer agreed to the change."""
    return events.append(offer.order, actor=actor, kind=SUBSTITUTE_ACCEPTED, data={
        **_offer_data(offer), "total_before": total_before,
        "total_after": offer.order.total_cents})


def substitute_declined(offer: SubstituteOffer, *, actor: Actor, note: str = ""):
    return events.append(offer.order, actor=actor, kind=SUBSTITUTE_DECLINED,
                         data=_offer_data(offer), note=note)


def substitute_withdrawn(offer: SubstituteOffer, *, actor: Actor, note: str = ""):
    return events.append(offer.order, actor=actor, kind=SUBSTITUTE_WITHDRAWN,
                         data=_offer_data(offer), note=note)
