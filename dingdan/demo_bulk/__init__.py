"""A realistic shop with a year of orders, built in bulk (`dingdan demo --orders N`).

Rows are written straight to the tables in large batches (COPY on PostgreSQL, executemany
on SQLite) instead of through the services, so a million orders take minutes. What the
services would have guaranteed is rebuilt here on purpose: totals from the same pricing
rules, only status moves the lifecycle table allows, a timeline for every change, order
numbers unique per shop and a stock ledger that sums to the levels."""

import datetime as dt
import queue
import random
import threading
import time
import zoneinfo
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from dingdan.catalog.models import Product, Variant
from dingdan.customers.models import Address, Customer, CustomerTag
from dingdan.inventory.models import StockLevel, StockMovement
from dingdan.orders.models import Order, OrderEvent, OrderFlag, OrderLine, OrderTag
from dingdan.orders.services.placement import reserves_at_placement
from dingdan.payments.models import Payment, Refund, RefundCounter

from . import rhythm, shopfront
from .orders import Batch, OrderMaker
from .shopfront import ShopHasOrders
from .stock import StockBook
from .tables import next_id, reset_sequences

__all__ = ["ShopHasOrders", "Summary", "default_customers", "default_products", "generate"]

BATCH = 10_000
TABLES = (Product, Variant, Customer, Address, CustomerTag, Order, OrderLine, OrderEvent,
          OrderFlag, OrderTag, Payment, Refund, StockLevel, StockMovement)


def default_customers(orders: int) -> int:
    return max(50, min(50_000, orders // 25))


def default_products(orders: int) -> int:
    return max(20, min(1_000, orders // 1_000))


@dataclass
class Summary:
    shop_slug: str
    owner_password: str | None
    orders: int
    lines: int
    events: int
    customers: int
    skus: int
    movements: int
    seconds: float


def generate(
    *, slug: str, orders: int, customers: int | None = None, products: int | None = None,
    days: int = 365, seed: int = 1, batch: int = BATCH, progress: Callable[[str], None] = print,
) -> Summary:
    """Fill the shop `slug` (created if new) with `orders` orders over the last `days` days.
    Each batch of orders is its own transaction; stock comes last, so an interrupted run
    leaves a shop to delete rather than to use."""
    began = time.monotonic()
    rng = random.Random(seed)
    customers = customers or default_customers(orders)
    products = products or default_products(orders)
    now = timezone.now()
    now_s = int(now.timestamp())
    start = now_s - days * 86400

    with transaction.atomic():
        shop, password = shopfront.open_shop(slug)
        zone = zoneinfo.ZoneInfo(shop.timezone)
        staff = shopfront.hire_staff(shop, rng)
        skus = shopfront.stock_catalog(shop, rng, products=products,
                                       at=dt.datetime.fromtimestamp(start - 86400, dt.UTC))
    progress(f"catalog: {sum(not s.is_service for s in skus)} goods SKUs, "
             f"{sum(s.is_service for s in skus)} services")

    times = [t for day in rhythm.order_times(rng, count=orders, days=days, now=now, zone=zone)
             for t in day]
    # A few loyal customers buy often, most buy a few times.
    weights = [min(rng.paretovariate(1.3), 60.0) for _ in range(customers)]
    owners = rng.choices(range(customers), weights=weights, k=orders)
    joined = [start + rng.randrange(days * 86400) for _ in range(customers)]
    for t, owner in zip(times, owners, strict=True):
        if t < joined[owner]:
            joined[owner] = max(start - 86400, t - rng.randint(0, 600))
    with transaction.atomic():
        buyers = shopfront.enrol_customers(shop, rng, count=customers, joined=joined)
    bought = Counter(owners)
    progress(f"customers: {customers}")

    offset = int(zone.utcoffset(now.replace(tzinfo=None)).total_seconds())
    stock = StockBook(offset=offset, now=now_s)
    maker = OrderMaker(
        shop=shop, rng=rng, now=now_s, skus=skus, staff=staff, buyers=buyers,
        repeat={c for c, n in bought.items() if n >= 5}, first_id=next_id(Order), stock=stock,
        reserves_at_placement=reserves_at_placement(shop), first_payment_id=next_id(Payment),
        first_refund_id=next_id(Refund),
    )
    done = 0
    for rows in _built_ahead(maker, times, owners, batch):
        with transaction.atomic():
            maker.write(rows)
        done += len(rows.orders)
        elapsed = time.monotonic() - began
        progress(f"orders: {done:,}/{orders:,} ({done * 100 // orders}%), {elapsed:.0f} s")

    with transaction.atomic():
        movements = stock.write(shop, rng, skus=[s.id for s in skus if not s.is_service],
                                start=start)
        if maker.refunds_made:
            RefundCounter.objects.create(shop=shop, value=maker.refunds_made)
        reset_sequences(TABLES)
    progress(f"stock: {movements:,} ledger rows")
    _refresh_statistics()
    return Summary(
        shop_slug=shop.slug, owner_password=password, orders=orders,
        lines=maker.writers["lines"].rows_written, events=maker.writers["events"].rows_written,
        customers=customers, skus=len(skus), movements=movements,
        seconds=time.monotonic() - began,
    )


def _built_ahead(maker: OrderMaker, times: list[int], owners: list[int], batch: int):
    """Batches of order rows, the next one built in a thread while the caller writes this
    one: the database indexes and checks rows in its own process meanwhile."""
    ready: queue.Queue = queue.Queue(maxsize=1)

    def build() -> None:
        try:
            for first in range(0, len(times), batch):
                rows = Batch()
                for t, owner in zip(times[first:first + batch], owners[first:first + batch],
                                    strict=True):
                    maker.make(t, owner, rows)
                ready.put(rows)
            ready.put(None)
        except BaseException as exc:  # handed to the writing thread, which raises it
            ready.put(exc)

    builder = threading.Thread(target=build, daemon=True)
    builder.start()
    while (rows := ready.get()) is not None:
        if isinstance(rows, BaseException):
            raise rows
        yield rows
    builder.join()


def _refresh_statistics() -> None:
    """Fresh planner statistics (and, on PostgreSQL, a visibility map for index-only scans)
    so the first reads after a bulk load are planned as they will be later."""
    # VACUUM cannot run inside a transaction (a test's, say); ANALYZE alone still helps.
    command = "ANALYZE"
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        command = "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(command)
            return
        for model in TABLES:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
