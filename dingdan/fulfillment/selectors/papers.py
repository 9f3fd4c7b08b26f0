"""What each printed paper holds, read from the shop's orders as they are now. Three queries
whatever the number of orders (the orders, all their lines, their shipments' tracking
numbers): printing 500 packing slips costs what printing one does. Personal data is masked
for roles without "customers.view_pii" (orders.privacy decides), on paper as on screen."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from dingdan.errors import InvalidInput, NotFound
from dingdan.fulfillment.carriers import CARRIERS
from dingdan.fulfillment.models import VOID, Shipment, ShopCarrier
from dingdan.localtime import shop_time
from dingdan.orders.models import Order, OrderLine
from dingdan.orders.privacy import OrderContact, contact_as_seen_by
from dingdan.orders.states import Status
from dingdan.shops.models import Shop

# At most this many orders on one print: a day's parcels of a busy small shop, and a PDF
# WeasyPrint draws in under a minute.
MAX_ORDERS = 500


@dataclass(frozen=True)
class PaperLine:
    sku: str
    name: str
    quantity: int
    unit_price_cents: int
    total_cents: int


@dataclass(frozen=True)
class Tracking:
    carrier: str  # the carrier's name (顺丰速运)
    number: str


@dataclass(frozen=True)
class PaperOrder:
    """One order as every paper prints it."""

    order_id: int
    number: str
    status: str
    status_label: str
    placed_at: str  # on the shop's clock
    delivery_method: str
    delivery_label: str
    contact: OrderContact
    note: str
    lines: list[PaperLine]
    subtotal_cents: int
    discount_cents: int
    shipping_cents: int
    total_cents: int
    link: str  # the customer's own page of the order, absolute
    tracking: list[Tracking]  # of its shipments that were not cancelled

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


@dataclass
class ProductTotal:
    sku: str
    name: str
    quantity: int = 0
    order_count: int = 0


@dataclass
class PickList:
    """What to take off the shelves for a set of orders: each product once with the
    quantity all of them need, then each order's own lines to pack it."""

    products: list[ProductTotal]
    orders: list[PaperOrder]
    left_out: list[str] = field(default_factory=list)  # numbers of cancelled orders

    @property
    def item_count(self) -> int:
        return sum(product.quantity for product in self.products)


def papers_of_orders(shop: Shop, order_ids: Iterable[int], *, pii: bool,
                     link: Callable[[str], str]) -> list[PaperOrder]:
    """The orders with these ids, in the order asked for (each once), ready to print.
    None, or more than MAX_ORDERS, is refused; an id that is not one of this shop's orders
    answers as missing. `link` turns an order's link token into its customer page's URL."""
    ids = list(dict.fromkeys(order_ids))
    if not ids:
        message = _("Choose at least one order to print.")
        raise InvalidInput(message, code="no_orders", fields={"order": message})
    if len(ids) > MAX_ORDERS:
        raise too_many_orders(len(ids))
    tracked = (Shipment.objects.exclude(status__in=VOID).exclude(tracking_number="")
               .order_by("id"))
    found = {
        order.pk: order
        for order in Order.objects.filter(shop=shop, pk__in=ids).prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("id"), to_attr="paper_lines"),
            Prefetch("shipments", queryset=tracked, to_attr="paper_shipments"))
    }
    if len(found) != len(ids):
        raise NotFound(_("Order not found."), code="order_not_found")
    names = _carrier_names(shop, {shipment.carrier for order in found.values()
                                  for shipment in order.paper_shipments})
    return [paper_order(shop, found[pk], pii=pii, link=link, carrier_names=names)
            for pk in ids]


def _carrier_names(shop: Shop, codes: set[str]) -> dict[str, str]:
    """Carrier code → name: the built-in carriers, then the shop's own (read only when one
    of its codes is on the orders)."""
    names = {code: str(CARRIERS[code].name) for code in codes if code in CARRIERS}
    if codes - set(names):
        names.update(ShopCarrier.objects.filter(shop=shop, code__in=codes - set(names))
                     .values_list("code", "name"))
    return names


def too_many_orders(count: int) -> InvalidInput:
    message = _("At most %(most)d orders can be printed at once; %(n)d were chosen.") % {
        "most": MAX_ORDERS, "n": count}
    return InvalidInput(message, code="too_many_orders", fields={"order": message})


def paper_order(shop: Shop, order: Order, *, pii: bool, link: Callable[[str], str],
                carrier_names: dict[str, str]) -> PaperOrder:
    """One order (its lines and tracked shipments prefetched) as the papers print it."""
    lines = order.paper_lines
    return PaperOrder(
        order_id=order.pk,
        number=order.number,
        status=order.status,
        status_label=str(order.get_status_display()),
        placed_at=shop_time(shop, order.created_at),
        delivery_method=order.delivery_method,
        delivery_label=str(order.get_delivery_method_display()),
        contact=contact_as_seen_by(order, pii=pii),
        note=order.note,
        lines=[PaperLine(line.sku, line.name, line.quantity, line.unit_price_cents,
                         line.total_cents) for line in lines],
        subtotal_cents=order.subtotal_cents,
        discount_cents=order.discount_cents + order.order_discount_cents,
        shipping_cents=order.shipping_cents,
        total_cents=order.total_cents,
        link=link(order.link_token),
        tracking=[Tracking(carrier_names.get(shipment.carrier, shipment.carrier),
                           shipment.tracking_number) for shipment in order.paper_shipments],
    )


def pick_list(orders: list[PaperOrder]) -> PickList:
    """The products the orders need, summed (most needed first, then by name); cancelled
    orders are left out and named, so nobody picks goods for them."""
    live = [order for order in orders if not order.is_cancelled]
    totals: dict[str, ProductTotal] = {}
    for order in live:
        for line in order.lines:
            row = totals.setdefault(line.sku, ProductTotal(line.sku, line.name))
            row.quantity += line.quantity
        for sku in {line.sku for line in order.lines}:
            totals[sku].order_count += 1
    products = sorted(totals.values(), key=lambda p: (-p.quantity, p.name, p.sku))
    return PickList(products, live, [order.number for order in orders if order.is_cancelled])
