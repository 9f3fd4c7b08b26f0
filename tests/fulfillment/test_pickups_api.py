"""Redeeming a pickup code over the API: the exact path and shape, the documented refusals
with their codes, and who is answered a shipment's code."""

import pytest
from django.core.cache import cache

from dingdan.fulfillment.models import PickupCode
from dingdan.fulfillment.services import shipping
from dingdan.orders.services import lifecycle
from dingdan.shops.actors import Actor
from dingdan.shops.services.shops import update_shop_settings
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "CAKE", name="草莓蛋糕", stock=20)
    factories.make_sku(shop, "TART", name="蛋挞", stock=20)
    return shop


@pytest.fixture
def shipment(shop):
    placed = factories.place(shop, [("CAKE", 1), ("TART", 6)], name="王芳",
                             delivery_method="pickup")
    order = lifecycle.accept_order(actor=Actor.system(shop), order=placed)
    return shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"),
                                    order=order)


@pytest.fixture
def code(shipment):
    return PickupCode.objects.get(shipment=shipment).code


def client_of(shop, role="warehouse"):
    return factories.api_client(factories.token_for(shop, role), language="en")


def redeem(client, body):
    return client.post("/api/v1/pickups/redeem", body, content_type="application/json")


def test_redeeming_answers_what_was_handed_over_to_whom(shop, shipment, code):
    answer = redeem(client_of(shop), {"code": code})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert {k: body[k] for k in ("order_id", "order_status", "fulfillment_status",
                                 "customer_name")} == {
        "order_id": shipment.order_id, "order_status": "delivered",
        "fulfillment_status": "delivered", "customer_name": "王芳"}
    assert [(x["sku"], x["quantity"]) for x in body["handed_over"]["lines"]] == [
        ("CAKE", 1), ("TART", 6)]
    assert body["handed_over"]["status"] == "delivered"
    assert body["handed_over"]["pickup_code_status"] == "redeemed"
    assert body["waiting"] is None


def test_a_partial_pickup_over_the_api(shop, shipment, code):
    tart = shipment.order.lines.get(sku="TART")
    body = redeem(client_of(shop), {"code": code,
                                    "lines": [{"line_id": tart.pk, "quantity": 2}]}).json()
    assert body["fulfillment_status"] == "partially_delivered"
    assert [(x["sku"], x["quantity"]) for x in body["handed_over"]["lines"]] == [("TART", 2)]
    assert [(x["sku"], x["quantity"]) for x in body["waiting"]["lines"]] == [
        ("CAKE", 1), ("TART", 4)]
    assert body["waiting"]["pickup_code"] == code


def test_the_documented_refusals(shop, code):
    client = client_of(shop)
    assert redeem(client, {"code": code}).status_code == 200
    again = redeem(client, {"code": code})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_redeemed"
    assert "code" in again.json()["error"]["fields"]
    unknown = redeem(client, {"code": "99999999" if code != "99999999" else "99999998"})
    assert unknown.status_code == 404 and "code" in unknown.json()["error"]["fields"]
    letters = redeem(client, {"code": "abc"})
    assert letters.status_code == 400


def test_ten_wrong_codes_from_one_token_then_429(shop, code):
    client = client_of(shop)
    wrong = "1" + str((int(code[1:]) + 1) % 10**7).zfill(7)
    answers = [redeem(client, {"code": wrong}).status_code for _ in range(10)]
    assert answers == [404] * 10
    blocked = redeem(client, {"code": code})
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "too_many_attempts"
    assert redeem(client_of(shop), {"code": code}).status_code == 200  # another token


def test_the_code_is_answered_only_to_roles_that_may_hand_over(shop, shipment, code):
    path = f"/api/v1/shipments/{shipment.pk}"
    assert client_of(shop, "warehouse").get(path).json()["pickup_code"] == code
    assert client_of(shop, "owner").get(path).json()["pickup_code"] == code
    for role in ("clerk", "finance", "viewer"):
        assert client_of(shop, role).get(path).json()["pickup_code"] is None, role
    listed = client_of(shop, "viewer").get(f"/api/v1/orders/{shipment.order_id}/shipments")
    assert [s["pickup_code"] for s in listed.json()] == [None]


def test_an_unpaid_order_of_a_prepayment_shop_is_not_handed_over(shop, code):
    update_shop_settings(actor=Actor.system(shop), shop=shop,
                         changes={"payment_terms": "prepayment"})
    answer = redeem(client_of(shop), {"code": code})
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "not_paid"
