"""The payments' entries on the order's timeline, one small function per kind; appended in
the caller's transaction through the timeline of orders (`orders.events.append`), their
sentences in selectors/presentation.py."""

from dingdan.orders import events
from dingdan.orders.models import Order
from dingdan.payments.models import Payment, Refund, ReportedPayment
from dingdan.shops.actors import Actor

PAYMENT_RECORDED = "payment_recorded"
PAYMENT_FAILED = "payment_failed"
REFUND_RECORDED = "refund_recorded"
REFUND_SETTLED = "refund_settled"
PAYMENT_REPORTED = "payment_reported"
REPORTED_PAYMENT_CONFIRMED = "reported_payment_confirmed"
REPORTED_PAYMENT_REJECTED = "reported_payment_rejected"
KINDS = (PAYMENT_RECORDED, PAYMENT_FAILED, REFUND_RECORDED, REFUND_SETTLED, PAYMENT_REPORTED,
         REPORTED_PAYMENT_CONFIRMED, REPORTED_PAYMENT_REJECTED)


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


def _report_data(report: ReportedPayment) -> dict:
    return {"report": report.pk, "amount_cents": report.amount_cents, "method": report.method,
            "reference": report.reference}


def payment_reported(order: Order, *, actor: Actor, report: ReportedPayment, replaced=None):
    data = _report_data(report)
    if replaced is not None:
        data["replaced"] = replaced.pk
    return events.append(order, actor=actor, kind=PAYMENT_REPORTED, data=data)


def reported_payment_confirmed(order: Order, *, actor: Actor, report: ReportedPayment):
    return events.append(order, actor=actor, kind=REPORTED_PAYMENT_CONFIRMED,
                         data={**_report_data(report), "payment": report.payment_id})


def reported_payment_rejected(order: Order, *, actor: Actor, report: ReportedPayment):
    return events.append(order, actor=actor, kind=REPORTED_PAYMENT_REJECTED,
                         data=_report_data(report), note=report.reason)
