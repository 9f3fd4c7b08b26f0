"""Finding orders in a big list: search by number, phone, name or product (also after a
rename), filters by open flag, and a count that stops at a limit while every page stays
reachable."""

import pytest

from dingdan.api import pagination
from dingdan.catalog.services import products as catalog
from dingdan.customers.services import customers
from dingdan.orders.models import OrderFlag
from dingdan.orders.selectors import orders as selectors
from dingdan.shops.actors import Actor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "STRAW-500", name="草莓", spec="500g", price_cents=3990,
                       stock=100)
    factories.make_sku(shop, "CAKE-6", name="奶油蛋糕", spec="6寸", price_cents=12800, stock=10)
    return shop


def found(shop, text: str) -> set[str]:
    return {o.customer_name
            for o in selectors.orders_for_shop(shop, q=text, partial_phone=True)}


def test_search_finds_number_phone_name_and_product(shop):
    zhang = factories.place(shop, [("STRAW-500", 1)], name="张伟", phone="13800138000")
    factories.place(shop, [("CAKE-6", 1)], name="李秀英", phone="13912345678")

    assert found(shop, zhang.number) == {"张伟"}
    assert "张伟" in found(shop, zhang.number[:10])  # a number by its start
    assert found(shop, "5678") == {"李秀英"}  # the last digits of a phone
    assert found(shop, "139 1234 5678") == {"李秀英"}
    assert found(shop, "张伟") == {"张伟"}  # two characters: through the customers
    assert found(shop, "秀英") == {"李秀英"}
    assert found(shop, "李秀英") == {"李秀英"}
    assert found(shop, "草莓") == {"张伟"}  # a product, through the catalog
    assert found(shop, "6寸") == {"李秀英"}  # a spec
    assert found(shop, "奶油蛋糕") == {"李秀英"}
    assert found(shop, "王五") == set()
    assert len(found(shop, "  ")) == 2


def test_whole_phones_and_order_numbers_are_found_with_any_spacing(shop):
    factories.place(shop, [("STRAW-500", 1)], name="张伟", phone="13800138000")
    factories.place(shop, [("CAKE-6", 1)], name="Amy", phone="+1 415 555 0123")
    other = factories.place(shop, [("CAKE-6", 1)], name="李秀英", phone="13912345678")

    assert found(shop, "138-0013-8000") == {"张伟"}
    assert found(shop, "+1 415 555 0123") == {"Amy"}
    assert found(shop, "14155550123") == {"Amy"}
    assert found(shop, "555 0123") == {"Amy"}  # part of a phone
    assert found(shop, "1380013800") == {"张伟"}  # 10 digits: part of a phone
    assert found(shop, other.number) == {"李秀英"}
    assert "李秀英" in found(shop, other.number[:8])  # a number by its start
    factories.place(shop, [("STRAW-500", 1)], name="王2024", phone="13700002024")
    assert found(shop, "王2024") == {"王2024"}  # a name with digits in it
    assert found(shop, "2024") == {"王2024"}  # the phone's last digits


@pytest.mark.parametrize("many_lines", [0, 10_000], ids=["best-seller", "few"])
def test_a_product_in_many_orders_finds_the_same_orders_newest_first(
    shop, monkeypatch, many_lines
):
    from dingdan.orders.selectors import search

    # A best seller (more lines than MANY_LINES) is searched in its other form.
    monkeypatch.setattr(search, "MANY_LINES", many_lines)
    placed = [
        factories.place(shop, [(sku, 1)], name=name, phone=phone)
        for sku, name, phone in [
            ("STRAW-500", "张伟", "13800138000"), ("CAKE-6", "李秀英", "13912345678"),
            ("STRAW-500", "王芳", "13700001111"), ("CAKE-6", "草莓姐", "13600002222"),
        ]
    ]

    listed = [o.pk for o in selectors.orders_for_shop(shop, q="草莓", partial_phone=True)]
    assert listed == [placed[3].pk, placed[2].pk, placed[0].pk]  # the product, or the name
    assert [o.pk for o in selectors.orders_for_shop(
        shop, q="8000", partial_phone=True)] == [placed[0].pk]
    assert [o.pk for o in selectors.orders_for_shop(shop, q="6寸", partial_phone=True)] == [
        placed[3].pk, placed[1].pk]


def test_an_order_is_found_by_the_names_it_was_placed_under_after_a_rename(shop):
    order = factories.place(shop, [("STRAW-500", 1)], name="王秀英", phone="13700001111")
    system = Actor.system(shop)
    customers.update_customer(actor=system, shop=shop, customer=order.customer, name="王阿姨")
    strawberry = order.lines.get().variant
    catalog.update_sku(actor=system, shop=shop, variant=strawberry, name="红颜草莓")

    assert found(shop, "王阿姨") == {"王秀英"}  # the customer's name now
    assert found(shop, "王秀英") == {"王秀英"}  # the name on the order
    assert found(shop, "红颜") == {"王秀英"}  # the product's name now
    assert found(shop, "草莓 500g") == {"王秀英"}  # the line as it was sold


def test_the_list_filters_by_an_open_flag(shop):
    flagged = factories.place(shop, [("STRAW-500", 1)], name="赵六", phone=None)
    factories.place(shop, [("STRAW-500", 1)], name="钱七", phone="13600001111")
    assert OrderFlag.objects.filter(order=flagged, code="missing_phone").exists()

    client = factories.api_client(factories.token_for(shop))
    body = client.get("/api/v1/orders", {"flag": "missing_phone"}).json()
    assert [o["number"] for o in body["items"]] == [flagged.number]
    OrderFlag.objects.filter(order=flagged).update(resolved_at=flagged.created_at)
    assert client.get("/api/v1/orders", {"flag": "missing_phone"}).json()["count"] == 0


def test_the_count_stops_at_the_limit_and_every_page_is_still_there(shop, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 3)
    placed = [factories.place(shop, [("STRAW-500", 1)], name=f"顾客{n}",
                              phone=f"1380000{n:04d}") for n in range(5)]
    client = factories.api_client(factories.token_for(shop))

    first = client.get("/api/v1/orders", {"page_size": 2}).json()
    third = client.get("/api/v1/orders", {"page_size": 2, "page": 3}).json()
    assert first["count"] == 3  # "3 or more"
    assert [o["number"] for o in first["items"] + third["items"]] == [
        placed[4].number, placed[3].number, placed[0].number]
    assert client.get("/api/v1/orders", {"q": "顾客1"}).json()["count"] == 1
