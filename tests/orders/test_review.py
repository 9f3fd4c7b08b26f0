"""Review on intake: orders that need a person are flagged with the reason, listed as
needing attention, and cleared when someone has looked."""

import pytest

from dingdan.orders.models import OrderEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "CM-500", name="草莓", stock=20, purchase_limit=3)
    factories.make_sku(shop, "LM-125", name="蓝莓", stock=20)
    return shop


@pytest.fixture
def client(shop):
    return factories.api_client(factories.token_for(shop, "clerk"))


def codes(client, order_id) -> list[str]:
    return [f["code"] for f in client.get(f"/api/v1/orders/{order_id}").json()["flags"]]


def test_a_complete_order_needs_nobody(shop, client):
    order = factories.place(shop, [("LM-125", 1)])
    body = client.get(f"/api/v1/orders/{order.pk}").json()
    assert (body["needs_attention"], body["flags"]) == (False, [])


def test_missing_phone_and_address_are_flagged_with_reasons(shop, client):
    order = factories.place(shop, [("LM-125", 1)], phone=None, address=None)
    body = client.get(f"/api/v1/orders/{order.pk}",
                      headers={"Accept-Language": "en"}).json()
    assert body["needs_attention"] is True
    assert {f["code"]: f["message"] for f in body["flags"]} == {
        "missing_phone": "No phone number: the customer cannot be reached.",
        "missing_address": "No delivery address.",
    }
    assert OrderEvent.objects.filter(order=order, kind="flagged").get().data["codes"] == [
        "missing_phone", "missing_address"]


def test_self_pickup_needs_no_address(shop, client):
    order = factories.place(shop, [("LM-125", 1)], address=None, delivery_method="pickup")
    assert codes(client, order.pk) == []


def test_buying_past_the_limit_across_orders_is_flagged(shop, client):
    first = factories.place(shop, [("CM-500", 2)])
    second = factories.place(shop, [("CM-500", 2), ("LM-125", 1)])
    assert codes(client, first.pk) == []
    flags = client.get(f"/api/v1/orders/{second.pk}").json()["flags"]
    assert [f["code"] for f in flags] == ["over_purchase_limit"]
    assert flags[0]["data"] == {"product": "草莓", "limit": 3, "bought": 4}


def test_the_same_order_again_is_a_possible_duplicate(shop, client):
    factories.place(shop, [("LM-125", 2)])
    again = factories.place(shop, [("LM-125", 2)])
    different = factories.place(shop, [("LM-125", 3)])
    assert codes(client, again.pk) == ["possible_duplicate"]
    assert codes(client, different.pk) == []


def test_a_repeat_of_yesterday_s_or_a_cancelled_order_is_not_a_duplicate(shop, client):
    from datetime import timedelta

    from django.utils import timezone

    from dingdan.orders.models import Order

    older = factories.place(shop, [("LM-125", 2)])
    Order.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timedelta(hours=24, minutes=1))
    next_day = factories.place(shop, [("LM-125", 2)])
    within_the_day = factories.place(shop, [("LM-125", 1)])
    Order.objects.filter(pk=within_the_day.pk).update(
        created_at=timezone.now() - timedelta(hours=23, minutes=59))
    repeated = factories.place(shop, [("LM-125", 1)])
    cancelled = factories.place(shop, [("CM-500", 1)])
    cancelled.status = "cancelled"
    cancelled.save(update_fields=["status"])
    again = factories.place(shop, [("CM-500", 1)])

    assert codes(client, next_day.pk) == []
    assert codes(client, repeated.pk) == ["possible_duplicate"]
    assert codes(client, again.pk) == []


def test_backordered_orders_are_flagged(shop, client):
    shop.settings = {"allow_backorders": True}
    shop.save()
    order = factories.place(shop, [("LM-125", 25)])
    flags = client.get(f"/api/v1/orders/{order.pk}").json()["flags"]
    assert flags[0]["code"] == "backordered"
    assert flags[0]["data"] == {"skus": {"LM-125": 5}}


def test_resolving_every_flag_clears_the_attention_list(shop, client):
    order = factories.place(shop, [("LM-125", 1)], phone=None, address=None)
    needing = client.get("/api/v1/orders", {"needs_attention": True}).json()
    assert [o["id"] for o in needing["items"]] == [order.pk]

    client.post(f"/api/v1/orders/{order.pk}/flags/missing_phone/resolve",
                {"note": "微信联系上了"}, content_type="application/json")
    still = client.get(f"/api/v1/orders/{order.pk}").json()
    done = client.post(f"/api/v1/orders/{order.pk}/flags/missing_address/resolve", {},
                       content_type="application/json").json()
    again = client.post(f"/api/v1/orders/{order.pk}/flags/missing_address/resolve", {},
                        content_type="application/json")

    assert still["needs_attention"] is True
    assert done["needs_attention"] is False and done["flags"] == []
    assert again.status_code == 404 and again.json()["error"]["code"] == "flag_not_found"
    assert client.get("/api/v1/orders", {"needs_attention": True}).json()["count"] == 0


def test_follow_ups_are_kept_with_the_order(shop, client):
    order = factories.place(shop, [("LM-125", 1)])
    made = client.post(f"/api/v1/orders/{order.pk}/follow-ups",
                       {"due_at": "2026-12-01T10:00:00+08:00", "note": "提醒付款"},
                       content_type="application/json")
    no_zone = client.post(f"/api/v1/orders/{order.pk}/follow-ups",
                          {"due_at": "2026-12-01T10:00:00", "note": "x"},
                          content_type="application/json")
    detail = client.get(f"/api/v1/orders/{order.pk}?include=events").json()
    assert made.status_code == 201
    assert no_zone.status_code == 400
    assert [f["note"] for f in detail["follow_ups"]] == ["提醒付款"]
    assert detail["events"][-1]["kind"] == "follow_up_added"
