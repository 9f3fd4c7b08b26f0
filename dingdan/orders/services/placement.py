"""Placing an order: pricing, the customer, its number, stock and its first timeline entry.
In one transaction, with a permission check; the lifecycle after placement is lifecycle.py."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dingdan.catalog.models import Variant
from dingdan.customers.cleaning import clean_address
from dingdan.customers.services.customers import find_or_create_customer
from dingdan.errors import InvalidInput
from dingdan.inventory.services import reservations
from dingdan.inventory.services.ledger import Reference
from dingdan.orders import events, numbering, pricing
from dingdan.orders.models import (
    Channel,
    DeliveryMethod,
    Order,
    OrderLine,
)
from dingdan.orders.selectors import orders as selectors
from dingdan.orders.services import review
from dingdan.orders.states import Status
from dingdan.shops.actors import Actor, ActorKind
from dingdan.shops.config import shop_settings
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require
from dingdan.whole_numbers import MAX_CENTS, is_whole, whole_number

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
        if not is_whole(quantity, minimum=1, maximum=MAX_QUANTITY):
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
    takes backorders), and the timeline starts with who placed it from where.

    A customer (a campaign's join page) orders for themselves: the page's service decides
    what they may order, and the shop keeps the customer record and the stock for them."""
    if actor.kind != ActorKind.CUSTOMER or actor.shop_id != shop.pk:
        require(actor, "orders.create", shop)
    for_shop = stock_actor(actor, shop)
    unit_prices = unit_prices or {}
    for sku, cents in unit_prices.items():
        whole_number(cents, f"unit_prices.{sku}", maximum=MAX_CENTS)
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."), fields={"channel": _("Unknown channel.")})
    if delivery_method not in DeliveryMethod.values:
        message = _("Unknown delivery method.")
        raise InvalidInput(message, fields={"delivery_method": message})
    wanted = variants_for_lines(shop, lines)
    person, new_customer = find_or_create_customer(
        actor=for_shop, shop=shop, name=customer.name, phone=customer.phone,
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
            actor=for_shop, shop=shop, lines=wanted, reference=reference(order)
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


def stock_actor(actor: Actor, shop: Shop) -> Actor:
    """The actor for the stock steps of an allowed change. A customer (acting from their
    order page) has no staff role, so the shop acts for them; everyone else is recorded in
    the stock ledger as themselves."""
    return Actor.system(shop) if actor.kind == ActorKind.CUSTOMER else actor
