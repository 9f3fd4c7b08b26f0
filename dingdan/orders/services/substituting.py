"""Units of a line the shop cannot supply are replaced by units of another SKU the customer
agreed to: the original line shrinks (or goes), what it held or waited for is released, a
line for the substitute is added and reserved from stock, the order is repriced and, when
it got cheaper, what was paid beyond the new total goes back through the
`orders.total_reduced` hook — all in one transaction, on the timeline as an edit.

Which units may go (not those already shipped) is for the caller to say, as for
`shortening.drop_units`: the fulfillment app knows what left, orders does not."""

from django.db import transaction
from django.utils.translation import gettext as _

from dingdan.catalog.models import Variant
from dingdan.errors import Conflict, InvalidInput
from dingdan.inventory.services import reservations
from dingdan.orders.models import Order, OrderLine
from dingdan.orders.services.editing import commit_line_change
from dingdan.orders.services.placement import reference, stock_actor
from dingdan.orders.states import Status
from dingdan.shops.actors import Actor, ActorKind
from dingdan.shops.permissions import require

# Accepted, and maybe shipped in part: "ship what is here now, offer something else for
# the rest" is the usual case. The caller checks that units are left to replace.
MAY_SUBSTITUTE = frozenset({Status.ACCEPTED, Status.PREPARING, Status.SHIPPED,
                            Status.IN_TRANSIT})


def refuse_unless_substitutable(order: Order) -> None:
    if order.status not in MAY_SUBSTITUTE:
        raise Conflict(_("An order that is %(status)s cannot take a substitute.")
                       % {"status": Status(order.status).label}, code="not_substitutable")


def refuse_unless_substitute_for(variant: Variant, line: OrderLine) -> None:
    """A substitute is another goods SKU of the line's shop that is on sale."""
    if variant.shop_id != line.shop_id:
        message = _("No such product in this shop.")
        raise InvalidInput(message, fields={"variant_id": message})
    if variant.pk == line.variant_id:
        message = _("Choose a product other than the one it replaces.")
        raise InvalidInput(message, fields={"variant_id": message})
    if not (variant.is_active and variant.product.is_active):
        message = _("%(name)s is not on sale.") % {"name": variant.display_name}
        raise InvalidInput(message, fields={"variant_id": message})
    if variant.product.is_service or line.variant.product.is_service:
        message = _("Only goods can be replaced by other goods.")
        raise InvalidInput(message, fields={"variant_id": message})


@transaction.atomic
def substitute_units(*, actor: Actor, order: Order, line_id: int, units: int,
                     kept: dict[int, int], variant: Variant, unit_price_cents: int,
                     reason: str) -> Order:
    """Replace `units` of line `line_id` (never below `kept`, line id → units that must
    stay, e.g. shipped) by as many units of `variant` at `unit_price_cents`. Refused with
    InsufficientStock, before anything moved, when the substitute is not in stock. The
    customer accepts on their own order; staff need `orders.edit`."""
    if actor.kind != ActorKind.CUSTOMER:
        require(actor, "orders.edit", order.shop)
    order = Order.objects.select_for_update().select_related("shop").get(
        pk=order.pk, shop=order.shop_id)
    refuse_unless_substitutable(order)
    line = order.lines.select_related("variant__product").filter(pk=line_id).first()
    if line is None:
        raise Conflict(_("The line to replace is no longer on the order."), code="line_gone")
    variant = Variant.objects.select_related("product").get(pk=variant.pk)
    refuse_unless_substitute_for(variant, line)
    if not 0 < units <= line.quantity - kept.get(line.pk, 0):
        raise Conflict(
            _("%(name)s: at most %(left)s units can be replaced (the rest shipped).")
            % {"name": line.name, "left": line.quantity - kept.get(line.pk, 0)},
            code="over_shipment")
    before = [{"sku": each.sku, "quantity": each.quantity} for each in order.lines.all()]
    shop_actor = stock_actor(actor, order.shop)
    # The substitute first, with no backorder: while it is not in stock nothing else moves.
    reservations.reserve_stock(actor=shop_actor, shop=order.shop, lines=[(variant, units)],
                               reference=reference(order), allow_backorder=False)
    reservations.release_stock(actor=shop_actor, shop=order.shop, reference=reference(order),
                               variants={line.variant_id: units})
    if units == line.quantity:
        line.delete()
    else:
        line.quantity -= units
        line.total_cents = line.unit_price_cents * line.quantity - line.discount_cents
        line.save(update_fields=["quantity", "total_cents"])
    OrderLine.objects.create(shop=order.shop, order=order, variant=variant, sku=variant.sku,
                             name=variant.display_name, quantity=units,
                             unit_price_cents=unit_price_cents,
                             total_cents=unit_price_cents * units)
    # A cheaper substitute was the shop's offer: it gives back the difference for the
    # customer (nothing goes back when the order did not get cheaper).
    return commit_line_change(order, actor=actor, before=before, note=reason,
                              refund_as=shop_actor)
