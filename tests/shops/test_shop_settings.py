"""Typed shop settings: read with defaults and old keys, changed by the owner through the
one service and the API, every bad value refused by name and nothing saved."""

import pytest

from dingdan.errors import InvalidInput, PermissionDenied
from dingdan.shops import config
from dingdan.shops.config import ShopSettings, shop_settings
from dingdan.shops.services.shops import update_shop_settings
from tests import factories

from .settings_cases import BAD, BAD_CASES, GOOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_member(shop, "owner")
    return shop


@pytest.fixture
def owner_api(shop):
    return factories.api_client(factories.token_for(shop, "owner"), language="en")


def _patch(client, body):
    return client.patch("/api/v1/shop/settings", body, content_type="application/json")


def test_every_setting_has_cases_a_group_a_label_and_help():
    assert set(GOOD) == set(BAD) == set(config.FIELDS)
    for name in config.FIELDS:
        assert config.group_of(name) in config.GROUPS
        assert config.label(name) and config.help_text(name)


def test_a_new_shop_has_the_defaults(shop):
    settings = shop_settings(shop)
    assert settings == ShopSettings()
    assert (settings.payment_terms, settings.requires_prepayment) == ("on_delivery", False)
    assert (settings.order_number_scheme, settings.timezone) == ("timestamp", "Asia/Shanghai")


@pytest.mark.parametrize("stored, expected", [
    ({"requires_prepayment": True}, {"payment_terms": "prepayment"}),
    ({"requires_prepayment": False}, {"payment_terms": "on_delivery"}),
    ({"tax_rate_bp": "600"}, {"tax_rate_bp": 600}),
    ({"order_number_pattern": ""}, {"order_number_pattern": config.DEFAULT_PATTERN}),
    ({"language": "zh_Hans"}, {"language": "zh-hans"}),
    ({"reserve_stock_on": "someday", "allow_backorders": True},
     {"reserve_stock_on": "placement", "allow_backorders": True}),
    ({"shipping": "free", "tax_rate_bp": 100}, {"shipping": config.ShippingRules(),
                                                  "tax_rate_bp": 100}),
    ({"somebody_elses_key": 1}, {}),
])
def test_old_and_odd_stored_settings_still_read(shop, stored, expected):
    shop.settings = stored
    shop.save()
    settings = shop_settings(shop)
    assert {key: getattr(settings, key) for key in expected} == expected


def test_an_old_prepayment_shop_keeps_its_terms_once_the_owner_changes_something_else(shop):
    shop.settings = {"requires_prepayment": True, "somebody_elses_key": 1}
    shop.save()
    update_shop_settings(actor=factories.staff_actor(shop), shop=shop,
                         changes={"tax_rate_bp": 100})
    shop.refresh_from_db()
    assert shop_settings(shop).requires_prepayment
    assert "requires_prepayment" not in shop.settings
    assert shop.settings["somebody_elses_key"] == 1


@pytest.mark.parametrize("setting, value", GOOD.items())
def test_the_owner_changes_each_setting_through_the_api(shop, owner_api, setting, value):
    changes = {setting: value}
    if setting == "credit_days":
        changes["payment_terms"] = "credit"
    response = _patch(owner_api, changes)

    assert response.status_code == 200, response.content
    assert response.json()[setting] == value
    assert set(response.json()) == set(config.FIELDS)
    shop.refresh_from_db()
    assert owner_api.get("/api/v1/shop/settings").json()[setting] == value
    assert getattr(shop_settings(shop), setting) == getattr(ShopSettings(**changes), setting)


@pytest.mark.parametrize("setting, value, key, words", BAD_CASES)
def test_each_bad_value_is_refused_by_name_and_nothing_is_saved(shop, owner_api, setting,
                                                                value, key, words):
    response = _patch(owner_api, {"allow_backorders": True, setting: value})

    error = response.json()["error"]
    assert response.status_code in (400, 422), response.content
    assert error["code"] == "validation_error"
    assert key in error["fields"] and words in error["fields"][key]
    shop.refresh_from_db()
    assert shop_settings(shop) == ShopSettings()


