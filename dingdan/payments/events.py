"""The payments' entries on the order's timeline, one small function per kind; appended in
the caller's transaction through the timeline of orders (`orders.events.append`), their
sentences in selectors/presentation.py."""

from dingdan.orders import events
from dingdan.orders.models import Order
from dingdan.payments.models import Payment, Refund
from dingdan.shops.actors import Actor

PAYMENT_RECORDED = "payment_recorded"
PAYMENT_FAILED = "payment_failed"
REFUND_RECORDED = "refund_recorded"
REFUND_SETTLED = "refund_settled"
KINDS = (PAYMENT_RECORDED, PAYMENT_FAILED, REFUND_RECORDED, REFUND_SETTLED)


def _payment_data(payment: Payment) -> dict:
    return {"payment": payment.pk, "amount_cents": payment.amount_cents,
            "method": payment.method, "reference": payment.reference}


def payment_recorded(order: Order, *, actor: Actor, payment: Payment):
    data = _payment_data(payment)
    if payment.is_overpayment:
        data["is_overpayment"] = True
    return events.append(order, actor=actor, kind=PAYMENT_RECORDED, data=data)


def payment_failed(order: Order, *, actor: Actor, payment: Payment):
    return events.append(order, actor=actor, kind=PAYMENT_FAILED,
                         data=_payment_data(payment), note=payment.failure_reason)


def refund_recorded(order: Order, *, actor: Actor, refund: Refund):
    return events.append(order, actor=actor, kind=REFUND_RECORDED, data={
        "refund": refund.pk, "number": refund.number, "amount_cents": refund.amount_cents,
        "method": refund.method, "status": refund.status, "payment": refund.payment_id,
    }, note=refund.reason)


def refund_settled(order: Order, *, actor: Actor, refund: Refund, status: str, note: str = ""):
    return events.append(order, actor=actor, kind=REFUND_SETTLED, data={
        "refund": refund.pk, "number": refund.number, "amount_cents": refund.amount_cents,
        "status": status,
    }, note=note)
