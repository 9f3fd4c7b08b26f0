"""Dropping units the shop cannot supply after all, over the API."""

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from dingdan.api.errors import with_errors
from dingdan.fulfillment.api.schemas import ShipmentLineIn
from dingdan.fulfillment.services import shortages
from dingdan.orders import privacy
from dingdan.orders.api.schemas import OrderOut, order_out
from dingdan.orders.selectors import orders as order_selectors
from dingdan.shops.permissions import require

router = Router(tags=["shipments"])


class DropUnitsIn(Schema):
    lines: list[ShipmentLineIn] = Field(..., min_length=1, max_length=500)
    reason: str = Field(..., max_length=300, description="Why: the customer reads it.")
    refund: bool = Field(False, description="Refund what was paid beyond the new total, in "
                         "the same transaction (needs payments.refund).")


@router.post("/orders/{order_id}/drop-units", response=with_errors(OrderOut, 409))
def drop_units(request: HttpRequest, order_id: int, payload: DropUnitsIn):
    """Out of stock after acceptance: drop units not yet shipped from their lines (a line
    left with nothing goes), reprice, release what they held or waited for. 409
    `over_shipment` (more than is left unshipped), `nothing_left` (cancel instead),
    `total_below_paid` (paid beyond the new total and no `refund`)."""
    actor = request.auth
    require(actor, "orders.edit", actor.shop)
    order = order_selectors.order_in_shop(actor.shop, order_id)
    shortages.drop_short_units(actor=actor, order=order,
                               lines=[line.dict() for line in payload.lines],
                               reason=payload.reason, refund=payload.refund)
    return order_out(order_selectors.order_in_shop(actor.shop, order_id),
                     pii=privacy.may_see_pii(actor))
