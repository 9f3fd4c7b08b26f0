"""A client that retries an order with the same Idempotency-Key gets one order, always the
same answer; reusing a key for another order is refused."""

import json

import pytest
from django.test import Client

from dingdan.orders.models import Order
from tests import factories
from tests.inventory.test_concurrency import race

BODY = {"customer": {"name": "李雷", "phone": "13912345678"},
        "lines": [{"sku": "CM-500", "quantity": 1}]}


def post(client: Client, body: dict, key: str | None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post("/api/v1/orders", body, content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_a_retry_returns_the_first_answer_and_creates_nothing_new():
    shop = factories.make_shop()
    factories.make_sku(shop, "CM-500", stock=10)
    client = factories.api_client(factories.token_for(shop, "clerk"))

    first = post(client, BODY, "order-1")
    again = post(client, BODY, "order-1")
    other = post(client, BODY, "order-2")

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert other.json()["id"] != first.json()["id"]
    assert Order.objects.count() == 2


@pytest.mark.django_db
def test_the_same_key_with_another_order_is_refused():
    shop = factories.make_shop()
    factories.make_sku(shop, "CM-500", stock=10)
    client = factories.api_client(factories.token_for(shop, "clerk"))
    post(client, BODY, "order-1")

    changed = {**BODY, "lines": [{"sku": "CM-500", "quantity": 2}]}
    response = post(client, changed, "order-1")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_one_shop_and_bad_keys_are_explained():
    shops = [factories.make_shop(), factories.make_shop()]
    clients = []
    for shop in shops:
        factories.make_sku(shop, "CM-500", stock=10)
        clients.append(factories.api_client(factories.token_for(shop, "clerk")))

    assert post(clients[0], BODY, "same").status_code == 201
    assert post(clients[1], BODY, "same").status_code == 201
    too_long = post(clients[0], BODY, "k" * 256)
    assert too_long.status_code == 400
    assert too_long.json()["error"]["code"] == "invalid_idempotency_key"
    assert Order.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_20_parallel_retries_create_one_order_and_all_get_the_same_answer():
    shop = factories.make_shop()
    factories.make_sku(shop, "CM-500", stock=100)
    secret = factories.token_for(shop, "clerk")

    def retry(n: int):
        response = post(factories.api_client(secret), BODY, "storm-1")
        return response.status_code, json.dumps(response.json(), sort_keys=True)

    results = race(20, retry)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert {status for status, _ in results} == {201}
    assert len({body for _, body in results}) == 1
    assert Order.objects.filter(shop=shop).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("path, body", [
    ("/api/v1/products", {"sku": "NEW-1", "name": "新品", "price_cents": 990}),
    ("/api/v1/customers", {"name": "韩梅梅", "phone": "13700001111"}),
])
def test_products_and_customers_are_created_once_per_key(path, body):
    shop = factories.make_shop()
    client = factories.api_client(factories.token_for(shop, "owner"))
    headers = {"Idempotency-Key": "k-1"}

    first = client.post(path, body, content_type="application/json", headers=headers)
    again = client.post(path, body, content_type="application/json", headers=headers)

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
