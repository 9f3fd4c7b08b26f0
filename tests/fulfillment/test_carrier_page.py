"""The owner manages the shop's own carriers on a settings page: a local courier firm is
added with its number rule and tracking link, refused with the reason beside the field,
and removed; other roles cannot touch the list."""

import pytest
from django.test import Client

from dingdan.fulfillment.models import ShopCarrier
from dingdan.fulfillment.services import shipping
from dingdan.orders.services import lifecycle
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return factories.make_shop()


def owner_client(shop, language="zh-hans"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(factories.make_member(shop, "owner").user)
    return client


def test_the_owner_adds_a_carrier_that_shipments_then_name(shop):
    client = owner_client(shop)
    page = client.get("/settings/carriers/").content.decode()
    assert "顺丰速运" in page and "顺丰单号应为 SF 加 12 到 15 位数字" in page
    assert "/settings/carriers/" in client.get("/").content.decode()  # in the navigation

    added = client.post("/settings/carriers/", {
        "name": "同城跑腿", "code": "city-run", "pattern": r"CR\d{6}",
        "url_template": "https://run.example/t/{number}"})
    assert added.status_code == 302
    page = client.get(added.url).content.decode()
    assert "同城跑腿" in page and "city-run" in page and "https://run.example/t/{number}" in page

    factories.make_sku(shop, "APPLE", stock=1)
    order = lifecycle.accept_order(actor=factories.staff_actor(shop, "clerk"),
                                   order=factories.place(shop, [("APPLE", 1)]))
    shipment = shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"),
                                        order=order, carrier="city-run",
                                        tracking_number="cr123456")
    assert shipment.tracking_number == "CR123456"


def test_a_refused_carrier_keeps_what_was_typed_and_says_why_by_the_field(shop):
    client = owner_client(shop, "en")
    refused = client.post("/settings/carriers/", {
        "name": "Night run", "code": "night", "pattern": "(", "url_template": ""})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'data-testid="error-pattern"' in page
    assert 'value="Night run"' in page and 'value="night"' in page
    assert not ShopCarrier.objects.filter(shop=shop).exists()

    taken = client.post("/settings/carriers/", {"name": "Fake SF", "code": "sf"})
    assert taken.status_code == 400 and 'data-testid="error-code"' in taken.content.decode()


def test_the_owner_removes_a_carrier(shop):
    client = owner_client(shop)
    client.post("/settings/carriers/", {"name": "同城跑腿", "code": "city-run"})
    removed = client.post("/settings/carriers/city-run/remove/")
    assert removed.status_code == 302
    assert not ShopCarrier.objects.filter(shop=shop).exists()
    page = client.get("/settings/carriers/").content.decode()
    assert 'data-testid="no-own-carriers"' in page


@pytest.mark.parametrize("role", ["manager", "clerk", "warehouse", "finance", "viewer"])
def test_other_roles_cannot_see_or_change_the_carriers(shop, role):
    factories.make_member(shop, "owner")
    ShopCarrier.objects.create(shop=shop, code="city-run", name="同城跑腿")
    client = Client()
    client.force_login(factories.make_member(shop, role).user)
    assert client.get("/settings/carriers/").status_code == 403
    assert client.post("/settings/carriers/", {"name": "X", "code": "x"}).status_code == 403
    client.post("/settings/carriers/city-run/remove/")
    assert list(ShopCarrier.objects.filter(shop=shop).values_list("code", flat=True)) == [
        "city-run"]


def test_another_shop_s_carrier_cannot_be_removed(shop):
    other = factories.make_shop()
    ShopCarrier.objects.create(shop=other, code="city-run", name="同城跑腿")
    owner_client(shop).post("/settings/carriers/city-run/remove/")
    assert ShopCarrier.objects.filter(shop=other).count() == 1
