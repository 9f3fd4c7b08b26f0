"""Customer change requests over the API: list them, approve or decline one."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from dingdan.api.errors import with_errors
from dingdan.orders import privacy
from dingdan.orders.api.schemas import OrderOut, order_out
from dingdan.orders.models import OrderChangeRequest
from dingdan.orders.selectors import orders as selectors
from dingdan.orders.services import customer_changes
from dingdan.shops.permissions import require

router = Router(tags=["orders"])


class RequestedLine(Schema):
    sku: str
    quantity: int


class ChangeRequestOut(Schema):
    id: int
    status: str
    lines: list[RequestedLine] | None
    address: str
    note: str
    customer_message: str
    base_version: int
    decided_by: str
    decided_at: datetime | None
    decision_note: str
    created_at: datetime


class DecisionIn(Schema):
    note: str = Field("", max_length=300)


@router.get("/orders/{order_id}/change-requests", response=with_errors(list[ChangeRequestOut]))
def list_change_requests(request: HttpRequest, order_id: int):
    """What the customer asked to change on this order after it was accepted, newest first.
    The new address is masked for roles without customers.view_pii."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    order = selectors.order_in_shop(actor.shop, order_id)
    pii = privacy.may_see_pii(actor)
    return [privacy.change_request_as_seen_by(change, pii=pii)
            for change in OrderChangeRequest.objects.filter(order=order)]


@router.post("/orders/{order_id}/change-requests/{request_id}/approve",
             response=with_errors(OrderOut, 409))
def approve(request: HttpRequest, order_id: int, request_id: int, payload: DecisionIn):
    """Apply the customer's change to the order (stock for the difference is reserved)."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    order = selectors.order_in_shop(actor.shop, order_id)
    customer_changes.approve_change(actor=actor, order=order, request_id=request_id,
                                    note=payload.note)
    return order_out(selectors.order_in_shop(actor.shop, order_id),
                     pii=privacy.may_see_pii(actor))


@router.post("/orders/{order_id}/change-requests/{request_id}/decline",
             response=with_errors(OrderOut, 409))
def decline(request: HttpRequest, order_id: int, request_id: int, payload: DecisionIn):
    """Keep the order as it is; the note tells the customer why."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    order = selectors.order_in_shop(actor.shop, order_id)
    customer_changes.decline_change(actor=actor, order=order, request_id=request_id,
                                    note=payload.note)
    return order_out(selectors.order_in_shop(actor.shop, order_id),
                     pii=privacy.may_see_pii(actor))
