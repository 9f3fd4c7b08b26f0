"""A refused customer form shows each field's message right after its input."""

import pytest

from dingdan.customers.models import Customer
from tests import factories
from tests.field_errors import error_after_input

pytestmark = pytest.mark.django_db


def logged_in(shop, language="en"):
    client = factories.Client(headers={"Accept-Language": language})
    client.force_login(factories.make_member(shop, "clerk").user)
    return client


@pytest.mark.parametrize(("language", "message"), [("en", "Not a valid mobile number"),
                                                   ("zh-hans", "手机号")])
def test_a_bad_phone_on_a_new_customer_is_shown_at_the_phone(language, message):
    shop = factories.make_shop()
    response = logged_in(shop, language).post(
        "/customers/new/", {"name": "王芳", "phone": "12345", "note": "上午送"})
    html = response.content.decode()
    assert message in error_after_input(html, "phone")
    assert 'value="王芳"' in html and 'value="12345"' in html and "上午送" in html
    assert not Customer.objects.exists()


def test_a_bad_phone_on_an_edited_customer_is_shown_at_the_phone():
    shop = factories.make_shop()
    customer = factories.make_customer(shop, name="王芳", phone="13800138000")
    response = logged_in(shop).post(
        f"/customers/{customer.pk}/edit/", {"name": "王小芳", "phone": "12345", "note": ""})
    html = response.content.decode()
    assert error_after_input(html, "phone")
    assert 'value="王小芳"' in html
    customer.refresh_from_db()
    assert customer.name == "王芳" and customer.phone == "13800138000"


def test_a_refused_address_is_shown_again_at_the_address_field():
    shop = factories.make_shop()
    customer = factories.make_customer(shop, name="王芳")
    response = logged_in(shop).post(
        f"/customers/{customer.pk}/", {"op": "address", "address": "x" * 400,
                                       "make_default": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert error_after_input(html, "address")
    assert "x" * 400 in html
    assert not customer.addresses.exists()


def test_a_refused_channel_identity_is_shown_at_the_channel():
    shop = factories.make_shop()
    customer = factories.make_customer(shop, name="王芳")
    response = logged_in(shop).post(
        f"/customers/{customer.pk}/", {"op": "identity", "channel": "We Chat!",
                                       "external_id": "afang"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "lower-case letters" in error_after_input(html, "channel")
    assert 'value="afang"' in html
    assert not customer.identities.exists()
