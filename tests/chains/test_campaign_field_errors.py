"""A refused campaign form shows each field's message right after its input."""

import datetime as dt

import pytest
from django.utils import timezone

from dingdan.catalog.services.products import create_sku
from dingdan.chains.models import Campaign
from tests import factories
from tests.field_errors import error_after_input

pytestmark = pytest.mark.django_db


def client_for(shop, language="en"):
    client = factories.Client(headers={"Accept-Language": language})
    client.force_login(factories.make_member(shop, "owner").user)
    return client


@pytest.mark.parametrize(("language", "message"), [("en", "more than two decimals"),
                                                   ("zh-hans", "12.345")])
def test_a_bad_price_is_shown_at_its_row(language, message):
    shop = factories.make_shop()
    create_sku(actor=factories.staff_actor(shop), shop=shop, sku="BLUE-125", name="蓝莓",
               price_cents=1500)
    cut_off = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(shop, language).post("/campaigns/new/", {
        "title": "周六团", "cut_off": cut_off, "fulfilment": "delivery",
        "sku": ["", "BLUE-125"], "price": ["", "12.345"], "limit": ["", ""], "cap": ["", ""],
    })
    html = response.content.decode()
    assert message in error_after_input(html, "price", "price-1")
    assert 'value="周六团"' in html and 'value="12.345"' in html and 'value="BLUE-125"' in html
    assert not Campaign.objects.exists()


def test_an_unknown_sku_is_shown_at_its_row_and_a_bad_date_at_the_date():
    shop = factories.make_shop()
    cut_off = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(shop).post("/campaigns/new/", {
        "title": "周六团", "cut_off": cut_off, "fulfilment": "delivery",
        "delivery_date": "someday",
        "sku": ["NOPE"], "price": ["1"], "limit": [""], "cap": [""],
    })
    html = response.content.decode()
    assert "e.g. 2026-12-20" in error_after_input(html, "delivery_date")
    assert not Campaign.objects.exists()
    response = client_for(shop).post("/campaigns/new/", {
        "title": "周六团", "cut_off": cut_off, "fulfilment": "delivery",
        "sku": ["NOPE"], "price": ["1"], "limit": [""], "cap": [""],
    })
    assert "NOPE" in error_after_input(response.content.decode(), "sku", "sku-1")
    assert not Campaign.objects.exists()
