"""A refused new-order, edit or 改价 form shows each field's message right after its input
(a line's at its row), keeps everything typed, and changes nothing."""

import pytest

from dingdan.customers.models import Customer
from dingdan.inventory.models import StockLevel
from dingdan.orders.models import Order, OrderEvent
from tests import factories
from tests.field_errors import error_after_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "CM-500", name="草莓", spec="500g", price_cents=3990, stock=10)
    factories.make_sku(shop, "LM-125", name="蓝莓", price_cents=1990, stock=5)
    factories.make_sku(shop, "MG-1", name="芒果", price_cents=1590, stock=8)
    return shop


def client_for(shop, language="en"):
    client = factories.Client(headers={"Accept-Language": language})
    client.force_login(factories.make_member(shop, "owner").user)
    return client


def reserved(sku: str) -> int:
    return StockLevel.objects.get(variant__sku=sku).reserved


# -- new order --------------------------------------------------------------------------


def new_order(**changes) -> dict:
    # A blank row between the typed ones: the form shows the typed rows first, in order.
    return {
        "name": "李四",
        "phone": "13912345678",
        "address": "上海市浦东新区世纪大道100号",
        "delivery_method": "express",
        "note": "下午送",
        "op": "place",
        "sku": ["CM-500", "", "LM-125", "MG-1"],
        "quantity": ["2", "", "1", "3"],
    } | changes


def assert_nothing_placed(shop):
    assert not Order.objects.filter(shop=shop).exists()
    assert not Customer.objects.filter(shop=shop).exists()
    assert (reserved("CM-500"), reserved("LM-125"), reserved("MG-1")) == (0, 0, 0)


def assert_rows_kept(html: str, skus: list[str], quantities: list[str]):
    for number, (sku, quantity) in enumerate(zip(skus, quantities, strict=True), 1):
        assert f'id="sku-{number}" name="sku" value="{sku}"' in html
        assert f'id="qty-{number}" name="quantity" value="{quantity}"' in html


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "No product with the SKU NOPE."), ("zh-hans", "没有 SKU 为 NOPE 的商品。")],
)
def test_an_unknown_sku_is_shown_at_its_row(shop, language, message):
    response = client_for(shop, language).post(
        "/orders/new/", new_order(sku=["CM-500", "", "NOPE", "MG-1"])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert error_after_input(html, "sku", "sku-2") == message
    assert "aria-invalid" not in html.split('id="sku-2"')[0].split('data-testid="line-rows"')[1]
    assert_rows_kept(html, ["CM-500", "NOPE", "MG-1"], ["2", "1", "3"])
    assert 'value="李四"' in html and 'value="13912345678"' in html and 'value="下午送"' in html
    assert 'value="上海市浦东新区世纪大道100号"' in html
    assert_nothing_placed(shop)


@pytest.mark.parametrize(
    ("language", "message"), [("en", "two is not a whole number."), ("zh-hans", "two 不是整数。")]
)
def test_a_bad_quantity_is_shown_at_its_row(shop, language, message):
    response = client_for(shop, language).post(
        "/orders/new/", new_order(quantity=["2", "", "1", "two"])
    )
    html = response.content.decode()
    assert error_after_input(html, "quantity", "qty-3") == message
    assert_rows_kept(html, ["CM-500", "LM-125", "MG-1"], ["2", "1", "two"])
    assert_nothing_placed(shop)


def test_every_bad_quantity_is_shown_at_once(shop):
    response = client_for(shop).post("/orders/new/", new_order(quantity=["0", "", "1", "200000"]))
    html = response.content.decode()
    assert "from 1 to 100000" in error_after_input(html, "quantity", "qty-1")
    assert "from 1 to 100000" in error_after_input(html, "quantity", "qty-3")
    assert 'id="error-qty-2"' not in html
    assert_nothing_placed(shop)


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Not a valid mobile number: 12345"), ("zh-hans", "不是有效的手机号：12345")],
)
def test_a_bad_phone_is_shown_at_the_phone(shop, language, message):
    response = client_for(shop, language).post("/orders/new/", new_order(phone="12345"))
    html = response.content.decode()
    assert error_after_input(html, "phone") == message
    assert 'value="12345"' in html and 'value="李四"' in html
    assert_rows_kept(html, ["CM-500", "LM-125", "MG-1"], ["2", "1", "3"])
    assert_nothing_placed(shop)


