"""Where a pickup shipment waits: the point staff choose (one of the shop's points in use),
else the shop's only point; named in the shipment's answer. Another shop's point, or a
point for a parcel, is refused in the caller's language."""

import pytest

from dingdan.fulfillment.models import PickupPoint
from dingdan.orders.services import lifecycle
from dingdan.shops.actors import Actor
from tests import factories
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "CAKE", name="草莓蛋糕", stock=50)
    return shop


def point(shop, name="东门", **extra):
    return PickupPoint.objects.create(shop=shop, name=name, address="幸福路 8 号",
                                      opening_hours="每天 9:00–20:00", **extra)


def accepted_order(shop, method="pickup"):
    placed = factories.place(shop, [("CAKE", 1)], delivery_method=method)
    return lifecycle.accept_order(actor=Actor.system(shop), order=placed)


def ship(shop, order, language="en", **body):
    client = factories.api_client(factories.token_for(shop, "warehouse"), language=language)
    return client.post(f"/api/v1/orders/{order.pk}/shipments", body,
                       content_type="application/json")


def test_the_shops_only_point_is_where_it_waits(shop):
    east = point(shop)
    point(shop, "旧点", is_active=False)
    response = ship(shop, accepted_order(shop))
    assert response.status_code == 201
    assert response.json()["pickup_point"] == {
        "id": east.pk, "name": "东门", "address": "幸福路 8 号",
        "opening_hours": "每天 9:00–20:00", "phone": ""}


def test_with_several_points_and_none_chosen_it_names_none(shop):
    point(shop)
    point(shop, "南门")
    response = ship(shop, accepted_order(shop))
    assert response.status_code == 201
    assert response.json()["pickup_point"] is None


def test_staff_choose_the_point(shop):
    point(shop)
    south = point(shop, "南门")
    response = ship(shop, accepted_order(shop), pickup_point_id=south.pk)
    assert response.json()["pickup_point"]["name"] == "南门"


@pytest.mark.parametrize("language, message", [
    ("en", "No pickup point"), ("zh-hans", "本店没有使用中的自提点")])
def test_another_shops_point_is_refused(shop, language, message):
    theirs = point(factories.make_shop())
    response = ship(shop, accepted_order(shop), language, pickup_point_id=theirs.pk)
    assert_error(response, 400, "invalid_input")
    assert message in response.json()["error"]["fields"]["pickup_point_id"]


def test_a_parcel_waits_at_no_point(shop):
    east = point(shop)
    response = ship(shop, accepted_order(shop, "express"), pickup_point_id=east.pk,
                    carrier="sf", tracking_number="SF1234567890123")
    assert_error(response, 400, "invalid_input")
    assert "pickup_point_id" in response.json()["error"]["fields"]
