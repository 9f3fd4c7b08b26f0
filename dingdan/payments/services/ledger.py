"""What every ledger write shares: the order locked first, the order's sums and payment
status derived again from the ledger afterwards, in the same transaction.

Every write to the ledger takes the order's row lock before it reads a sum, so two
refunds of one order queue, and the second sees the first (docs/payments.md)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.errors import InvalidInput
from dingdan.orders import states
from dingdan.orders.models import Order
from dingdan.payments.models import Method, RecordedVia
from dingdan.payments.selectors.money import LedgerSums, ledger_sums
from dingdan.shops.actors import Actor
from dingdan.whole_numbers import MAX_CENTS, whole_number

MAX_REFERENCE = 100
MAX_REASON = 500
MAX_FAILURE_REASON = 200


def lock_order(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("shop").get(
        pk=order.pk, shop=order.shop_id
    )


def settle_order(order: Order) -> LedgerSums:
    """Store the ledger's sums and the payment status they give on the (locked) order."""
    sums = ledger_sums(order)
    order.paid_cents, order.refunded_cents = sums.paid_cents, sums.refunded_cents
    order.payment_status = states.payment_status_for(
        total_cents=order.total_cents, paid_cents=sums.paid_cents,
        refunded_cents=sums.refunded_cents,
    )
    order.updated_at = timezone.now()
    order.save(update_fields=["paid_cents", "refunded_cents", "payment_status", "updated_at"])
    return sums


def clean_amount(value) -> int:
    return whole_number(value, "amount_cents", minimum=1, maximum=MAX_CENTS)


def clean_method(value, field: str = "method") -> str:
    if value not in Method.values:
        message = _("Must be one of: %(choices)s.") % {"choices": ", ".join(Method.values)}
        raise InvalidInput(message, fields={field: message})
    return str(value)


def clean_text(value, field: str, limit: int, *, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        message = _("This field is required.")
        raise InvalidInput(message, fields={field: message})
    if len(text) > limit:
        message = _("Must be at most %(n)s characters.") % {"n": limit}
        raise InvalidInput(message, fields={field: message})
    return text


def recorded_by(actor: Actor, *, via: str | None = None) -> dict:
    """Who put an entry in the ledger, as the entry stores it."""
    return {
        "recorded_by": actor.user,
        "recorded_via": via or RecordedVia(str(actor.kind)),
        "recorded_label": actor.label[:150],
    }
