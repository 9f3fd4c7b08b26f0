"""The shapes of shipments over the API."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from dingdan.api.fields import Moment
from dingdan.fulfillment.carriers import CARRIERS, tracking_url
from dingdan.fulfillment.models import Method, Shipment, ShipmentStatus
from dingdan.fulfillment.selectors.presentation import carrier_name
from dingdan.fulfillment.selectors.shipments import shop_carriers
from dingdan.fulfillment.services.tracking import SETTABLE
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import role_allows

# Who is answered a shipment's pickup code: whoever may hand the goods over against it.
SEES_PICKUP_CODE = "fulfillment.ship"


class ShipmentLineIn(Schema):
    line_id: int
    quantity: int


class ShipmentIn(Schema):
    lines: list[ShipmentLineIn] | None = Field(
        None, description="Order lines and quantities; without them, everything the order "
        "holds and has not shipped.")
    method: str | None = Field(None, max_length=16,
                               description="One of: " + ", ".join(Method.values)
                               + "; the order's delivery method if left out.")
    carrier: str = Field("", max_length=32, description="A carrier code (sf, zto, yto, "
                         "yunda, sto, jt, jd, ems, deppon) or one of the shop's own.")
    tracking_number: str = Field("", max_length=60)
    pickup_point_id: int | None = Field(
        None, description="Pickup: the point where it waits; without it, the order's "
        "group-buy point, else the shop's only point in use.")


class TrackingNumberIn(Schema):
    carrier: str = Field(..., max_length=32)
    tracking_number: str = Field(..., max_length=60)


class TrackingEventIn(Schema):
    status: str = Field(..., max_length=20, description="One of: " + ", ".join(SETTABLE))
    detail: str = Field("", max_length=500)
    at: Moment | None = Field(None, description="When it happened; now if left out.")


class ShipmentLineOut(Schema):
    line_id: int | None
    sku: str
    name: str
    quantity: int


class TrackingEventOut(Schema):
    status: str
    detail: str
    location: str
    at: datetime
    source: str


class InterceptionIn(Schema):
    address: str = Field(..., max_length=200, description="Where the parcel should go now.")
    note: str = Field("", max_length=300)


class InterceptionOutcomeIn(Schema):
    intercepted: bool = Field(..., description="true: the carrier stopped the parcel and "
                              "sends it to the new address; false: it goes on as it was.")
    note: str = Field("", max_length=300)


class InterceptionOut(Schema):
    id: int
    shipment_id: int
    address: str
    note: str
    status: str = Field(..., description="requested, intercepted or failed.")
    outcome_note: str
    created_at: datetime
    decided_at: datetime | None


def interception_out(interception) -> dict:
    return {f: getattr(interception, f) for f in (
        "id", "shipment_id", "address", "note", "status", "outcome_note", "created_at",
        "decided_at")}


class WaitingPointOut(Schema):
    id: int
    name: str
    address: str
    opening_hours: str
    phone: str


class ShipmentOut(Schema):
    id: int
    order_id: int
    number: str
    method: str
    status: str = Field(..., description=", ".join(ShipmentStatus.values))
    carrier: str
    carrier_name: str
    tracking_number: str
    tracking_url: str | None
    lines: list[ShipmentLineOut]
    events: list[TrackingEventOut]
    interceptions: list[InterceptionOut]
    created_at: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
    pickup_code: str | None = Field(
        None, description="A pickup shipment's code (核销码), to roles with "
        "fulfillment.ship; null otherwise.")
    pickup_code_status: str | None = Field(None, description="open, redeemed or void")
    pickup_point: WaitingPointOut | None = Field(None, description="Where a pickup shipment "
                                                "waits.")


def _pickup_code(shipment: Shipment, viewer: Actor | None) -> tuple[str | None, str | None]:
    code = getattr(shipment, "pickup_code", None)
    if code is None or viewer is None or not role_allows(viewer.role, SEES_PICKUP_CODE):
        return None, None
    return code.code, code.status


def shipment_out(shipment: Shipment, viewer: Actor | None = None) -> dict:
    """The shipment's answer; its pickup code only when `viewer` may redeem it."""
    code, code_status = _pickup_code(shipment, viewer)
    own = shop_carriers(shipment.shop) if shipment.carrier and shipment.carrier not in CARRIERS \
        else []
    return {
        "pickup_code": code,
        "pickup_code_status": code_status,
        **{f: getattr(shipment, f) for f in (
            "id", "order_id", "number", "method", "status", "carrier", "tracking_number",
            "created_at", "shipped_at", "delivered_at", "cancelled_at")},
        "carrier_name": carrier_name(shipment.carrier, own) if shipment.carrier else "",
        "tracking_url": tracking_url(shipment.carrier, shipment.tracking_number,
                                     shop_carriers=own)
        if shipment.carrier and shipment.tracking_number else None,
        "lines": [{"line_id": line.order_line_id, "sku": line.sku, "name": line.name,
                   "quantity": line.quantity}
                  for line in shipment.lines.all()],
        "events": [{"status": e.status, "detail": e.detail, "location": e.location,
                    "at": e.at, "source": e.source} for e in shipment.events.all()],
        "interceptions": [interception_out(i) for i in shipment.interceptions.all()],
        "pickup_point": _point_out(shipment.pickup_point) if shipment.pickup_point_id else None,
    }


def _point_out(point) -> dict:
    return {f: getattr(point, f) for f in ("id", "name", "address", "opening_hours", "phone")}


class PickupLineIn(Schema):
    line_id: int = Field(..., description="An order line waiting under the code.")
    quantity: int


class RedeemIn(Schema):
    code: str = Field(..., max_length=32, description="The pickup code (核销码).")
    lines: list[PickupLineIn] | None = Field(
        None, description="For a partial pickup: the order lines and quantities handed "
        "over; without them, everything waiting under the code.")


class RedemptionOut(Schema):
    order_id: int
    order_number: str
    order_status: str
    fulfillment_status: str
    customer_name: str
    handed_over: ShipmentOut
    waiting: ShipmentOut | None = Field(
        None, description="After a partial pickup, what still waits under the same code.")


def redemption_out(redemption, viewer: Actor) -> dict:
    order = redemption.order
    return {"order_id": order.pk, "order_number": order.number, "order_status": order.status,
            "fulfillment_status": order.fulfillment_status,
            "customer_name": order.customer_name,
            "handed_over": shipment_out(redemption.handed_over, viewer),
            "waiting": shipment_out(redemption.waiting, viewer) if redemption.waiting
            else None}
