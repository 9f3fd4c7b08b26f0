"""The customer's address changes after the parcel left: the shop asks the carrier to
intercept it, and records the answer; only an intercepted parcel changes the order's
address. Before shipment an address is a plain edit."""

import pytest
from django.utils import translation

from dingdan.errors import InvalidInput
from dingdan.fulfillment.models import AddressInterception
from dingdan.fulfillment.services import interceptions, shipping, tracking
from dingdan.orders.models import Order, OrderEvent
from dingdan.orders.selectors.presentation import event_sentence
from dingdan.orders.services import lifecycle
from tests import factories
from tests.orders.test_order_pages import client_for, page

pytestmark = pytest.mark.django_db

NEW = "浙江省杭州市拱墅区湖墅南路66号2单元"


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "APPLE", name="红富士苹果", stock=10)
    return shop


@pytest.fixture
def shipment(shop):
    placed = factories.place(shop, [("APPLE", 2)], address="北京市朝阳区建国路88号")
    order = lifecycle.accept_order(actor=factories.staff_actor(shop, "clerk"), order=placed)
    return shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"),
                                    order=order, carrier="sf",
                                    tracking_number="SF1234567890123")


def same(line: str) -> str:
    from dingdan.customers.addresses import split_address

    return split_address(line).as_line()


def address_of(order) -> str:
    from dingdan.orders.services.editing import address_line

    return address_line(Order.objects.get(pk=order.pk))


def test_an_intercepted_parcel_changes_the_orders_address(shop, shipment):
    clerk, warehouse = factories.staff_actor(shop, "clerk"), factories.staff_actor(shop,
                                                                                    "warehouse")
    asked = interceptions.request_interception(actor=clerk, shipment=shipment, address=NEW,
                                               note="顾客搬家了")
    assert address_of(shipment.order) == same("北京市朝阳区建国路88号")  # not yet

    interceptions.settle_interception(actor=warehouse, interception=asked, intercepted=True,
                                      note="顺丰已改派")

    assert address_of(shipment.order) == same(NEW)
    kinds = list(OrderEvent.objects.filter(order=shipment.order).values_list("kind", flat=True))
    assert kinds[-3:] == ["interception_requested", "edited", "interception_settled"]
    settled = OrderEvent.objects.filter(order=shipment.order).last()
    with translation.override("en"):
        assert event_sentence(settled).startswith(
            f"Shipment {shipment.number} was intercepted: it goes to {same(NEW)}")


def test_a_failed_interception_keeps_the_address_and_says_why(shop, shipment):
    asked = interceptions.request_interception(actor=factories.staff_actor(shop),
                                               shipment=shipment, address=NEW)
    interceptions.settle_interception(actor=factories.staff_actor(shop), interception=asked,
                                      intercepted=False, note="已派送，无法拦截")
    asked.refresh_from_db()
    assert (asked.status, asked.outcome_note) == ("failed", "已派送，无法拦截")
    assert address_of(shipment.order) == same("北京市朝阳区建国路88号")
    with pytest.raises(interceptions.InterceptionDecided):
        interceptions.settle_interception(actor=factories.staff_actor(shop),
                                          interception=asked, intercepted=True)


def test_one_open_request_per_parcel_and_none_once_it_arrived(shop, shipment):
    owner = factories.staff_actor(shop)
    interceptions.request_interception(actor=owner, shipment=shipment, address=NEW)
    with pytest.raises(interceptions.NotInterceptable) as refused:
        interceptions.request_interception(actor=owner, shipment=shipment, address=NEW)
    assert refused.value.code == "interception_open"
    with pytest.raises(InvalidInput) as refused:
        interceptions.request_interception(actor=owner, shipment=shipment, address=" ")
    assert "address" in refused.value.fields
    AddressInterception.objects.all().delete()
    tracking.record_tracking_event(actor=owner, shipment=shipment, status="delivered")
    with pytest.raises(interceptions.NotInterceptable):
        interceptions.request_interception(actor=owner, shipment=shipment, address=NEW)


def test_the_order_page_asks_and_records_the_outcome(shop, shipment):
    client = client_for(shop, "owner")
    order = shipment.order
    html = page(client.get(f"/orders/{order.pk}/"))
    assert 'data-testid="intercept-form"' in html
    client.post(f"/shipments/orders/{order.pk}/{shipment.pk}/intercept/",
                {"intercept-address": NEW, "intercept-note": "顾客来电"})
    asked = AddressInterception.objects.get()
    html = page(client.get(f"/orders/{order.pk}/"))
    assert 'data-testid="interception-outcome"' in html and same(NEW) in html
    client.post(f"/shipments/orders/{order.pk}/interceptions/{asked.pk}/",
                {"outcome": "intercepted"})
    assert address_of(order) == same(NEW)


def test_over_the_api(shop, shipment):
    client = factories.api_client(factories.token_for(shop, "owner"), language="en")
    asked = client.post(f"/api/v1/shipments/{shipment.pk}/interceptions", {"address": NEW},
                        content_type="application/json")
    assert asked.status_code == 201 and asked.json()["status"] == "requested"
    read = client.get(f"/api/v1/shipments/{shipment.pk}").json()
    assert [i["address"] for i in read["interceptions"]] == [same(NEW)]
    done = client.post(f"/api/v1/interceptions/{asked.json()['id']}/outcome",
                       {"intercepted": False, "note": "来不及"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "failed"
    again = client.post(f"/api/v1/interceptions/{asked.json()['id']}/outcome",
                        {"intercepted": True}, content_type="application/json")
    assert again.status_code == 409
