"""Generated orders with everything that hangs off them: lines priced from the catalog by
the same pricing rules as a placed order, the snapshot of the customer, tags, flags, the
money ledger (a payment when paid, a refund when a paid order was cancelled, the order's
sums and payment status derived from them) and the timeline (placed, flagged, edits by
rules and staff, payments and refunds, every status change)."""

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field

from dingdan.orders import pricing
from dingdan.orders.models import (
    Channel,
    DeliveryMethod,
    Order,
    OrderEvent,
    OrderFlag,
    OrderLine,
    OrderTag,
    Priority,
)
from dingdan.orders.services.review import NEEDS_ADDRESS
from dingdan.orders.states import Status, payment_status_for
from dingdan.payments.models import Payment, Refund
from dingdan.shops.actors import ActorKind
from dingdan.shops.config import shop_settings
from dingdan.shops.models import Shop

from . import lifecycle, vocabulary
from .shopfront import Buyer, Sku, Staff
from .stock import StockBook
from .tables import TableWriter

CHANNELS = ((Channel.MINI_SHOP, 35), (Channel.CHAT, 25), (Channel.CHAIN, 15), (Channel.WEB, 10),
            (Channel.MANUAL, 8), (Channel.API, 5), (Channel.IMPORT, 2))
BY_API = {Channel.MINI_SHOP: "小程序", Channel.WEB: "网店", Channel.API: "ERP"}
DELIVERY = ((DeliveryMethod.EXPRESS, 70), (DeliveryMethod.LOCAL, 13), (DeliveryMethod.PICKUP, 17))
LINE_COUNTS = ((1, 45), (2, 28), (3, 15), (4, 8), (5, 4))
QUANTITIES = ((1, 70), (2, 18), (3, 6), (4, 3), (5, 2), (10, 1))
SERVICE_SHARE = 0.04
# How customers pay: before confirmation (prepayment) by transfer, otherwise on delivery too.
PAID_FIRST = (("wechat_pay", 62), ("alipay", 30), ("bank_transfer", 8))
PAID_LATER = (("wechat_pay", 40), ("alipay", 15), ("cash_on_delivery", 30), ("cash", 15))


def _table(pairs):
    values, weights = zip(*pairs, strict=True)
    return list(values), list(weights)


@dataclass
class Batch:
    orders: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    events: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    refunds: list = field(default_factory=list)


