"""The order lifecycle as one table: which status may follow which, and who may move it.

Nothing else in dingdan decides what may follow what. Guards that depend on the order
(payment before shipment, …) are named in the table and evaluated here by `check_guards()`;
what may still be edited, and what the customer may change without asking, is decided here
too."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from dingdan.errors import Conflict
from dingdan.shops.actors import ActorKind


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")


class FulfillmentStatus(models.TextChoices):
    UNFULFILLED = "unfulfilled", _("Unfulfilled")
    PARTIALLY_SHIPPED = "partially_shipped", _("Partially shipped")
    SHIPPED = "shipped", _("Shipped")
    PARTIALLY_DELIVERED = "partially_delivered", _("Partially delivered")
    DELIVERED = "delivered", _("Delivered")


class CancelReason(models.TextChoices):
    """Why an order was cancelled; `other` needs words of its own."""

    CUSTOMER_REQUEST = "customer_request", _("Customer asked to cancel")
    OUT_OF_STOCK = "out_of_stock", _("Out of stock")
    UNPAID_TIMEOUT = "unpaid_timeout", _("Not paid in time")
    SUSPECTED_FRAUD = "suspected_fraud", _("Suspected fraud")
    DUPLICATE = "duplicate", _("Duplicate order")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
    PENDING_CONFIRMATION = "pending_confirmation", _("Awaiting confirmation")
    ACCEPTED = "accepted", _("Accepted")
    PREPARING = "preparing", _("Preparing")
    SHIPPED = "shipped", _("Shipped")
    IN_TRANSIT = "in_transit", _("In transit")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


S = Status
STAFF, API, CUSTOMER, SYSTEM, RULE = (
    ActorKind.STAFF, ActorKind.API, ActorKind.CUSTOMER, ActorKind.SYSTEM, ActorKind.RULE
)
MERCHANT = frozenset({STAFF, API})
AUTOMATIC = frozenset({SYSTEM, RULE})


@dataclass(frozen=True)
class Transition:
    source: Status
    to: Status
    actors: frozenset[ActorKind]
    action: str  # the permission staff and API tokens need
    guards: tuple[str, ...] = ()


def _t(source, to, actors, action, *guards) -> Transition:
    return Transition(source, to, frozenset(actors), action, tuple(guards))


TRANSITIONS: tuple[Transition, ...] = (
    _t(S.PENDING_PAYMENT, S.PENDING_CONFIRMATION, MERCHANT | AUTOMATIC, "payments.record",
       "is_paid"),
    _t(S.PENDING_PAYMENT, S.CANCELLED, MERCHANT | AUTOMATIC | {CUSTOMER}, "orders.cancel"),
    _t(S.PENDING_CONFIRMATION, S.ACCEPTED, MERCHANT | AUTOMATIC, "orders.transition"),
    _t(S.PENDING_CONFIRMATION, S.CANCELLED, MERCHANT | AUTOMATIC | {CUSTOMER}, "orders.cancel"),
    _t(S.ACCEPTED, S.PREPARING, MERCHANT | AUTOMATIC, "orders.transition"),
    _t(S.ACCEPTED, S.SHIPPED, MERCHANT, "fulfillment.ship", "payment_allows_shipping"),
    _t(S.ACCEPTED, S.CANCELLED, MERCHANT, "orders.cancel"),
    _t(S.PREPARING, S.SHIPPED, MERCHANT, "fulfillment.ship", "payment_allows_shipping"),
    _t(S.PREPARING, S.CANCELLED, MERCHANT, "orders.cancel"),
    # Every shipment was cancelled before it left: the order is back to being prepared.
    _t(S.SHIPPED, S.ACCEPTED, AUTOMATIC, "fulfillment.ship", "nothing_shipped"),
    _t(S.SHIPPED, S.IN_TRANSIT, MERCHANT | AUTOMATIC, "fulfillment.ship"),
    _t(S.SHIPPED, S.DELIVERED, MERCHANT | AUTOMATIC, "fulfillment.ship"),
    _t(S.IN_TRANSIT, S.DELIVERED, MERCHANT | AUTOMATIC, "fulfillment.ship"),
    _t(S.DELIVERED, S.COMPLETED, MERCHANT | AUTOMATIC | {CUSTOMER}, "orders.transition"),
)

_BY_PAIR = {(t.source, t.to): t for t in TRANSITIONS}
FINAL = frozenset({S.COMPLETED, S.CANCELLED})


def allowed_targets(source: str, actor_kind: ActorKind | None = None) -> list[Status]:
    """Statuses that may follow `source` (for this kind of actor, if given), in table order."""
    return [
        t.to for t in TRANSITIONS
        if t.source == source and (actor_kind is None or actor_kind in t.actors)
    ]


class InvalidTransition(Conflict):
    code = "invalid_transition"


def check(source: str, to: str, actor_kind: ActorKind) -> Transition:
    """The transition from `source` to `to` for this kind of actor, or InvalidTransition
    naming the moves that are allowed."""
    transition = _BY_PAIR.get((source, to))
    if transition is None or actor_kind not in transition.actors:
        allowed = allowed_targets(source, actor_kind)
        message = _("An order that is %(status)s cannot become %(to)s.") % {
            "status": _label(source), "to": _label(to),
        }
        if allowed:
            message = _("%(message)s It can become: %(allowed)s.") % {
                "message": message, "allowed": ", ".join(str(Status(s).label) for s in allowed),
            }
        elif source in FINAL:
            message = _("%(message)s It is closed.") % {"message": message}
        raise InvalidTransition(message, details={"from": source, "to": to,
                                                  "allowed": [str(s) for s in allowed]})
    return transition


# Before shipment an order's lines, delivery and notes may still change; after, only
# after-sales can change what was sold.
EDITABLE = frozenset({S.PENDING_PAYMENT, S.PENDING_CONFIRMATION, S.ACCEPTED, S.PREPARING})
# Until the merchant has accepted it, the customer changes their order without asking.
CUSTOMER_CHANGES_FREELY = frozenset({S.PENDING_PAYMENT, S.PENDING_CONFIRMATION})


def is_editable(status: str) -> bool:
    return status in EDITABLE


def customer_changes_freely(status: str) -> bool:
    return status in CUSTOMER_CHANGES_FREELY


def payment_status_for(*, total_cents: int, paid_cents: int, refunded_cents: int) -> str:
    """The order's payment status from what its ledger sums to (payments/ keeps the sums):
    nothing paid is unpaid; before any refund it is paid once the total is covered, else
    partially paid; after a refund it is refunded when everything paid went back, else
    partially refunded."""
    if paid_cents <= 0:
        return PaymentStatus.UNPAID
    if refunded_cents <= 0:
        return PaymentStatus.PAID if paid_cents >= total_cents else PaymentStatus.PARTIALLY_PAID
    if refunded_cents >= paid_cents:
        return PaymentStatus.REFUNDED
    return PaymentStatus.PARTIALLY_REFUNDED


def net_paid_cents(order) -> int:
    """What the customer paid and kept paid: payments less refunds."""
    return order.paid_cents - order.refunded_cents


def due_cents(*, total_cents: int, paid_cents: int, cancelled: bool) -> int:
    """What is still owed: the total less everything paid. A refund is money the shop gave
    back on the order (a box short, spoiled fruit, an overpayment): it is never owed again,
    so it does not count here. Nothing once the order is cancelled."""
    return 0 if cancelled else max(total_cents - paid_cents, 0)


def balance_due_cents(order) -> int:
    """What the customer still owes (see `due_cents`)."""
    return due_cents(total_cents=order.total_cents, paid_cents=order.paid_cents,
                     cancelled=order.status == Status.CANCELLED)


def is_paid(order) -> bool:
    """Nothing is owed and something was paid: paid in full, whatever was refunded since."""
    return order.paid_cents > 0 and order.paid_cents >= order.total_cents


def is_repriceable(order) -> bool:
    """改价 is allowed before any money has moved and while the order may be edited."""
    return order.payment_status == PaymentStatus.UNPAID and is_editable(order.status)


def payment_allows_shipping(order, *, requires_prepayment: bool) -> bool:
    """A shop that takes payment first ships only paid orders; others ship on credit or
    cash on delivery."""
    return not requires_prepayment or is_paid(order)


def check_guards(order, transition: Transition, *, requires_prepayment: bool) -> None:
    """Refuse the move when one of the transition's guards does not hold for this order."""
    for guard in transition.guards:
        if guard == "is_paid" and not is_paid(order):
            raise InvalidTransition(_("The order is not paid yet."), code="not_paid")
        if guard == "nothing_shipped" and order.fulfillment_status != "unfulfilled":
            raise InvalidTransition(
                _("Units of this order are on their way; cancel its shipments first."),
                code="shipped",
            )
        if guard == "payment_allows_shipping" and not payment_allows_shipping(
            order, requires_prepayment=requires_prepayment
        ):
            raise InvalidTransition(
                _("This shop ships only paid orders, and this one is not paid."),
                code="not_paid",
            )


def _label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value
