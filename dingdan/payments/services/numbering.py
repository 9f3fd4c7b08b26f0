"""Refund numbers, unique per shop: R and the shop's serial, R000001, R000002 …

The serial is one upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), like the daily
serial of order numbers: two refunds recorded at once never share a number."""

from django.db import connection

from dingdan.payments.models import RefundCounter
from dingdan.shops.models import Shop


def next_refund_number(shop: Shop) -> str:
    table = connection.ops.quote_name(RefundCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (shop_id, value) VALUES (%s, 1) "
            f"ON CONFLICT (shop_id) DO UPDATE SET value = {table}.value + 1 RETURNING value",
            [shop.pk],
        )
        return f"R{cursor.fetchone()[0]:06d}"
