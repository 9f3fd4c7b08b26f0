"""The pickup counter page and the customer's side: staff type a code and read whose order
went and what; a wrong code is said next to the field; the customer's link shows the code
and its QR code while the pickup waits, and no longer once it is collected."""

import pytest
from django.core.cache import cache

from dingdan.fulfillment.models import PickupCode
from dingdan.fulfillment.services import pickups, shipping
from dingdan.orders.services import lifecycle
from dingdan.shops.actors import Actor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shipment():
    shop = factories.make_shop()
    factories.make_sku(shop, "CAKE", name="草莓蛋糕", stock=5)
    placed = factories.place(shop, [("CAKE", 2)], name="王芳", delivery_method="pickup")
    order = lifecycle.accept_order(actor=Actor.system(shop), order=placed)
    return shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"),
                                    order=order)


def client_for(shop, role="warehouse"):
    client = factories.Client(headers={"Accept-Language": "zh-hans"})
    client.force_login(factories.make_member(shop, role).user)
    return client


def test_staff_hand_over_at_the_counter_page(shipment):
    code = PickupCode.objects.get(shipment=shipment).code
    client = client_for(shipment.shop)
    form = client.get("/pickups/redeem/").content.decode()
    assert 'inputmode="numeric"' in form
    page = client.post("/pickups/redeem/", {"code": code}).content.decode()
    assert "已交付" in page and "王芳" in page and "草莓蛋糕 × 2" in page
    assert shipment.order.number in page and "已送达" in page


def test_a_wrong_code_is_said_next_to_the_field_and_kept(shipment):
    client = client_for(shipment.shop)
    page = client.post("/pickups/redeem/", {"code": "1234 5678"}).content.decode()
    assert 'data-testid="error-code"' in page and 'aria-invalid="true"' in page
    assert 'value="1234 5678"' in page


def test_the_counter_is_in_the_menu_only_for_roles_that_hand_over(shipment):
    assert "/pickups/redeem/" in client_for(shipment.shop, "warehouse").get("/").content.decode()
    assert "/pickups/redeem/" not in client_for(shipment.shop, "viewer").get("/").content.decode()
    assert client_for(shipment.shop, "viewer").get("/pickups/redeem/").status_code == 403


def test_the_customer_sees_the_code_and_its_qr_until_collected(shipment):
    code = PickupCode.objects.get(shipment=shipment).code
    link = f"/o/{shipment.order.link_token}/"
    page = factories.Client().get(link).content.decode()
    assert f'data-testid="pickup-code">{code}<' in page and "<svg" in page
    pickups.redeem_pickup_code(actor=factories.staff_actor(shipment.shop, "warehouse"),
                               code=code)
    assert code not in factories.Client().get(link).content.decode()


def test_staff_hand_over_only_part_and_the_rest_waits(shipment):
    code = PickupCode.objects.get(shipment=shipment).code
    line = shipment.lines.get()
    client = client_for(shipment.shop)
    choosing = client.post("/pickups/redeem/", {"code": code, "op": "look"}).content.decode()
    assert f'name="qty-{line.order_line_id}"' in choosing and "2 件待自提" in choosing
    too_many = client.post("/pickups/redeem/", {"code": code, "op": "partial",
                                                f"qty-{line.order_line_id}": "3"})
    assert 'data-testid="error-lines"' in too_many.content.decode()
    page = client.post("/pickups/redeem/", {"code": code, "op": "partial",
                                            f"qty-{line.order_line_id}": "1"}).content.decode()
    assert "草莓蛋糕 × 1" in page and "同一核销码下仍待自提" in page
    shipment.order.refresh_from_db()
    assert shipment.order.fulfillment_status == "partially_delivered"


def test_the_customer_reads_where_and_when_to_collect_beside_the_code():
    from dingdan.fulfillment.models import PickupPoint

    shop = factories.make_shop()
    factories.make_sku(shop, "CAKE", name="草莓蛋糕", stock=5)
    PickupPoint.objects.create(shop=shop, name="东门自提点", address="幸福小区东门便利店",
                               opening_hours="每天 9:00–20:00", phone="13900001111")
    order = lifecycle.accept_order(actor=Actor.system(shop), order=factories.place(
        shop, [("CAKE", 1)], delivery_method="pickup"))
    shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"), order=order)
    page = factories.Client().get(f"/o/{order.link_token}/").content.decode()
    card = page[page.index('data-testid="pickup-point"'):]
    # The shop's only point: the parcel waits there.
    for text in ("东门自提点", "幸福小区东门便利店", "每天 9:00–20:00", 'href="tel:13900001111"'):
        assert text in card
