"""The merchant ships what is here now and the rest later: each shipment carries chosen
lines, moves exactly its units off the shelf, and the order follows — 已发货 with the first,
运输中 when a parcel is on its way, 已送达 when everything arrived; a shipment cancelled
before it left puts its units back for the order."""

import pytest
from django.utils import translation

from dingdan.errors import InvalidInput
from dingdan.fulfillment.models import Shipment, ShipmentStatus
from dingdan.fulfillment.services import shipping, tracking
from dingdan.inventory.models import StockLevel
from dingdan.inventory.selectors import ledger_mismatches
from dingdan.inventory.services import stock
from dingdan.orders.models import Order, OrderEvent
from dingdan.orders.selectors.presentation import event_sentence
from dingdan.orders.services import lifecycle
from dingdan.orders.states import FulfillmentStatus, Status
from dingdan.shops.actors import Actor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "APPLE", name="红富士苹果", price_cents=1000, stock=10)
    factories.make_sku(shop, "PEAR", name="砀山梨", price_cents=800, stock=10)
    return shop


@pytest.fixture
def warehouse(shop):
    return factories.staff_actor(shop, "warehouse")


def accepted(shop, lines):
    order = factories.place(shop, lines)
    return lifecycle.accept_order(actor=factories.staff_actor(shop, "clerk"), order=order)


def line(order, sku):
    return order.lines.get(sku=sku)


def level(shop, sku):
    return StockLevel.objects.get(variant__shop=shop, variant__sku=sku)


def fresh(order) -> Order:
    return Order.objects.get(pk=order.pk)


def test_shipping_part_now_and_the_rest_later(shop, warehouse):
    order = accepted(shop, [("APPLE", 3), ("PEAR", 2)])

    first = shipping.create_shipment(
        actor=warehouse, order=order, lines=[{"line_id": line(order, "APPLE").pk, "quantity": 2}],
        carrier="sf", tracking_number="SF1234567890123")

    assert (first.status, first.carrier, first.tracking_number) == (
        ShipmentStatus.SHIPPED, "sf", "SF1234567890123")
    assert first.number == f"{order.number}-1"
    apple = level(shop, "APPLE")
    assert (apple.on_hand, apple.reserved) == (8, 1)  # 2 left the shelf, 1 still held
    order = fresh(order)
    assert (order.status, order.fulfillment_status) == (Status.SHIPPED,
                                                        FulfillmentStatus.PARTIALLY_SHIPPED)

    second = shipping.create_shipment(actor=warehouse, order=order)  # everything left
    assert {(sl.order_line.sku, sl.quantity) for sl in second.lines.all()} == {
        ("APPLE", 1), ("PEAR", 2)}
    assert fresh(order).fulfillment_status == FulfillmentStatus.SHIPPED
    assert (level(shop, "PEAR").on_hand, level(shop, "PEAR").reserved) == (8, 0)
    assert ledger_mismatches(shop) == []
    created = OrderEvent.objects.filter(order=order, kind="shipment_created").first()
    with translation.override("zh-hans"):
        assert event_sentence(created) == (
            f"{warehouse.label} 通过顺丰速运发出 APPLE × 2，"
            f"运单号 SF1234567890123（{first.number}）")


def test_a_line_never_ships_more_than_is_left_of_it(shop, warehouse):
    order = accepted(shop, [("APPLE", 3)])
    apple = line(order, "APPLE")
    shipping.create_shipment(actor=warehouse, order=order,
                             lines=[{"line_id": apple.pk, "quantity": 2}])

    with pytest.raises(shipping.OverShipment) as refused:
        shipping.create_shipment(actor=warehouse, order=order,
                                 lines=[{"line_id": apple.pk, "quantity": 2}])
    assert refused.value.details["lines"] == [
        {"line_id": apple.pk, "sku": "APPLE", "left": 1, "requested": 2}]
    assert Shipment.objects.filter(order=order).count() == 1
    assert level(shop, "APPLE").on_hand == 8


