"""How the server's Python process treats its memory, tuned by what bench/order_queries.py
showed (docs/performance.md, "A million orders").

A page of orders makes thousands of short-lived objects, many in reference cycles (a line
points at its order, the order's prefetched lines at the line), which only Python's cyclic
garbage collector frees. Its full collections also walk everything made at start-up:
Django, the URL routes, the API schemas, some 75,000 objects that live as long as the
process. On a 2-core machine that walk took ~100 ms, several times a minute under load,
and it was the slow end (p99) of every order list."""

import gc
from importlib import import_module

# Collect young objects after this many allocations (Python's default is 700).
YOUNG_THRESHOLD = 10_000


def settle() -> None:
    """Call once the application is loaded: what exists now stays, so the collector stops
    walking it, and young collections come less often but find more garbage each time."""
    from django.conf import settings

    import_module(settings.ROOT_URLCONF)  # every view and API schema now, not on a request
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
