"""Cancelling a paid order can give all its money back in the same step; when it cannot,
nothing is cancelled."""

import pytest

from dingdan.errors import PermissionDenied
from dingdan.inventory.models import Backorder, StockLevel
from dingdan.orders.models import Order
from dingdan.orders.services import lifecycle
from dingdan.orders.states import PaymentStatus, Status
from dingdan.payments.models import Refund
from dingdan.payments.services import payments, refunds
from dingdan.payments.services.cancellation import cancel_with_refund
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return factories.make_shop()


@pytest.fixture
def owner(shop):
    return factories.staff_actor(shop, "owner")


def test_cancelling_a_paid_order_refunds_everything_and_releases_stock(shop, owner):
    sku = factories.make_sku(shop, price_cents=3000, stock=10)
    order = factories.place(shop, [(sku.sku, 2)])
    wechat = payments.record_payment(actor=owner, order=order, amount_cents=2000,
                                     method="wechat_pay")
    payments.record_payment(actor=owner, order=order, amount_cents=order.total_cents - 2000,
                            method="cash")
    refunds.record_refund(actor=owner, order=order, amount_cents=500, reason="少一个",
                          payment_id=wechat.pk)

    cancel_with_refund(actor=owner, order=order, reason="customer_request")

    order = Order.objects.get(pk=order.pk)
    assert order.status == Status.CANCELLED
    assert (order.refunded_cents, order.payment_status) == (order.paid_cents,
                                                            PaymentStatus.REFUNDED)
    assert order.balance_due_cents == 0
    made = Refund.objects.filter(order=order).order_by("id")
    assert [(r.method, r.amount_cents) for r in made] == [
        ("wechat_pay", 500), ("cash", order.total_cents - 2000), ("wechat_pay", 1500)]
    assert StockLevel.objects.get(variant=sku).reserved == 0


def test_without_refund_the_money_stays_recorded(shop, owner):
    sku = factories.make_sku(shop, stock=10)
    order = factories.place(shop, [(sku.sku, 1)])
    payments.record_payment(actor=owner, order=order, amount_cents=300, method="cash")
    lifecycle.cancel_order(actor=owner, order=order, reason="customer_request")
    order.refresh_from_db()
    assert (order.status, order.paid_cents, order.refunded_cents) == (Status.CANCELLED, 300, 0)
    assert order.balance_due_cents == 0


def test_a_clerk_may_cancel_but_not_refund_so_nothing_happens(shop, owner):
    shop.settings = {"allow_backorders": True}
    shop.save()
    sku = factories.make_sku(shop, stock=1)
    order = factories.place(shop, [(sku.sku, 3)])
    payments.record_payment(actor=owner, order=order, amount_cents=300, method="cash")
    clerk = factories.staff_actor(shop, "clerk")
    with pytest.raises(PermissionDenied):
        lifecycle.cancel_order(actor=clerk, order=order, reason="customer_request",
                               refund=True)
    order.refresh_from_db()
    assert order.status == Status.PENDING_CONFIRMATION
    assert StockLevel.objects.get(variant=sku).reserved == 1
    assert Backorder.objects.filter(variant=sku, cancelled_at__isnull=True).exists()

    lifecycle.cancel_order(actor=clerk, order=order, reason="customer_request")
    assert not Backorder.objects.filter(variant=sku, cancelled_at__isnull=True).exists()
    assert StockLevel.objects.get(variant=sku).reserved == 0


def test_a_cancellation_of_an_unpaid_order_with_refund_refunds_nothing(shop, owner):
    sku = factories.make_sku(shop, stock=10)
    order = factories.place(shop, [(sku.sku, 1)])
    cancel_with_refund(actor=owner, order=order, reason="duplicate")
    assert not Refund.objects.filter(order=order).exists()
    assert Order.objects.get(pk=order.pk).status == Status.CANCELLED
