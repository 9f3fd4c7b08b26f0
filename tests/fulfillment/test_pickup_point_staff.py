"""Staff tied to a pickup point hand over only what waits there: a code whose goods wait at
another point is refused with that point's name; staff tied to no point, and API tokens,
hand over anywhere. The owner or a manager says who works where."""

import pytest
from django.core.cache import cache

from dingdan.errors import InvalidInput, PermissionDenied
from dingdan.fulfillment.models import PickupCode, PickupPoint
from dingdan.fulfillment.services import pickup_point_staff, pickups, shipping
from dingdan.orders.services import lifecycle
from dingdan.shops.actors import Actor
from dingdan.shops.audit_models import AuditRecord
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "CAKE", name="草莓蛋糕", stock=50)
    return shop


@pytest.fixture
def points(shop):
    return (PickupPoint.objects.create(shop=shop, name="东门"),
            PickupPoint.objects.create(shop=shop, name="西门"))


def waiting_at(shop, point):
    order = lifecycle.accept_order(actor=Actor.system(shop), order=factories.place(
        shop, [("CAKE", 1)], delivery_method="pickup"))
    shipment = shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"),
                                        order=order, pickup_point_id=point.pk)
    return PickupCode.objects.get(shipment=shipment).code


def test_staff_tied_to_a_point_hand_over_only_there(shop, points):
    east, west = points
    member = factories.make_member(shop, "warehouse")
    pickup_point_staff.set_point_staff(actor=factories.staff_actor(shop, "manager"),
                                       point=east, user_ids=[member.user_id])
    actor = Actor.staff(member)
    with pytest.raises(pickups.WrongPickupPoint) as refused:
        pickups.redeem_pickup_code(actor=actor, code=waiting_at(shop, west))
    assert "西门" in refused.value.message
    assert pickups.redeem_pickup_code(actor=actor, code=waiting_at(shop, east))
    # Someone tied to no point hands over anywhere.
    assert pickups.redeem_pickup_code(actor=factories.staff_actor(shop, "warehouse"),
                                      code=waiting_at(shop, west))


def test_only_the_owner_or_a_manager_says_who_works_where_and_only_shop_staff(shop, points):
    east, _west = points
    member = factories.make_member(shop, "warehouse")
    stranger = factories.make_member(factories.make_shop(), "owner")
    for role in ("clerk", "warehouse", "viewer"):
        with pytest.raises(PermissionDenied):
            pickup_point_staff.set_point_staff(actor=factories.staff_actor(shop, role),
                                               point=east, user_ids=[member.user_id])
    with pytest.raises(InvalidInput) as refused:
        pickup_point_staff.set_point_staff(actor=factories.staff_actor(shop, "owner"),
                                           point=east, user_ids=[stranger.user_id])
    assert str(stranger.user_id) in refused.value.fields["user_ids"]
    assert pickup_point_staff.point_staff(east) == []
    pickup_point_staff.set_point_staff(actor=factories.staff_actor(shop, "owner"),
                                       point=east, user_ids=[member.user_id])
    assert AuditRecord.objects.filter(shop=shop, object_type="pickup_point",
                                      object_id=str(east.pk), action="changed").count() == 1


def test_the_point_staff_over_the_api(shop, points):
    east, west = points
    member = factories.make_member(shop, "warehouse")
    api = factories.api_client(factories.token_for(shop, "manager"), language="en")
    put = api.put(f"/api/v1/pickup-points/{east.pk}/staff", {"user_ids": [member.user_id]},
                  content_type="application/json")
    assert put.status_code == 200 and put.json() == {"point_id": east.pk,
                                                     "user_ids": [member.user_id]}
    assert api.get(f"/api/v1/pickup-points/{east.pk}/staff").json()["user_ids"] == [
        member.user_id]
    # The API token is tied to no point: it hands over anywhere.
    code = waiting_at(shop, west)
    assert api.post("/api/v1/pickups/redeem", {"code": code},
                    content_type="application/json").status_code == 200
    other = factories.api_client(factories.token_for(factories.make_shop(), "owner"))
    assert other.get(f"/api/v1/pickup-points/{east.pk}/staff").status_code == 404
