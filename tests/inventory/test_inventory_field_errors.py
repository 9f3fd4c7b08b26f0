"""A refused stock form shows each field's message right after its input."""

import pytest

from dingdan.catalog.services.products import create_sku
from dingdan.inventory.models import StockLevel, StockMovement
from dingdan.inventory.services.stock import receive_stock
from tests import factories
from tests.field_errors import error_after_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return factories.make_shop()


@pytest.fixture
def straw(shop):
    variant = create_sku(actor=factories.staff_actor(shop), shop=shop, sku="STRAW",
                         name="草莓", price_cents=100)
    receive_stock(actor=factories.staff_actor(shop), shop=shop, variant=variant, quantity=10)
    return variant


def client_for(shop, language="en"):
    client = factories.Client(headers={"Accept-Language": language})
    client.force_login(factories.make_member(shop, "owner").user)
    return client


@pytest.mark.parametrize(
    ("form", "name", "error", "language", "message"),
    [
        ({"op": "receive", "quantity": "abc", "note": "供货商"}, "quantity",
         "receive-quantity", "en", "abc is not a whole number."),
        ({"op": "receive", "quantity": "abc", "note": "供货商"}, "quantity",
         "receive-quantity", "zh-hans", "abc"),
        ({"op": "adjust", "delta": "3", "reason": "", "note": "供货商"}, "reason",
         "adjust-reason", "en", "This field is required."),
        ({"op": "count", "counted": "-1", "note": "供货商"}, "counted", "count-counted", "en",
         "Must be a whole number from 0"),
        ({"op": "threshold", "threshold": "少"}, "threshold", "threshold", "en",
         "is not a whole number."),
    ],
)
def test_a_refused_stock_form_shows_the_error_at_its_field(
        shop, straw, form, name, error, language, message):
    response = client_for(shop, language).post(f"/stock/{straw.pk}/", form)
    html = response.content.decode()
    assert message in error_after_input(html, name, error)
    assert f'value="{form[name]}"' in html
    if "note" in form:
        assert 'value="供货商"' in html
    assert StockLevel.objects.get(variant=straw).on_hand == 10
    assert StockMovement.objects.filter(variant=straw).count() == 1
