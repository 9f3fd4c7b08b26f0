"""The money side of a cancellation, answering the `orders.cancelled` hook inside the
cancellation's transaction, on the order it holds locked: with `refund`, everything still
refundable goes back (or, when the actor may not refund, nothing is cancelled)."""

from django.utils.translation import gettext as _

from dingdan.orders.models import Order
from dingdan.orders.services import lifecycle
from dingdan.orders.states import CancelReason
from dingdan.payments.services.refunds import refund_everything
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require


def settle_cancellation(*, order: Order, actor: Actor, reason: str, refund: bool) -> None:
    if not refund:
        return
    require(actor, "payments.refund", order.shop)
    refund_everything(actor=actor, order=order, reason=_("Order cancelled: %(reason)s") % {
        "reason": CancelReason(reason).label})


def cancel_with_refund(*, actor: Actor, order: Order, reason: str, note: str = "") -> Order:
    """Cancel the order and refund everything refundable, in one transaction."""
    return lifecycle.cancel_order(actor=actor, order=order, reason=reason, note=note,
                                  refund=True)