def test_a_too_long_address_is_shown_at_the_address(shop):
    response = client_for(shop).post("/orders/new/", new_order(address="幸福路" * 100))
    html = response.content.decode()
    assert "At most" in error_after_input(html, "address")
    assert_nothing_placed(shop)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Not enough stock: at most 10 for this order."),
        ("zh-hans", "库存不足：此订单最多 10 件。"),
    ],
)
def test_a_shortage_is_shown_at_the_quantity_of_its_sku(shop, language, message):
    response = client_for(shop, language).post(
        "/orders/new/",
        new_order(sku=["CM-500", "", "LM-125", "CM-500"], quantity=["6", "", "1", "5"]),
    )
    html = response.content.decode()
    assert error_after_input(html, "quantity", "qty-1") == message
    assert error_after_input(html, "quantity", "qty-3") == message
    assert 'id="error-qty-2"' not in html
    assert_nothing_placed(shop)


def test_an_order_without_products_says_so_at_the_first_row(shop):
    response = client_for(shop).post("/orders/new/", new_order(sku=["", ""], quantity=["", ""]))
    html = response.content.decode()
    assert error_after_input(html, "sku", "sku-1") == "Add at least one product."
    assert_nothing_placed(shop)


# -- edit -------------------------------------------------------------------------------


@pytest.fixture
def order(shop):
    return factories.place(shop, [("CM-500", 2), ("LM-125", 1), ("MG-1", 1)])


def edit_form(order, **changes) -> dict:
    lines = list(order.lines.all())
    return {
        "version": str(order.version),
        "sku": [line.sku for line in lines],
        "quantity": [str(line.quantity) for line in lines],
        "delivery_method": order.delivery_method,
        "note": "放门口",
        "internal_note": "老客户",
        "reason": "电话改",
        "op": "save",
    } | changes


def assert_order_unchanged(order):
    order.refresh_from_db()
    assert order.version == 1 and order.note == "" and order.internal_note == ""
    assert list(order.lines.values_list("sku", "quantity")) == [
        ("CM-500", 2),
        ("LM-125", 1),
        ("MG-1", 1),
    ]
    assert (reserved("CM-500"), reserved("LM-125"), reserved("MG-1")) == (2, 1, 1)
    assert not OrderEvent.objects.filter(order=order, kind="edited").exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "MG-1: two is not a whole number."), ("zh-hans", "MG-1: two 不是整数。")],
)
def test_a_bad_quantity_in_the_edit_is_shown_at_its_row(shop, order, language, message):
    # The second row is removed: the third row is still the third on the form.
    response = client_for(shop, language).post(
        f"/orders/{order.pk}/edit/", edit_form(order, quantity=["3", "1", "two"], remove=["1"])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert error_after_input(html, "quantity", "qty-3") == message
    assert 'id="qty-1" name="quantity" value="3"' in html
    assert 'id="qty-3" name="quantity" value="two"' in html
    assert 'name="remove" value="1" checked' in html
    assert "放门口" in html and "老客户" in html and 'value="电话改"' in html
    assert_order_unchanged(order)


def test_a_quantity_over_the_limit_in_the_edit_is_shown_at_its_row(shop, order):
    response = client_for(shop).post(
        f"/orders/{order.pk}/edit/", edit_form(order, quantity=["0", "200000", "1"])
    )
    html = response.content.decode()
    assert "from 1 to 100000" in error_after_input(html, "quantity", "qty-2")
    assert 'id="qty-1" name="quantity" value="0"' in html
    assert_order_unchanged(order)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Not enough stock: at most 5 for this order."),
        ("zh-hans", "库存不足：此订单最多 5 件。"),
    ],
)
def test_a_shortage_in_the_edit_is_shown_at_its_row(shop, order, language, message):
    response = client_for(shop, language).post(
        f"/orders/{order.pk}/edit/", edit_form(order, quantity=["2", "9", "1"])
    )
    html = response.content.decode()
    assert error_after_input(html, "quantity", "qty-2") == message
    assert 'id="qty-2" name="quantity" value="9"' in html
    assert_order_unchanged(order)


def test_an_unknown_added_product_is_shown_at_its_new_row(shop, order):
    response = client_for(shop).post(
        f"/orders/{order.pk}/edit/", edit_form(order, new_sku="NOPE", new_quantity="2")
    )
    html = response.content.decode()
    assert "No product with the SKU NOPE." in error_after_input(html, "quantity", "qty-4")
    assert 'id="qty-4" name="quantity" value="2"' in html
    assert_order_unchanged(order)


def test_removing_every_line_is_shown_at_the_product_picker(shop, order):
    response = client_for(shop).post(
        f"/orders/{order.pk}/edit/", edit_form(order, remove=["0", "1", "2"])
    )
    html = response.content.decode()
    assert error_after_input(html, "new_sku") == "Add at least one product."
    assert_order_unchanged(order)


