"""The money side of an order whose total went down after it was paid (units the shop
could not supply were dropped), answering the `orders.total_reduced` hook inside that
change, on the order it holds locked: with `refund`, what was paid beyond the new total
goes back the way it came."""

from dingdan.orders.models import Order
from dingdan.payments.selectors.money import ledger_sums
from dingdan.payments.services.refunds import refund_everything
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require


def refund_beyond_total(*, order: Order, actor: Actor, reason: str) -> None:
    excess = ledger_sums(order).refundable_cents - order.total_cents
    if excess <= 0:
        return
    require(actor, "payments.refund", order.shop)
    refund_everything(actor=actor, order=order, reason=reason, up_to=excess)
