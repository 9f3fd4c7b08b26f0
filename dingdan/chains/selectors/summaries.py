"""What a campaign adds up to, read from its orders as they are now (edits included,
cancelled orders left out): totals by product, by pickup point × product, and a pick list
per pickup point with each customer, phone and items. Read-only."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from dingdan.chains.models import Campaign, ChainEntry, Fulfilment
from dingdan.chains.selectors.campaigns import campaign_items, campaign_points
from dingdan.orders.models import OrderLine
from dingdan.orders.privacy import contact_as_seen_by
from dingdan.orders.states import Status


@dataclass
class ProductTotal:
    sku: str
    name: str
    quantity: int = 0
    amount_cents: int = 0


@dataclass
class PickRow:
    seq: int
    order_id: int
    order_number: str
    status: str
    customer: str
    phone: str
    address: str
    items: list[tuple[str, int]]
    note: str
    total_cents: int


@dataclass
class PickList:
    point: str  # "" for orders delivered to an address
    address: str
    rows: list[PickRow] = field(default_factory=list)
    products: list[ProductTotal] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.point or str(_("Delivery"))


@dataclass
class CampaignSummary:
    products: list[ProductTotal]
    pick_lists: list[PickList]
    order_count: int
    total_cents: int

    @property
    def by_point(self) -> list[tuple[str, ProductTotal]]:
        """(pickup point, product total) for every point and product it needs."""
        return [(pick.label, product) for pick in self.pick_lists for product in pick.products]


def campaign_summary(campaign: Campaign, *, pii: bool) -> CampaignSummary:
    """The campaign's live orders summed up; `pii` False masks phones and addresses (see
    orders.privacy)."""
    entries = list(
        ChainEntry.objects.filter(shop=campaign.shop_id, campaign=campaign)
        .exclude(order__status=Status.CANCELLED)
        .select_related("order", "pickup_point")
        .prefetch_related(Prefetch("order__lines", queryset=OrderLine.objects.order_by("id")))
        .order_by("seq", "id")
    )
    rank = {item.variant.sku: n for n, item in enumerate(campaign_items(campaign))}
    products: dict[str, ProductTotal] = {}
    lists: dict[int | None, PickList] = {}
    if campaign.fulfilment == Fulfilment.PICKUP:
        for point in campaign_points(campaign):
            lists[point.pk] = PickList(point.name, point.address)
    point_products: dict[int | None, dict[str, ProductTotal]] = defaultdict(dict)
    total = 0
    for entry in entries:
        order = entry.order
        point = entry.pickup_point
        pick = lists.get(entry.pickup_point_id)
        if pick is None:
            pick = lists[entry.pickup_point_id] = PickList(
                point.name if point else "", point.address if point else "")
        items = []
        for line in order.lines.all():
            items.append((line.name, line.quantity))
            for table in (products, point_products[entry.pickup_point_id]):
                row = table.setdefault(line.sku, ProductTotal(line.sku, line.name))
                row.quantity += line.quantity
                row.amount_cents += line.total_cents
        total += order.total_cents
        contact = contact_as_seen_by(order, pii=pii)
        pick.rows.append(PickRow(
            seq=entry.seq, order_id=order.pk, order_number=order.number, status=order.status,
            customer=contact.name, phone=contact.phone,
            address=contact.address if point is None else "",
            items=items, note=entry.note, total_cents=order.total_cents,
        ))

    def ordered(table: dict[str, ProductTotal]) -> list[ProductTotal]:
        return sorted(table.values(), key=lambda p: (rank.get(p.sku, len(rank)), p.name, p.sku))

    for key, pick in lists.items():
        pick.products = ordered(point_products[key])
    return CampaignSummary(ordered(products), list(lists.values()), len(entries), total)
