"""Self-pickup as staff at the counter meet it: a pickup shipment gets a code, staff type it
in and the goods are handed over (all of them, or some of them), the order follows; a used,
unknown or guessed code, and an unpaid order where payment comes first, are refused."""

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction

from dingdan.errors import NotFound, PermissionDenied
from dingdan.fulfillment.models import PickupCode, Shipment
from dingdan.fulfillment.services import pickups, shipping
from dingdan.orders.selectors.presentation import timeline
from dingdan.orders.services import lifecycle
from dingdan.shops.actors import Actor
from dingdan.shops.services.shops import update_shop_settings
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts():
    """Wrong codes are counted in the cache, which outlives each test's rolled-back rows."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "CAKE", name="草莓蛋糕", stock=50)
    factories.make_sku(shop, "TART", name="蛋挞", stock=50)
    return shop


def pickup_order(shop, lines=(("CAKE", 1), ("TART", 6))):
    placed = factories.place(shop, list(lines), name="王芳", delivery_method="pickup")
    order = lifecycle.accept_order(actor=Actor.system(shop), order=placed)
    shipment = shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"),
                                        order=order)
    return order, shipment


def test_a_pickup_shipment_is_ready_with_an_eight_digit_code(shop):
    order, shipment = pickup_order(shop)
    assert (shipment.method, shipment.status) == ("pickup", "packed")
    code = PickupCode.objects.get(shipment=shipment)
    assert code.status == "open"
    assert len(code.code) >= 8 and code.code.isdigit()
    order.refresh_from_db()
    assert order.status == "shipped"


def test_an_express_shipment_gets_no_code(shop):
    placed = factories.place(shop, [("CAKE", 1)])
    order = lifecycle.accept_order(actor=Actor.system(shop), order=placed)
    shipment = shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"),
                                        order=order)
    assert not PickupCode.objects.filter(shipment=shipment).exists()


def test_two_open_codes_of_a_shop_cannot_be_the_same(shop):
    _order, first = pickup_order(shop)
    _order, second = pickup_order(shop)
    taken = PickupCode.objects.get(shipment=first).code
    with pytest.raises(IntegrityError), transaction.atomic():
        PickupCode.objects.filter(shipment=second).update(code=taken)


def test_a_used_code_may_come_round_again(shop):
    _order, first = pickup_order(shop)
    _order, second = pickup_order(shop)
    code = PickupCode.objects.get(shipment=first).code
    pickups.redeem_pickup_code(actor=factories.staff_actor(shop, "warehouse"), code=code)
    PickupCode.objects.filter(shipment=second).update(code=code)  # allowed: one open
    redeemed = pickups.redeem_pickup_code(actor=factories.staff_actor(shop, "warehouse"),
                                          code=code)
    assert redeemed.handed_over.pk == second.pk


def test_redeeming_hands_everything_over_and_the_order_is_delivered(shop):
    order, shipment = pickup_order(shop)
    code = PickupCode.objects.get(shipment=shipment).code
    staff = factories.staff_actor(shop, "warehouse")
    redemption = pickups.redeem_pickup_code(actor=staff, code=code)
    assert redemption.order.status == "delivered"
    assert redemption.order.fulfillment_status == "delivered"
    assert redemption.waiting is None
    shipment.refresh_from_db()
    assert shipment.status == "delivered"
    assert [e.status for e in shipment.events.all()] == ["delivered"]
    assert PickupCode.objects.get(shipment=shipment).status == "redeemed"
    words = " ".join(entry.sentence for entry in timeline(order))
    assert staff.label in words
    assert "CAKE × 1" in words and "TART × 6" in words
    assert code not in words  # the timeline is read by roles that may not redeem


def test_a_partial_pickup_leaves_the_rest_waiting_under_the_same_code(shop):
    order, shipment = pickup_order(shop)
    code = PickupCode.objects.get(shipment=shipment).code
    tart = order.lines.get(sku="TART")
    staff = factories.staff_actor(shop, "warehouse")
    first = pickups.redeem_pickup_code(actor=staff, code=code,
                                       lines=[{"line_id": tart.pk, "quantity": 4}])
    assert first.order.status == "shipped"
    assert first.order.fulfillment_status == "partially_delivered"
    assert [(x.sku, x.quantity) for x in first.handed_over.lines.all()] == [("TART", 4)]
    assert first.handed_over.status == "delivered"
    assert [(x.sku, x.quantity) for x in first.waiting.lines.all()] == [("CAKE", 1),
                                                                       ("TART", 2)]
    assert first.waiting.status == "packed"

    rest = pickups.redeem_pickup_code(actor=staff, code=code)
    assert rest.order.status == "delivered"
    assert rest.order.fulfillment_status == "delivered"
    assert Shipment.objects.filter(order=order, status="delivered").count() == 2


def test_a_used_code_answers_already_redeemed(shop):
    _order, shipment = pickup_order(shop)
    code = PickupCode.objects.get(shipment=shipment).code
    staff = factories.staff_actor(shop, "warehouse")
    pickups.redeem_pickup_code(actor=staff, code=code)
    with pytest.raises(pickups.AlreadyRedeemed) as refused:
        pickups.redeem_pickup_code(actor=staff, code=code)
    assert refused.value.status == 409 and refused.value.code == "already_redeemed"


def test_cancelling_the_shipment_voids_its_code(shop):
    _order, shipment = pickup_order(shop)
    code = PickupCode.objects.get(shipment=shipment).code
    staff = factories.staff_actor(shop, "warehouse")
    shipping.cancel_shipment(actor=staff, shipment=shipment)
    assert PickupCode.objects.get(shipment=shipment).status == "void"
    with pytest.raises(NotFound):
        pickups.redeem_pickup_code(actor=staff, code=code)


def test_ten_wrong_codes_in_a_minute_and_the_next_try_waits(shop):
    _order, shipment = pickup_order(shop)
    code = PickupCode.objects.get(shipment=shipment).code
    staff = factories.staff_actor(shop, "warehouse")
    wrong = "1" + str((int(code[1:]) + 1) % 10**7).zfill(7)
    for _ in range(10):
        with pytest.raises(NotFound):
            pickups.redeem_pickup_code(actor=staff, code=wrong)
    with pytest.raises(pickups.TooManyWrongCodes) as refused:
        pickups.redeem_pickup_code(actor=staff, code=code)  # even the right one, now
    assert refused.value.status == 429
    # A colleague at the same counter is not held up.
    other = factories.staff_actor(shop, "warehouse")
    assert pickups.redeem_pickup_code(actor=other, code=code).order.status == "delivered"


def test_a_prepayment_shop_hands_over_only_paid_orders_unless_it_takes_payment_at_pickup(
        shop):
    _order, shipment = pickup_order(shop)
    code = PickupCode.objects.get(shipment=shipment).code
    owner = factories.staff_actor(shop, "owner")
    update_shop_settings(actor=owner, shop=shop, changes={"payment_terms": "prepayment"})
    with pytest.raises(pickups.NotPaid) as refused:
        pickups.redeem_pickup_code(actor=owner, code=code)
    assert refused.value.code == "not_paid"
    update_shop_settings(actor=owner, shop=shop, changes={"pay_at_pickup": True})
    assert pickups.redeem_pickup_code(actor=owner, code=code).order.status == "delivered"


def test_a_clerk_may_not_redeem(shop):
    _order, shipment = pickup_order(shop)
    code = PickupCode.objects.get(shipment=shipment).code
    with pytest.raises(PermissionDenied):
        pickups.redeem_pickup_code(actor=factories.staff_actor(shop, "clerk"), code=code)


def test_another_shops_code_is_unknown(shop):
    _order, shipment = pickup_order(shop)
    code = PickupCode.objects.get(shipment=shipment).code
    other = factories.make_shop()
    with pytest.raises(NotFound):
        pickups.redeem_pickup_code(actor=factories.staff_actor(other, "owner"), code=code)


def test_the_customer_cannot_confirm_receipt_of_a_pickup_still_waiting(shop):
    from dingdan.fulfillment.selectors.customer import may_confirm_receipt

    order, _shipment = pickup_order(shop)
    order.refresh_from_db()
    assert not may_confirm_receipt(order)


def test_a_pickup_handed_over_another_way_closes_its_code(shop):
    from dingdan.fulfillment.models import PickupCode
    from dingdan.fulfillment.services import tracking

    _order, shipment = pickup_order(shop)
    tracking.record_tracking_event(actor=factories.staff_actor(shop), shipment=shipment,
                                   status="delivered", detail="顾客已取走")
    assert PickupCode.objects.get(shipment=shipment).status == "redeemed"


def test_a_shop_that_takes_payment_at_pickup_sets_unpaid_orders_aside(shop):
    from dingdan.orders.models import Order

    shop.settings = {**shop.settings, "payment_terms": "prepayment", "pay_at_pickup": True}
    shop.save()
    placed = factories.place(shop, [("CAKE", 1)], delivery_method="pickup")
    assert placed.status == "pending_payment"
    Order.objects.filter(pk=placed.pk).update(status="accepted")  # accepted unpaid
    shipment = shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"),
                                        order=Order.objects.get(pk=placed.pk))
    assert shipment.status == "packed" and shipment.pickup_code.code
