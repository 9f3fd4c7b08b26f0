"""A mini-shop or ERP keeps the shop's customer book in step through /api/v1/customers.
Clients we don't control rely on these shapes, so the tests spell them out."""

import pytest

from dingdan.customers.models import Customer, CustomerMerge
from tests import factories

pytestmark = pytest.mark.django_db

CUSTOMER_KEYS = {"id", "name", "phone", "addresses", "tags", "note", "identities", "created_at"}
ADDRESS_KEYS = {"id", "province", "city", "district", "detail", "is_default"}


@pytest.fixture
def shop():
    return factories.make_shop()


@pytest.fixture
def client(shop):
    return factories.api_client(factories.token_for(shop, "clerk"), language="en")


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def test_creating_a_customer_answers_201_with_the_whole_customer(client):
    response = post(
        client,
        "/api/v1/customers",
        {
            "name": "王芳",
            "phone": "+86 138 0013 8000",
            "address": "广西壮族自治区南宁市青秀区民族大道100号",
            "tags": ["VIP"],
            "note": "只要上午送",
            "identities": [{"channel": "mini_shop", "external_id": "u_1001"}],
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == CUSTOMER_KEYS
    assert body["name"] == "王芳" and body["phone"] == "13800138000"
    assert body["tags"] == ["VIP"] and body["note"] == "只要上午送"
    assert body["identities"] == [{"channel": "mini_shop", "external_id": "u_1001"}]
    [address] = body["addresses"]
    assert set(address) == ADDRESS_KEYS
    assert (address["province"], address["city"], address["district"], address["detail"]) == (
        "广西壮族自治区",
        "南宁市",
        "青秀区",
        "民族大道100号",
    )
    assert address["is_default"] is True
    assert body["created_at"].endswith("Z") or "+" in body["created_at"]


def test_the_smallest_customer_is_just_a_name(client):
    body = post(client, "/api/v1/customers", {"name": "群友A"}).json()
    assert body["phone"] is None
    assert (body["addresses"], body["tags"], body["identities"], body["note"]) == ([], [], [], "")


def test_an_address_may_be_sent_in_parts(client):
    body = post(
        client,
        "/api/v1/customers",
        {"name": "李雷", "address": {"province": "浙江省", "city": "杭州市", "detail": "文三路"}},
    ).json()
    assert body["addresses"][0]["district"] == ""
    assert body["addresses"][0]["detail"] == "文三路"


def test_the_list_searches_by_name_or_phone_and_counts(shop, client):
    wang = factories.make_customer(shop, name="王芳", phone="13800138000")
    factories.make_customer(shop, name="李雷", phone="13900139000")
    factories.make_customer(factories.make_shop(), name="王芳", phone="13800138000")

    everyone = client.get("/api/v1/customers").json()
    by_name = client.get("/api/v1/customers", {"q": "王"}).json()
    by_digits = client.get("/api/v1/customers", {"q": "0013 8000"}).json()

    assert set(everyone) == {"items", "count"}
    assert everyone["count"] == 2
    assert set(everyone["items"][0]) == CUSTOMER_KEYS
    assert [c["id"] for c in by_name["items"]] == [wang.pk]
    assert [c["id"] for c in by_digits["items"]] == [wang.pk]
    assert client.get("/api/v1/customers", {"q": "无此人"}).json() == {"items": [], "count": 0}


def test_the_list_comes_in_pages_of_50_and_at_most_200(shop, client):
    Customer.objects.bulk_create(Customer(shop=shop, name=f"顾客{n}") for n in range(230))

    first = client.get("/api/v1/customers").json()
    last = client.get("/api/v1/customers", {"page": 5}).json()
    big = client.get("/api/v1/customers", {"page_size": 500}).json()

    assert (len(first["items"]), first["count"]) == (50, 230)
    assert len(last["items"]) == 30
    assert len(big["items"]) == 200


def test_one_customer_comes_with_what_they_have_bought(shop, client):
    customer = factories.make_customer(shop, name="王芳", address="北京市朝阳区建国路88号")

    body = client.get(f"/api/v1/customers/{customer.pk}").json()

    assert set(body) == CUSTOMER_KEYS | {"summary"}
    assert body["summary"] == {"orders_count": 0, "spend_cents": 0, "last_order_at": None}
    assert body["addresses"][0]["city"] == "北京市"


def test_patch_changes_only_the_fields_sent(shop, client):
    customer = factories.make_customer(
        shop, name="王芳", phone="13800138000", note="老客", tags=["VIP"]
    )

    renamed = patch(client, f"/api/v1/customers/{customer.pk}", {"name": "王芳芳"}).json()
    retagged = patch(client, f"/api/v1/customers/{customer.pk}", {"tags": ["团长", "老客"]})
    no_phone = patch(client, f"/api/v1/customers/{customer.pk}", {"phone": None}).json()

    assert (renamed["name"], renamed["phone"], renamed["note"]) == ("王芳芳", "13800138000", "老客")
    assert retagged.json()["tags"] == ["团长", "老客"]
    assert no_phone["phone"] is None


def test_merge_answers_with_the_customer_kept(shop, client):
    keep = factories.make_customer(shop, name="王芳", phone="13800138000")
    duplicate = factories.make_customer(shop, name="芳姐", identities=[("wechat", "wx_fang")])

    response = post(client, f"/api/v1/customers/{keep.pk}/merge", {"merge_id": duplicate.pk})

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == CUSTOMER_KEYS
    assert body["id"] == keep.pk
    assert body["identities"] == [{"channel": "wechat", "external_id": "wx_fang"}]
    assert client.get(f"/api/v1/customers/{duplicate.pk}").status_code == 404
    assert CustomerMerge.objects.get().actor_label == "test"


def test_an_order_channel_can_find_the_customer_it_created_by_phone(client):
    post(client, "/api/v1/customers", {"name": "王芳", "phone": "138 0013 8000"})
    found = client.get("/api/v1/customers", {"q": "+86 13800138000"}).json()
    assert [c["name"] for c in found["items"]] == ["王芳"]
