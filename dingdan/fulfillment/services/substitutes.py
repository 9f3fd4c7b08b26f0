"""Out of stock after the order was accepted: the shop offers another SKU for the units it
cannot supply, at a price it names; the customer accepts or declines on the order link.
Accepting swaps the units on the order (orders/services/substituting.py: stock, price,
the refund of a cheaper substitute) and the order then follows its shipments. Every step
is on the timeline, in the same transaction as the change."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.catalog.models import Variant
from dingdan.errors import Conflict, InvalidInput
from dingdan.fulfillment import events
from dingdan.fulfillment.models import SubstituteOffer, SubstituteStatus
from dingdan.fulfillment.selectors.shipments import units_by_line
from dingdan.fulfillment.services import progress
from dingdan.inventory.errors import InsufficientStock
from dingdan.orders.models import Order
from dingdan.orders.services import substituting
from dingdan.orders.services.customer_changes import customer_actor
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require
from dingdan.whole_numbers import MAX_CENTS, is_whole, whole_number

MAX_NOTE = 300


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("shop").get(
        pk=order.pk, shop=order.shop_id)


def _clean_note(note: str) -> str:
    return " ".join(str(note or "").split())[:MAX_NOTE]


@transaction.atomic
def offer_substitute(*, actor: Actor, order: Order, line_id, variant_id,
                     quantity=None, unit_price_cents=None, note: str = "") -> SubstituteOffer:
    """Offer `quantity` units of another SKU (all the line's units still to ship unless
    said) for units of `line_id`, at `unit_price_cents` each (the substitute's price unless
    said). One open offer per line; the order must be accepted and not yet shipped."""
    require(actor, "orders.edit", order.shop)
    order = _lock(order)
    substituting.refuse_unless_substitutable(order)
    line = (order.lines.select_related("variant__product").filter(pk=line_id).first()
            if is_whole(line_id, minimum=1) else None)
    if line is None:
        message = _("Choose a line of this order.")
        raise InvalidInput(message, fields={"line_id": message})
    variant = (Variant.objects.select_related("product")
               .filter(pk=variant_id, shop=order.shop).first()
               if is_whole(variant_id, minimum=1) else None)
    if variant is None:
        message = _("Choose a product of this shop.")
        raise InvalidInput(message, fields={"variant_id": message})
    substituting.refuse_unless_substitute_for(variant, line)
    left = line.quantity - units_by_line(order).get(line.pk, 0)
    if left <= 0:
        raise Conflict(_("Every unit of %(name)s has shipped: nothing is left to replace.")
                       % {"name": line.name}, code="nothing_to_replace")
    quantity = left if quantity is None else whole_number(
        quantity, "quantity", minimum=1, maximum=left,
        message=_("Choose from 1 to %(left)s units: that many are still to ship.")
        % {"left": left})
    unit_price_cents = variant.price_cents if unit_price_cents is None else whole_number(
        unit_price_cents, "unit_price_cents", maximum=MAX_CENTS)
    if SubstituteOffer.objects.filter(order_line=line, status=SubstituteStatus.OFFERED).exists():
        raise Conflict(_("%(name)s already has an open offer: withdraw it first.")
                       % {"name": line.name}, code="substitute_open")
    offer = SubstituteOffer.objects.create(
        shop=order.shop, order=order, order_line=line, original_sku=line.sku,
        original_name=line.name, original_unit_price_cents=line.unit_price_cents,
        variant=variant, sku=variant.sku, name=variant.display_name, quantity=quantity,
        unit_price_cents=unit_price_cents, note=_clean_note(note),
        offered_by=actor.user, offered_label=actor.label[:150])
    events.substitute_offered(offer, actor=actor)
    return offer


def _open_offer(order: Order, offer_id: int) -> SubstituteOffer:
    """The order's offer, re-read under the order's lock; refused once decided."""
    offer = (SubstituteOffer.objects.select_for_update().select_related("variant")
             .filter(pk=offer_id, order=order, shop_id=order.shop_id).first())
    if offer is None:
        raise InvalidInput(_("No such substitute offer."))
    if not offer.is_open:
        raise Conflict(_("This offer was already %(status)s.")
                       % {"status": offer.get_status_display().lower()},
                       code="substitute_decided")
    offer.order = order
    return offer


def _decide(offer: SubstituteOffer, actor: Actor, status: str) -> None:
    offer.status = status
    offer.decided_at = timezone.now()
    offer.decided_label = actor.label[:150]
    offer.save(update_fields=["status", "decided_at", "decided_label"])


@transaction.atomic
def withdraw_substitute(*, actor: Actor, offer: SubstituteOffer, note: str = "") -> SubstituteOffer:
    """The shop takes back an offer the customer has not decided on."""
    require(actor, "orders.edit", offer.shop)
    order = _lock(offer.order)
    offer = _open_offer(order, offer.pk)
    _decide(offer, actor, SubstituteStatus.WITHDRAWN)
    events.substitute_withdrawn(offer, actor=actor, note=_clean_note(note))
    return offer


@transaction.atomic
def accept_substitute(*, order: Order, offer_id: int) -> SubstituteOffer:
    """The customer takes the substitute: its units replace those of the line, reserved
    from stock now. While the substitute is not in stock the acceptance is refused and the
    offer stays open."""
    actor = customer_actor(order)
    order = _lock(order)
    offer = _open_offer(order, offer_id)
    if offer.order_line_id is None:
        raise Conflict(_("The order changed since this offer was made; the shop will be in "
                         "touch."), code="line_gone")
    total_before = order.total_cents
    reason = _("Substitute accepted: %(name)s × %(quantity)s instead of %(original)s") % {
        "name": offer.name, "quantity": offer.quantity, "original": offer.original_name}
    try:
        order = substituting.substitute_units(
            actor=actor, order=order, line_id=offer.order_line_id, units=offer.quantity,
            kept=units_by_line(order), variant=offer.variant,
            unit_price_cents=offer.unit_price_cents, reason=reason)
    except InsufficientStock as exc:
        raise Conflict(_("Sorry, %(name)s has just run out, so it cannot be sent instead. "
                         "The offer stays open: try again later, or decline it.")
                       % {"name": offer.name}, code="substitute_out_of_stock",
                       details=exc.details) from exc
    order = progress.follow(order, actor=actor)
    offer.order = order
    _decide(offer, actor, SubstituteStatus.ACCEPTED)
    events.substitute_accepted(offer, actor=actor, total_before=total_before)
    return offer


@transaction.atomic
def decline_substitute(*, order: Order, offer_id: int, note: str = "") -> SubstituteOffer:
    """The customer does not want the substitute: the order stays as it was."""
    actor = customer_actor(order)
    order = _lock(order)
    offer = _open_offer(order, offer_id)
    _decide(offer, actor, SubstituteStatus.DECLINED)
    events.substitute_declined(offer, actor=actor, note=_clean_note(note))
    return offer
