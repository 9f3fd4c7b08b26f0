"""Writes for orders: placing one and moving it through its lifecycle. Each function is one
use case in one transaction, checks permission, and appends to the order's timeline."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dingdan.catalog.models import Variant
from dingdan.customers.cleaning import clean_address
from dingdan.customers.services import find_or_create_customer
from dingdan.errors import InvalidInput
from dingdan.inventory import reservations
from dingdan.inventory.ledger import Reference
from dingdan.shops.actors import Actor, ActorKind
from dingdan.shops.config import shop_settings
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require

from . import events, numbering, pricing, review, selectors, states
from .models import Channel, DeliveryMethod, FulfillmentStatus, Order, OrderLine, PaymentStatus
from .states import Status

MAX_LINES = 200
MAX_QUANTITY = 100_000


@dataclass(frozen=True)
class CustomerInput:
    name: str
    phone: str | None = None
    address: str | None = None


def reference(order: Order) -> Reference:
    return Reference("order", str(order.pk))


def variants_for_lines(
    shop: Shop, lines: list[tuple[str, int]]
) -> list[tuple[Variant, int]]:
    """The shop's variants for (sku, quantity) lines, or InvalidInput naming every bad line."""
    if not lines:
        raise InvalidInput(_("An order needs at least one line."),
                           fields={"lines": _("Add at least one product.")})
    if len(lines) > MAX_LINES:
        message = _("At most %(n)d lines per order.") % {"n": MAX_LINES}
        raise InvalidInput(message, fields={"lines": message})
    by_sku = {
        v.sku: v
        for v in Variant.objects.filter(shop=shop, sku__in={sku for sku, _q in lines})
        .select_related("product")
    }
    problems = {}
    for n, (sku, quantity) in enumerate(lines):
        variant = by_sku.get(sku)
        if variant is None:
            problems[f"lines.{n}.sku"] = _("No product with the SKU %(sku)s.") % {"sku": sku}
        elif not (variant.is_active and variant.product.is_active):
            problems[f"lines.{n}.sku"] = _("%(name)s is not on sale.") % {
                "name": variant.display_name}
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not (
            0 < quantity <= MAX_QUANTITY
        ):
            problems[f"lines.{n}.quantity"] = _("Must be a whole number from 1 to %(max)s.") % {
                "max": MAX_QUANTITY}
    if problems:
        unknown = [f for f, m in problems.items() if f.endswith(".sku")]
        raise InvalidInput(
            _("Some lines cannot be ordered: %(fields)s.") % {"fields": ", ".join(problems)},
            code="unknown_sku" if unknown else "invalid_input",
            fields=problems,
        )
    return [(by_sku[sku], quantity) for sku, quantity in lines]


@transaction.atomic
def place_order(
    *,
    actor: Actor,
    shop: Shop,
    customer: CustomerInput,
    lines: list[tuple[str, int]],
    channel: str = Channel.MANUAL,
    delivery_method: str = DeliveryMethod.EXPRESS,
    note: str = "",
    unit_prices: dict[str, int] | None = None,
) -> Order:
    """Take an order: prices come from the catalog (or `unit_prices`, sku → fen, set by the
    server, e.g. a group-buy campaign's prices), the customer is found by phone or
    created, stock is reserved (the whole order is refused on a shortage unless the shop
    takes backorders), and the timeline starts with who placed it from where."""
    require(actor, "orders.create", shop)
    unit_prices = unit_prices or {}
    if any(isinstance(c, bool) or not isinstance(c, int) or c < 0 for c in unit_prices.values()):
        message = _("An amount cannot be negative.")
        raise InvalidInput(message, fields={"unit_prices": message})
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."), fields={"channel": _("Unknown channel.")})
    if delivery_method not in DeliveryMethod.values:
        message = _("Unknown delivery method.")
        raise InvalidInput(message, fields={"delivery_method": message})
    wanted = variants_for_lines(shop, lines)
    person, new_customer = find_or_create_customer(
        actor=actor, shop=shop, name=customer.name, phone=customer.phone,
        address_line=customer.address,
    )
    # The order goes where this order says, also when the customer's default is elsewhere.
    address = clean_address(customer.address)
    priced = [pricing.PricedLine(v, q, unit_prices.get(v.sku, v.price_cents)) for v, q in wanted]
    totals = pricing.totals(shop, priced, delivery_method=delivery_method)
    requires_prepayment = shop_settings(shop).requires_prepayment
    order = _create_with_number(
        shop,
        channel=channel,
        status=Status.PENDING_PAYMENT if requires_prepayment else Status.PENDING_CONFIRMATION,
        delivery_method=delivery_method,
        customer=person,
        customer_name=person.name,
        customer_phone=person.phone,
        province=address.province if address else "",
        city=address.city if address else "",
        district=address.district if address else "",
        address_detail=address.detail if address else "",
        note=(note or "")[:500],
        subtotal_cents=totals.subtotal_cents,
        discount_cents=totals.discount_cents,
        shipping_cents=totals.shipping_cents,
        tax_cents=totals.tax_cents,
        total_cents=totals.total_cents,
    )
    order_lines = OrderLine.objects.bulk_create([
        OrderLine(
            shop=shop, order=order, variant=line.variant, sku=line.variant.sku,
            name=line.variant.display_name, quantity=line.quantity,
            unit_price_cents=line.unit_price_cents, discount_cents=line.discount_cents,
            total_cents=line.total_cents,
        )
        for line in priced
    ])
    backordered = {}
    if reserves_at_placement(shop):
        held = reservations.reserve_stock(
            actor=actor, shop=shop, lines=wanted, reference=reference(order)
        )
        backordered = {
            v.sku: held.backordered[v.pk] for v, _q in wanted if v.pk in held.backordered
        }
    events.placed(order, actor=actor, channel=channel, backordered=backordered)
    flags = review.record_flags(
        order,
        review.flags_for_new_order(order, order_lines, backordered, new_customer=new_customer),
        actor=actor,
    )
    return selectors.order_as_placed(order, lines=order_lines, flags=flags)


