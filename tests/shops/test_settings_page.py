"""The shop settings page: every setting in its group, bad values marked by their field
with nothing saved, good ones saved, and an example of the next order number."""

import re

import pytest
from django.utils.html import escape

from dingdan.shops import config
from dingdan.shops.config import ShopSettings, shop_settings
from tests import factories

pytestmark = pytest.mark.django_db

# What the whole form posts when the merchant changes nothing on a new shop.
UNCHANGED = {
    "name": "小店", "payment_terms": "on_delivery", "credit_days": "",
    "order_number_scheme": "timestamp", "order_number_pattern": config.DEFAULT_PATTERN,
    "shipping_flat": "0.00", "shipping_free_over": "", "shipping_express": "",
    "shipping_local": "", "shipping_pickup": "", "shipping_service": "", "tax_rate": "0",
    "reserve_stock_on": "placement", "allow_backorders": "off", "language": "zh-hans",
    "timezone": "Asia/Shanghai",
}

# form field -> (typed, the setting it becomes)
GOOD_FORM = [
    ({"payment_terms": "prepayment"}, {"payment_terms": "prepayment"}),
    ({"payment_terms": "credit", "credit_days": "30"},
     {"payment_terms": "credit", "credit_days": 30}),
    ({"order_number_scheme": "pattern", "order_number_pattern": "DD{seq:03d}"},
     {"order_number_scheme": "pattern", "order_number_pattern": "DD{seq:03d}"}),
    ({"shipping_flat": "8", "shipping_free_over": "99.00", "shipping_local": "3.5"},
     {"shipping": config.ShippingRules(flat_cents=800, free_over_cents=9900,
                                       by_method={"local": 350})}),
    ({"tax_rate": "6.5"}, {"tax_rate_bp": 650}),
    ({"reserve_stock_on": "acceptance"}, {"reserve_stock_on": "acceptance"}),
    ({"allow_backorders": ["off", "on"]}, {"allow_backorders": True}),
    ({"language": "en"}, {"language": "en"}),
    ({"timezone": "Asia/Urumqi"}, {"timezone": "Asia/Urumqi"}),
]

# form field -> typed value, and words of the message shown next to it
BAD_FORM = [
    ("payment_terms", "cash_only", "prepayment"),
    ("credit_days", "400", "365"),
    ("credit_days", "三十", "不是整数"),
    ("order_number_scheme", "uuid", "timestamp"),
    ("order_number_pattern", "{date}", "{rand}"),
    ("shipping_flat", "-1", "不能为负"),
    ("shipping_flat", "1.234", "两位小数"),
    ("shipping_free_over", "abc", "12.50"),
    ("shipping_express", "100001", "¥100,000.00"),
    ("tax_rate", "101", "100%"),
    ("tax_rate", "6.125", "两位小数"),
    ("reserve_stock_on", "never", "acceptance"),
    ("language", "fr", "zh-hans"),
    ("timezone", "Mars/Base", "Mars/Base"),
]


CHOICES = set(config.CHOICE_LABELS)


@pytest.fixture
def shop():
    return factories.make_shop(name="小店")


def logged_in(shop, role="owner"):
    client = factories.Client()
    client.force_login(factories.make_member(shop, role).user)
    return client


def test_the_page_shows_every_setting_in_its_group_with_help(shop):
    page = logged_in(shop).get("/settings/shop/").content.decode()
    for group, title in config.GROUPS.items():
        assert f'id="group-{group}"' in page and str(title) in page
    for name in ("payment_terms", "credit_days", "order_number_scheme", "order_number_pattern",
                 "reserve_stock_on", "allow_backorders", "language", "timezone"):
        assert f'name="{name}"' in page and escape(str(config.help_text(name))) in page
    for name in UNCHANGED:
        assert f'name="{name}"' in page
    assert "付款方式" in page and "下一个订单号" in page


