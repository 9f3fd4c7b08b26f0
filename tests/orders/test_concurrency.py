"""Orders placed at the same moment: unique daily numbers, never more orders than stock."""

import pytest

from dingdan.inventory.errors import InsufficientStock
from dingdan.inventory.selectors import ledger_mismatches
from dingdan.orders.models import Order
from tests import factories
from tests.inventory.test_concurrency import race


@pytest.mark.django_db(transaction=True)
def test_daily_serials_stay_unique_when_orders_arrive_together():
    shop = factories.make_shop()
    shop.settings = {"order_number_scheme": "daily"}
    shop.save()
    sku = factories.make_sku(shop, stock=100).sku

    results = race(16, lambda n: factories.place(shop, [(sku, 1)], phone=f"1390000{n:04d}"))

    assert [r for r in results if isinstance(r, Exception)] == []
    serials = sorted(int(number[-4:]) for number in Order.objects.values_list("number", flat=True))
    assert serials == list(range(1, 17))


@pytest.mark.django_db(transaction=True)
def test_32_buyers_for_10_units_make_exactly_10_orders():
    shop = factories.make_shop()
    sku = factories.make_sku(shop, stock=10).sku

    results = race(32, lambda n: factories.place(shop, [(sku, 1)], phone=f"1370000{n:04d}"))

    unexpected = [r for r in results if isinstance(r, Exception)
                  and not isinstance(r, InsufficientStock)]
    assert unexpected == []
    assert Order.objects.filter(shop=shop).count() == 10
    assert ledger_mismatches(shop) == []
