"""Well-formed but extreme input (found by the fuzz in tests/reliability) is refused in the
error format before it reaches the database, on SQLite and PostgreSQL alike."""

from datetime import UTC, datetime

import pytest

from dingdan.orders.models import FollowUp
from tests import factories

from .test_errors import assert_error


@pytest.fixture
def shop(db):
    return factories.make_shop()


@pytest.fixture
def client(shop):
    return factories.api_client(factories.token_for(shop, "owner"), language="en")


@pytest.mark.parametrize("path", ["/api/v1/orders", "/api/v1/products", "/api/v1/inventory",
                                  "/api/v1/customers"])
def test_a_page_number_beyond_any_list_is_a_validation_error(client, path):
    error = assert_error(client.get(path, {"page": 10**20}), 422, "validation_error")
    assert "page" in error["fields"]


def test_bulk_ids_and_filters_too_large_for_an_id_are_refused(client):
    response = client.post("/api/v1/orders/bulk", {"ids": [10**30], "action": "tag",
                                                   "tags": ["团购"]},
                           content_type="application/json")
    assert "ids.0" in assert_error(response, 422, "validation_error")["fields"]
    response = client.get("/api/v1/orders", {"assignee_id": 10**30})
    assert "assignee_id" in assert_error(response, 422, "validation_error")["fields"]


def test_a_time_with_no_utc_equivalent_is_refused(client):
    response = client.get("/api/v1/orders", {"created_after": "9999-12-31T23:59:59-14:00"})
    error = assert_error(response, 422, "validation_error")
    assert "9999" in error["fields"]["created_after"]


def test_a_follow_up_at_an_unusual_offset_is_kept_in_utc(client, shop):
    order = factories.place(shop, [(factories.make_sku(shop, stock=3).sku, 1)])

    response = client.post(f"/api/v1/orders/{order.pk}/follow-ups",
                           {"due_at": "2027-10-19T03:51:31+17:50", "note": "回访"},
                           content_type="application/json")

    assert response.status_code == 201, response.content
    assert FollowUp.objects.get(order=order).due_at == datetime(2027, 10, 18, 10, 1, 31,
                                                                 tzinfo=UTC)


def test_counts_beyond_a_database_integer_are_refused(client, shop):
    sku = factories.make_sku(shop, stock=3).sku
    response = client.patch(f"/api/v1/inventory/{sku}", {"low_stock_threshold": 2**31},
                            content_type="application/json")
    assert "low_stock_threshold" in assert_error(response, 422, "validation_error")["fields"]
    response = client.patch(f"/api/v1/products/{sku}", {"weight_grams": 2**31},
                            content_type="application/json")
    assert "weight_grams" in assert_error(response, 422, "validation_error")["fields"]


@pytest.mark.parametrize("send", [
    lambda c, sku: c.post("/api/v1/orders", {"customer": {"name": "王\u0000芳"},
                                             "lines": [{"sku": sku, "quantity": 1}]},
                          content_type="application/json"),
    lambda c, sku: c.get("/api/v1/products", {"q": "草\u0000莓"}),
    lambda c, sku: c.get("/api/v1/products/a%00b"),
], ids=["body", "query", "path"])
def test_text_with_a_nul_character_is_refused_and_nothing_is_written(client, shop, send):
    sku = factories.make_sku(shop, stock=3).sku

    error = assert_error(send(client, sku), 400, "invalid_input")

    assert "NUL" in error["message"]
    assert not shop.orders.exists()


@pytest.mark.parametrize("cut_off_at, status, code", [
    ("9999-12-31T23:59:59+00:00", 400, "invalid_input"),  # past 9999 on the shop's clock
    ("0001-01-01T00:00:00", 422, "validation_error"),  # no UTC equivalent
    ("9999-12-31T23:59:59-14:00", 422, "validation_error"),
])
def test_a_campaign_cut_off_at_the_edge_of_time_is_refused(client, shop, cut_off_at, status,
                                                           code):
    sku = factories.make_sku(shop, stock=3).sku
    response = client.post("/api/v1/campaigns", {
        "title": "团", "cut_off_at": cut_off_at, "fulfilment": "delivery",
        "items": [{"sku": sku, "price_cents": 100}]}, content_type="application/json")
    assert "cut_off_at" in assert_error(response, status, code)["fields"]


def test_campaign_amounts_and_ids_beyond_the_database_are_refused(client, shop):
    sku = factories.make_sku(shop, stock=3).sku
    response = client.post("/api/v1/campaigns", {
        "title": "团", "cut_off_at": "2030-01-01T20:00:00+08:00", "fulfilment": "delivery",
        "items": [{"sku": sku, "price_cents": 10**30, "total_cap": 2**31}],
        "pickup_point_ids": [10**30]}, content_type="application/json")
    fields = assert_error(response, 422, "validation_error")["fields"]
    assert {"items.0.price_cents", "items.0.total_cap", "pickup_point_ids.0"} <= set(fields)
    assert_error(client.post(f"/api/v1/campaigns/{10**30}/imports/{-1}/confirm", {},
                             content_type="application/json"), 404, "campaign_not_found")
