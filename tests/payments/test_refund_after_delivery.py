"""A shop gives part of the money back after delivery (a squashed box): the customer paid
in full and got a refund, so they owe nothing."""

import pytest
from django.test import Client

from dingdan.orders.services import lifecycle
from dingdan.payments.services import payments, refunds
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_refund_after_delivery_leaves_nothing_for_the_customer_to_pay():
    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "LM-125", name="蓝莓", price_cents=2500, stock=10)
    owner = factories.staff_actor(shop)
    order = factories.place(shop, [("LM-125", 4)])  # ¥100.00
    payments.record_payment(actor=owner, order=order, amount_cents=10000, method="alipay")
    for step in (lifecycle.accept_order, lifecycle.ship_order, lifecycle.mark_delivered):
        order = step(actor=owner, order=order)

    refunds.record_refund(actor=owner, order=order, amount_cents=1000,
                          reason="一盒蓝莓压坏了，退10元")

    order.refresh_from_db()
    link = Client().get(f"/o/{order.link_token}/").content.decode()
    assert order.balance_due_cents == 0
    assert (order.paid_cents, order.refunded_cents) == (10000, 1000)
    assert 'data-testid="payment-due"' not in link
    # Nor is a new payment asked for: more than nothing is an overpayment.
    with pytest.raises(payments.Overpayment):
        payments.record_payment(actor=owner, order=order, amount_cents=1000, method="alipay")
