"""The shapes of shipments over the API."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from dingdan.api.fields import Moment
from dingdan.fulfillment.carriers import tracking_url
from dingdan.fulfillment.models import Method, Shipment, ShipmentStatus
from dingdan.fulfillment.selectors.presentation import carrier_name
from dingdan.fulfillment.services.tracking import SETTABLE


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


def shipment_out(shipment: Shipment) -> dict:
    return {
        **{f: getattr(shipment, f) for f in (
            "id", "order_id", "number", "method", "status", "carrier", "tracking_number",
            "created_at", "shipped_at", "delivered_at", "cancelled_at")},
        "carrier_name": carrier_name(shipment.carrier) if shipment.carrier else "",
        "tracking_url": tracking_url(shipment.carrier, shipment.tracking_number)
        if shipment.carrier and shipment.tracking_number else None,
        "lines": [{"line_id": line.order_line_id, "sku": line.sku, "name": line.name,
                   "quantity": line.quantity}
                  for line in shipment.lines.all()],
        "events": [{"status": e.status, "detail": e.detail, "location": e.location,
                    "at": e.at, "source": e.source} for e in shipment.events.all()],
        "interceptions": [interception_out(i) for i in shipment.interceptions.all()],
    }
