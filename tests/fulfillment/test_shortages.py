"""Out of stock after acceptance: the shop ships what it has and drops the units that will
not come, refunding what was paid for them; units already shipped stay on the order."""

import pytest

from dingdan.errors import Conflict
from dingdan.fulfillment.services import shipping, shortages
from dingdan.inventory.models import Backorder, StockLevel
from dingdan.inventory.selectors import ledger_mismatches
from dingdan.orders.models import Order, OrderEvent
from dingdan.orders.services import lifecycle
from dingdan.payments.models import Refund
from dingdan.payments.services import payments
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    shop.settings = {"allow_backorders": True}
    shop.save()
    factories.make_sku(shop, "MANGO", name="芒果", price_cents=1000, stock=1)
    factories.make_sku(shop, "PEAR", name="砀山梨", price_cents=500, stock=10)
    return shop


@pytest.fixture
def paid_order(shop):
    owner = factories.staff_actor(shop)
    placed = factories.place(shop, [("MANGO", 3), ("PEAR", 2)])  # ¥40, 2 mangoes short
    payments.record_payment(actor=owner, order=placed, amount_cents=placed.total_cents,
                            method="wechat_pay")
    return lifecycle.accept_order(actor=owner, order=Order.objects.get(pk=placed.pk))


def mango(order):
    return order.lines.get(sku="MANGO")


def test_ship_what_is_here_then_drop_the_rest_with_a_refund(shop, paid_order):
    owner = factories.staff_actor(shop)
    shipping.create_shipment(actor=owner, order=paid_order)  # 1 mango, 2 pears
    order = Order.objects.get(pk=paid_order.pk)
    assert order.fulfillment_status == "partially_shipped"

    order = shortages.drop_short_units(
        actor=owner, order=order, lines=[{"line_id": mango(order).pk, "quantity": 2}],
        reason="芒果缺货，退2个的钱", refund=True)

    assert (mango(order).quantity, order.total_cents) == (1, 2000)
    refund = Refund.objects.get(order=order)
    assert (refund.amount_cents, refund.method, refund.status) == (2000, "wechat_pay",
                                                                   "succeeded")
    assert order.balance_due_cents == 0 and order.refunded_cents == 2000
    assert order.fulfillment_status == "shipped"  # what is left has all gone
    assert not Backorder.objects.filter(filled_at__isnull=True,
                                        cancelled_at__isnull=True).exists()
    assert StockLevel.objects.get(variant__sku="MANGO").reserved == 0
    assert ledger_mismatches(shop) == []
    edited = OrderEvent.objects.filter(order=order, kind="edited").last()
    assert edited.note == "芒果缺货，退2个的钱"


def test_without_a_refund_a_paid_order_cannot_drop_below_what_was_paid(shop, paid_order):
    owner = factories.staff_actor(shop)
    with pytest.raises(Conflict) as refused:
        shortages.drop_short_units(actor=owner, order=paid_order,
                                   lines=[{"line_id": mango(paid_order).pk, "quantity": 2}],
                                   reason="缺货")
    assert refused.value.code == "total_below_paid"
    assert mango(paid_order).quantity == 3 and not Refund.objects.exists()


def test_shipped_units_stay_and_every_unit_is_a_cancellation(shop, paid_order):
    owner = factories.staff_actor(shop)
    shipping.create_shipment(actor=owner, order=paid_order)
    order = Order.objects.get(pk=paid_order.pk)
    with pytest.raises(Conflict) as refused:
        shortages.drop_short_units(actor=owner, order=order,
                                   lines=[{"line_id": mango(order).pk, "quantity": 3}],
                                   reason="缺货", refund=True)
    assert refused.value.code == "over_shipment"

    unshipped = factories.place(shop, [("PEAR", 1)])
    unshipped = lifecycle.accept_order(actor=owner, order=unshipped)
    with pytest.raises(Conflict) as refused:
        shortages.drop_short_units(actor=owner, order=unshipped,
                                   lines=[{"line_id": unshipped.lines.get().pk, "quantity": 1}],
                                   reason="缺货")
    assert refused.value.code == "nothing_left"


def test_over_the_api_with_a_refund(shop, paid_order):
    client = factories.api_client(factories.token_for(shop, "owner"), language="en")
    answer = client.post(f"/api/v1/orders/{paid_order.pk}/drop-units", {
        "lines": [{"line_id": mango(paid_order).pk, "quantity": 2}], "reason": "缺货",
        "refund": True}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["total_cents"], body["refunded_cents"], body["balance_due_cents"]) == (
        2000, 2000, 0)
    clerk = factories.api_client(factories.token_for(shop, "clerk", name="clerk"))
    refused = clerk.post(f"/api/v1/orders/{paid_order.pk}/drop-units", {
        "lines": [{"line_id": mango(paid_order).pk, "quantity": 1}], "reason": "缺货",
        "refund": True}, content_type="application/json")
    assert refused.status_code == 403  # a clerk edits orders but does not refund
    assert mango(paid_order).quantity == 1


def test_the_order_page_drops_short_units_with_a_refund(shop, paid_order):
    from tests.orders.test_order_pages import client_for, page

    client = client_for(shop, "owner")
    html = page(client.get(f"/orders/{paid_order.pk}/"))
    assert 'data-testid="drop-form"' in html
    line = mango(paid_order)
    refused = page(client.post(f"/shipments/orders/{paid_order.pk}/drop/",
                               {f"drop-qty-{line.pk}": "2", "drop-reason": ""}))
    assert 'id="error-drop-reason"' in refused
    answer = client.post(f"/shipments/orders/{paid_order.pk}/drop/", {
        f"drop-qty-{line.pk}": "2", "drop-reason": "芒果缺货", "drop-refund": "on"})
    assert answer.status_code == 302
    assert mango(paid_order).quantity == 1
    assert Refund.objects.get(order=paid_order).amount_cents == 2000


def test_the_customer_sees_what_follows_once_stock_arrives(shop, paid_order):
    from django.test import Client

    shipping.create_shipment(actor=factories.staff_actor(shop), order=paid_order)
    html = Client(headers={"Accept-Language": "en"}).get(
        f"/o/{paid_order.link_token}/").content.decode()
    assert 'data-testid="still-to-come"' in html
    assert "芒果 × 2 (waiting for stock" in html
