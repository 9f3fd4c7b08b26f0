"""Shipping from the order's page: the panel shows what is left and ready per line, ships
the units typed with a carrier and tracking number, shows a refusal next to what caused it
with the form as typed, cancels a shipment that has not left, records a step on the way."""

import pytest

from dingdan.fulfillment.models import Shipment
from dingdan.inventory.models import StockLevel
from dingdan.orders.models import Order
from dingdan.orders.services import lifecycle
from tests import factories
from tests.orders.test_order_pages import client_for, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "APPLE", name="红富士苹果", stock=10)
    factories.make_sku(shop, "PEAR", name="砀山梨", stock=10)
    return shop


@pytest.fixture
def order(shop):
    placed = factories.place(shop, [("APPLE", 3), ("PEAR", 2)])
    return lifecycle.accept_order(actor=factories.staff_actor(shop, "clerk"), order=placed)


def panel(client, order) -> str:
    html = page(client.get(f"/orders/{order.pk}/"))
    start = html.index('data-testid="shipments-panel"')
    return html[start:html.index("</section>", start)]


def ship_url(order):
    return f"/shipments/orders/{order.pk}/ship/"


def test_warehouse_ships_part_of_an_order_from_its_page(shop, order):
    client = client_for(shop, "warehouse")
    apple, pear = order.lines.get(sku="APPLE"), order.lines.get(sku="PEAR")
    shown = panel(client, order)
    assert 'data-testid="no-shipments"' in shown and f'name="ship-qty-{apple.pk}"' in shown

    answer = client.post(ship_url(order), {
        f"ship-qty-{apple.pk}": "2", f"ship-qty-{pear.pk}": "0", "ship-method": "express",
        "ship-carrier": "zto", "ship-tracking": "7312 3456 7890"})

    assert answer.status_code == 302
    shipment = Shipment.objects.get(order=order)
    assert (shipment.carrier, shipment.tracking_number) == ("zto", "731234567890")
    shown = panel(client, order)
    assert "731234567890" in shown and "红富士苹果 × 2" in shown
    assert 'data-testid="tracking-link"' in shown
    assert StockLevel.objects.get(variant__sku="APPLE").on_hand == 8
    assert Order.objects.get(pk=order.pk).status == "shipped"


def test_a_refusal_is_shown_at_its_input_with_the_form_as_typed(shop, order):
    client = client_for(shop, "warehouse")
    apple = order.lines.get(sku="APPLE")
    html = page(client.post(ship_url(order), {
        f"ship-qty-{apple.pk}": "1", "ship-carrier": "sf", "ship-tracking": "12AB"}))
    assert 'id="error-ship-tracking"' in html
    assert 'value="12AB"' in html and '<option value="sf" selected>' in html
    html = page(client.post(ship_url(order), {f"ship-qty-{apple.pk}": "5"}))
    assert 'id="error-ship-lines"' in html and "has 3 left" in html
    html = page(client.post(ship_url(order), {f"ship-qty-{apple.pk}": "abc"}))
    assert f'id="error-ship-qty-{apple.pk}"' in html
    assert not Shipment.objects.exists()


def test_cancelling_and_a_step_on_the_way_from_the_page(shop, order):
    client = client_for(shop, "warehouse")
    client.post(ship_url(order), {f"ship-qty-{line.pk}": str(line.quantity)
                                  for line in order.lines.all()})
    shipment = Shipment.objects.get(order=order)
    assert 'data-testid="cancel-shipment"' in panel(client, order)

    client.post(f"/shipments/orders/{order.pk}/{shipment.pk}/step/",
                {"step-status": "in_transit", "step-detail": "【杭州】已发出"})
    shown = panel(client, order)
    assert "【杭州】已发出" in shown and 'data-testid="cancel-shipment"' not in shown
    assert Order.objects.get(pk=order.pk).status == "in_transit"


def test_roles_that_do_not_ship_see_the_shipments_but_no_forms(shop, order):
    factories.make_member(shop, "warehouse")
    client = client_for(shop, "finance")
    shown = panel(client, order)
    assert 'data-testid="ship-form"' not in shown
    assert client.post(ship_url(order), {}).status_code == 403
    other = client_for(factories.make_shop(name="别家"), "owner")
    assert other.post(ship_url(order), {}).status_code == 404