def test_an_unknown_delivery_method_is_shown_at_the_delivery_method(shop, order):
    response = client_for(shop).post(
        f"/orders/{order.pk}/edit/", edit_form(order, delivery_method="drone")
    )
    html = response.content.decode()
    assert error_after_input(html, "delivery_method") == "Unknown delivery method."
    assert_order_unchanged(order)


# -- 改价 -------------------------------------------------------------------------------


def reprice_form(order, **changes) -> dict:
    return {
        "version": str(order.version),
        "price-CM-500": "39.90",
        "price-LM-125": "19.90",
        "price-MG-1": "15.90",
        "discount": "0.00",
        "reason": "老顾客",
    } | changes


def assert_prices_unchanged(order):
    order.refresh_from_db()
    assert order.version == 1 and order.total_cents == 2 * 3990 + 1990 + 1590
    assert list(order.lines.values_list("unit_price_cents", flat=True)) == [3990, 1990, 1590]
    assert not OrderEvent.objects.filter(order=order, kind="repriced").exists()


@pytest.mark.parametrize(
    ("language", "message"), [("en", "more than two decimals"), ("zh-hans", "超过两位小数")]
)
def test_a_bad_price_is_shown_at_the_price_of_its_sku(shop, order, language, message):
    response = client_for(shop, language).post(
        f"/orders/{order.pk}/reprice/",
        reprice_form(
            order,
            **{"price-LM-125": "12.345", "price-MG-1": "12", "discount": "3", "reason": "议价"},
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in error_after_input(html, "price-LM-125", "price-2")
    assert 'id="error-price-1"' not in html and 'id="error-price-3"' not in html
    assert 'value="12.345"' in html and 'value="12"' in html and 'value="39.90"' in html
    assert 'value="3"' in html and 'value="议价"' in html
    assert_prices_unchanged(order)


def test_every_bad_amount_is_shown_at_its_input(shop, order):
    response = client_for(shop).post(
        f"/orders/{order.pk}/reprice/",
        reprice_form(order, **{"price-CM-500": "abc", "price-MG-1": "-1", "discount": "5.555"}),
    )
    html = response.content.decode()
    assert "abc is not a price in yuan" in error_after_input(html, "price-CM-500", "price-1")
    assert "cannot be negative" in error_after_input(html, "price-MG-1", "price-3")
    assert "5.555 has more than two decimals" in error_after_input(html, "discount")
    assert_prices_unchanged(order)


def test_a_price_beyond_what_can_be_stored_is_shown_at_its_input(shop, order):
    response = client_for(shop).post(
        f"/orders/{order.pk}/reprice/", reprice_form(order, **{"price-CM-500": "999999999999"})
    )
    html = response.content.decode()
    assert "Must be a whole number from 0" in error_after_input(html, "price-CM-500", "price-1")
    assert_prices_unchanged(order)


@pytest.mark.parametrize(
    ("language", "message"), [("en", "This field is required."), ("zh-hans", "这个字段是必填项。")]
)
def test_a_missing_reason_is_shown_at_the_reason(shop, order, language, message):
    response = client_for(shop, language).post(
        f"/orders/{order.pk}/reprice/", reprice_form(order, reason=" ", **{"price-CM-500": "30"})
    )
    html = response.content.decode()
    assert error_after_input(html, "reason") == message
    assert 'value="30"' in html
    assert_prices_unchanged(order)


# -- 常用模板 ---------------------------------------------------------------------------


def test_a_refused_template_shows_its_errors_at_their_inputs(shop):
    from dingdan.orders.models import OrderTemplate

    client = client_for(shop, "zh-hans")
    data = {
        "name": "周卡",
        "delivery_method": "pickup",
        "note": "周六自提",
        "op": "save",
        "sku": ["CM-500", "NOPE"],
        "quantity": ["2", "1"],
    }
    html = client.post("/orders/templates/", data).content.decode()
    assert error_after_input(html, "sku", "sku-2") == "没有 SKU 为 NOPE 的商品。"
    assert_rows_kept(html, ["CM-500", "NOPE"], ["2", "1"])
    assert 'value="周卡"' in html and 'value="周六自提"' in html
    unnamed = client.post("/orders/templates/", data | {"name": " ", "sku": ["CM-500", ""]})
    assert "1 到 60" in error_after_input(unnamed.content.decode(), "name")
    assert not OrderTemplate.objects.exists()
