"""An order's life after it is placed: one function per business action.

Each reads top to bottom: the order locked, the move the lifecycle table (`states.py`)
allows this actor, its permission and guards, stock, the money hook, the timeline entry and
the announcement after commit. `transition_order` (the API's transition, bulk actions)
dispatches to them by target status; nothing else changes an order's status."""

from django.db import transaction
from django.utils.translation import gettext as _

from dingdan import hooks
from dingdan.catalog.models import Variant
from dingdan.errors import DomainError, InvalidInput
from dingdan.inventory.services import backorders, reservations
from dingdan.orders import events, states
from dingdan.orders.models import Order
from dingdan.orders.services.placement import holds_stock, reference, stock_actor
from dingdan.orders.states import CancelReason, FulfillmentStatus, Status
from dingdan.shops.actors import Actor, ActorKind
from dingdan.shops.config import shop_settings
from dingdan.shops.permissions import require

MAX_NOTE = 500


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("shop").get(
        pk=order.pk, shop=order.shop_id
    )


def _allowed(actor: Actor, order: Order, to: Status) -> states.Transition:
    """The transition to `to` if the table allows it for this actor, their role has its
    permission and its guards hold for this order."""
    transition = states.check(order.status, to, actor.kind)
    if actor.kind in (ActorKind.STAFF, ActorKind.API) or actor.shop_id != order.shop_id:
        require(actor, transition.action, order.shop)  # another shop's order: "not found"
    states.check_guards(order, transition, requires_prepayment=_requires_prepayment(order))
    return transition


def _requires_prepayment(order: Order) -> bool:
    """Whether the order must be paid before it ships; a pickup order in a shop that takes
    payment at pickup is set aside unpaid (the code is refused until it is paid)."""
    terms = shop_settings(order.shop)
    if order.delivery_method == "pickup" and terms.pay_at_pickup:
        return False
    return terms.requires_prepayment


def _move(order: Order, transition: states.Transition, *, actor: Actor, note: str,
          fields: tuple[str, ...] = (), **event_data) -> Order:
    before = order.status
    order.status = transition.to
    order.version += 1
    order.save(update_fields=["status", "version", "updated_at", *fields])
    events.status_changed(order, actor=actor, before=before, after=order.status,
                          note=(note or "")[:MAX_NOTE], **event_data)
    hooks.announce_on_commit(
        "orders.status_changed", order_id=order.pk, shop_id=order.shop_id, before=before,
        after=order.status, actor_kind=str(actor.kind),
    )
    return order


@transaction.atomic
def confirm_paid(*, actor: Actor, order: Order, note: str = "") -> Order:
    """A paid order that waited for its payment now waits for the merchant's confirmation;
    the timeline says it moved because it was paid in full. A shop that accepts paid orders
    has it accepted at once; if acceptance is refused (stock reserved at acceptance is
    short) it waits in 待确认 as without the setting, and the payment stands."""
    order = _locked(order)
    transition = _allowed(actor, order, Status.PENDING_CONFIRMATION)
    order = _move(order, transition, actor=actor, note=note, cause="paid_in_full")
    if shop_settings(order.shop).accept_paid_orders:
        try:
            with transaction.atomic():
                order = accept_order(actor=Actor.system(order.shop), order=order,
                                     cause="accepted_when_paid")
        except DomainError:
            order.refresh_from_db()
    return order


@transaction.atomic
def accept_order(*, actor: Actor, order: Order, note: str = "", cause: str = "") -> Order:
    """The merchant takes the order on. A shop that reserves stock at acceptance promises
    it now (refused, naming what is short, unless it takes backorders). `cause` names what
    accepted it when no one did by hand (`accepted_when_paid`)."""
    order = _locked(order)
    transition = _allowed(actor, order, Status.ACCEPTED)
    if not holds_stock(order):
        lines = order.lines.select_related("variant__product")
        reservations.reserve_stock(
            actor=stock_actor(actor, order.shop), shop=order.shop, reference=reference(order),
            lines=[(line.variant, line.quantity) for line in lines],
        )
    return _move(order, transition, actor=actor, note=note, **({"cause": cause} if cause else {}))


@transaction.atomic
def start_preparing(*, actor: Actor, order: Order, note: str = "") -> Order:
    """Packing starts (or the service is being arranged)."""
    order = _locked(order)
    transition = _allowed(actor, order, Status.PREPARING)
    return _move(order, transition, actor=actor, note=note)


@transaction.atomic
def ship_order(*, actor: Actor, order: Order, note: str = "") -> Order:
    """The goods leave: what the order holds comes off the shelf. An order still waiting
    for units of a product cannot ship, or the queue would later reserve stock for an order
    already gone; the merchant waits for the stock or edits the line down first."""
    order = _locked(order)
    transition = _allowed(actor, order, Status.SHIPPED)
    _refuse_while_awaiting_stock(order)
    # The fulfillment app records the shipment (and moves stock and the order itself).
    for shipped in hooks.collect("orders.ship", order=order, actor=actor, note=note):
        if shipped is not None:
            return shipped
    held = reservations.held_for(reference(order))
    if held:
        variants = Variant.objects.select_related("product").in_bulk(list(held))
        reservations.ship_stock(
            actor=stock_actor(actor, order.shop), shop=order.shop, reference=reference(order),
            lines=[(variants[pk], units) for pk, units in held.items()],
        )
    order.fulfillment_status = FulfillmentStatus.SHIPPED
    return _move(order, transition, actor=actor, note=note, fields=("fulfillment_status",))


