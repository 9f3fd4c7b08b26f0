"""常用模板: a merchant saves a line set once and starts orders from it, priced at the time."""

import pytest

from dingdan.catalog.models import Variant
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "CM-500", price_cents=3990, stock=20)
    factories.make_sku(shop, "LM-125", price_cents=1990, stock=20)
    return shop


def test_an_order_from_a_template_has_its_lines_at_todays_prices(shop):
    client = factories.api_client(factories.token_for(shop, "clerk"))
    template = client.post("/api/v1/order-templates", {
        "name": "水果周卡", "delivery_method": "local", "note": "周六送",
        "lines": [{"sku": "CM-500", "quantity": 2}, {"sku": "LM-125", "quantity": 1}],
    }, content_type="application/json").json()
    Variant.objects.filter(sku="LM-125").update(price_cents=2190)

    order = client.post(f"/api/v1/order-templates/{template['id']}/orders",
                        {"customer": {"name": "王芳", "phone": "13900139000"}},
                        content_type="application/json").json()

    assert [(ln["sku"], ln["quantity"]) for ln in order["lines"]] == [("CM-500", 2),
                                                                      ("LM-125", 1)]
    assert order["subtotal_cents"] == 2 * 3990 + 2190
    assert (order["delivery_method"], order["note"]) == ("local", "周六送")
    assert [t["name"] for t in client.get("/api/v1/order-templates").json()] == ["水果周卡"]


def test_saving_the_same_name_replaces_and_unknown_skus_are_refused(shop):
    client = factories.api_client(factories.token_for(shop, "clerk"))
    for quantity in (1, 3):
        client.post("/api/v1/order-templates", {"name": "周卡", "lines": [
            {"sku": "CM-500", "quantity": quantity}]}, content_type="application/json")
    bad = client.post("/api/v1/order-templates", {"name": "坏的", "lines": [
        {"sku": "NOPE", "quantity": 1}]}, content_type="application/json")
    templates = client.get("/api/v1/order-templates").json()
    assert [t["lines"] for t in templates] == [[{"sku": "CM-500", "quantity": 3}]]
    assert bad.status_code == 400 and "lines.0.sku" in bad.json()["error"]["fields"]


def test_deleting_a_template(shop):
    client = factories.api_client(factories.token_for(shop, "clerk"))
    template = client.post("/api/v1/order-templates", {"name": "周卡", "lines": [
        {"sku": "CM-500", "quantity": 1}]}, content_type="application/json").json()
    assert client.delete(f"/api/v1/order-templates/{template['id']}").status_code == 204
    assert client.get("/api/v1/order-templates").json() == []
    again = client.delete(f"/api/v1/order-templates/{template['id']}")
    assert again.status_code == 404
