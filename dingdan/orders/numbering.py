"""Order numbers, unique per shop, from the shop's chosen scheme:

- "timestamp" (default): shop-local time to the second and 4 random digits, 2611221530451234;
- "daily": the date and a serial that restarts every day, 20261122-0001;
- "pattern": the shop's own, with {date}, {time}, {seq} (daily serial) and {rand}.

The daily serial is one upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so two
orders placed at once can never get the same number."""

import secrets
import zoneinfo
from datetime import date

from django.db import connection
from django.utils import timezone

from dingdan.orders.models import OrderCounter
from dingdan.shops.models import Shop

DEFAULT_PATTERN = "{date}-{seq:04d}"


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


def next_number(shop: Shop) -> str:
    now = timezone.now().astimezone(zoneinfo.ZoneInfo(shop.timezone))
    scheme = shop.settings.get("order_number_scheme", "timestamp")
    if scheme == "daily":
        return f"{now:%Y%m%d}-{next_daily_serial(shop, now.date()):04d}"
    if scheme == "pattern":
        pattern = shop.settings.get("order_number_pattern") or DEFAULT_PATTERN
        values = {"date": f"{now:%Y%m%d}", "time": f"{now:%H%M%S}",
                  "rand": f"{secrets.randbelow(10_000):04d}"}
        if "{seq" in pattern:
            values["seq"] = next_daily_serial(shop, now.date())
        return pattern.format(**values)[:40]
    return f"{now:%y%m%d%H%M%S}{secrets.randbelow(10_000):04d}"
