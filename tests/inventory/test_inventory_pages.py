"""The merchant's stock pages: see what is low, receive a delivery, correct a mistake,
record a count, and read every movement in the ledger."""

import pytest

from dingdan.catalog.services.products import create_sku
from dingdan.inventory.models import StockLevel, StockMovement
from dingdan.inventory.selectors import ledger_mismatches
from dingdan.inventory.services.stock import receive_stock, set_low_stock_threshold
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return factories.make_shop(name="阿芳水果")


@pytest.fixture
def straw(shop):
    return create_sku(actor=factories.staff_actor(shop), shop=shop, sku="STRAW-500",
                      name="草莓", spec="500g", price_cents=3990)


def client_for(shop, role="owner", language="en"):
    member = factories.make_member(shop, role)
    client = factories.Client(headers={"Accept-Language": language})
    client.force_login(member.user)
    return client


def page(response) -> str:
    return response.content.decode()


def test_the_list_shows_levels_and_filters_low_stock(shop, straw):
    owner = factories.staff_actor(shop)
    egg = create_sku(actor=owner, shop=shop, sku="EGG-30", name="土鸡蛋", price_cents=4200)
    receive_stock(actor=owner, shop=shop, variant=straw, quantity=3)
    receive_stock(actor=owner, shop=shop, variant=egg, quantity=40)
    set_low_stock_threshold(actor=owner, shop=shop, variant=straw, threshold=5)
    client = client_for(shop, "viewer")

    everything = page(client.get("/stock/"))
    assert "草莓 500g" in everything and "土鸡蛋" in everything
    low = page(client.get("/stock/", {"low": "1"}))
    assert "草莓 500g" in low and "土鸡蛋" not in low and "Low" in low
    assert "土鸡蛋" in page(client.get("/stock/", {"q": "EGG"}))


def test_receive_adjust_and_count_through_the_page_and_the_ledger_shows_them(shop, straw):
    client = client_for(shop, "warehouse")
    url = f"/stock/{straw.pk}/"

    client.post(url, {"op": "receive", "quantity": "20", "note": "供货商老王"})
    client.post(url, {"op": "adjust", "delta": "-2", "reason": "压坏了", "note": ""})
    client.post(url, {"op": "count", "counted": "17", "note": "月底盘点"})
    response = client.post(url, {"op": "threshold", "threshold": "5"}, follow=True)

    level = StockLevel.objects.get(variant=straw)
    assert (level.on_hand, level.low_stock_threshold) == (17, 5)
    text = page(response)
    assert "Low-stock threshold saved." in text
    ledger = text.split('data-testid="ledger"')[1]
    for words in ("Received", "+20", "供货商老王", "Adjusted", "-2", "压坏了", "Stock count",
                  "-1", "月底盘点"):
        assert words in ledger
    assert ledger.index("Stock count") < ledger.index("Adjusted") < ledger.index("Received")
    assert ledger_mismatches(shop) == []


def test_movement_kinds_are_shown_by_their_label_not_their_code(shop, straw):
    client = client_for(shop)
    client.post(f"/stock/{straw.pk}/", {"op": "receive", "quantity": "5"})
    text = page(client.get(f"/stock/{straw.pk}/"))
    assert "<td>Received</td>" in text and "<td>receive</td>" not in text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"op": "receive", "quantity": "abc"}, "abc is not a whole number."),
        ({"op": "receive", "quantity": "0"}, "Must be a whole number from 1"),
        ({"op": "adjust", "delta": "-50", "reason": "丢了"}, "Not enough stock"),
        ({"op": "adjust", "delta": "3", "reason": ""}, "Say why the stock changes."),
        ({"op": "count", "counted": "-1"}, "Must be a whole number from 0"),
        ({"op": "threshold", "threshold": "少"}, "is not a whole number."),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(shop, straw, form, message):
    receive_stock(actor=factories.staff_actor(shop), shop=shop, variant=straw, quantity=10)
    response = client_for(shop).post(f"/stock/{straw.pk}/", form, follow=True)
    assert response.status_code == 200 and message in page(response)
    assert StockLevel.objects.get(variant=straw).on_hand == 10
    assert StockMovement.objects.filter(variant=straw).count() == 1


def test_a_viewer_sees_stock_but_cannot_change_it(shop, straw):
    client = client_for(shop, "viewer")
    text = page(client.get(f"/stock/{straw.pk}/"))
    assert "receive-form" not in text and "adjust-form" not in text
    response = client.post(f"/stock/{straw.pk}/", {"op": "receive", "quantity": "5"}, follow=True)
    assert response.status_code == 200 and "may not" in page(response)
    assert StockLevel.objects.get(variant=straw).on_hand == 0


def test_a_service_has_no_stock_forms(shop):
    course = create_sku(actor=factories.staff_actor(shop), shop=shop, sku="C", name="体验课",
                        price_cents=1, kind="service")
    text = page(client_for(shop).get(f"/stock/{course.pk}/"))
    assert "This is a service" in text and "receive-form" not in text


def test_another_shops_sku_is_not_found(shop):
    other = factories.make_shop()
    variant = create_sku(actor=factories.staff_actor(other), shop=other, sku="A", name="苹果",
                         price_cents=1)
    assert client_for(shop).get(f"/stock/{variant.pk}/").status_code == 404
