"""Units the shop cannot supply after all are dropped from an accepted order (even one
partly shipped): the lines shrink, what they held or waited for is released, the order is
repriced, and, with `refund`, what was paid beyond the new total goes back through the
`orders.total_reduced` hook — all in one transaction, on the timeline as an edit.

Which units may go (not those already shipped) is for the caller to say: the fulfillment
app knows what left, orders does not."""

from django.db import transaction
from django.utils.translation import gettext as _

from dingdan.errors import Conflict, InvalidInput
from dingdan.inventory.services import reservations
from dingdan.orders.models import Order
from dingdan.orders.services.editing import commit_line_change
from dingdan.orders.services.placement import reference, stock_actor
from dingdan.orders.states import Status
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require

MAY_SHORTEN = frozenset({Status.ACCEPTED, Status.PREPARING, Status.SHIPPED,
                         Status.IN_TRANSIT})
MAX_REASON = 300


@transaction.atomic
def drop_units(*, actor: Actor, order: Order, units: dict[int, int], kept: dict[int, int],
               reason: str, refund: bool = False) -> Order:
    """Drop `units` (line id → units) from the order; no line below `kept` (line id →
    units that must stay, e.g. shipped). A line left with nothing goes. Without `refund`
    the new total may not fall below what the customer kept paid."""
    require(actor, "orders.edit", order.shop)
    reason = " ".join(str(reason or "").split())[:MAX_REASON]
    if not reason:
        message = _("Say why these units are dropped (the customer reads it).")
        raise InvalidInput(message, fields={"reason": message})
    order = Order.objects.select_for_update().select_related("shop").get(
        pk=order.pk, shop=order.shop_id)
    if order.status not in MAY_SHORTEN:
        raise Conflict(_("An order that is %(status)s cannot drop units.")
                       % {"status": Status(order.status).label}, code="not_shortenable")
    lines = {line.pk: line for line in order.lines.select_related("variant__product")}
    units = {pk: n for pk, n in units.items() if n}
    if not units:
        message = _("Choose the units to drop.")
        raise InvalidInput(message, fields={"lines": message})
    for pk, n in units.items():
        line = lines.get(pk)
        if line is None:
            message = _("Line %(id)s is not a line of this order.") % {"id": pk}
            raise InvalidInput(message, fields={"lines": message})
        if not 0 < n <= line.quantity - kept.get(pk, 0):
            raise Conflict(
                _("%(name)s: at most %(left)s units can be dropped (the rest shipped).")
                % {"name": line.name, "left": line.quantity - kept.get(pk, 0)},
                code="over_shipment")
    if all(units.get(pk, 0) >= line.quantity for pk, line in lines.items()):
        raise Conflict(_("That is every unit of the order: cancel the order instead."),
                       code="nothing_left")
    before = [{"sku": line.sku, "quantity": line.quantity} for line in lines.values()]
    goods: dict[int, int] = {}
    for pk, n in units.items():
        line = lines[pk]
        if not line.variant.product.is_service:
            goods[line.variant_id] = goods.get(line.variant_id, 0) + n
        if n == line.quantity:
            line.delete()
            continue
        line.quantity -= n
        line.total_cents = line.unit_price_cents * line.quantity
        line.save(update_fields=["quantity", "total_cents"])
    if goods:
        reservations.release_stock(actor=stock_actor(actor, order.shop), shop=order.shop,
                                   reference=reference(order), variants=goods)
    return commit_line_change(order, actor=actor, before=before, note=reason,
                              refund_as=actor if refund else None)
