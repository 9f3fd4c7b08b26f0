"""Stock for a generated history, kept so `dingdan inventory verify` holds afterwards.

Orders still open hold their reservation exactly as placing them would have written it:
one reserve movement per SKU referencing the order, so shipping or cancelling one later
works as for any order. Orders already shipped, delivered, completed or cancelled are
history: their movements are summed per SKU and shop-local day (one reserve, one release,
one ship row), which keeps the ledger to about a row per SKU and day instead of several per
order line. Receipts arrive monthly and cover what the month shipped, on top of what was
on the shelf when the period began; the shelf ends with a random amount, some SKUs sold
out and some below their low-stock threshold."""

import datetime as dt
import random
from collections import defaultdict

from dingdan.inventory.models import MovementKind, StockLevel, StockMovement
from dingdan.orders.states import Status
from dingdan.shops.models import Shop

from .lifecycle import DAY, OPEN, SHIPPED_OR_LATER, Path
from .tables import TableWriter

DAILY_NOTE = "当日订单合计"
RECEIPT_NOTE = "月度补货"
OPENING_NOTE = "期初库存"


class StockBook:
    def __init__(self, *, offset: int, now: int):
        self.offset, self.now = offset, now  # offset: the shop's UTC offset in seconds
        self.daily: dict[tuple[str, int, int], int] = defaultdict(int)  # (kind, day, sku)
        self.open_rows: list[tuple[int, int, int, int]] = []  # (time, sku, units, order)
        self.held: dict[int, int] = defaultdict(int)

    def record(self, order_id: int, path: Path, goods: dict[int, int], held_from: int | None):
        """One order's stock story; `held_from` is when its stock was reserved (None: never)."""
        if held_from is None or held_from >= self.now:
            return
        if path.status in OPEN:
            for sku, units in goods.items():
                self.open_rows.append((held_from, sku, units, order_id))
                self.held[sku] += units
            return
        reserved_day = (held_from + self.offset) // DAY
        if path.status == Status.CANCELLED:
            closing, kind = path.time_of(Status.CANCELLED), MovementKind.RELEASE
        elif path.status in SHIPPED_OR_LATER:
            closing, kind = path.time_of(Status.SHIPPED), MovementKind.SHIP
        else:
            return
        closing_day = (closing + self.offset) // DAY
        for sku, units in goods.items():
            self.daily[(MovementKind.RESERVE, reserved_day, sku)] += units
            self.daily[(kind, closing_day, sku)] += units

    def _day_end(self, day: int) -> int:
        return min(day * DAY - self.offset + DAY - 60, self.now - 1)

    def write(self, shop: Shop, rng: random.Random, *, skus: list[int], start: int) -> int:
        """Stock levels and the ledger for every goods SKU; returns the ledger rows written."""
        shipped_by_month: dict[tuple[int, int], int] = defaultdict(int)
        rows = []
        for (kind, day, sku), units in self.daily.items():
            on_hand = -units if kind == MovementKind.SHIP else 0
            reserved = units if kind == MovementKind.RESERVE else -units
            rows.append((self._day_end(day), sku, kind, on_hand, reserved, "", "", DAILY_NOTE))
            if kind == MovementKind.SHIP:
                month = dt.date(1970, 1, 1) + dt.timedelta(days=day)
                shipped_by_month[(sku, month.year * 12 + month.month - 1)] += units
        for at, sku, units, order_id in self.open_rows:
            rows.append((at, sku, MovementKind.RESERVE, 0, units, "order", str(order_id), ""))
        for (sku, month), units in shipped_by_month.items():
            first = dt.datetime(month // 12, month % 12 + 1, 1, 8, tzinfo=dt.UTC)
            at = max(int(first.timestamp()) - self.offset, start - 3600)
            rows.append((at, sku, MovementKind.RECEIVE, units, 0, "", "", RECEIPT_NOTE))
        levels = []
        for sku in skus:
            r = rng.random()
            shelf = 0 if r < 0.08 else rng.randint(1, 10) if r < 0.2 else rng.randint(11, 400)
            on_hand = self.held.get(sku, 0) + shelf
            threshold = 10 if rng.random() < 0.7 else None
            levels.append((shop.pk, sku, on_hand, self.held.get(sku, 0), threshold,
                           self.now))
            if on_hand:
                rows.append((start - 7200, sku, MovementKind.RECEIVE, on_hand, 0, "", "",
                             OPENING_NOTE))
        TableWriter(StockLevel, ["shop", "variant", "on_hand", "reserved",
                                 "low_stock_threshold", "updated_at"]).write(levels)
        rows.sort(key=lambda r: (r[0], r[1]))
        ledger = TableWriter(StockMovement, [
            "shop", "variant", "kind", "on_hand_delta", "reserved_delta", "reference_type",
            "reference_id", "note", "actor_kind", "actor_label", "reason", "created_at",
        ])
        for n in range(0, len(rows), 50_000):
            ledger.write(
                (shop.pk, sku, str(kind), on_hand, reserved, ref_type, ref_id, note,
                 "system", "system", "", at)
                for at, sku, kind, on_hand, reserved, ref_type, ref_id, note in rows[n:n + 50_000]
            )
        return len(rows)

