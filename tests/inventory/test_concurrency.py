"""Many buyers racing for the last units: exactly as many win as there are units."""

import threading

import pytest
from django.db import close_old_connections, connection

from dingdan.inventory.errors import InsufficientStock
from dingdan.inventory.models import StockLevel, StockMovement
from dingdan.inventory.selectors import ledger_mismatches
from dingdan.inventory.services import reservations
from dingdan.inventory.services.ledger import Reference
from dingdan.shops.actors import Actor
from tests import factories


def race(threads: int, work) -> list:
    barrier = threading.Barrier(threads)
    results: list = [None] * threads

    def run(n: int) -> None:
        try:
            barrier.wait()
            results[n] = work(n)
        except Exception as exc:  # collected and asserted on below
            results[n] = exc
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_64_buyers_racing_for_the_last_10_units_reserve_exactly_10():
    shop = factories.make_shop()
    actor = Actor.system(shop)
    strawberry = factories.make_sku(shop, "LAST-10", stock=10)

    def buy(n: int):
        return reservations.reserve_stock(
            actor=actor, shop=shop, lines=[(strawberry, 1)], reference=Reference("order", str(n))
        )

    results = race(64, buy)

    won = [r for r in results if isinstance(r, reservations.Reservation)]
    lost = [r for r in results if isinstance(r, InsufficientStock)]
    assert len(won) == 10, [r for r in results if isinstance(r, Exception)][:3]
    assert len(lost) == 54
    level = StockLevel.objects.get(variant=strawberry)
    assert (level.on_hand, level.reserved) == (10, 10)
    assert StockMovement.objects.filter(variant=strawberry, kind="reserve").count() == 10
    assert ledger_mismatches(shop) == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_multi_sku_orders_never_deadlock_or_oversell():
    shop = factories.make_shop()
    actor = Actor.system(shop)
    a = factories.make_sku(shop, "MIX-A", stock=7)
    b = factories.make_sku(shop, "MIX-B", stock=7)

    def buy(n: int):
        lines = [(a, 1), (b, 1)] if n % 2 else [(b, 1), (a, 1)]
        return reservations.reserve_stock(
            actor=actor, shop=shop, lines=lines, reference=Reference("order", str(n))
        )

    results = race(24, buy)

    unexpected = [r for r in results if isinstance(r, Exception)
                  and not isinstance(r, InsufficientStock)]
    assert unexpected == []
    assert sum(isinstance(r, reservations.Reservation) for r in results) == 7
    assert ledger_mismatches(shop) == []
