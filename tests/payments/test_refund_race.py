"""Twenty people refund 60 % of a paid order at the same moment: exactly one refund goes
through, on SQLite and on PostgreSQL alike (the order's row lock orders them)."""

import pytest

from dingdan.orders.models import Order
from dingdan.payments.models import Refund
from dingdan.payments.selectors.money import ledger_sums
from dingdan.payments.services import payments, refunds
from dingdan.shops.actors import Actor
from tests import factories
from tests.inventory.test_concurrency import race


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_refunds_of_sixty_percent_let_exactly_one_through():
    shop = factories.make_shop()
    sku = factories.make_sku(shop, price_cents=10_000, stock=5)
    order = factories.place(shop, [(sku.sku, 1)])
    system = Actor.system(shop)
    payments.record_payment(actor=system, order=order, amount_cents=order.total_cents,
                            method="wechat_pay")
    amount = order.total_cents * 60 // 100

    def refund(n: int):
        mine = Order.objects.select_related("shop").get(pk=order.pk)
        return refunds.record_refund(actor=Actor.system(mine.shop), order=mine,
                                     amount_cents=amount, reason=f"退款 {n}")

    results = race(20, refund)

    made = [r for r in results if isinstance(r, Refund)]
    refused = [r for r in results if isinstance(r, refunds.RefundExceedsPaid)]
    assert len(made) == 1, [r for r in results if not isinstance(r, Refund)][:3]
    assert len(refused) == 19
    assert {r.details["refundable_cents"] for r in refused} == {order.total_cents - amount}
    order.refresh_from_db()
    assert order.refunded_cents == amount == ledger_sums(order).refunded_cents
    assert Refund.objects.filter(order=order).count() == 1