def test_the_customer_follows_the_parcel_and_confirms_receipt(shop, order):
    from django.test import Client

    client = client_for(shop, "warehouse")
    client.post(ship_url(order), {
        **{f"ship-qty-{line.pk}": str(line.quantity) for line in order.lines.all()},
        "ship-carrier": "sf", "ship-tracking": "SF1234567890123"})
    shipment = Shipment.objects.get(order=order)
    client.post(f"/shipments/orders/{order.pk}/{shipment.pk}/step/",
                {"step-status": "in_transit", "step-detail": "【深圳】已发出"})

    customer = Client(headers={"Accept-Language": "en"})
    link = f"/o/{order.link_token}/"
    html = customer.get(link).content.decode()
    assert 'data-testid="customer-shipments"' in html
    assert "SF1234567890123" in html and "【深圳】已发出" in html
    assert 'data-testid="customer-tracking-link"' in html

    answer = customer.post(link, {"op": "received"})
    assert answer.status_code == 302
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.fulfillment_status) == ("delivered", "delivered")
    html = customer.get(answer["Location"]).content.decode()
    assert "your order is delivered" in html and 'data-testid="confirm-receipt"' not in html


def test_a_shop_that_completes_on_receipt_closes_the_order(shop, order):
    from django.test import Client

    shop.settings = {"complete_on_receipt": True}
    shop.save()
    client_for(shop, "warehouse").post(ship_url(order), {
        f"ship-qty-{line.pk}": str(line.quantity) for line in order.lines.all()})
    Client().post(f"/o/{order.link_token}/", {"op": "received"})
    assert Order.objects.get(pk=order.pk).status == "completed"


def test_nothing_to_confirm_before_everything_shipped(shop, order):
    from django.test import Client

    apple = order.lines.get(sku="APPLE")
    client_for(shop, "warehouse").post(ship_url(order), {f"ship-qty-{apple.pk}": "1"})
    customer = Client(headers={"Accept-Language": "en"})
    assert 'data-testid="confirm-receipt"' not in customer.get(
        f"/o/{order.link_token}/").content.decode()
    answer = customer.post(f"/o/{order.link_token}/", {"op": "received"})
    assert answer.status_code == 409
    assert Order.objects.get(pk=order.pk).status == "shipped"


def test_a_tracking_number_added_later_and_corrected(shop, order):
    client = client_for(shop, "warehouse")
    client.post(ship_url(order), {f"ship-qty-{line.pk}": str(line.quantity)
                                  for line in order.lines.all()})
    shipment = Shipment.objects.get(order=order)
    assert shipment.tracking_number == ""
    url = f"/shipments/orders/{order.pk}/{shipment.pk}/tracking/"
    html = page(client.post(url, {"tracking-carrier": "sf", "tracking-number": "123"}))
    assert 'id="error-tracking-number"' in html and 'value="123"' in html
    client.post(url, {"tracking-carrier": "sf", "tracking-number": "SF1234567890123"})
    shipment.refresh_from_db()
    assert (shipment.carrier, shipment.tracking_number) == ("sf", "SF1234567890123")
    api = factories.api_client(factories.token_for(shop, "warehouse"), language="en")
    answer = api.post(f"/api/v1/shipments/{shipment.pk}/tracking-number",
                      {"carrier": "zto", "tracking_number": "731234567890"},
                      content_type="application/json")
    assert answer.status_code == 200 and answer.json()["tracking_number"] == "731234567890"
    from dingdan.orders.models import OrderEvent
    assert OrderEvent.objects.filter(order=order, kind="tracking_number_set").count() == 2


def test_a_pickup_parcel_is_set_aside_at_the_point_chosen_on_the_page(shop, order):
    from dingdan.fulfillment.models import PickupPoint

    PickupPoint.objects.create(shop=shop, name="东门")
    west = PickupPoint.objects.create(shop=shop, name="西门", address="幸福小区西门")
    client = client_for(shop, "warehouse")
    shown = panel(client, order)
    assert 'name="ship-point"' in shown and "西门" in shown

    refused = page(client.post(ship_url(order), {"ship-method": "express",
                                                  "ship-point": west.pk}))
    assert 'data-testid="error-ship-point"' in refused  # only a pickup waits at a point
    assert f'<option value="{west.pk}" selected>' in refused
    assert not Shipment.objects.filter(order=order).exists()

    every = {f"ship-qty-{line.pk}": line.quantity for line in order.lines.all()}
    answer = client.post(ship_url(order), {**every, "ship-method": "pickup",
                                           "ship-point": west.pk})
    assert answer.status_code == 302
    assert Shipment.objects.get(order=order).pickup_point == west
