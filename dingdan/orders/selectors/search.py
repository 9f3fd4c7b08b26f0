"""Finding orders by what a merchant types in the search box: an order number, a phone
number (or its last digits), a customer's name or a product.

Each place a text may match is its own indexed lookup and the results are united, so a
shop with a million orders never reads them all to answer:

- the order number, exactly, or by its start when 4+ digits are typed;
- the phone written on the order: that very phone when a whole number is typed (11 or
  more digits), else any phone containing the digits (4 to 10 of them) — the latter only
  for staff who may see phone numbers (`partial_phone`): a role that sees 138****5678
  must not confirm a hidden number digit by digit, so for it only a whole number matches;
- the shop's customers whose name contains the text (a small table), and their orders;
- the shop's products whose name or spec contains the text, and the order lines that
  sold them (by variant, an indexed column);
- from 3 characters on, also the name written on the order and on its lines, so an order
  is found by the name it was placed under even after the customer or product was renamed
  (on SQLite not for digits, spaces and dashes: that is a phone or an order number).
  On PostgreSQL trigram indexes serve these (migration 0006); shorter texts have no
  trigram to look up, which is why they go through the customer and catalog tables.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from dingdan.catalog.models import Variant
from dingdan.customers.models import Customer
from dingdan.orders.models import Order, OrderLine
from dingdan.shops.models import Shop

# The shortest text a trigram index can look up (pg_trgm needs three characters).
SNAPSHOT_MIN_LENGTH = 3


def matching(shop: Shop, text: str, *, partial_phone: bool = False) -> Q:
    """The condition on the shop's orders that `text` finds, shaped by how many it finds.

    Usually few orders match, and the condition is `id IN (the united lookups)`: the
    database reads just those orders. A product that sells in thousands of orders makes
    that union huge, and sorting all its orders by date to show the newest 50 took up to a
    second; then each lookup becomes a set the newest orders are checked against, walking
    them until a page (or the list's count) is full."""
    text = text.strip()
    lookups = _lookups(shop, text, partial_phone=partial_phone)
    if lookups.variant_ids and _sells_in_many_orders(lookups.variant_ids):
        condition = lookups.on_order
        for arm in lookups.arms:
            condition |= Q(pk__in=arm)
        return condition
    return Q(pk__in=matching_order_ids(shop, text, lookups, partial_phone=partial_phone))


def matching_order_ids(shop: Shop, text: str, lookups: "_Lookups | None" = None, *,
                       partial_phone: bool = False) -> QuerySet:
    """Ids of the shop's orders that `text` finds, for `pk__in=`; may repeat an id.

    The matching customers and products are read first (small tables), so the order query
    holds their ids as values: the planner then knows how many orders they have and picks
    between reading those orders and walking the newest orders until a page is full."""
    lookups = lookups or _lookups(shop, text.strip(), partial_phone=partial_phone)
    first, *others = [Order.objects.filter(lookups.on_order, shop=shop).values("pk").order_by(),
                      *lookups.arms]
    return first.union(*others, all=True) if others else first


# A product on more order lines than this counts as one that sells in many orders.
MANY_LINES = 2_000


@dataclass
class _Lookups:
    on_order: Q  # conditions on the order row itself
    arms: list[QuerySet]  # order ids found through other tables
    variant_ids: list[int]


def _lookups(shop: Shop, text: str, *, partial_phone: bool) -> _Lookups:
    digits = "".join(ch for ch in text if ch.isdigit())
    customer_ids = list(
        Customer.objects.filter(shop=shop, name__icontains=text).values_list("pk", flat=True)
    )
    variant_ids = list(
        Variant.objects.filter(Q(product__name__icontains=text) | Q(spec__icontains=text),
                               shop=shop).values_list("pk", flat=True)
    )
    # On SQLite, which has no trigram index, the names on orders and lines are read row by
    # row; digits (with spaces or dashes) are a phone or an order number, so there they
    # skip the names and every lookup has an index. (On PostgreSQL the name lookups cost
    # little, and they keep the planner from walking every order for a few digits.)
    number_like = len(digits) >= 4 and _NUMBER_LIKE.fullmatch(text) is not None
    names = len(text) >= SNAPSHOT_MIN_LENGTH and not (
        number_like and connection.vendor == "sqlite")
    on_order = Q(number=text)
    if len(digits) >= 4:
        on_order |= _number_starts_with(text) | _phone_matches(digits, partial=partial_phone)
    if names:
        on_order |= Q(customer_name__icontains=text)
    if customer_ids:
        on_order |= Q(customer__in=customer_ids)
    arms = []
    if variant_ids:
        # The variants are this shop's, so are their lines: no shop column to read, and the
        # (variant, order) index answers alone.
        arms.append(OrderLine.objects.filter(variant__in=variant_ids).values("order_id"))
    if names:
        arms.append(OrderLine.objects.filter(shop=shop, name__icontains=text).values("order_id"))
    return _Lookups(on_order, [arm.order_by() for arm in arms], variant_ids)


def _sells_in_many_orders(variant_ids: list[int]) -> bool:
    lines = OrderLine.objects.filter(variant__in=variant_ids).order_by().values("order_id")
    return lines[:MANY_LINES + 1].count() > MANY_LINES


_NUMBER_LIKE = re.compile(r"[\d\s+\-]+")
# A whole phone number: 11 digits for a mainland mobile, more with a country code.
WHOLE_PHONE_DIGITS = 11


def _phone_matches(digits: str, *, partial: bool) -> Q:
    """A whole number is the stored phone itself (mainland as 11 digits, others as +code);
    fewer digits are part of one (the last four, say), when `partial` allows it."""
    if len(digits) >= WHOLE_PHONE_DIGITS:
        return Q(customer_phone=digits) | Q(customer_phone="+" + digits)
    if not partial:
        return Q(pk__in=[])
    return Q(customer_phone__contains=digits)


def _number_starts_with(text: str) -> Q:
    """On PostgreSQL a pattern index serves LIKE 'text%'. SQLite's LIKE ignores case, so its
    indexes cannot; there the same prefix is a range of the number index."""
    if connection.vendor == "sqlite":
        return Q(number__gte=text, number__lt=text + "\U0010ffff")
    return Q(number__startswith=text)
