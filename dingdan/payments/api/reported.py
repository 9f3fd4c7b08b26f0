"""Payments customers reported on their order link, over the API: list them, confirm one
(the payment is recorded), reject one with a reason the customer reads."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from dingdan.api.errors import with_errors
from dingdan.orders.selectors import orders as order_selectors
from dingdan.payments.models import ReportedPayment
from dingdan.payments.services import reported
from dingdan.shops.permissions import require

router = Router(tags=["payments"])


class ReportedPaymentOut(Schema):
    id: int
    order_id: int
    method: str
    amount_cents: int
    reference: str
    has_screenshot: bool
    status: str = Field(..., description="reported, confirmed or rejected.")
    reason: str = Field(..., description="Why it was rejected (the customer reads it).")
    payment_id: int | None = Field(..., description="The payment confirming it recorded.")
    decided_by: str
    created_at: datetime
    decided_at: datetime | None


class RejectIn(Schema):
    reason: str = Field(..., max_length=300)


def reported_out(report: ReportedPayment) -> dict:
    decided_by = report.decided_by
    return {
        **{f: getattr(report, f) for f in (
            "id", "order_id", "method", "amount_cents", "reference", "status", "reason",
            "payment_id", "created_at", "decided_at")},
        "has_screenshot": bool(report.screenshot),
        "decided_by": (decided_by.get_full_name() or decided_by.get_username())
        if decided_by else "",
    }


@router.get("/orders/{order_id}/reported-payments",
            response=with_errors(list[ReportedPaymentOut]))
def list_reported_payments(request: HttpRequest, order_id: int):
    """What the customer reported paying, newest first, decided or not."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    order = order_selectors.order_in_shop(actor.shop, order_id)
    reports = ReportedPayment.objects.filter(order=order).select_related("decided_by")
    return [reported_out(r) for r in reports.order_by("-id")]


@router.post("/orders/{order_id}/reported-payments/{report_id}/confirm",
             response=with_errors(ReportedPaymentOut, 409))
def confirm_reported_payment(request: HttpRequest, order_id: int, report_id: int):
    """The money arrived: the report's amount, method and reference are recorded as a
    payment (with everything recording a payment does and refuses, e.g. 409
    `overpayment`), its screenshot kept as the proof. 409 `report_already_decided`."""
    actor = request.auth
    require(actor, "payments.record", actor.shop)
    order = order_selectors.order_in_shop(actor.shop, order_id)
    return reported_out(reported.confirm_reported_payment(actor=actor, order=order,
                                                          report_id=report_id))


@router.post("/orders/{order_id}/reported-payments/{report_id}/reject",
             response=with_errors(ReportedPaymentOut, 409))
def reject_reported_payment(request: HttpRequest, order_id: int, report_id: int,
                            payload: RejectIn):
    """The money did not arrive: closed with the reason, which the customer reads on their
    link; they may report again. 409 `report_already_decided`."""
    actor = request.auth
    require(actor, "payments.record", actor.shop)
    order = order_selectors.order_in_shop(actor.shop, order_id)
    return reported_out(reported.reject_reported_payment(
        actor=actor, order=order, report_id=report_id, reason=payload.reason))
