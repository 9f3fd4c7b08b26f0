"""Offers of a substitute SKU over the API: offer one for units of a line that ran out,
list an order's offers, withdraw one. The customer decides on the order link."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from dingdan.api.errors import with_errors
from dingdan.fulfillment.models import SubstituteOffer, SubstituteStatus
from dingdan.fulfillment.selectors import substitutes as selectors
from dingdan.fulfillment.services import substitutes
from dingdan.orders.selectors import orders as order_selectors
from dingdan.shops import idempotency
from dingdan.shops.permissions import require

router = Router(tags=["shipments"])


class SubstituteIn(Schema):
    line_id: int = Field(..., description="The order line whose units ran out.")
    variant_id: int = Field(..., description="The substitute: another goods SKU on sale.")
    quantity: int | None = Field(None, description="Units to replace; all the line's units "
                                 "still to ship when left out.")
    unit_price_cents: int | None = Field(None, description="What the customer pays per "
                                         "unit, in fen; the substitute's price when left out.")
    note: str = Field("", max_length=300, description="For the customer.")


class SubstituteOut(Schema):
    id: int
    order_id: int
    line_id: int | None = Field(..., description="Null once the line left the order.")
    original_sku: str
    original_name: str
    original_unit_price_cents: int
    variant_id: int
    sku: str
    name: str
    quantity: int
    unit_price_cents: int
    difference_cents: int = Field(..., description="(unit price − original unit price) × "
                                  "quantity: what the lines' sum changes by on acceptance.")
    status: str = Field(..., description=", ".join(SubstituteStatus.values))
    note: str
    offered_by: str
    decided_by: str
    created_at: datetime
    decided_at: datetime | None


def substitute_out(offer: SubstituteOffer) -> dict:
    return {"id": offer.pk, "order_id": offer.order_id, "line_id": offer.order_line_id,
            "original_sku": offer.original_sku, "original_name": offer.original_name,
            "original_unit_price_cents": offer.original_unit_price_cents,
            "variant_id": offer.variant_id, "sku": offer.sku, "name": offer.name,
            "quantity": offer.quantity, "unit_price_cents": offer.unit_price_cents,
            "difference_cents": offer.difference_cents, "status": offer.status,
            "note": offer.note, "offered_by": offer.offered_label,
            "decided_by": offer.decided_label, "created_at": offer.created_at,
            "decided_at": offer.decided_at}


@router.post("/orders/{order_id}/substitutes",
             response=with_errors({201: SubstituteOut}, 409))
def offer_substitute(request: HttpRequest, order_id: int, payload: SubstituteIn):
    """Offer another SKU for units of a line the shop cannot supply; the customer accepts
    or declines it on the order link. 400 on `line_id`, `variant_id` (not this shop's, the
    same SKU, not on sale, a service), `quantity` (more than is still to ship) or
    `unit_price_cents`; 409 `not_substitutable` (not accepted, or already shipped),
    `nothing_to_replace`, `substitute_open` (the line has an open offer). With an
    `Idempotency-Key` header a retry returns the first answer."""
    actor = request.auth
    require(actor, "orders.edit", actor.shop)
    order = order_selectors.order_in_shop(actor.shop, order_id)

    def create() -> dict:
        return substitute_out(substitutes.offer_substitute(
            actor=actor, order=order, line_id=payload.line_id, variant_id=payload.variant_id,
            quantity=payload.quantity, unit_price_cents=payload.unit_price_cents,
            note=payload.note))

    return idempotency.created(request, actor.shop, SubstituteOut, create)


@router.get("/orders/{order_id}/substitutes", response=with_errors(list[SubstituteOut]))
def list_substitutes(request: HttpRequest, order_id: int):
    """The order's offers, oldest first, decided ones too."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    order = order_selectors.order_in_shop(actor.shop, order_id)
    return [substitute_out(offer) for offer in selectors.offers_of(order)]


@router.post("/substitutes/{offer_id}/withdraw", response=with_errors(SubstituteOut, 409))
def withdraw_substitute(request: HttpRequest, offer_id: int):
    """Take back an offer the customer has not decided on. 409 `substitute_decided`."""
    actor = request.auth
    require(actor, "orders.edit", actor.shop)
    offer = selectors.offer_in_shop(actor.shop, offer_id)
    return substitute_out(substitutes.withdraw_substitute(actor=actor, offer=offer))