def _refuse_while_awaiting_stock(order: Order) -> None:
    awaited = backorders.awaited_for(reference(order))
    if not awaited:
        return
    names = dict(Variant.objects.filter(pk__in=list(awaited)).values_list("pk", "sku"))
    short = ", ".join(f"{names.get(pk, pk)} × {units}" for pk, units in sorted(awaited.items()))
    raise states.InvalidTransition(
        _("Some units are still awaited (%(short)s). Ship when the stock arrives, or edit "
          "the order down to what is here.") % {"short": short},
        code="awaiting_stock",
        details={"awaited": {str(names.get(pk, pk)): units for pk, units in awaited.items()}},
    )


@transaction.atomic
def follow_shipments(*, actor: Actor, order: Order, fulfillment_status: str,
                     to: Status | None = None, note: str = "", cause: str = "") -> Order:
    """The order's shipments changed: its `fulfillment_status` follows them, and where they
    take the order elsewhere (已发货 with the first shipment, 运输中, 已送达 once everything is
    delivered, back to 已接受 when every shipment was cancelled before it left) it moves
    there through the table, its guards included."""
    order = _locked(order)
    order.fulfillment_status = fulfillment_status
    if to is None or to == order.status:
        order.save(update_fields=["fulfillment_status", "updated_at"])
        return order
    transition = _allowed(actor, order, to)
    return _move(order, transition, actor=actor, note=note, fields=("fulfillment_status",),
                 **({"cause": cause} if cause else {}))


@transaction.atomic
def mark_in_transit(*, actor: Actor, order: Order, note: str = "") -> Order:
    """The carrier has the parcel on its way (set by hand, a policy or a carrier update)."""
    order = _locked(order)
    transition = _allowed(actor, order, Status.IN_TRANSIT)
    return _move(order, transition, actor=actor, note=note)


@transaction.atomic
def mark_delivered(*, actor: Actor, order: Order, note: str = "") -> Order:
    """Delivered, picked up, or the service done."""
    order = _locked(order)
    transition = _allowed(actor, order, Status.DELIVERED)
    hooks.announce("orders.delivering", order=order, actor=actor, note=note)
    order.fulfillment_status = FulfillmentStatus.DELIVERED
    return _move(order, transition, actor=actor, note=note, fields=("fulfillment_status",))


@transaction.atomic
def complete_order(*, actor: Actor, order: Order, note: str = "") -> Order:
    """Closed successfully, by the merchant, the customer or auto-complete."""
    order = _locked(order)
    transition = _allowed(actor, order, Status.COMPLETED)
    return _move(order, transition, actor=actor, note=note)


def clean_cancel_reason(reason, note: str = "") -> tuple[str, str]:
    """A cancellation names one of the reason codes; `other` also needs words."""
    note = " ".join(str(note or "").split())[:MAX_NOTE]
    if not reason:
        message = _("Say why the order is cancelled.")
        raise InvalidInput(message, code="cancel_reason_required", fields={"reason": message})
    if reason not in CancelReason.values:
        message = _("Must be one of: %(choices)s.") % {"choices": ", ".join(CancelReason.values)}
        raise InvalidInput(message, fields={"reason": message})
    if reason == CancelReason.OTHER and not note:
        message = _("Describe the reason when it is “other”.")
        raise InvalidInput(message, code="cancel_reason_required", fields={"note": message})
    return str(reason), note


@transaction.atomic
def cancel_order(*, actor: Actor, order: Order, reason: str, note: str = "",
                 refund: bool = False) -> Order:
    """Cancel with a reason code: the stock it holds goes back (and what it waited for is no
    longer awaited), the money side is told inside the same transaction (with `refund`, it
    gives back everything refundable, or the whole cancellation is refused), and the reason
    is on the order and its timeline."""
    order = _locked(order)
    transition = _allowed(actor, order, Status.CANCELLED)
    reason, note = clean_cancel_reason(reason, note)
    reservations.release_stock(actor=stock_actor(actor, order.shop), shop=order.shop,
                               reference=reference(order))
    hooks.announce("orders.cancelled", order=order, actor=actor, reason=reason, refund=refund)
    order.cancel_reason, order.cancel_note = reason, note
    return _move(order, transition, actor=actor, note=note,
                 fields=("cancel_reason", "cancel_note"), reason=reason)


ACTIONS = {
    Status.PENDING_CONFIRMATION: confirm_paid,
    Status.ACCEPTED: accept_order,
    Status.PREPARING: start_preparing,
    Status.SHIPPED: ship_order,
    Status.IN_TRANSIT: mark_in_transit,
    Status.DELIVERED: mark_delivered,
    Status.COMPLETED: complete_order,
}


def transition_order(*, actor: Actor, order: Order, to: str, note: str = "",
                     reason: str | None = None, refund: bool = False) -> Order:
    """Move an order to `to` by the business action that leads there (a cancellation needs
    `reason`, and may `refund`). An unknown or disallowed target is refused by the lifecycle
    table."""
    if to == Status.CANCELLED:
        return cancel_order(actor=actor, order=order, reason=reason or "", note=note,
                            refund=refund)
    action = ACTIONS.get(to)
    if action is None:
        states.check(order.status, to, actor.kind)  # names what is allowed instead
        raise AssertionError("unreachable: the table has no other target")
    return action(actor=actor, order=order, note=note)