def test_units_still_backordered_ship_later_once_stock_arrives(shop, warehouse):
    shop.settings = {"allow_backorders": True}
    shop.save()
    pear = factories.make_sku(shop, "PEACH", name="水蜜桃", stock=2)
    order = accepted(shop, [("PEACH", 5)])
    peach = line(order, "PEACH")

    with pytest.raises(shipping.NotInStock) as refused:
        shipping.create_shipment(actor=warehouse, order=order,
                                 lines=[{"line_id": peach.pk, "quantity": 5}])
    assert refused.value.details["lines"][0]["held"] == 2
    first = shipping.create_shipment(actor=warehouse, order=order)  # what is here: 2
    assert first.lines.get().quantity == 2

    stock.receive_stock(actor=Actor.system(shop), shop=shop, variant=pear, quantity=10)
    second = shipping.create_shipment(actor=warehouse, order=order)
    assert second.lines.get().quantity == 3  # the backorder, filled on restock, ships now
    assert fresh(order).fulfillment_status == FulfillmentStatus.SHIPPED
    assert ledger_mismatches(shop) == []


def test_cancelling_a_shipment_that_has_not_left_holds_its_units_again(shop, warehouse):
    order = accepted(shop, [("APPLE", 3)])
    shipment = shipping.create_shipment(actor=warehouse, order=order)
    assert fresh(order).status == Status.SHIPPED

    shipping.cancel_shipment(actor=warehouse, shipment=shipment, note="面单打错了")

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.CANCELLED
    apple = level(shop, "APPLE")
    assert (apple.on_hand, apple.reserved) == (10, 3)
    order = fresh(order)
    assert (order.status, order.fulfillment_status) == (Status.ACCEPTED,
                                                        FulfillmentStatus.UNFULFILLED)
    back = OrderEvent.objects.filter(order=order, kind="status_changed").last()
    assert (back.data["to"], back.data["cause"]) == ("accepted", "shipments_cancelled")
    assert ledger_mismatches(shop) == []
    # It ships again as normal.
    assert shipping.create_shipment(actor=warehouse, order=order).number == f"{order.number}-2"


def test_a_shipment_on_its_way_cannot_be_cancelled(shop, warehouse):
    order = accepted(shop, [("APPLE", 1)])
    shipment = shipping.create_shipment(actor=warehouse, order=order)
    tracking.record_tracking_event(actor=warehouse, shipment=shipment, status="in_transit",
                                   detail="【杭州转运中心】已发出")
    with pytest.raises(shipping.ShipmentHasLeft):
        shipping.cancel_shipment(actor=warehouse, shipment=shipment)
    assert level(shop, "APPLE").on_hand == 9


def test_tracking_events_move_the_shipment_and_the_order(shop, warehouse):
    order = accepted(shop, [("APPLE", 1), ("PEAR", 1)])
    a = shipping.create_shipment(actor=warehouse, order=order,
                                 lines=[{"line_id": line(order, "APPLE").pk, "quantity": 1}])
    b = shipping.create_shipment(actor=warehouse, order=order)

    tracking.record_tracking_event(actor=warehouse, shipment=a, status="in_transit")
    assert fresh(order).status == Status.IN_TRANSIT
    tracking.record_tracking_event(actor=warehouse, shipment=a, status="delivered")
    order = fresh(order)
    assert (order.status, order.fulfillment_status) == (
        Status.IN_TRANSIT, FulfillmentStatus.PARTIALLY_DELIVERED)

    tracking.record_tracking_event(actor=warehouse, shipment=b, status="delivered")
    order = fresh(order)
    assert (order.status, order.fulfillment_status) == (Status.DELIVERED,
                                                        FulfillmentStatus.DELIVERED)


def test_a_late_older_step_is_kept_but_does_not_move_the_shipment_back(shop, warehouse):
    import datetime as dt

    from django.utils import timezone

    order = accepted(shop, [("APPLE", 1)])
    shipment = shipping.create_shipment(actor=warehouse, order=order)
    tracking.record_tracking_event(actor=warehouse, shipment=shipment, status="out_for_delivery")
    tracking.record_tracking_event(actor=warehouse, shipment=shipment, status="in_transit",
                                   at=timezone.now() - dt.timedelta(hours=5))
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.OUT_FOR_DELIVERY
    assert shipment.events.count() == 2


