"""Products over the API, in the exact shapes other systems rely on."""

import pytest

from dingdan.catalog.models import Product, Variant
from dingdan.inventory.models import StockLevel
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    shop = factories.make_shop()
    return factories.api_client(factories.token_for(shop, "owner"))


def post(client, body, **headers):
    return client.post("/api/v1/products", body, content_type="application/json", headers=headers)


def test_creating_a_product_returns_it_and_opens_empty_stock(client):
    response = post(client, {"sku": "CM-500", "name": "草莓", "price_cents": 3990,
                             "spec": "500g", "aliases": ["奶油草莓", "红颜"], "category": "水果"})
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("sku", "name", "spec", "price_cents", "kind", "category")} == {
        "sku": "CM-500", "name": "草莓", "spec": "500g", "price_cents": 3990, "kind": "goods",
        "category": "水果",
    }
    assert body["aliases"] == ["奶油草莓", "红颜"]
    stock = client.get("/api/v1/inventory/CM-500").json()
    assert stock == {"sku": "CM-500", "name": "草莓 500g", "on_hand": 0, "reserved": 0,
                     "available": 0, "low_stock_threshold": None, "backordered": 0}


def test_a_second_sku_under_the_same_name_is_another_variant(client):
    post(client, {"sku": "CM-500", "name": "草莓", "price_cents": 3990, "spec": "500g"})
    post(client, {"sku": "CM-1000", "name": "草莓", "price_cents": 6990, "spec": "1kg"})
    product = Product.objects.get(name="草莓")
    assert sorted(product.variants.values_list("spec", flat=True)) == ["1kg", "500g"]


def test_search_finds_by_name_alias_spec_and_sku(client):
    post(client, {"sku": "CM-500", "name": "草莓", "price_cents": 3990, "aliases": ["奶油草莓"]})
    post(client, {"sku": "LM-1", "name": "蓝莓", "price_cents": 2990, "spec": "125g"})
    found = {q: [p["sku"] for p in client.get("/api/v1/products", {"q": q}).json()["items"]]
             for q in ("奶油", "125g", "lm-1", "莓")}
    assert found == {"奶油": ["CM-500"], "125g": ["LM-1"], "lm-1": ["LM-1"],
                     "莓": ["CM-500", "LM-1"]}
    page = client.get("/api/v1/products").json()
    assert page["count"] == 2


def test_a_services_kind_is_kept_and_it_has_no_stock(client):
    response = post(client, {"sku": "SPA-60", "name": "推拿", "price_cents": 12800,
                             "kind": "service"})
    assert response.json()["kind"] == "service"
    assert not StockLevel.objects.filter(variant__sku="SPA-60").exists()


def test_patching_changes_price_and_aliases(client):
    post(client, {"sku": "CM-500", "name": "草莓", "price_cents": 3990, "aliases": ["红颜"]})
    response = client.patch("/api/v1/products/CM-500", {"price_cents": 3590,
                            "aliases": ["奶油草莓"]}, content_type="application/json")
    assert response.json()["price_cents"] == 3590
    assert response.json()["aliases"] == ["奶油草莓"]


def test_duplicate_sku_is_refused_and_nothing_changes(client):
    post(client, {"sku": "CM-500", "name": "草莓", "price_cents": 3990})
    response = post(client, {"sku": "CM-500", "name": "别的", "price_cents": 100})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate_sku" and "CM-500" in error["message"]
    assert not Product.objects.filter(name="别的").exists()
    assert Variant.objects.get(sku="CM-500").price_cents == 3990


@pytest.mark.parametrize("body, field", [
    ({"name": "草莓", "price_cents": 1}, "sku"),
    ({"sku": "A1", "price_cents": 1}, "name"),
    ({"sku": "A1", "name": "草莓"}, "price_cents"),
    ({"sku": "A1", "name": "草莓", "price_cents": -1}, "price_cents"),
    ({"sku": "A1", "name": "草莓", "price_cents": 12.5}, "price_cents"),
    ({"sku": "A1", "name": "草莓", "price_cents": "很多"}, "price_cents"),
    ({"sku": "A1", "name": "草莓", "price_cents": 1, "kind": "gift"}, "kind"),
    ({"sku": "A1", "name": "草莓", "price_cents": 1, "aliases": "红颜"}, "aliases"),
    ({"sku": "has space", "name": "草莓", "price_cents": 1}, "sku"),
    ({"sku": "A1", "name": "   ", "price_cents": 1}, "name"),
    ({"sku": "A1", "name": "草" * 101, "price_cents": 1}, "name"),
])
def test_bad_product_input_names_the_field_and_creates_nothing(client, body, field):
    response = post(client, body)
    assert 400 <= response.status_code < 500
    assert field in response.json()["error"]["fields"]
    assert not Variant.objects.exists()


def test_unknown_sku_is_a_clear_404(client):
    response = client.get("/api/v1/products/NOPE", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "sku_not_found", "message": "No product with the SKU NOPE.", "fields": {}
    }


def test_stock_api_receive_adjust_count_round_trip(client):
    post(client, {"sku": "CM-500", "name": "草莓", "price_cents": 3990})
    received = client.post("/api/v1/inventory/CM-500/receive", {"quantity": 12},
                           content_type="application/json").json()
    adjusted = client.post("/api/v1/inventory/CM-500/adjust", {"delta": -2, "reason": "压坏"},
                           content_type="application/json").json()
    counted = client.post("/api/v1/inventory/CM-500/count", {"counted": 9},
                          content_type="application/json").json()
    ledger = client.get("/api/v1/inventory/CM-500/movements").json()["items"]
    assert (received["on_hand"], adjusted["on_hand"], counted["available"]) == (12, 10, 9)
    assert [m["kind"] for m in ledger] == ["count", "adjust", "receive"]
    assert ledger[1]["reason"] == "压坏"


@pytest.mark.parametrize("path, body, field", [
    ("receive", {"quantity": -3}, "quantity"),
    ("receive", {"quantity": 0}, "quantity"),
    ("receive", {"quantity": "ten"}, "quantity"),
    ("receive", {}, "quantity"),
    ("adjust", {"delta": 0, "reason": "x"}, "delta"),
    ("adjust", {"delta": 3}, "reason"),
    ("count", {"counted": -1}, "counted"),
])
def test_bad_stock_input_is_refused_and_changes_nothing(client, path, body, field):
    post(client, {"sku": "CM-500", "name": "草莓", "price_cents": 3990})
    client.post("/api/v1/inventory/CM-500/receive", {"quantity": 5},
                content_type="application/json")
    response = client.post(f"/api/v1/inventory/CM-500/{path}", body,
                           content_type="application/json")
    assert 400 <= response.status_code < 500
    assert field in response.json()["error"]["fields"]
    assert client.get("/api/v1/inventory/CM-500").json()["on_hand"] == 5


def test_a_shortage_on_adjust_names_the_sku(client):
    post(client, {"sku": "CM-500", "name": "草莓", "price_cents": 3990})
    response = client.post("/api/v1/inventory/CM-500/adjust", {"delta": -1, "reason": "丢失"},
                           content_type="application/json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "insufficient_stock"
    assert error["details"]["shortages"] == [
        {"sku": "CM-500", "name": "草莓", "requested": 1, "available": 0}
    ]
