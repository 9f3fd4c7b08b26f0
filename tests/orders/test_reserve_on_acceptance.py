"""A shop may promise stock only when it accepts an order, not when the order arrives."""

import pytest

from dingdan.inventory.errors import InsufficientStock
from dingdan.inventory.models import StockLevel
from dingdan.orders.services import editing, lifecycle
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    shop.settings = {"reserve_stock_on": "acceptance"}
    shop.save()
    factories.make_sku(shop, "CM-500", stock=3)
    return shop


def reserved() -> int:
    return StockLevel.objects.get(variant__sku="CM-500").reserved


def test_stock_is_held_from_acceptance_and_released_on_cancel(shop):
    owner = factories.staff_actor(shop)
    order = factories.place(shop, [("CM-500", 2)])
    assert reserved() == 0

    editing.edit_order(actor=owner, order=order, version=1, lines=[("CM-500", 3)])
    assert reserved() == 0
    lifecycle.transition_order(actor=owner, order=order, to="accepted")
    assert reserved() == 3
    lifecycle.transition_order(actor=owner, order=order, to="cancelled", reason="customer_request")
    assert reserved() == 0


def test_accepting_more_than_is_left_is_refused_and_the_order_waits(shop):
    owner = factories.staff_actor(shop)
    first = factories.place(shop, [("CM-500", 2)])
    second = factories.place(shop, [("CM-500", 2)], phone="13900139000")
    lifecycle.transition_order(actor=owner, order=first, to="accepted")

    with pytest.raises(InsufficientStock):
        lifecycle.transition_order(actor=owner, order=second, to="accepted")

    second.refresh_from_db()
    assert second.status == "pending_confirmation"
    assert reserved() == 2
