"""Twenty counters scan the same pickup code at the same moment: the goods are handed over
once, on SQLite and on PostgreSQL alike (the order's row lock queues them, and each
re-reads the code behind it)."""

import pytest
from django.core.cache import cache

from dingdan.fulfillment.models import PickupCode, Shipment, TrackingEvent
from dingdan.fulfillment.services import pickups, shipping
from dingdan.orders.models import Order, OrderEvent
from dingdan.orders.services import lifecycle
from dingdan.shops.actors import Actor
from dingdan.shops.models import Membership
from tests import factories
from tests.inventory.test_concurrency import race


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_redemptions_of_one_code_hand_it_over_once():
    cache.clear()
    shop = factories.make_shop()
    factories.make_sku(shop, "CAKE", name="草莓蛋糕", stock=5)
    placed = factories.place(shop, [("CAKE", 2)], delivery_method="pickup")
    order = lifecycle.accept_order(actor=Actor.system(shop), order=placed)
    shipment = shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"),
                                        order=order)
    code = PickupCode.objects.get(shipment=shipment).code
    members = [factories.make_member(shop, "warehouse").pk for _ in range(20)]

    def redeem(n: int):
        member = Membership.objects.select_related("shop", "user").get(pk=members[n])
        return pickups.redeem_pickup_code(actor=Actor.staff(member), code=code)

    results = race(20, redeem)

    handed = [r for r in results if isinstance(r, pickups.Redemption)]
    refused = [r for r in results if isinstance(r, pickups.AlreadyRedeemed)]
    assert len(handed) == 1, [r for r in results if not isinstance(r, pickups.Redemption)][:3]
    assert len(refused) == 19
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.fulfillment_status) == ("delivered", "delivered")
    assert Shipment.objects.filter(order=order).count() == 1
    assert TrackingEvent.objects.filter(shipment__order=order, status="delivered").count() == 1
    assert OrderEvent.objects.filter(order=order, kind="pickup_redeemed").count() == 1
    assert PickupCode.objects.get(shipment=shipment).status == "redeemed"
    cache.clear()