def reserves_at_placement(shop: Shop) -> bool:
    """The shop's choice: hold stock when an order arrives (default), or only when the
    merchant accepts it (the `reserve_stock_on` setting)."""
    return shop_settings(shop).reserves_at_placement


def holds_stock(order: Order) -> bool:
    """Whether this order has had its stock reserved by now."""
    return reserves_at_placement(order.shop) or order.status not in (
        Status.PENDING_PAYMENT, Status.PENDING_CONFIRMATION
    )


def _create_with_number(shop: Shop, **fields) -> Order:
    # A random-suffix number can collide; a savepoint lets us draw again.
    for attempt in range(5):
        try:
            with transaction.atomic():
                return Order.objects.create(shop=shop, number=numbering.next_number(shop),
                                            **fields)
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _check_guards(order: Order, transition: states.Transition) -> None:
    shop = order.shop
    for guard in transition.guards:
        if guard == "is_paid" and order.payment_status != PaymentStatus.PAID:
            raise states.InvalidTransition(_("The order is not paid yet."), code="not_paid")
        if (
            guard == "payment_allows_shipping"
            and shop_settings(shop).requires_prepayment
            and order.payment_status not in (PaymentStatus.PAID,)
        ):
            raise states.InvalidTransition(
                _("This shop ships only paid orders, and this one is not paid."),
                code="not_paid",
            )


@transaction.atomic
def transition_order(*, actor: Actor, order: Order, to: str, note: str = "") -> Order:
    """Move an order to another status if the lifecycle table allows it for this actor.
    Cancelling releases its stock; shipping takes its reserved stock off the shelf."""
    shop = order.shop
    order = Order.objects.select_for_update().select_related("shop").get(pk=order.pk, shop=shop)
    transition = states.check(order.status, to, actor.kind)
    if actor.kind in (ActorKind.STAFF, ActorKind.API):
        require(actor, transition.action, shop)
    elif actor.shop_id != shop.pk:
        require(actor, transition.action, shop)  # answers "not found"
    _check_guards(order, transition)
    before = order.status
    if transition.to == Status.ACCEPTED and not holds_stock(order):
        # Reserve-at-acceptance shops: accepting is when the stock is promised.
        lines = order.lines.select_related("variant__product")
        reservations.reserve_stock(
            actor=stock_actor(actor, shop), shop=shop, reference=reference(order),
            lines=[(line.variant, line.quantity) for line in lines],
        )
    if transition.to == Status.CANCELLED:
        reservations.release_stock(actor=stock_actor(actor, shop), shop=shop,
                                   reference=reference(order))
    elif transition.to == Status.SHIPPED:
        _ship_everything_held(actor, order)
        order.fulfillment_status = FulfillmentStatus.SHIPPED
    elif transition.to == Status.DELIVERED:
        order.fulfillment_status = FulfillmentStatus.DELIVERED
    order.status = transition.to
    order.version += 1
    order.save(update_fields=["status", "fulfillment_status", "version", "updated_at"])
    events.status_changed(order, actor=actor, before=before, after=order.status, note=note)
    return order


def stock_actor(actor: Actor, shop: Shop) -> Actor:
    """The actor for the stock steps of an allowed transition. A customer (cancelling from
    their order page) has no staff role, so the shop acts for them; everyone else is
    recorded in the stock ledger as themselves."""
    return Actor.system(shop) if actor.kind == ActorKind.CUSTOMER else actor


def _ship_everything_held(actor: Actor, order: Order) -> None:
    held = reservations.held_for(reference(order))
    if not held:
        return
    variants = Variant.objects.select_related("product").in_bulk(list(held))
    reservations.ship_stock(
        actor=stock_actor(actor, order.shop), shop=order.shop, reference=reference(order),
        lines=[(variants[pk], units) for pk, units in held.items()],
    )


def move_orders_to_customer(*, actor: Actor, keep, merge) -> int:
    """Part of merging two customers (the caller checked permission and holds the
    transaction): `merge`'s orders now belong to `keep`, each with a timeline entry. What
    was written on the order at the time (name, phone, address) stays as it was."""
    orders = list(Order.objects.select_for_update().filter(shop=keep.shop_id, customer=merge))
    for order in orders:
        events.customer_merged(order, actor=actor, from_id=merge.pk, to_id=keep.pk)
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(customer=keep)
    return len(orders)
