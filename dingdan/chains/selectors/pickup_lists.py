"""The pickup list of one pickup point: every group-buy order waiting there to be collected
(not yet delivered, completed or cancelled), of every campaign or of one, with what each
customer takes home. Read in two queries; phones masked for roles without
"customers.view_pii" (orders.privacy decides)."""

from dataclasses import dataclass

from django.db.models import Prefetch

from dingdan.chains.models import Campaign, ChainEntry
from dingdan.fulfillment.models import PickupPoint
from dingdan.localtime import shop_time
from dingdan.orders.models import OrderLine
from dingdan.orders.privacy import contact_as_seen_by
from dingdan.orders.states import Status

COLLECTED = (Status.DELIVERED, Status.COMPLETED, Status.CANCELLED)


@dataclass(frozen=True)
class PickupRow:
    campaign: str
    seq: int
    order_number: str
    status_label: str
    customer: str
    phone: str
    items: list[tuple[str, int]]
    note: str


@dataclass(frozen=True)
class ProductCount:
    name: str
    quantity: int


@dataclass(frozen=True)
class PickupList:
    point: PickupPoint
    campaign: Campaign | None  # None: every campaign
    rows: list[PickupRow]
    products: list[ProductCount]
    is_masked: bool
    printed_at: str

    @property
    def campaigns(self) -> list[str]:
        return list(dict.fromkeys(row.campaign for row in self.rows))


def pickup_list(point: PickupPoint, *, campaign: Campaign | None, pii: bool,
                now) -> PickupList:
    """The orders still to be collected at `point` (of `campaign` only, when given), by
    campaign cut-off and chain number."""
    entries = (
        ChainEntry.objects.filter(shop=point.shop_id, pickup_point=point)
        .exclude(order__status__in=COLLECTED)
        .select_related("order", "campaign")
        .prefetch_related(Prefetch("order__lines", queryset=OrderLine.objects.order_by("id")))
        .order_by("campaign__cut_off_at", "campaign_id", "seq", "id")
    )
    if campaign is not None:
        entries = entries.filter(campaign=campaign)
    rows, totals = [], {}
    for entry in entries:
        order = entry.order
        contact = contact_as_seen_by(order, pii=pii)
        items = [(line.name, line.quantity) for line in order.lines.all()]
        for name, quantity in items:
            totals[name] = totals.get(name, 0) + quantity
        rows.append(PickupRow(
            campaign=entry.campaign.title, seq=entry.seq, order_number=order.number,
            status_label=str(order.get_status_display()), customer=contact.name,
            phone=contact.phone, items=items, note=entry.note,
        ))
    products = [ProductCount(name, quantity) for name, quantity in
                sorted(totals.items(), key=lambda item: (-item[1], item[0]))]
    return PickupList(point, campaign, rows, products, is_masked=not pii,
                      printed_at=shop_time(point.shop, now))
