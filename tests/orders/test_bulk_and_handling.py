"""Many orders at once: each succeeds or fails on its own. Assignment, priority and tags are
recorded on the timeline and filter the lists."""

import pytest

from dingdan.orders.models import Order, OrderEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "CM-500", stock=50)
    return shop


def bulk(client, **body):
    return client.post("/api/v1/orders/bulk", body, content_type="application/json")


def test_bulk_accept_reports_each_order_and_touches_only_what_it_may(shop):
    client = factories.api_client(factories.token_for(shop, "clerk"))
    waiting = [factories.place(shop, [("CM-500", 1)]) for _ in range(3)]
    done = factories.place(shop, [("CM-500", 1)])
    Order.objects.filter(pk=done.pk).update(status="completed")

    response = bulk(client, ids=[o.pk for o in waiting] + [done.pk, 999999], action="transition",
                    to="accepted", note="截单后统一确认")

    body = response.json()
    assert response.status_code == 200
    assert sorted(s["id"] for s in body["succeeded"]) == sorted(o.pk for o in waiting)
    assert {f["id"]: f["error"]["code"] for f in body["failed"]} == {
        done.pk: "invalid_transition", 999999: "order_not_found"}
    assert set(Order.objects.filter(pk__in=[o.pk for o in waiting])
               .values_list("status", flat=True)) == {"accepted"}


def test_another_shops_orders_fail_as_not_found_and_stay_untouched(shop):
    other = factories.make_shop()
    factories.make_sku(other, "X-1", stock=5)
    theirs = factories.place(other, [("X-1", 1)])
    client = factories.api_client(factories.token_for(shop, "owner"))
    body = bulk(client, ids=[theirs.pk], action="transition", to="accepted").json()
    assert body["failed"][0]["error"]["code"] == "order_not_found"
    theirs.refresh_from_db()
    assert theirs.status == "pending_confirmation"


def test_assign_priority_and_tags_are_recorded_and_filter_the_list(shop):
    owner = factories.make_member(shop, "owner")
    packer = factories.make_member(shop, "warehouse")
    client = factories.api_client(factories.token_for(shop, "owner"))
    first, second = (factories.place(shop, [("CM-500", 1)]) for _ in range(2))

    bulk(client, ids=[first.pk], action="assign", assignee_id=packer.user_id)
    bulk(client, ids=[first.pk, second.pk], action="priority", priority="urgent")
    bulk(client, ids=[first.pk], action="tag", tags=["团购", "老客户"])
    bulk(client, ids=[first.pk], action="untag", tags=["老客户"])

    detail = client.get(f"/api/v1/orders/{first.pk}").json()
    assert (detail["assignee_id"], detail["priority"], detail["tags"]) == (
        packer.user_id, "urgent", ["团购"])
    assert detail["version"] == 5
    listed = client.get("/api/v1/orders", {"tag": "团购"}).json()
    assert [o["id"] for o in listed["items"]] == [first.pk]
    assert client.get("/api/v1/orders", {"assignee_id": packer.user_id}).json()["count"] == 1
    assert client.get("/api/v1/orders", {"priority": "urgent"}).json()["count"] == 2
    kinds = list(OrderEvent.objects.filter(order=first).values_list("kind", flat=True))
    assert kinds == ["placed", "edited", "edited", "edited", "edited"]
    assert owner  # the owner exists so the shop has staff


def test_assigning_to_someone_outside_the_shop_fails_for_that_order(shop):
    stranger = factories.make_member(factories.make_shop(), "owner")
    client = factories.api_client(factories.token_for(shop, "owner"))
    order = factories.place(shop, [("CM-500", 1)])
    body = bulk(client, ids=[order.pk], action="assign", assignee_id=stranger.user_id).json()
    assert body["failed"][0]["error"]["code"] == "invalid_input"
    order.refresh_from_db()
    assert order.assignee_id is None


@pytest.mark.parametrize("body, field", [
    ({"ids": [], "action": "tag"}, "ids"),
    ({"ids": [1], "action": "explode"}, "action"),
    ({"ids": [1], "action": "transition"}, "to"),
    ({"ids": [1], "action": "priority"}, "priority"),
    ({"ids": ["x"], "action": "tag"}, "ids.0"),
    ({"ids": [1], "action": "tag", "tags": ["x" * 31]}, "tags"),
])
def test_bad_bulk_requests_are_explained(shop, body, field):
    client = factories.api_client(factories.token_for(shop, "owner"))
    response = client.post("/api/v1/orders/bulk", body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert field in response.json()["error"]["fields"]
