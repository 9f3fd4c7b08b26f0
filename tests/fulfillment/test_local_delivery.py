"""Local delivery: the shop gives the parcel to a member of staff or a named courier; the
courier sees it on their day's list with where to go and whom to call, and marks it
delivered with a photo, or not delivered with the reason; the customer sees who comes."""

import pytest
from django.test import Client

from dingdan.errors import InvalidInput
from dingdan.fulfillment.models import Shipment
from dingdan.fulfillment.services import local_delivery, shipping
from dingdan.orders.models import Order
from dingdan.orders.services import lifecycle
from tests import factories
from tests.orders.test_order_pages import client_for, page

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "APPLE", name="红富士苹果", stock=10)
    return shop


@pytest.fixture
def shipment(shop):
    placed = factories.place(shop, [("APPLE", 2)], phone="13812345678",
                             address="杭州市西湖区文三路108号", delivery_method="local")
    order = lifecycle.accept_order(actor=factories.staff_actor(shop, "clerk"), order=placed)
    return shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"), order=order)


def test_a_staff_courier_sees_the_delivery_and_marks_it_delivered_with_a_photo(
        shop, shipment, settings, tmp_path):
    client = client_for(shop, "warehouse")
    courier = shop.memberships.filter(role="warehouse").latest("id")
    answer = client.post(f"/shipments/orders/{shipment.order_id}/{shipment.pk}/courier/",
                         {"courier-member": str(courier.pk)})
    assert answer.status_code == 302
    shipment.refresh_from_db()
    assert shipment.courier == courier.user

    html = page(client.get("/deliveries/"))
    assert f'data-testid="delivery-{shipment.number}"' in html
    assert "13812345678" in html and "文三路108号" in html and "红富士苹果 × 2" in html

    from django.core.files.uploadedfile import SimpleUploadedFile
    client.post(f"/deliveries/{shipment.pk}/delivered/",
                {"photo": SimpleUploadedFile("门口.png", PNG)})
    shipment.refresh_from_db()
    assert shipment.status == "delivered"
    step = shipment.events.last()
    assert (tmp_path / step.photo.name).read_bytes() == PNG
    assert Order.objects.get(pk=shipment.order_id).status == "delivered"


def test_a_named_courier_needs_a_phone_and_the_customer_sees_who_comes(shop, shipment):
    owner = factories.staff_actor(shop)
    with pytest.raises(InvalidInput) as refused:
        local_delivery.assign_courier(actor=owner, shipment=shipment, name="小李")
    assert "courier_phone" in refused.value.fields
    local_delivery.assign_courier(actor=owner, shipment=shipment, name="小李",
                                  phone="139 1234 5678")
    html = Client(headers={"Accept-Language": "en"}).get(
        f"/o/{shipment.order.link_token}/").content.decode()
    assert 'data-testid="customer-courier"' in html and "小李" in html
    assert "13912345678" in html


def test_not_delivered_needs_a_reason_and_stays_open(shop, shipment):
    owner = factories.staff_actor(shop)
    with pytest.raises(InvalidInput):
        local_delivery.delivery_failed(actor=owner, shipment=shipment, reason="")
    local_delivery.delivery_failed(actor=owner, shipment=shipment, reason="家里没人")
    shipment.refresh_from_db()
    assert shipment.status == "exception" and shipment.events.last().detail == "家里没人"


def test_only_local_deliveries_take_a_courier(shop):
    placed = factories.place(shop, [("APPLE", 1)], delivery_method="express")
    order = lifecycle.accept_order(actor=factories.staff_actor(shop), order=placed)
    express = shipping.create_shipment(actor=factories.staff_actor(shop), order=order)
    with pytest.raises(local_delivery.NotLocal):
        local_delivery.assign_courier(actor=factories.staff_actor(shop), shipment=express,
                                      name="小李", phone="13912345678")
    assert Shipment.objects.get(pk=express.pk).courier_name == ""
