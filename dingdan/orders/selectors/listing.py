"""The merchant's order list as pages and status tabs that stay fast with a million orders.

Counting every matching order, and grouping them all by status for the tabs, reads the
whole shop on every page view (150–400 ms at a million orders). Like the API's list
(api/pagination.py), counts here stop at COUNT_LIMIT and show as "1000+", and a page reads
its ids from an index first and then just those orders with their relations."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dingdan.api.pagination import COUNT_LIMIT, MAX_PAGE
from dingdan.orders.models import Order
from dingdan.orders.selectors import orders as selectors
from dingdan.orders.states import Status
from dingdan.shops.models import Shop


@dataclass(frozen=True)
class Count:
    """How many orders match, exactly up to COUNT_LIMIT; `more` when there are more."""

    n: int
    more: bool = False

    def __str__(self) -> str:
        return _("%(n)s+") % {"n": self.n} if self.more else str(self.n)


def count(orders: QuerySet[Order]) -> Count:
    found = orders.prefetch_related(None).order_by().values("pk")[: COUNT_LIMIT + 1].count()
    return Count(COUNT_LIMIT, more=True) if found > COUNT_LIMIT else Count(found)


def status_counts(orders: QuerySet[Order]) -> dict[str, Count]:
    """Per status, each an indexed count that stops at the limit."""
    return {status: count(orders.filter(status=status)) for status in Status.values}


def total(counts: dict[str, Count]) -> Count:
    n = sum(c.n for c in counts.values())
    if any(c.more for c in counts.values()) or n > COUNT_LIMIT:
        return Count(COUNT_LIMIT, more=True)
    return Count(n)


@dataclass
class Page:
    rows: list[Order]
    number: int
    has_next: bool
    count: Count
    size: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def num_pages(self) -> int | None:
        """None when the count stopped at its limit."""
        return None if self.count.more else max(1, -(-self.count.n // self.size))


def page_number(raw: str | None) -> int:
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def page_of(shop: Shop, orders: QuerySet[Order], number: int, size: int,
            matching: Count) -> Page:
    """Page `number` of `orders` (as orders_for_shop() lists them), one more id read than
    shown to know whether a next page exists. A page past the end is empty."""
    offset = (number - 1) * size
    ids = list(orders.prefetch_related(None).values_list("pk", flat=True)[
        offset: offset + size + 1])
    rows = list(selectors.orders_by_ids(shop, ids[:size]).select_related("assignee")) if ids else []
    return Page(rows=rows, number=number, has_next=len(ids) > size, count=matching, size=size)