class OrderMaker:
    """Builds the rows of consecutive orders; ids are allocated here, in time order."""

    ORDER_FIELDS = [
        "id", "shop", "number", "channel", "status", "payment_status", "fulfillment_status",
        "delivery_method", "priority", "version", "customer", "customer_name",
        "customer_phone", "province", "city", "district", "address_detail", "subtotal_cents",
        "discount_cents", "shipping_cents", "tax_cents", "total_cents", "paid_cents",
        "refunded_cents", "note",
        "internal_note", "assignee", "needs_attention", "created_at", "updated_at",
        "order_discount_cents", "cancel_reason", "cancel_note",
    ]
    LINE_FIELDS = ["shop", "order", "variant", "sku", "name", "quantity", "unit_price_cents",
                   "discount_cents", "total_cents", "starts_at"]
    EVENT_FIELDS = ["shop", "order", "kind", "actor_kind", "actor_id", "actor_label", "data",
                    "note", "created_at"]
    FLAG_FIELDS = ["shop", "order", "code", "data", "created_at", "resolved_at", "resolved_by"]
    PAYMENT_FIELDS = ["id", "shop", "order", "method", "amount_cents", "status",
                      "failure_reason", "reference", "paid_at", "recorded_via",
                      "recorded_label", "proof", "provider_transaction_id", "created_at"]
    REFUND_FIELDS = ["id", "shop", "order", "number", "payment", "amount_cents", "reason", "method",
                     "reference", "status", "failure_reason", "settled_at",
                     "provider_refund_id", "recorded_via", "recorded_label", "created_at"]

    def __init__(self, *, shop: Shop, rng: random.Random, now: int, skus: list[Sku],
                 staff: list[Staff], buyers: list[Buyer], repeat: set[int], first_id: int,
                 stock: StockBook, reserves_at_placement: bool, first_payment_id: int = 1,
                 first_refund_id: int = 1):
        self.shop, self.rng, self.now = shop, rng, now
        self.shop_id = shop.pk
        self.zone = zoneinfo.ZoneInfo(shop.timezone)
        self.prepaid = shop_settings(shop).requires_prepayment
        self.reserves_at_placement = reserves_at_placement
        goods = [s for s in skus if not s.is_service]
        self.services = [s for s in skus if s.is_service]
        rng.shuffle(goods)
        self.goods = goods
        # Popularity falls off with rank: a few best sellers, a long tail.
        self.goods_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(goods))]
        self.staff, self.buyers, self.repeat = staff, buyers, repeat
        self.next_id = first_id
        self.stock = stock
        self.numbers: set[str] = set()
        self.channels = _table(CHANNELS)
        self.delivery = _table(DELIVERY)
        self.line_counts = _table(LINE_COUNTS)
        self.quantities = _table(QUANTITIES)
        self.writers = {
            "orders": TableWriter(Order, self.ORDER_FIELDS),
            "lines": TableWriter(OrderLine, self.LINE_FIELDS),
            "events": TableWriter(OrderEvent, self.EVENT_FIELDS),
            "flags": TableWriter(OrderFlag, self.FLAG_FIELDS),
            "tags": TableWriter(OrderTag, ["shop", "order", "tag"]),
            "payments": TableWriter(Payment, self.PAYMENT_FIELDS),
            "refunds": TableWriter(Refund, self.REFUND_FIELDS),
        }
        self.next_payment_id = first_payment_id
        self.next_refund_id = first_refund_id
        self.refunds_made = 0  # the shop's refund serial (R000001 …)
        self.paid_first = _table(PAID_FIRST)
        self.paid_later = _table(PAID_LATER)

    def write(self, batch: Batch) -> None:
        for name in ("orders", "lines", "events", "flags", "tags", "payments", "refunds"):
            self.writers[name].write(getattr(batch, name))

    def _number(self, local: dt.datetime) -> str:
        # The shop's default scheme: local time to the second and four random digits.
        stem = local.strftime("%y%m%d%H%M%S")
        while True:
            number = f"{stem}{self.rng.randrange(10_000):04d}"
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def _lines(self) -> tuple[str, list[tuple[Sku, int, int]], int | None]:
        """Delivery method, (sku, quantity, line discount) and a booked time for services."""
        rng = self.rng
        if self.services and rng.random() < SERVICE_SHARE:
            return DeliveryMethod.SERVICE, [(rng.choice(self.services), rng.choice((1, 1, 2)),
                                             0)], rng.randint(1, 10)
        want = rng.choices(*self.line_counts)[0]
        chosen: dict[int, Sku] = {}
        while len(chosen) < min(want, len(self.goods)):
            sku = rng.choices(self.goods, weights=self.goods_weights)[0]
            chosen[sku.id] = sku
        lines = []
        for sku in chosen.values():
            quantity = rng.choices(*self.quantities)[0]
            discount = 0
            if rng.random() < 0.08:
                discount = sku.price_cents * quantity * rng.choice((5, 10, 20)) // 100
            lines.append((sku, quantity, discount))
        return rng.choices(*self.delivery)[0], lines, None

    def make(self, created: int, buyer_index: int, batch: Batch) -> None:
        rng, shop_id = self.rng, self.shop_id
        pk = self.next_id
        self.next_id += 1
        buyer = self.buyers[buyer_index]
        local = dt.datetime.fromtimestamp(created, dt.UTC).astimezone(self.zone)
        delivery, lines, service_days = self._lines()
        starts_at = None
        if service_days:
            day = local.replace(hour=rng.randint(10, 19), minute=0, second=0)
            starts_at = int((day + dt.timedelta(days=service_days)).timestamp())
        channel = rng.choices(*self.channels)[0]
        address = buyer.address if (delivery in NEEDS_ADDRESS or rng.random() < 0.5) else None
        priced = [pricing.PricedLine(None, q, s.price_cents, d) for s, q, d in lines]
        totals = pricing.totals(self.shop, priced, delivery_method=delivery)
        path = lifecycle.simulate(rng, created=created, now=self.now, prepaid=self.prepaid,
                                  delivery=delivery, starts_at=starts_at)

        placed_by = self._placer(channel)
        timeline = [(created, "placed", placed_by, {
            "number": None, "channel": channel, "status": path.start,
            "total_cents": totals.total_cents}, "")]
        codes = []
        if not buyer.phone:
            codes.append("missing_phone")
        if delivery in NEEDS_ADDRESS and not address:
            codes.append("missing_address")
        if rng.random() < 0.003:
            codes.append("possible_duplicate")
        first_move = path.steps[0][1] if path.steps else None
        open_flags = set(codes)
        for code in codes:
            if first_move is not None:
                resolved = created + max(1, (first_move - created) // 2)
            elif self.now - created > 7200 and rng.random() < 0.5:
                resolved = created + 3600
            else:
                continue
            who = rng.choice(self.staff)
            open_flags.discard(code)
            timeline.append((resolved, "flag_resolved", (ActorKind.STAFF, who), {"code": code},
                             ""))
            batch.flags.append((shop_id, pk, code, {}, created, resolved, who.label))
        for code in open_flags:
            batch.flags.append((shop_id, pk, code, {}, created, None, ""))
        if codes:
            timeline.append((created, "flagged", placed_by, {"codes": codes}, ""))

        tags = self._tags(channel, buyer_index)
        priority = Priority.NORMAL
        r = rng.random()
        if r < 0.02 or "加急" in tags:
            priority = Priority.URGENT
        elif r < 0.08:
            priority = Priority.HIGH
        rule = (ActorKind.RULE, None)
        if tags:
            timeline.append((created + 1, "edited", rule,
                             {"changes": {"tags": {"before": [], "after": sorted(tags)}}}, ""))
            batch.tags.extend((shop_id, pk, tag) for tag in tags)
        if priority:
            timeline.append((created + 2, "edited", rule,
                             {"changes": {"priority": {"before": 0, "after": int(priority)}}}, ""))
        assignee = None
        if rng.random() < (0.6 if path.status in lifecycle.OPEN else 0.3):
            who = rng.choice(self.staff)
            assignee = who.user_id
            claimed = created + rng.randint(60, 1800)
            if first_move is not None:
                claimed = min(claimed, first_move - 1)
            timeline.append((max(claimed, created + 3), "edited", (ActorKind.STAFF, who), {
                "changes": {"assignee": {"before": None, "after": f"{self.shop.slug}-staff"
                                         f"{self.staff.index(who) + 1}"}}}, ""))
        paid_cents, refunded_cents = self._money(pk, path, totals.total_cents, batch, timeline)
        for status, at, kind in path.steps:
            actor = (kind, rng.choice(self.staff) if kind == ActorKind.STAFF else None)
            timeline.append((at, "status_changed", actor, {"_to": status}, ""))

        timeline.sort(key=lambda e: e[0])
        number = self._number(local)
        version, status = 1, path.start
        for at, kind, (actor_kind, who), data, note in timeline:
            if kind == "placed":
                data["number"] = number
            elif kind == "status_changed":
                data = {"from": status, "to": data["_to"]}
                if status == Status.PENDING_PAYMENT and data["to"] != Status.CANCELLED:
                    data["cause"] = "paid_in_full"
                status = data["to"]
                if status == Status.CANCELLED:
                    data["reason"] = path.cancel_reason
            if kind not in ("placed", "flagged", "payment_recorded", "refund_recorded"):
                version += 1  # money entries leave the version alone, as the services do
            if who:
                label = who.label
            else:
                label = BY_API[channel] if actor_kind == ActorKind.API else str(actor_kind)
            actor_id = str(who.user_id) if who else ""
            batch.events.append((shop_id, pk, kind, str(actor_kind), actor_id, label,
                                 {**data, "version": version}, note, at))

        paid = payment_status_for(total_cents=totals.total_cents, paid_cents=paid_cents,
                                  refunded_cents=refunded_cents)
        batch.orders.append((
            pk, shop_id, number, str(channel), str(path.status), str(paid),
            str(path.fulfillment_status()), str(delivery), int(priority), version, buyer.id,
            buyer.name, buyer.phone,
            *(address or ("", "", "", "")), totals.subtotal_cents, totals.discount_cents,
            totals.shipping_cents, totals.tax_cents, totals.total_cents,
            paid_cents, refunded_cents,
            rng.choice(vocabulary.NOTES) if rng.random() < 0.12 else "",
            rng.choice(vocabulary.INTERNAL_NOTES) if rng.random() < 0.03 else "",
            assignee, bool(open_flags), created, timeline[-1][0], 0, path.cancel_reason, "",
        ))
        for (sku, quantity, discount), line in zip(lines, priced, strict=True):
            batch.lines.append((shop_id, pk, sku.id, sku.sku, sku.name, quantity,
                                sku.price_cents, discount, line.total_cents,
                                starts_at))
        goods = {}
        for sku, quantity, _d in lines:
            if not sku.is_service:
                goods[sku.id] = goods.get(sku.id, 0) + quantity
        if goods:
            held_from = created if self.reserves_at_placement else path.time_of("accepted")
            self.stock.record(pk, path, goods, held_from)

    def _money(self, pk: int, path: lifecycle.Path, total: int, batch: Batch,
               timeline: list) -> tuple[int, int]:
        """The order's ledger rows and their timeline entries, as the payments services
        would have written them: the whole total paid at `paid_at`, and given back when the
        order was cancelled afterwards. Returns the paid and refunded sums."""
        if path.paid_at is None or total <= 0:
            return 0, 0
        rng, shop_id = self.rng, self.shop_id
        payment_id = self.next_payment_id
        self.next_payment_id += 1
        method = rng.choices(*(self.paid_first if self.prepaid else self.paid_later))[0]
        who = rng.choice(self.staff)
        batch.payments.append((payment_id, shop_id, pk, method, total, "succeeded", "", "",
                               path.paid_at, "staff", who.label, "", "", path.paid_at))
        # Listed before the status changes, so a move at the same second sorts after it.
        timeline.append((path.paid_at, "payment_recorded", (ActorKind.STAFF, who), {
            "payment": payment_id, "amount_cents": total, "method": method,
            "reference": ""}, ""))
        if path.status != Status.CANCELLED:
            return total, 0
        cancelled_at = path.steps[-1][1]
        refund_id = self.next_refund_id
        self.next_refund_id += 1
        self.refunds_made += 1
        number = f"R{self.refunds_made:06d}"
        reason = "订单已取消"
        batch.refunds.append((refund_id, shop_id, pk, number, payment_id, total, reason, method, "",
                              "succeeded", "", cancelled_at, "", "staff", who.label,
                              cancelled_at))
        timeline.append((cancelled_at, "refund_recorded", (ActorKind.STAFF, who), {
            "refund": refund_id, "number": number, "amount_cents": total, "method": method,
            "status": "succeeded", "payment": payment_id}, reason))
        return total, total

    def _placer(self, channel: str) -> tuple:
        if channel in BY_API:
            return (ActorKind.API, None)
        return (ActorKind.STAFF, self.rng.choice(self.staff))

    def _tags(self, channel: str, buyer_index: int) -> list[str]:
        r = self.rng.random
        tags = []
        if channel == Channel.CHAIN and r() < 0.8:
            tags.append("团购")
        if r() < 0.015:
            tags.append("加急")
        if buyer_index in self.repeat and r() < 0.1:
            tags.append("老客户")
        if r() < 0.02:
            tags.append("礼品")
        if r() < 0.01:
            tags.append("预售")
        return tags

