"""Giving money back: a refund recorded by staff (a transfer back, cash), one a provider
carries out (pending until it answers), and settling a pending one.

What may be refunded is computed under the order's row lock: succeeded payments less
succeeded and pending refunds, so parallel requests cannot together give back more than
was paid."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.errors import Conflict, InvalidInput
from dingdan.money import format_yuan
from dingdan.orders.models import Order
from dingdan.payments import events
from dingdan.payments.models import Method, Payment, PaymentResult, Refund, RefundStatus
from dingdan.payments.selectors.money import ledger_sums, payment_refundable_cents
from dingdan.payments.services.ledger import (
    MAX_FAILURE_REASON,
    MAX_REASON,
    MAX_REFERENCE,
    clean_amount,
    clean_method,
    clean_text,
    lock_order,
    recorded_by,
    settle_order,
)
from dingdan.payments.services.numbering import next_refund_number
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require


class RefundExceedsPaid(Conflict):
    code = "refund_exceeds_paid"


class RefundNotPending(Conflict):
    code = "refund_not_pending"


@transaction.atomic
def record_refund(
    *,
    actor: Actor,
    order: Order,
    amount_cents: int,
    reason: str,
    method: str | None = None,
    reference: str = "",
    payment_id: int | None = None,
    status: str = RefundStatus.SUCCEEDED,
) -> Refund:
    """Record money given back, with a reason; at most what is still refundable (of the
    named payment, when one is named). Without a method it goes back the way it came."""
    require(actor, "payments.refund", order.shop)
    amount_cents = clean_amount(amount_cents)
    reason = clean_text(reason, "reason", MAX_REASON, required=True)
    if method is not None:
        method = clean_method(method)
    if status not in (RefundStatus.SUCCEEDED, RefundStatus.PENDING):
        message = _("Must be one of: %(choices)s.") % {"choices": "succeeded, pending"}
        raise InvalidInput(message, fields={"status": message})
    order = lock_order(order)
    payment = None
    if payment_id is not None:
        payment = Payment.objects.filter(
            pk=payment_id, shop_id=order.shop_id, order=order, status=PaymentResult.SUCCEEDED
        ).first()
        if payment is None:
            message = _("Not a succeeded payment of this order.")
            raise InvalidInput(message, fields={"payment_id": message})
    return refund_locked(actor=actor, order=order, amount_cents=amount_cents, reason=reason,
                         method=method, reference=clean_text(reference, "reference",
                                                             MAX_REFERENCE),
                         payment=payment, status=status)


def refund_locked(
    *,
    actor: Actor,
    order: Order,
    amount_cents: int,
    reason: str,
    method: str | None = None,
    reference: str = "",
    payment: Payment | None = None,
    status: str = RefundStatus.SUCCEEDED,
    via: str | None = None,
) -> Refund:
    """The refund itself, on an order the caller holds locked in its transaction."""
    refundable = ledger_sums(order).refundable_cents
    if payment is not None:
        refundable = min(refundable, payment_refundable_cents(payment))
    if amount_cents > refundable:
        raise RefundExceedsPaid(
            _("¥%(amount)s is more than the ¥%(refundable)s that can still be refunded.")
            % {"amount": format_yuan(amount_cents), "refundable": format_yuan(refundable)},
            details={"refundable_cents": refundable},
        )
    if method is None:
        method = payment.method if payment is not None else _way_it_came(order)
    refund = Refund.objects.create(
        shop_id=order.shop_id, order=order, number=next_refund_number(order.shop),
        payment=payment, amount_cents=amount_cents, reason=reason[:MAX_REASON],
        method=method, reference=reference, status=status,
        settled_at=timezone.now() if status == RefundStatus.SUCCEEDED else None,
        **recorded_by(actor, via=via),
    )
    if status == RefundStatus.SUCCEEDED:
        settle_order(order)
    events.refund_recorded(order, actor=actor, refund=refund)
    return refund


def _way_it_came(order: Order) -> str:
    latest = (Payment.objects.filter(order=order, status=PaymentResult.SUCCEEDED)
              .order_by("-id").values_list("method", flat=True).first())
    return latest or Method.OTHER


def refund_everything(*, actor: Actor, order: Order, reason: str,
                      up_to: int | None = None) -> list[Refund]:
    """Give back all that is refundable (or `up_to` that much), one refund per payment it
    came from (newest first, each the way it came), on an order the caller holds locked.
    Nothing paid, nothing refunded."""
    left = ledger_sums(order).refundable_cents
    if up_to is not None:
        left = min(left, up_to)
    made = []
    payments = Payment.objects.filter(order=order, status=PaymentResult.SUCCEEDED).order_by("-id")
    for payment in payments:
        if left <= 0:
            break
        amount = min(left, payment_refundable_cents(payment))
        if amount > 0:
            made.append(refund_locked(actor=actor, order=order, amount_cents=amount,
                                      reason=reason, payment=payment))
            left -= amount
    # What each payment has left adds up to at least `left` (refunds that name no payment
    # count against the whole only), so nothing remains after the loop.
    return made


def _settle(actor: Actor, refund: Refund, to: str, *, note: str = "",
            failure_reason: str = "") -> Refund:
    require(actor, "payments.refund", refund.order.shop)
    order = lock_order(refund.order)
    changed = Refund.objects.filter(pk=refund.pk, shop_id=order.shop_id,
                                    status=RefundStatus.PENDING).update(
        status=to, settled_at=timezone.now(), failure_reason=failure_reason,
    )
    if not changed:
        raise RefundNotPending(
            _("Refund %(number)s is not waiting any more.") % {"number": refund.number}
        )
    refund = Refund.objects.get(pk=refund.pk)
    settle_order(order)
    events.refund_settled(order, actor=actor, refund=refund, status=to, note=note)
    return refund


@transaction.atomic
def complete_refund(*, actor: Actor, refund: Refund, note: str = "") -> Refund:
    """A pending refund went through: it now counts as refunded on the order."""
    return _settle(actor, refund, RefundStatus.SUCCEEDED, note=note[:MAX_REASON])


@transaction.atomic
def fail_refund(*, actor: Actor, refund: Refund, reason: str) -> Refund:
    """A pending refund did not go through: the money may be refunded again."""
    reason = clean_text(reason, "reason", MAX_FAILURE_REASON, required=True)
    return _settle(actor, refund, RefundStatus.FAILED, note=reason, failure_reason=reason)