def test_a_value_beyond_its_range_or_choices_is_a_400(owner_api):
    response = _patch(owner_api, {"tax_rate_bp": 10_001, "language": "fr"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"tax_rate_bp", "language"}


def test_an_unknown_key_is_refused_and_named(shop, owner_api):
    old_name = _patch(owner_api, {"tax_rate_bp": 600, "requires_prepayment": True})
    nested = _patch(owner_api, {"shipping": {"flat_cents": 1, "per_km_cents": 2}})
    assert old_name.json()["error"]["fields"]["requires_prepayment"] == "Unknown setting."
    assert "shipping.per_km_cents" in nested.json()["error"]["fields"]
    assert {old_name.json()["error"]["code"], nested.json()["error"]["code"]} == {
        "validation_error"}
    shop.refresh_from_db()
    assert shop_settings(shop) == ShopSettings()


def test_an_unknown_top_level_key_is_a_400(owner_api):
    response = _patch(owner_api, {"colour": "red"})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "validation_error", "message": "Some settings are invalid: colour.",
        "fields": {"colour": "Unknown setting."},
    }


def test_refusals_speak_chinese_by_default(shop):
    client = factories.api_client(factories.token_for(shop, "owner"))
    fields = _patch(client, {"tax_rate_bp": 20_000, "colour": "red"}).json()["error"]["fields"]
    assert fields == {"tax_rate_bp": "税率在 0% 到 100% 之间（0 到 10000 个基点）。",
                      "colour": "未知的设置。"}


def test_credit_terms_need_credit_days(owner_api):
    refused = _patch(owner_api, {"payment_terms": "credit"})
    accepted = _patch(owner_api, {"payment_terms": "credit", "credit_days": 45})
    assert "credit_days" in refused.json()["error"]["fields"]
    assert (accepted.json()["payment_terms"], accepted.json()["credit_days"]) == ("credit", 45)


def test_a_partial_change_keeps_the_rest_and_null_resets_one(owner_api):
    _patch(owner_api, {"tax_rate_bp": 600, "shipping": {"flat_cents": 800,
                                                        "by_method": {"local": 300}}})
    merged = _patch(owner_api, {"shipping": {"free_over_cents": 9900,
                                             "by_method": {"local": None}}}).json()
    reset = _patch(owner_api, {"tax_rate_bp": None}).json()
    assert merged["shipping"] == {"flat_cents": 800, "free_over_cents": 9900, "by_method": {}}
    assert merged["tax_rate_bp"] == 600
    assert reset["tax_rate_bp"] == 0 and reset["shipping"]["flat_cents"] == 800


def test_the_time_zone_is_the_shops_column(shop, owner_api):
    _patch(owner_api, {"timezone": "Asia/Urumqi"})
    shop.refresh_from_db()
    assert shop.timezone == "Asia/Urumqi" and "timezone" not in shop.settings
    assert owner_api.get("/api/v1/shop").json()["timezone"] == "Asia/Urumqi"


@pytest.mark.parametrize("role", ["manager", "clerk", "viewer"])
def test_only_an_owner_may_change_settings(shop, role):
    client = factories.api_client(factories.token_for(shop, role))
    assert client.get("/api/v1/shop/settings").status_code == 200
    assert _patch(client, {"allow_backorders": True}).status_code == 403
    with pytest.raises(PermissionDenied):
        update_shop_settings(actor=factories.staff_actor(shop, role), shop=shop,
                             changes={"allow_backorders": True})
    shop.refresh_from_db()
    assert not shop_settings(shop).allow_backorders


def test_the_service_refuses_with_invalid_input_naming_each_key(shop):
    with pytest.raises(InvalidInput) as refused:
        update_shop_settings(actor=factories.staff_actor(shop), shop=shop,
                             changes={"credit_days": 0, "nope": 1})
    assert set(refused.value.fields) == {"credit_days", "nope"}


def test_a_body_that_is_not_an_object_is_refused(owner_api):
    assert _patch(owner_api, [1, 2]).status_code == 400
    response = owner_api.patch("/api/v1/shop/settings", "{", content_type="application/json")
    assert response.json()["error"]["code"] == "invalid_json"


def test_the_openapi_document_describes_every_setting():
    from dingdan.api_v1 import api

    schema = api.get_openapi_schema()
    answer = schema["components"]["schemas"]["ShopSettings"]
    body = schema["paths"]["/api/v1/shop/settings"]["patch"]["requestBody"]
    body_schema = body["content"]["application/json"]["schema"]
    assert set(answer["properties"]) == set(config.FIELDS) == set(answer["required"])
    assert set(body_schema["properties"]) == set(config.FIELDS)
    assert all(answer["properties"][name]["description"] for name in config.FIELDS)
