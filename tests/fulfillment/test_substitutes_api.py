"""Substitutes over the API: offer one for a short line, list an order's offers, withdraw
one; bad input and conflicts answer 4xx with a code and a message in the caller's
language."""

import pytest

from dingdan.fulfillment.models import SubstituteOffer
from dingdan.orders.models import Order
from dingdan.orders.services import lifecycle
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    shop.settings = {"allow_backorders": True}
    shop.save()
    factories.make_sku(shop, "MANGO", name="芒果", price_cents=1000, stock=1)
    factories.make_sku(shop, "BIGMANGO", name="大芒果", price_cents=1500, stock=5)
    return shop


@pytest.fixture
def order(shop):
    placed = factories.place(shop, [("MANGO", 3)])
    return lifecycle.accept_order(actor=factories.staff_actor(shop), order=placed)


@pytest.fixture
def api(shop):
    return factories.api_client(factories.token_for(shop, "clerk"), language="en")


def body(order, sku="BIGMANGO", **extra):
    return {"line_id": order.lines.get().pk, "variant_id": order.shop.variants.get(sku=sku).pk,
            **extra}


def post(api, order, payload, **headers):
    return api.post(f"/api/v1/orders/{order.pk}/substitutes", payload,
                    content_type="application/json", headers=headers)


def test_offer_list_and_withdraw(shop, order, api):
    made = post(api, order, body(order, quantity=2, unit_price_cents=1200),
                **{"Idempotency-Key": "sub-1"})

    assert made.status_code == 201
    offer = made.json()
    assert (offer["sku"], offer["original_sku"], offer["quantity"], offer["unit_price_cents"],
            offer["difference_cents"], offer["status"]) == ("BIGMANGO", "MANGO", 2, 1200,
                                                             400, "offered")
    again = post(api, order, body(order, quantity=2, unit_price_cents=1200),
                 **{"Idempotency-Key": "sub-1"})
    assert again.json()["id"] == offer["id"] and SubstituteOffer.objects.count() == 1

    listed = api.get(f"/api/v1/orders/{order.pk}/substitutes")
    assert [o["id"] for o in listed.json()] == [offer["id"]]

    withdrawn = api.post(f"/api/v1/substitutes/{offer['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    twice = api.post(f"/api/v1/substitutes/{offer['id']}/withdraw")
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "substitute_decided"


def test_defaults_are_every_unit_left_at_the_substitutes_price(order, api):
    offer = post(api, order, body(order)).json()
    assert (offer["quantity"], offer["unit_price_cents"]) == (3, 1500)


@pytest.mark.parametrize(("extra", "sku", "field"), [
    ({}, "MANGO", "variant_id"),
    ({"quantity": 4}, "BIGMANGO", "quantity"),
    ({"unit_price_cents": -5}, "BIGMANGO", "unit_price_cents"),
])
def test_bad_input_is_400_at_its_field(order, api, extra, sku, field):
    refused = post(api, order, body(order, sku, **extra))
    assert refused.status_code == 400
    assert field in refused.json()["error"]["fields"]
    assert not SubstituteOffer.objects.exists()


def test_a_second_open_offer_and_an_order_not_accepted_are_409(shop, order, api):
    assert post(api, order, body(order)).status_code == 201
    second = post(api, order, body(order))
    assert second.status_code == 409 and second.json()["error"]["code"] == "substitute_open"
    waiting = factories.place(shop, [("MANGO", 1)])
    early = post(api, waiting, body(waiting))
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_substitutable"


def test_messages_are_in_the_callers_language(shop, order):
    api = factories.api_client(factories.token_for(shop, "clerk"), language="zh-hans")
    refused = post(api, order, body(order, "MANGO"))
    message = refused.json()["error"]["fields"]["variant_id"]
    assert message == "请选择另一个商品，不要选被替换的商品。"


def test_another_shops_order_and_offer_are_not_found(shop, order, api):
    offer = post(api, order, body(order)).json()
    other = factories.api_client(factories.token_for(factories.make_shop(), "owner"))
    assert post(other, order, body(order)).status_code == 404
    assert other.post(f"/api/v1/substitutes/{offer['id']}/withdraw").status_code == 404
    assert Order.objects.get(pk=order.pk).status == "accepted"
