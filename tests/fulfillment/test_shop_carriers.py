"""A shop that ships with a local courier firm adds it as its own carrier, with the number
format it uses and its tracking page; shipments then name it like any other carrier."""

import pytest

from dingdan.errors import InvalidInput, PermissionDenied
from dingdan.fulfillment.services import carriers, shipping
from dingdan.orders.services import lifecycle
from dingdan.shops.audit_models import AuditRecord
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "APPLE", stock=5)
    return shop


def accepted(shop):
    return lifecycle.accept_order(actor=factories.staff_actor(shop, "clerk"),
                                  order=factories.place(shop, [("APPLE", 1)]))


def test_a_shop_carrier_checks_its_numbers_and_links_its_page(shop):
    owner = factories.staff_actor(shop)
    carriers.add_shop_carrier(actor=owner, shop=shop, code="city-run", name="同城跑腿",
                              pattern=r"CR\d{6}", url_template="https://run.example/t/{number}")
    warehouse = factories.staff_actor(shop, "warehouse")
    with pytest.raises(InvalidInput) as refused:
        shipping.create_shipment(actor=warehouse, order=accepted(shop), carrier="city-run",
                                 tracking_number="12345")
    assert "tracking_number" in refused.value.fields
    shipment = shipping.create_shipment(actor=warehouse, order=accepted(shop),
                                        carrier="city-run", tracking_number="cr123456")
    assert shipment.tracking_number == "CR123456"
    api = factories.api_client(factories.token_for(shop, "owner"), language="en")
    read = api.get(f"/api/v1/shipments/{shipment.pk}").json()
    assert read["tracking_url"] == "https://run.example/t/CR123456"
    listed = [c["code"] for c in api.get("/api/v1/carriers").json()]
    assert listed[0] == "sf" and listed[-1] == "city-run"
    assert AuditRecord.objects.filter(shop=shop, object_type="shop_carrier",
                                      action="created").exists()


def test_bad_carriers_are_refused_by_field_and_only_the_owner_adds_them(shop):
    owner = factories.staff_actor(shop)
    for fields, field in [({"code": "sf", "name": "假顺丰"}, "code"),
                          ({"code": "x", "name": "X", "pattern": "("}, "pattern"),
                          ({"code": "y", "name": "Y", "url_template": "https://a.example"},
                           "url_template")]:
        with pytest.raises(InvalidInput) as refused:
            carriers.add_shop_carrier(actor=owner, shop=shop, **fields)
        assert field in refused.value.fields
    carriers.add_shop_carrier(actor=owner, shop=shop, code="x", name="X")
    with pytest.raises(InvalidInput) as refused:
        carriers.add_shop_carrier(actor=owner, shop=shop, code="x", name="X again")
    assert "code" in refused.value.fields
    with pytest.raises(PermissionDenied):
        carriers.add_shop_carrier(actor=factories.staff_actor(shop, "warehouse"), shop=shop,
                                  code="z", name="Z")


def test_a_removed_carrier_can_no_longer_be_chosen(shop):
    owner = factories.staff_actor(shop)
    carriers.add_shop_carrier(actor=owner, shop=shop, code="x", name="X")
    api = factories.api_client(factories.token_for(shop, "owner"), language="en")
    assert api.delete("/api/v1/carriers/x").status_code == 204
    assert api.delete("/api/v1/carriers/x").status_code == 404
    with pytest.raises(InvalidInput) as refused:
        shipping.create_shipment(actor=owner, order=accepted(shop), carrier="x",
                                 tracking_number="1")
    assert "carrier" in refused.value.fields
