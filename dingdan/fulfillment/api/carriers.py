"""Carriers over the API: the common ones and the shop's own, and the shop's own added or
removed."""

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from dingdan.api.errors import with_errors
from dingdan.fulfillment.selectors.carriers import carriers_for_shop, shop_carrier_row
from dingdan.fulfillment.services import carriers as services
from dingdan.shops.permissions import require

router = Router(tags=["shipments"])


class CarrierIn(Schema):
    code: str = Field(..., max_length=32, description="Lower-case letters, digits, - or _.")
    name: str = Field(..., max_length=60)
    pattern: str = Field("", max_length=200, description="A regular expression the whole "
                         "tracking number must match; empty: any number.")
    url_template: str = Field("", max_length=300,
                              description="A tracking link with {number} in it.")


class CarrierOut(Schema):
    code: str
    name: str
    is_builtin: bool
    pattern: str | None
    url_template: str | None


@router.get("/carriers", response=with_errors(list[CarrierOut]))
def list_carriers(request: HttpRequest):
    """Every carrier a shipment may name: the common ones, then the shop's own."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    return carriers_for_shop(actor.shop)


@router.post("/carriers", response=with_errors({201: CarrierOut}))
def add_carrier(request: HttpRequest, payload: CarrierIn):
    """A carrier of the shop's own; 400 naming the field that cannot work (a taken or
    built-in code, a pattern that is not a regular expression, a link without {number})."""
    actor = request.auth
    carrier = services.add_shop_carrier(actor=actor, shop=actor.shop, **payload.dict())
    return Status(201, shop_carrier_row(carrier))


@router.delete("/carriers/{code}", response=with_errors({204: None}))
def remove_carrier(request: HttpRequest, code: str):
    actor = request.auth
    services.remove_shop_carrier(actor=actor, shop=actor.shop, code=code)
    return Status(204, None)
