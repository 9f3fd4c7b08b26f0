"""Paging a queryset while shaping each row for the API, in one query per page."""

from collections.abc import Callable

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# Far beyond any real list, and small enough that page × page size stays a valid OFFSET on
# every database (a huge page number used to reach the database and fail there).
MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    """ninja's `?page=&page_size=` pages, with the page number bounded."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)


class MappedPage:
    """Looks like a queryset to ninja's paginator; each sliced row goes through `shape`."""

    def __init__(self, queryset, shape: Callable):
        self.queryset = queryset
        self.shape = shape

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        return [self.shape(row) for row in self.queryset[key]]


# How far a count goes: 20 pages of 50. Counting further reads every matching row, which
# with a million orders costs more than the page itself (docs/performance.md).
COUNT_LIMIT = 1_000


class LargePage(MappedPage):
    """For lists that grow to a million rows (orders). Two things a plain page does are what
    make such a list slow, so this one does them differently:

    - the count stops at COUNT_LIMIT: `count` is exact up to 1,000 and says 1,000 when
      more rows match (narrow the filter to count further, or read on until a page comes
      back short: every page stays reachable);
    - the page's ids are read first, from an index, and `rows(ids)` then fetches just those
      rows with their relations, so neither the filter nor the joins run twice and a deep
      page does not join every row it skips."""

    def __init__(self, queryset, shape: Callable, *, rows: Callable):
        super().__init__(queryset, shape)
        self.rows = rows

    def count(self) -> int:
        matching = self.queryset.prefetch_related(None).order_by().values("pk")
        return min(matching[: COUNT_LIMIT + 1].count(), COUNT_LIMIT)

    def __getitem__(self, key):
        ids = list(self.queryset.prefetch_related(None).values_list("pk", flat=True)[key])
        return [self.shape(row) for row in self.rows(ids)] if ids else []