def test_the_same_provider_step_twice_is_recorded_once(shop, warehouse):
    order = accepted(shop, [("APPLE", 1)])
    shipment = shipping.create_shipment(actor=warehouse, order=order)
    for _ in range(2):
        tracking.record_tracking_event(actor=Actor.system(shop), shipment=shipment,
                                       status="in_transit", idempotency_key="kd100:SF1:1")
    assert shipment.events.count() == 1


@pytest.mark.parametrize("how, code", [
    ("pending_confirmation", "not_accepted"), ("cancelled", "order_cancelled"),
    ("unpaid", "not_paid"),
])
def test_an_order_that_may_not_ship_is_refused_with_the_reason(shop, warehouse, how, code):
    if how == "unpaid":
        shop.settings = {"payment_terms": "prepayment"}
        shop.save()
    order = factories.place(shop, [("APPLE", 1)])
    if how == "cancelled":
        lifecycle.cancel_order(actor=factories.staff_actor(shop), order=order,
                               reason="customer_request")
    if how == "unpaid":
        Order.objects.filter(pk=order.pk).update(status=Status.ACCEPTED)
    with pytest.raises(shipping.MayNotShip) as refused:
        shipping.create_shipment(actor=warehouse, order=fresh(order))
    assert refused.value.code == code
    assert not Shipment.objects.exists()


def test_a_tracking_number_that_does_not_fit_the_carrier_is_refused_on_its_field(
        shop, warehouse):
    order = accepted(shop, [("APPLE", 1)])
    with pytest.raises(InvalidInput) as refused:
        shipping.create_shipment(actor=warehouse, order=order, carrier="sf",
                                 tracking_number="12AB")
    assert "tracking_number" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        shipping.create_shipment(actor=warehouse, order=order, carrier="fedex-moon",
                                 tracking_number="1")
    assert "carrier" in refused.value.fields
    assert not Shipment.objects.exists() and level(shop, "APPLE").on_hand == 10


def test_roles_that_do_not_ship_are_refused(shop):
    from dingdan.errors import PermissionDenied

    order = accepted(shop, [("APPLE", 1)])
    with pytest.raises(PermissionDenied):
        shipping.create_shipment(actor=factories.staff_actor(shop, "finance"), order=order)


def test_the_whole_order_ship_step_records_one_shipment_of_everything(shop):
    order = accepted(shop, [("APPLE", 2), ("PEAR", 1)])
    owner = factories.staff_actor(shop, "owner")

    lifecycle.transition_order(actor=owner, order=order, to="shipped", note="整单发货")

    shipment = Shipment.objects.get(order=order)
    assert {(sl.order_line.sku, sl.quantity) for sl in shipment.lines.all()} == {
        ("APPLE", 2), ("PEAR", 1)}
    lifecycle.transition_order(actor=owner, order=fresh(order), to="delivered")
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED
    assert fresh(order).fulfillment_status == FulfillmentStatus.DELIVERED


def test_an_order_whose_shipment_was_cancelled_may_be_edited_again(shop, warehouse):
    from dingdan.orders.services import editing

    order = accepted(shop, [("APPLE", 2)])
    shipment = shipping.create_shipment(actor=warehouse, order=order)
    shipping.cancel_shipment(actor=warehouse, shipment=shipment)
    order = fresh(order)

    editing.edit_order(actor=factories.staff_actor(shop, "clerk"), order=order,
                       version=order.version, lines=[("APPLE", 1), ("PEAR", 1)])

    kept = shipment.lines.get()
    assert (kept.sku, kept.quantity) == ("APPLE", 2)  # the cancelled shipment still says so
    assert level(shop, "APPLE").reserved == 1
    assert ledger_mismatches(shop) == []
