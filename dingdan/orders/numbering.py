"""Order numbers, unique per shop, from the shop's chosen scheme:

- "timestamp" (default): shop-local time to the second and 4 random digits, 2611221530451234;
- "daily": the date and a serial that restarts every day, 20261122-0001;
- "pattern": the shop's own, with {date}, {time}, {seq} (daily serial) and {rand}
  (shops.config.PATTERN_TOKENS; a pattern is checked when the merchant saves it).

The daily serial is one upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so two
orders placed at once can never get the same number."""

import secrets
import zoneinfo
from collections.abc import Callable
from datetime import date, datetime

from django.db import connection
from django.utils import timezone

from dingdan.orders.models import OrderCounter
from dingdan.shops.config import MAX_NUMBER_LENGTH, ShopSettings, shop_settings
from dingdan.shops.models import Shop


def next_daily_serial(shop: Shop, day: date) -> int:
    table = connection.ops.quote_name(OrderCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (shop_id, day, value) VALUES (%s, %s, 1) "
            "ON CONFLICT (shop_id, day) DO UPDATE SET value = "
            f"{table}.value + 1 RETURNING value",
            [shop.pk, connection.ops.adapt_datefield_value(day)],
        )
        return cursor.fetchone()[0]


def _number(settings: ShopSettings, now: datetime, serial: Callable[[date], int]) -> str:
    scheme = settings.order_number_scheme
    if scheme == "daily":
        return f"{now:%Y%m%d}-{serial(now.date()):04d}"
    if scheme == "pattern":
        pattern = settings.order_number_pattern
        values = {"date": f"{now:%Y%m%d}", "time": f"{now:%H%M%S}",
                  "rand": f"{secrets.randbelow(10_000):04d}"}
        if "{seq" in pattern:
            values["seq"] = serial(now.date())
        return pattern.format(**values)[:MAX_NUMBER_LENGTH]
    return f"{now:%y%m%d%H%M%S}{secrets.randbelow(10_000):04d}"


def next_number(shop: Shop) -> str:
    settings = shop_settings(shop)
    now = timezone.now().astimezone(zoneinfo.ZoneInfo(settings.timezone))
    return _number(settings, now, lambda day: next_daily_serial(shop, day))


def example_number(shop: Shop, settings: ShopSettings) -> str:
    """What the next order's number would look like under `settings`, without using up a
    serial (the random digits will differ)."""
    now = timezone.now().astimezone(zoneinfo.ZoneInfo(settings.timezone))

    def peek(day: date) -> int:
        counter = OrderCounter.objects.filter(shop=shop, day=day).first()
        return (counter.value if counter else 0) + 1

    return _number(settings, now, peek)
