"""An order's refunds over the API: record one, list them."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from dingdan.api.errors import with_errors
from dingdan.api.fields import RowId
from dingdan.api.pagination import MappedPage, Pages
from dingdan.orders.selectors import orders as order_selectors
from dingdan.payments.models import Method, Refund
from dingdan.payments.selectors import ledger
from dingdan.payments.services import refunds
from dingdan.shops import idempotency
from dingdan.shops.permissions import require

router = Router(tags=["payments"])


class RefundIn(Schema):
    amount_cents: int = Field(..., description="In 分; more than 0.")
    reason: str = Field("", max_length=500, description="Why (required).")
    method: str | None = Field(
        None, max_length=24,
        description="One of: " + ", ".join(Method.values) + "; the way the money came if "
        "left out.",
    )
    reference: str = Field("", max_length=100)
    payment_id: RowId | None = Field(None, description="The payment it returns, when known.")


class RefundOut(Schema):
    id: int
    number: str
    order_id: int
    payment_id: int | None
    amount_cents: int
    reason: str
    method: str
    reference: str
    status: str
    failure_reason: str
    settled_at: datetime | None
    recorded_via: str
    recorded_by: str
    created_at: datetime


def refund_out(refund: Refund) -> dict:
    return {
        **{f: getattr(refund, f) for f in (
            "id", "number", "order_id", "payment_id", "amount_cents", "reason", "method",
            "reference", "status", "failure_reason", "settled_at", "recorded_via",
            "created_at")},
        "recorded_by": refund.recorded_label,
    }


@router.post("/orders/{order_id}/refunds", response=with_errors({201: RefundOut}, 409))
def record_refund(request: HttpRequest, order_id: int, payload: RefundIn):
    """Record money given back. 409 `refund_exceeds_paid` when it is more than can still be
    refunded (succeeded payments less succeeded and pending refunds; of the named payment
    when `payment_id` is given), with `details.refundable_cents`. With an `Idempotency-Key`
    header a retry returns the first answer."""
    actor = request.auth
    require(actor, "payments.refund", actor.shop)
    order = order_selectors.order_in_shop(actor.shop, order_id)

    def create() -> dict:
        return refund_out(refunds.record_refund(actor=actor, order=order, **payload.dict()))

    return idempotency.created(request, actor.shop, RefundOut, create)


@router.get("/orders/{order_id}/refunds", response=with_errors(list[RefundOut]))
@paginate(Pages, page_size=100)
def list_refunds(request: HttpRequest, order_id: int):
    """Every refund of the order, oldest first."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    order = order_selectors.order_in_shop(actor.shop, order_id)
    return MappedPage(ledger.refunds_of(order), refund_out)
