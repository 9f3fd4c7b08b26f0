"""Paging a queryset while shaping each row for the API, in one query per page."""

from collections.abc import Callable


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
