"""A shop that takes payment first ships an order only while it is paid: paying in full
lets it through, money going back stops it."""

import pytest

from dingdan.orders.services import lifecycle
from dingdan.payments.services.payments import record_payment
from dingdan.payments.services.refunds import record_refund
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    shop.settings = {"payment_terms": "prepayment"}
    shop.save()
    factories.make_sku(shop, "STRAW-500", price_cents=5000, stock=10)
    return shop


def ready_to_ship(shop, actor):
    order = factories.place(shop, [("STRAW-500", 2)])
    assert order.status == "pending_payment"
    record_payment(actor=actor, order=order, amount_cents=order.total_cents, method="alipay")
    order.refresh_from_db()
    assert order.status == "pending_confirmation"  # paid in full: on to confirmation
    order = lifecycle.accept_order(actor=actor, order=order)
    return lifecycle.start_preparing(actor=actor, order=order)


def test_a_paid_order_ships(shop):
    actor = factories.staff_actor(shop)
    order = ready_to_ship(shop, actor)
    shipped = lifecycle.ship_order(actor=actor, order=order)
    assert shipped.status == "shipped"


def test_a_refund_of_part_of_the_money_does_not_stop_a_paid_order_shipping(shop):
    actor = factories.staff_actor(shop)
    order = ready_to_ship(shop, actor)
    record_refund(actor=actor, order=order, amount_cents=1000, reason="少一盒")
    order.refresh_from_db()
    assert order.payment_status == "partially_refunded"
    assert order.balance_due_cents == 0  # what went back is not owed again
    shipped = lifecycle.ship_order(actor=actor, order=order)
    assert shipped.status == "shipped"
