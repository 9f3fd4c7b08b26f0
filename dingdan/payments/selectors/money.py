"""An order's money as its ledger says: what was paid, refunded, is on its way back, may
still be refunded and is still due. For the order's page, the API and the services, which
read the same sums under the order's lock."""

from dataclasses import dataclass

from django.db.models import BigIntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from dingdan.orders import states
from dingdan.orders.models import Order
from dingdan.payments.models import Payment, PaymentResult, Refund, RefundStatus


@dataclass(frozen=True)
class LedgerSums:
    paid_cents: int  # succeeded payments
    refunded_cents: int  # succeeded refunds
    pending_refund_cents: int  # refunds a provider has not yet carried out

    @property
    def refundable_cents(self) -> int:
        """What may still go back: paid, less what went back or is on its way."""
        return max(self.paid_cents - self.refunded_cents - self.pending_refund_cents, 0)


def _sum_of(queryset, **condition):
    rows = (queryset.filter(order=OuterRef("pk"), **condition).order_by()
            .values("order").annotate(total=Sum("amount_cents")).values("total"))
    return Coalesce(Subquery(rows, output_field=BigIntegerField()), Value(0))


def ledger_sums(order: Order) -> LedgerSums:
    """The sums, in one statement. Under the order's row lock (the services) they cannot
    change until the caller commits: every ledger write takes that lock first."""
    row = Order.objects.filter(pk=order.pk).values(
        paid=_sum_of(Payment.objects, status=PaymentResult.SUCCEEDED),
        refunded=_sum_of(Refund.objects, status=RefundStatus.SUCCEEDED),
        pending=_sum_of(Refund.objects, status=RefundStatus.PENDING),
    ).get()
    return LedgerSums(row["paid"], row["refunded"], row["pending"])


@dataclass(frozen=True)
class OrderMoney:
    total_cents: int
    paid_cents: int
    refunded_cents: int
    pending_refund_cents: int
    refundable_cents: int
    balance_due_cents: int
    payment_status: str
    has_overpayment: bool


def order_money(order: Order) -> OrderMoney:
    """The money panel of one order, from the ledger (not from the order's stored sums,
    which the services keep equal to these)."""
    sums = ledger_sums(order)
    return OrderMoney(
        total_cents=order.total_cents,
        paid_cents=sums.paid_cents,
        refunded_cents=sums.refunded_cents,
        pending_refund_cents=sums.pending_refund_cents,
        refundable_cents=sums.refundable_cents,
        balance_due_cents=states.due_cents(
            total_cents=order.total_cents, paid_cents=sums.paid_cents,
            cancelled=order.status == states.Status.CANCELLED),
        payment_status=states.payment_status_for(
            total_cents=order.total_cents, paid_cents=sums.paid_cents,
            refunded_cents=sums.refunded_cents),
        has_overpayment=has_overpayment(order),
    )


def refundable_cents(order: Order) -> int:
    """What may still be refunded on this order (read without a lock: a refund is checked
    again under the lock when it is recorded)."""
    return ledger_sums(order).refundable_cents


def payment_refundable_cents(payment: Payment) -> int:
    """What may still be refunded of one payment: its amount less the pending and succeeded
    refunds that name it."""
    if payment.status != PaymentResult.SUCCEEDED:
        return 0
    returned = Refund.objects.filter(
        payment=payment, status__in=[RefundStatus.PENDING, RefundStatus.SUCCEEDED],
    ).aggregate(total=Coalesce(Sum("amount_cents"), Value(0)))["total"]
    return max(payment.amount_cents - returned, 0)


def refundable_by_payment(order: Order) -> dict[int, int]:
    """What may still be refunded of each succeeded payment of the order (those with
    something left), in one statement: `payment_refundable_cents` for all of them."""
    returned = Refund.objects.filter(
        payment=OuterRef("pk"), status__in=[RefundStatus.PENDING, RefundStatus.SUCCEEDED],
    ).order_by().values("payment").annotate(total=Sum("amount_cents")).values("total")
    rows = Payment.objects.filter(
        shop=order.shop_id, order=order, status=PaymentResult.SUCCEEDED,
    ).values_list("pk", "amount_cents", Coalesce(Subquery(
        returned, output_field=BigIntegerField()), Value(0)))
    left = {pk: amount - back for pk, amount, back in rows}
    return {pk: cents for pk, cents in left.items() if cents > 0}


def has_overpayment(order: Order) -> bool:
    return Payment.objects.filter(order=order, status=PaymentResult.SUCCEEDED,
                                  is_overpayment=True).exists()

