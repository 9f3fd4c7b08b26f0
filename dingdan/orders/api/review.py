"""Reviewing an order over the API: its problems looked at, follow-ups."""

from django.http import HttpRequest
from ninja import Router, Status

from dingdan.api.errors import with_errors
from dingdan.orders import privacy
from dingdan.orders.api.schemas import (
    FollowUpIn,
    FollowUpOut,
    OrderOut,
    ResolveIn,
    order_out,
)
from dingdan.orders.selectors import orders as selectors
from dingdan.orders.services import review
from dingdan.shops.permissions import require

router = Router(tags=["orders"])


@router.post("/orders/{order_id}/flags/{code}/resolve", response=with_errors(OrderOut, 409))
def resolve_flag(request: HttpRequest, order_id: int, code: str, payload: ResolveIn):
    """Mark one of the order's problems as looked at."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    order = selectors.order_in_shop(actor.shop, order_id)
    review.resolve_flag(actor=actor, order=order, code=code, note=payload.note)
    return order_out(selectors.order_in_shop(actor.shop, order_id),
                     pii=privacy.may_see_pii(actor))


@router.post("/orders/{order_id}/follow-ups", response=with_errors({201: FollowUpOut}))
def add_follow_up(request: HttpRequest, order_id: int, payload: FollowUpIn):
    """Remind the team to come back to the order at `due_at`."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    order = selectors.order_in_shop(actor.shop, order_id)
    follow_up = review.add_follow_up(
        actor=actor, order=order, due_at=payload.due_at, note=payload.note
    )
    return Status(201, follow_up)
