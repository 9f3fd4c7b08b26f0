"""Shipments as other programs use them: the exact paths and shapes, the documented
refusals with their codes, and retries with an Idempotency-Key."""

import pytest

from dingdan.fulfillment.models import Shipment
from dingdan.inventory.models import StockLevel
from dingdan.orders.services import lifecycle
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "APPLE", name="红富士苹果", stock=10)
    factories.make_sku(shop, "PEAR", name="砀山梨", stock=1)
    return shop


@pytest.fixture
def order(shop):
    placed = factories.place(shop, [("APPLE", 3), ("PEAR", 1)])
    return lifecycle.accept_order(actor=factories.staff_actor(shop, "clerk"), order=placed)


@pytest.fixture
def client(shop):
    return factories.api_client(factories.token_for(shop, "warehouse"), language="en")


def post(client, path, body, **headers):
    return client.post(f"/api/v1{path}", body, content_type="application/json",
                       headers=headers)


def test_shipping_chosen_lines_answers_the_shipment(client, order):
    apple = order.lines.get(sku="APPLE")
    answer = post(client, f"/orders/{order.pk}/shipments", {
        "lines": [{"line_id": apple.pk, "quantity": 2}], "carrier": "sf",
        "tracking_number": "sf 1234 5678 9012 3"})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert {k: body[k] for k in ("order_id", "method", "status", "carrier", "tracking_number")} \
        == {"order_id": order.pk, "method": "express", "status": "shipped", "carrier": "sf",
            "tracking_number": "SF1234567890123"}
    assert body["lines"] == [{"line_id": apple.pk, "sku": "APPLE", "name": "红富士苹果",
                              "quantity": 2}]
    assert body["tracking_url"] and "SF1234567890123" in body["tracking_url"]
    read = client.get(f"/api/v1/orders/{order.pk}").json()
    assert (read["status"], read["fulfillment_status"]) == ("shipped", "partially_shipped")


def test_the_documented_refusals(client, order, shop):
    apple = order.lines.get(sku="APPLE")
    over = post(client, f"/orders/{order.pk}/shipments",
                {"lines": [{"line_id": apple.pk, "quantity": 4}]})
    assert over.status_code == 409 and over.json()["error"]["code"] == "over_shipment"
    bad = post(client, f"/orders/{order.pk}/shipments",
               {"carrier": "sf", "tracking_number": "123"})
    assert bad.status_code == 400 and "tracking_number" in bad.json()["error"]["fields"]
    stranger = post(client, f"/orders/{order.pk}/shipments",
                    {"lines": [{"line_id": 999999, "quantity": 1}]})
    assert stranger.status_code == 400
    unaccepted = factories.place(shop, [("APPLE", 1)])
    early = post(client, f"/orders/{unaccepted.pk}/shipments", {})
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_accepted"
    assert not Shipment.objects.exists()


def test_units_not_held_are_refused_naming_the_lines(client, shop):
    shop.settings = {"allow_backorders": True}
    shop.save()
    placed = factories.place(shop, [("PEAR", 3)])
    order = lifecycle.accept_order(actor=factories.staff_actor(shop, "clerk"), order=placed)
    pear = order.lines.get()
    short = post(client, f"/orders/{order.pk}/shipments",
                 {"lines": [{"line_id": pear.pk, "quantity": 3}]})
    assert short.status_code == 409
    error = short.json()["error"]
    assert error["code"] == "not_in_stock"
    assert error["details"]["lines"] == [
        {"line_id": pear.pk, "sku": "PEAR", "held": 1, "requested": 3}]


def test_a_retry_with_the_same_key_ships_once(client, order):
    first = post(client, f"/orders/{order.pk}/shipments", {}, **{"Idempotency-Key": "ship-1"})
    again = post(client, f"/orders/{order.pk}/shipments", {}, **{"Idempotency-Key": "ship-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert Shipment.objects.count() == 1
    assert StockLevel.objects.get(variant__sku="APPLE").on_hand == 7


def test_events_move_the_shipment_and_cancel_gives_the_units_back(client, order):
    shipment = post(client, f"/orders/{order.pk}/shipments", {}).json()
    listed = client.get(f"/api/v1/orders/{order.pk}/shipments").json()
    assert [s["id"] for s in listed] == [shipment["id"]]

    cancelled = post(client, f"/shipments/{shipment['id']}/cancel", {})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert StockLevel.objects.get(variant__sku="APPLE").reserved == 3
    again = post(client, f"/shipments/{shipment['id']}/cancel", {})
    assert again.status_code == 409

    second = post(client, f"/orders/{order.pk}/shipments", {}).json()
    moved = post(client, f"/shipments/{second['id']}/events",
                 {"status": "delivered", "detail": "已签收，本人签收"})
    assert moved.status_code == 201
    assert moved.json()["status"] == "delivered"
    assert moved.json()["events"][-1]["detail"] == "已签收，本人签收"
    read = client.get(f"/api/v1/orders/{order.pk}").json()
    assert (read["status"], read["fulfillment_status"]) == ("delivered", "delivered")
    unknown = post(client, f"/shipments/{second['id']}/events", {"status": "teleported"})
    assert unknown.status_code == 400 and "status" in unknown.json()["error"]["fields"]
