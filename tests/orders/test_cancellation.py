"""Cancelling names a reason: refused without one, kept on the order, in the API answer
and in the timeline's words; the stock goes back and whatever the order waited for is no
longer awaited."""

import pytest

from dingdan import hooks
from dingdan.errors import InvalidInput
from dingdan.inventory.models import Backorder, StockLevel
from dingdan.orders.models import OrderEvent
from dingdan.orders.selectors.presentation import event_sentence
from dingdan.orders.services import bulk, lifecycle
from dingdan.orders.states import CancelReason, Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return factories.make_shop()


def test_cancelling_without_a_reason_is_refused_and_changes_nothing(shop):
    sku = factories.make_sku(shop, stock=5)
    order = factories.place(shop, [(sku.sku, 2)])
    with pytest.raises(InvalidInput) as refused:
        lifecycle.cancel_order(actor=factories.staff_actor(shop), order=order, reason="")
    assert "reason" in refused.value.fields
    order.refresh_from_db()
    assert order.status == Status.PENDING_CONFIRMATION
    assert StockLevel.objects.get(variant=sku).reserved == 2


def test_other_needs_words_and_an_unknown_code_is_refused(shop):
    sku = factories.make_sku(shop, stock=5)
    order = factories.place(shop, [(sku.sku, 1)])
    staff = factories.staff_actor(shop)
    with pytest.raises(InvalidInput) as refused:
        lifecycle.cancel_order(actor=staff, order=order, reason="other", note="  ")
    assert "note" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        lifecycle.cancel_order(actor=staff, order=order, reason="bored")
    assert "reason" in refused.value.fields

    cancelled = lifecycle.cancel_order(actor=staff, order=order, reason="other",
                                       note="客户搬家了")
    assert (cancelled.cancel_reason, cancelled.cancel_note) == ("other", "客户搬家了")


@pytest.mark.parametrize("reason", CancelReason.values)
def test_every_reason_is_kept_and_told_in_the_timeline(shop, reason):
    sku = factories.make_sku(shop, stock=5)
    order = factories.place(shop, [(sku.sku, 2)])
    lifecycle.cancel_order(actor=factories.staff_actor(shop), order=order, reason=reason,
                           note="说明")
    order.refresh_from_db()
    assert order.status == Status.CANCELLED and order.cancel_reason == reason
    assert StockLevel.objects.get(variant=sku).reserved == 0
    event = OrderEvent.objects.filter(order=order).last()
    assert event.data["reason"] == reason
    assert str(CancelReason(reason).label) in event_sentence(event)


def test_the_api_refuses_a_cancel_without_reason_and_answers_the_reason(shop):
    sku = factories.make_sku(shop, stock=5)
    order = factories.place(shop, [(sku.sku, 1)])
    client = factories.api_client(factories.token_for(shop, "owner"), language="en")
    url = f"/api/v1/orders/{order.pk}/transition"

    refused = client.post(url, {"to": "cancelled"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["reason"] == "Say why the order is cancelled."

    done = client.post(url, {"to": "cancelled", "reason": "out_of_stock", "note": "草莓没了"},
                       content_type="application/json")
    assert done.status_code == 200
    body = done.json()
    assert (body["status"], body["cancel_reason"], body["cancel_note"]) == (
        "cancelled", "out_of_stock", "草莓没了")
    assert client.get(f"/api/v1/orders/{order.pk}").json()["cancel_reason"] == "out_of_stock"


def test_bulk_cancel_carries_the_reason_and_fails_each_order_without_one(shop):
    sku = factories.make_sku(shop, stock=5)
    first = factories.place(shop, [(sku.sku, 1)])
    second = factories.place(shop, [(sku.sku, 1)], phone="13900139000")
    staff = factories.staff_actor(shop)
    without = bulk.bulk_apply(actor=staff, shop=shop, order_ids=[first.pk], action="transition",
                              params={"to": "cancelled"})
    assert without["failed"][0]["error"]["code"] == "cancel_reason_required"
    done = bulk.bulk_apply(actor=staff, shop=shop, order_ids=[first.pk, second.pk],
                           action="transition", params={"to": "cancelled",
                                                        "reason": "duplicate"})
    assert len(done["succeeded"]) == 2
    first.refresh_from_db()
    assert first.cancel_reason == "duplicate"


def test_the_order_page_offers_reasons_and_shows_the_one_chosen(shop, client):
    sku = factories.make_sku(shop, stock=5)
    order = factories.place(shop, [(sku.sku, 1)])
    member = factories.make_member(shop, "owner")
    client.force_login(member.user)
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert 'data-testid="cancel-reason"' in page and 'value="suspected_fraud"' in page

    client.post(f"/orders/{order.pk}/", {"op": "transition", "to": "cancelled",
                                         "reason": "suspected_fraud"})
    order.refresh_from_db()
    assert order.cancel_reason == "suspected_fraud"
    shown = client.get(f"/orders/{order.pk}/").content.decode()
    assert 'data-testid="cancel-reason-shown"' in shown


def test_the_money_side_hears_of_a_cancellation_inside_its_transaction(shop):
    sku = factories.make_sku(shop, stock=5)
    order = factories.place(shop, [(sku.sku, 1)])
    heard = []

    def listener(*, order, actor, reason, refund):
        heard.append((order.pk, reason, refund, order.status))

    hooks.register("orders.cancelled", listener)
    try:
        lifecycle.cancel_order(actor=factories.staff_actor(shop), order=order,
                               reason="customer_request")
    finally:
        hooks._handlers["orders.cancelled"].remove(listener)
    # Told before the status changes, so a refusal there leaves the order as it was.
    assert heard == [(order.pk, "customer_request", False, Status.PENDING_CONFIRMATION)]


def test_a_backordered_order_cannot_ship_and_a_restock_serves_only_open_orders(shop):
    shop.settings = {"allow_backorders": True}
    shop.save()
    sku = factories.make_sku(shop, stock=3)
    order = factories.place(shop, [(sku.sku, 5)])
    staff = factories.staff_actor(shop)
    for to in ("accepted", "preparing"):
        lifecycle.transition_order(actor=staff, order=order, to=to)

    with pytest.raises(lifecycle.states.InvalidTransition) as refused:
        lifecycle.ship_order(actor=staff, order=order)
    assert refused.value.code == "awaiting_stock"
    assert refused.value.details["awaited"] == {sku.sku: 2}
    order.refresh_from_db()
    assert order.status == Status.PREPARING

    # Once the units arrive the queue reserves them for this order, and it ships whole.
    from dingdan.inventory.services import stock as inventory

    inventory.receive_stock(actor=staff, shop=shop, variant=sku, quantity=2)
    shipped = lifecycle.ship_order(actor=staff, order=order)
    assert shipped.status == Status.SHIPPED
    level = StockLevel.objects.get(variant=sku)
    assert (level.on_hand, level.reserved) == (0, 0)
    assert not Backorder.objects.filter(filled_at__isnull=True,
                                        cancelled_at__isnull=True).exists()
