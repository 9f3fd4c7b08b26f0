"""What the owner sets in the shop settings shows in the next orders: payment first, when
stock is held, backorders, order numbers, shipping and tax, time zone and language."""

import re
import zoneinfo

import pytest
from django.utils import timezone

from dingdan.inventory.models import StockLevel
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_member(shop, "owner")
    factories.make_sku(shop, "CM-500", price_cents=3990, stock=2)
    return shop


@pytest.fixture
def api(shop):
    return factories.api_client(factories.token_for(shop, "owner"), language="en")


def set_settings(api, **changes):
    response = api.patch("/api/v1/shop/settings", changes, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def order(api, quantity=1, **extra):
    customer = {"name": "王芳", "phone": "13900139000", "address": "北京市朝阳区建国路88号"}
    body = {"customer": customer,
            "lines": [{"sku": "CM-500", "quantity": quantity}], **extra}
    return api.post("/api/v1/orders", body, content_type="application/json")


def test_payment_first_makes_new_orders_wait_for_payment(api):
    before = order(api).json()["status"]
    set_settings(api, payment_terms="prepayment")
    after = order(api).json()["status"]
    assert (before, after) == ("pending_confirmation", "pending_payment")


def test_credit_terms_take_orders_for_confirmation(api):
    set_settings(api, payment_terms="credit", credit_days=30)
    assert order(api).json()["status"] == "pending_confirmation"


def test_an_old_prepayment_shop_still_starts_orders_unpaid(shop, api):
    shop.settings = {"requires_prepayment": True}
    shop.save()
    assert api.get("/api/v1/shop/settings").json()["payment_terms"] == "prepayment"
    assert order(api).json()["status"] == "pending_payment"


def test_reserving_on_acceptance_holds_stock_only_once_accepted(api):
    set_settings(api, reserve_stock_on="acceptance")
    placed = order(api).json()
    held_before = StockLevel.objects.get(variant__sku="CM-500").reserved
    api.post(f"/api/v1/orders/{placed['id']}/transition", {"to": "accepted"},
             content_type="application/json")
    assert (held_before, StockLevel.objects.get(variant__sku="CM-500").reserved) == (0, 1)


def test_backorders_let_an_order_ask_for_more_than_is_in_stock(api):
    refused = order(api, quantity=5)
    set_settings(api, allow_backorders=True)
    taken = order(api, quantity=5)
    assert refused.status_code == 409
    assert taken.status_code == 201


def test_the_next_order_number_follows_the_pattern(api):
    set_settings(api, order_number_scheme="pattern", order_number_pattern="FR{date}-{seq:03d}")
    first, second = order(api).json()["number"], order(api).json()["number"]
    assert re.fullmatch(r"FR\d{8}-001", first) and second.endswith("-002")


@pytest.mark.parametrize("changes, method, shipping, tax", [
    ({"shipping": {"flat_cents": 800}}, "express", 800, 0),
    ({"shipping": {"flat_cents": 800, "free_over_cents": 3990}}, "express", 0, 0),
    ({"shipping": {"flat_cents": 800, "by_method": {"local": 300}}}, "local", 300, 0),
    ({"shipping": {"by_method": {"pickup": 100}}}, "pickup", 100, 0),
    ({"tax_rate_bp": 600}, "express", 0, 239),
])
def test_shipping_and_tax_show_in_the_totals(api, changes, method, shipping, tax):
    set_settings(api, **changes)
    body = order(api, delivery_method=method).json()
    assert (body["shipping_cents"], body["tax_cents"]) == (shipping, tax)
    assert body["total_cents"] == 3990 + shipping + tax


@pytest.mark.parametrize("zone", ["Pacific/Pago_Pago", "Pacific/Kiritimati"])
def test_order_numbers_carry_the_date_in_the_shops_time_zone(api, zone):
    # 25 hours apart: at any moment these two zones are on different dates.
    set_settings(api, order_number_scheme="daily", timezone=zone)
    number = order(api).json()["number"]
    there = timezone.now().astimezone(zoneinfo.ZoneInfo(zone))
    assert number == f"{there:%Y%m%d}-0001"


def test_the_shops_language_is_the_language_of_its_group_buy_posts(shop, api):
    from dingdan.chains.selectors.chain_text import shop_language

    set_settings(api, language="en")
    shop.refresh_from_db()
    assert shop_language(shop) == "en"
