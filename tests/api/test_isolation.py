"""No request can see or touch another shop's rows. The pattern every app follows:
for each endpoint that names an object, shop A's credentials asking for shop B's object get
404 (not 403: B's objects don't exist for A), and B's object is unchanged."""

import pytest

from dingdan.catalog.models import Variant
from dingdan.chains.models import Campaign, ChainEntry, ChainImport
from dingdan.customers.models import Customer
from dingdan.fulfillment.models import PickupPoint
from dingdan.inventory.models import StockLevel
from dingdan.notify.models import Alert
from dingdan.shops.models import ApiToken, Membership
from tests import factories

from .endpoints import ENDPOINTS, call

# Endpoints whose URL names an object; objects named in a body are each app's own tests.
# A public endpoint takes no credentials to isolate (WeChat Pay's notify URL names the shop
# it is for, and its signature check is tested in tests/payments/test_wechatpay_notify.py).
NAMED = [e for e in ENDPOINTS if "{" in e.path and e.action]


def _snapshot(shop):
    """Everything of a shop's that an endpoint could change."""
    return (
        sorted(Membership.objects.filter(shop=shop).values_list("id", "role")),
        sorted(ApiToken.objects.filter(shop=shop).values_list("id", "revoked_at")),
        sorted(Variant.objects.filter(shop=shop).values_list("sku", "price_cents")),
        sorted(StockLevel.objects.filter(shop=shop).values_list("id", "on_hand", "reserved",
                                                              "low_stock_threshold")),
        sorted(Alert.objects.filter(shop=shop).values_list("id", "read_at")),
        sorted(Customer.objects.filter(shop=shop).values_list("id", "name", "phone", "note")),
        sorted(Campaign.objects.filter(shop=shop).values_list("id", "title", "status",
                                                              "cut_off_at")),
        sorted(ChainImport.objects.filter(shop=shop).values_list("id", "status")),
        sorted(ChainEntry.objects.filter(shop=shop).values_list("id", "order_id")),
        sorted(PickupPoint.objects.filter(shop=shop).values_list("id", "name")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", NAMED, ids=lambda e: f"{e.method} {e.path}")
def test_token_of_shop_a_cannot_reach_objects_of_shop_b(endpoint):
    shop_a, shop_b = factories.make_shop(), factories.make_shop()
    factories.make_member(shop_b, "owner")
    ids_b = {name: make(shop_b) for name, make in endpoint.objects.items()}
    before = _snapshot(shop_b)
    client_a = factories.api_client(factories.token_for(shop_a, "owner"))

    response = call(client_a, endpoint, ids_b)

    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"].endswith("not_found")
    assert _snapshot(shop_b) == before


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", NAMED, ids=lambda e: f"{e.method} {e.path}")
def test_staff_session_cannot_reach_objects_of_a_shop_they_do_not_work_in(endpoint):
    shop_a, shop_b = factories.make_shop(), factories.make_shop()
    member = factories.make_member(shop_a, "owner")
    factories.make_member(shop_b, "owner")
    ids_b = {name: make(shop_b) for name, make in endpoint.objects.items()}
    before = _snapshot(shop_b)
    client = factories.Client()
    client.force_login(member.user)

    plain = call(client, endpoint, ids_b)
    naming_b = call(client, endpoint, ids_b, **{"X-Shop": shop_b.slug})

    assert plain.status_code == 404
    assert naming_b.status_code == 404
    assert naming_b.json()["error"]["code"] == "shop_not_found"
    assert _snapshot(shop_b) == before


@pytest.mark.django_db
def test_lists_show_only_the_callers_shop():
    shop_a, shop_b = factories.make_shop(), factories.make_shop()
    owner_a = factories.make_member(shop_a, "owner")
    owner_b = factories.make_member(shop_b, "owner")
    factories.token_for(shop_b, "viewer", name="b-only")
    client = factories.api_client(factories.token_for(shop_a, "owner", name="a-token"))

    members = client.get("/api/v1/shop/members").json()
    tokens = client.get("/api/v1/tokens").json()

    assert [m["id"] for m in members] == [owner_a.pk]
    assert owner_b.pk not in [m["id"] for m in members]
    assert [t["name"] for t in tokens] == ["a-token"]


@pytest.mark.django_db
def test_token_cannot_be_pointed_at_another_shop_with_the_shop_header():
    shop_a, shop_b = factories.make_shop(), factories.make_shop()
    client = factories.api_client(factories.token_for(shop_a, "owner"))

    response = client.get("/api/v1/shop", headers={"X-Shop": shop_b.slug})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "shop_not_found"


@pytest.mark.django_db
def test_staff_of_two_shops_picks_one_with_the_shop_header():
    shop_a, shop_b = factories.make_shop(name="甲店"), factories.make_shop(name="乙店")
    member = factories.make_member(shop_a, "owner")
    factories.make_member(shop_b, "viewer", user=member.user)
    client = factories.Client()
    client.force_login(member.user)

    me_b = client.get("/api/v1/me", headers={"X-Shop": shop_b.slug}).json()

    assert me_b["shop"]["name"] == "乙店"
    assert me_b["role"] == "viewer"
    assert {s["slug"] for s in me_b["shops"]} == {shop_a.slug, shop_b.slug}