def test_posting_the_page_unchanged_changes_nothing(shop):
    logged_in(shop).post("/settings/shop/", UNCHANGED)
    shop.refresh_from_db()
    assert shop_settings(shop) == ShopSettings()


@pytest.mark.parametrize("typed, saved", GOOD_FORM, ids=lambda v: str(v)[:40])
def test_a_good_value_is_saved(shop, typed, saved):
    response = logged_in(shop).post("/settings/shop/", {**UNCHANGED, **typed}, follow=True)
    shop.refresh_from_db()
    settings = shop_settings(shop)
    assert {key: getattr(settings, key) for key in saved} == saved
    assert "设置已保存" in response.content.decode()


def test_saved_amounts_and_rates_show_in_yuan_and_percent(shop):
    client = logged_in(shop)
    client.post("/settings/shop/", {**UNCHANGED, "shipping_flat": "8", "tax_rate": "6.5",
                                    "shipping_local": "3.5"})
    page = client.get("/settings/shop/").content.decode()
    assert 'value="8.00"' in page and 'value="6.50"' in page and 'value="3.50"' in page


@pytest.mark.parametrize("field, typed, words", BAD_FORM)
def test_a_bad_value_is_marked_next_to_its_field_and_nothing_is_saved(shop, field, typed,
                                                                     words):
    posted = {**UNCHANGED, "shipping_pickup": "1.00", field: typed}
    response = logged_in(shop).post("/settings/shop/", posted)
    page = response.content.decode()

    assert response.status_code == 400
    error = re.search(rf'data-testid="error-{field}">([^<]*)<', page)
    assert error and words in error.group(1), page
    if field not in CHOICES:  # a choice not offered cannot be shown as chosen
        assert f'value="{typed}"' in page
    assert 'value="1.00"' in page  # the other values typed stay too
    shop.refresh_from_db()
    assert shop_settings(shop) == ShopSettings()


def test_a_bad_shop_name_saves_no_setting_either(shop):
    response = logged_in(shop).post("/settings/shop/", {**UNCHANGED, "name": "",
                                                        "tax_rate": "6"})
    assert response.status_code == 400
    assert 'data-testid="error-name"' in response.content.decode()
    shop.refresh_from_db()
    assert shop_settings(shop).tax_rate_bp == 0 and shop.name == "小店"


@pytest.mark.parametrize("role", ["manager", "clerk"])
def test_only_owners_reach_the_page(shop, role):
    client = logged_in(shop, role)
    assert client.get("/settings/shop/").status_code == 403
    assert client.post("/settings/shop/", {**UNCHANGED, "tax_rate": "6"}).status_code == 403
    shop.refresh_from_db()
    assert shop_settings(shop).tax_rate_bp == 0


def test_the_number_example_follows_the_scheme_and_pattern_typed(shop):
    client = logged_in(shop)
    url = "/settings/shop/number-example/"
    daily = client.get(url, {"order_number_scheme": "daily"}).content.decode()
    pattern = client.get(url, {"order_number_scheme": "pattern",
                               "order_number_pattern": "FR{seq:03d}"}).content.decode()
    bad = client.get(url, {"order_number_scheme": "pattern",
                           "order_number_pattern": "FR{order}"}).content.decode()
    assert re.search(r"<code>\d{8}-0001</code>", daily)
    assert "<code>FR001</code>" in pattern
    assert "{seq}" in bad and "<code>" not in bad
    page = client.get("/settings/shop/").content.decode()
    assert 'hx-get="/settings/shop/number-example/"' in page


def test_the_number_example_does_not_use_up_a_serial(shop):
    from dingdan.orders.numbering import next_number

    shop.settings = {"order_number_scheme": "daily"}
    shop.save()
    client = logged_in(shop)
    client.get("/settings/shop/number-example/", {"order_number_scheme": "daily"})
    assert next_number(shop).endswith("-0001")
    example = client.get("/settings/shop/number-example/", {"order_number_scheme": "daily"})
    assert "-0002</code>" in example.content.decode()
