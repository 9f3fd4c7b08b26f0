"""Recording money the customer paid: by staff or an API client looking at a transfer, and
by a payment provider's notification.

A payment on a 待付款 order that pays it in full moves the order on through the lifecycle
(`confirm_paid`), with the timeline saying why."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.errors import Conflict, InvalidInput
from dingdan.images import image_suffix
from dingdan.money import format_yuan
from dingdan.orders import states
from dingdan.orders.models import Order
from dingdan.orders.services import lifecycle
from dingdan.orders.states import Status
from dingdan.payments import events
from dingdan.payments.models import (
    Payment,
    PaymentAttempt,
    PaymentResult,
    RecordedVia,
    Refund,
    RefundStatus,
)
from dingdan.payments.services import refunds
from dingdan.payments.services.ledger import (
    MAX_FAILURE_REASON,
    MAX_REFERENCE,
    clean_amount,
    clean_method,
    clean_text,
    lock_order,
    recorded_by,
    settle_order,
)
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require

# A payment dated further ahead than this is a typing slip (a clock a day off is not).
FUTURE_SLACK = timedelta(days=1)


class OrderCancelled(Conflict):
    code = "order_cancelled"


class Overpayment(Conflict):
    code = "overpayment"


def _clean_paid_at(paid_at: datetime | None) -> datetime:
    now = timezone.now()
    if paid_at is None:
        return now
    if timezone.is_naive(paid_at):
        paid_at = timezone.make_aware(paid_at)
    if paid_at > now + FUTURE_SLACK:
        message = _("A payment cannot be in the future.")
        raise InvalidInput(message, fields={"paid_at": message})
    return paid_at


@transaction.atomic
def record_payment(
    *,
    actor: Actor,
    order: Order,
    amount_cents: int,
    method: str,
    reference: str = "",
    paid_at: datetime | None = None,
    status: str = PaymentResult.SUCCEEDED,
    failure_reason: str = "",
    allow_overpayment: bool = False,
    proof: bytes | str | None = None,
) -> Payment:
    """Record a payment the merchant saw arrive (or an attempt that failed, kept with its
    reason and counting for nothing). More than is still due is refused unless
    `allow_overpayment`; a cancelled order takes no payment. `proof` is an image of the
    transfer (bytes), or the stored name of one already kept (a confirmed report's
    screenshot)."""
    require(actor, "payments.record", order.shop)
    amount_cents = clean_amount(amount_cents)
    method = clean_method(method)
    if status not in PaymentResult.values:
        message = _("Must be one of: %(choices)s.") % {"choices": ", ".join(PaymentResult.values)}
        raise InvalidInput(message, fields={"status": message})
    reference = clean_text(reference, "reference", MAX_REFERENCE)
    failure_reason = clean_text(failure_reason, "failure_reason", MAX_FAILURE_REASON)
    paid_at = _clean_paid_at(paid_at)
    if isinstance(proof, bytes):
        proof = ContentFile(proof, name=f"proof{image_suffix(proof, 'proof')}")
    order = lock_order(order)
    if order.status == Status.CANCELLED:
        raise OrderCancelled(
            _("Order %(number)s is cancelled and takes no payment.") % {"number": order.number}
        )
    due = order.balance_due_cents
    is_overpayment = status == PaymentResult.SUCCEEDED and amount_cents > due
    if is_overpayment and not allow_overpayment:
        raise Overpayment(
            _("¥%(amount)s is more than the ¥%(due)s still due. Record it as an overpayment "
              "if the customer really paid that much.")
            % {"amount": format_yuan(amount_cents), "due": format_yuan(due)},
            details={"balance_due_cents": due},
        )
    payment = Payment.objects.create(
        shop_id=order.shop_id, order=order, method=method, amount_cents=amount_cents,
        status=status, failure_reason=failure_reason if status == PaymentResult.FAILED else "",
        reference=reference, paid_at=paid_at, is_overpayment=is_overpayment,
        proof=proof or "", **recorded_by(actor),
    )
    if status == PaymentResult.FAILED:
        events.payment_failed(order, actor=actor, payment=payment)
        return payment
    _book(order, payment, actor=actor)
    return payment


def _book(order: Order, payment: Payment, *, actor: Actor) -> None:
    """A succeeded payment on the order: its sums, its timeline, and a 待付款 order paid in
    full moved on."""
    settle_order(order)
    events.payment_recorded(order, actor=actor, payment=payment)
    if order.status == Status.PENDING_PAYMENT and states.is_paid(order):
        lifecycle.confirm_paid(actor=actor, order=order)


@dataclass(frozen=True)
class ProviderPayment:
    payment: Payment
    refund: Refund | None  # the money going back, when the order was cancelled meanwhile
    already_recorded: bool  # the same notification came before


@transaction.atomic
def record_provider_payment(
    *,
    actor: Actor,
    order: Order,
    amount_cents: int,
    method: str,
    provider_transaction_id: str,
    paid_at: datetime | None = None,
    reference: str = "",
    attempt: PaymentAttempt | None = None,
) -> ProviderPayment:
    """A payment a provider (WeChat Pay) reports: recorded once per transaction id, whatever
    is due (the money has moved, so nothing is refused). On a cancelled order it is recorded
    and a pending refund of all of it is started; the order is never reopened. The caller
    asks the provider to carry the refund out and raises the alert."""
    require(actor, "payments.record", order.shop)
    amount_cents = clean_amount(amount_cents)
    method = clean_method(method)
    provider_transaction_id = clean_text(provider_transaction_id, "provider_transaction_id",
                                         64, required=True)
    order = lock_order(order)
    earlier = Payment.objects.filter(
        shop_id=order.shop_id, provider_transaction_id=provider_transaction_id
    ).first()
    if earlier is not None:
        return ProviderPayment(earlier, None, already_recorded=True)
    payment = Payment.objects.create(
        shop_id=order.shop_id, order=order, method=method, amount_cents=amount_cents,
        reference=clean_text(reference, "reference", MAX_REFERENCE),
        paid_at=_clean_paid_at(paid_at), is_overpayment=amount_cents > order.balance_due_cents,
        provider_transaction_id=provider_transaction_id, attempt=attempt,
        **recorded_by(actor, via=RecordedVia.PROVIDER),
    )
    if order.status != Status.CANCELLED:
        _book(order, payment, actor=actor)
        return ProviderPayment(payment, None, already_recorded=False)
    settle_order(order)
    events.payment_recorded(order, actor=actor, payment=payment)
    refund = refunds.refund_locked(
        actor=actor, order=order, amount_cents=amount_cents, payment=payment,
        reason=_("The order was cancelled before this payment arrived."),
        status=RefundStatus.PENDING, via=RecordedVia.PROVIDER,
    )
    return ProviderPayment(payment, refund, already_recorded=False)
