"""A refused product form shows each field's message right after its input."""

import pytest

from dingdan.catalog.models import Variant
from dingdan.catalog.services.products import create_sku
from tests import factories
from tests.field_errors import error_after_input

pytestmark = pytest.mark.django_db


def client_for(shop, language="en"):
    member = factories.make_member(shop, "owner")
    client = factories.Client(headers={"Accept-Language": language})
    client.force_login(member.user)
    return client


@pytest.mark.parametrize(("language", "message"), [("en", "not a price in yuan"),
                                                   ("zh-hans", "元")])
def test_a_bad_price_on_a_new_product_is_shown_at_the_price(language, message):
    shop = factories.make_shop()
    response = client_for(shop, language).post(
        "/products/new/", {"sku": "A", "name": "苹果", "price": "abc", "kind": "goods"})
    html = response.content.decode()
    assert message in error_after_input(html, "price")
    assert 'value="苹果"' in html and 'value="abc"' in html
    assert 'id="error-name"' not in html
    assert not Variant.objects.filter(shop=shop).exists()


def test_a_bad_weight_on_an_edited_product_is_shown_at_the_weight():
    shop = factories.make_shop()
    variant = create_sku(actor=factories.staff_actor(shop), shop=shop, sku="A", name="苹果",
                         price_cents=100)
    response = client_for(shop).post(f"/products/{variant.pk}/", {
        "name": "红苹果", "price": "2", "weight_grams": "heavy"})
    html = response.content.decode()
    assert error_after_input(html, "weight_grams")
    assert 'value="红苹果"' in html and 'value="heavy"' in html
    variant.refresh_from_db()
    assert variant.product.name == "苹果" and variant.price_cents == 100
