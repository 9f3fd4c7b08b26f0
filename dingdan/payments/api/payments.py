"""An order's payments over the API: record one (or a failed attempt), list them."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from dingdan.api.errors import with_errors
from dingdan.api.fields import Moment
from dingdan.api.pagination import MappedPage, Pages
from dingdan.orders.selectors import orders as order_selectors
from dingdan.payments.models import Method, Payment, PaymentResult
from dingdan.payments.selectors import ledger
from dingdan.payments.services import payments
from dingdan.shops import idempotency
from dingdan.shops.permissions import require

router = Router(tags=["payments"])


class PaymentIn(Schema):
    amount_cents: int = Field(..., description="In 分; more than 0.")
    method: str = Field(..., max_length=24, description="One of: " + ", ".join(Method.values))
    reference: str = Field("", max_length=100, description="The transfer's number, a note.")
    paid_at: Moment | None = Field(None, description="When it was paid; now if left out.")
    status: str = Field(PaymentResult.SUCCEEDED, max_length=16,
                        description="succeeded, or failed (kept, counting for nothing).")
    failure_reason: str = Field("", max_length=200)
    allow_overpayment: bool = Field(
        False, description="Accept more than is due (409 `overpayment` otherwise)."
    )


class PaymentOut(Schema):
    id: int
    order_id: int
    method: str
    amount_cents: int
    status: str
    failure_reason: str
    reference: str
    paid_at: datetime
    is_overpayment: bool
    recorded_via: str
    recorded_by: str
    provider_transaction_id: str | None
    has_proof: bool
    created_at: datetime


def payment_out(payment: Payment) -> dict:
    return {
        **{f: getattr(payment, f) for f in (
            "id", "order_id", "method", "amount_cents", "status", "failure_reason",
            "reference", "paid_at", "is_overpayment", "recorded_via",
            "provider_transaction_id", "created_at")},
        "recorded_by": payment.recorded_label,
        "provider_transaction_id": payment.provider_transaction_id or None,
        "has_proof": bool(payment.proof),
    }


@router.post("/orders/{order_id}/payments", response=with_errors({201: PaymentOut}, 409))
def record_payment(request: HttpRequest, order_id: int, payload: PaymentIn):
    """Record a payment the shop received (or a failed attempt, `"status": "failed"`). A
    待付款 order paid in full moves on to 待确认. 409 `overpayment` (more than
    `balance_due_cents`, unless `allow_overpayment`; the due amount is in `details`) or
    `order_cancelled`. With an `Idempotency-Key` header a retry returns the first answer."""
    actor = request.auth
    require(actor, "payments.record", actor.shop)
    order = order_selectors.order_in_shop(actor.shop, order_id)

    def create() -> dict:
        return payment_out(payments.record_payment(actor=actor, order=order, **payload.dict()))

    return idempotency.created(request, actor.shop, PaymentOut, create)


@router.get("/orders/{order_id}/payments", response=with_errors(list[PaymentOut]))
@paginate(Pages, page_size=100)
def list_payments(request: HttpRequest, order_id: int):
    """Every payment of the order, failed attempts too, oldest first."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    order = order_selectors.order_in_shop(actor.shop, order_id)
    return MappedPage(ledger.payments_of(order), payment_out)
