"""Every bad request about customers gets a clear 4xx in the one error format, and changes
nothing in the customer book."""

import pytest

from dingdan.customers.models import Address, Customer, CustomerMerge, CustomerTag, Identity
from tests import factories
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return factories.make_shop()


@pytest.fixture
def client(shop):
    return factories.api_client(factories.token_for(shop, "owner"), language="en")


@pytest.fixture
def customer(shop):
    return factories.make_customer(
        shop, name="王芳", phone="13800138000", address="北京市朝阳区建国路88号", tags=["VIP"]
    )


def _book():
    return (
        sorted(Customer.objects.values_list("id", "name", "phone", "note")),
        sorted(Address.objects.values_list("id", "detail", "is_default")),
        sorted(CustomerTag.objects.values_list("customer_id", "tag__name")),
        sorted(Identity.objects.values_list("channel", "external_id")),
        CustomerMerge.objects.count(),
    )


def send(client, method, url, body):
    return getattr(client, method)(url, body, content_type="application/json")


def test_a_bad_phone_is_400_invalid_input_naming_what_was_typed(client, customer):
    before = _book()

    error = assert_error(
        send(client, "post", "/api/v1/customers", {"name": "李雷", "phone": "12345"}),
        400,
        "invalid_input",
    )

    assert error["fields"] == {"phone": "Not a valid mobile number: 12345"}
    assert _book() == before


def test_a_duplicate_phone_is_409_naming_the_customer_who_has_it(client, customer):
    before = _book()

    response = send(client, "post", "/api/v1/customers", {"name": "芳芳", "phone": "138 0013 8000"})

    error = assert_error(response, 409, "customer_exists")
    assert "王芳" in error["message"]
    assert error["details"]["customer_id"] == customer.pk
    assert _book() == before


BAD_CREATES = [
    ({"name": ""}, 422, "validation_error", "name"),
    ({"name": "   "}, 400, "invalid_input", "name"),
    ({"name": "王" * 101}, 422, "validation_error", "name"),
    ({"name": "王芳", "phone": "1" * 40}, 422, "validation_error", "phone"),
    ({"name": "王芳", "phone": "+86 010 1234 5678"}, 400, "invalid_input", "phone"),
    ({"name": "王芳", "address": "街" * 301}, 422, "validation_error", "address"),
    ({"name": "王芳", "address": {"detail": "街" * 201}}, 422, "validation_error", "address"),
    ({"name": "王芳", "address": {"street": "x"}}, 422, "validation_error", "address"),
    ({"name": "王芳", "address": 42}, 422, "validation_error", "address"),
    ({"name": "王芳", "address": ["广东省"]}, 422, "validation_error", "address"),
    ({"name": "王芳", "tags": "VIP"}, 422, "validation_error", "tags"),
    ({"name": "王芳", "tags": [""]}, 422, "validation_error", "tags.0"),
    ({"name": "王芳", "tags": ["标" * 31]}, 422, "validation_error", "tags.0"),
    ({"name": "王芳", "tags": ["t"] * 21}, 422, "validation_error", "tags"),
    ({"name": "王芳", "note": "备" * 2001}, 422, "validation_error", "note"),
    ({"name": 12}, 422, "validation_error", "name"),
    (
        {"name": "王芳", "identities": [{"channel": "wechat"}]},
        422,
        "validation_error",
        "identities.0.external_id",
    ),
    (
        {"name": "王芳", "identities": [{"channel": "微信", "external_id": "x"}]},
        400,
        "invalid_input",
        "identities.channel",
    ),
]


@pytest.mark.parametrize(("body", "status", "code", "field"), BAD_CREATES)
def test_every_bad_field_on_create_is_named_and_nothing_is_created(
    client, customer, body, status, code, field
):
    before = _book()
    error = assert_error(send(client, "post", "/api/v1/customers", body), status, code)
    assert field in error["fields"], error
    assert _book() == before


BAD_PATCHES = [
    ({"name": ""}, 422, "validation_error", "name"),
    ({"name": None}, 400, "invalid_input", "name"),
    ({"phone": "12345"}, 400, "invalid_input", "phone"),
    ({"tags": ["ok", ""]}, 422, "validation_error", "tags.1"),
    ({"note": ["a"]}, 422, "validation_error", "note"),
]


@pytest.mark.parametrize(("body", "status", "code", "field"), BAD_PATCHES)
def test_every_bad_field_on_patch_is_named_and_nothing_changes(
    client, customer, body, status, code, field
):
    before = _book()
    response = send(client, "patch", f"/api/v1/customers/{customer.pk}", body)
    error = assert_error(response, status, code)
    assert field in error["fields"]
    assert _book() == before


def test_patching_in_another_customers_phone_is_a_conflict(client, shop, customer):
    other = factories.make_customer(shop, name="李雷")
    before = _book()
    response = send(client, "patch", f"/api/v1/customers/{other.pk}", {"phone": "13800138000"})
    assert_error(response, 409, "customer_exists")
    assert _book() == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/customers/999999", None),
        ("patch", "/api/v1/customers/999999", {"name": "谁"}),
        ("post", "/api/v1/customers/999999/merge", {"merge_id": 1}),
    ],
)
def test_an_unknown_customer_is_404_customer_not_found(client, customer, method, path, body):
    before = _book()
    response = send(client, method, path, body) if body else client.get(path)
    assert_error(response, 404, "customer_not_found")
    assert _book() == before


def test_merging_an_unknown_or_the_same_customer_is_refused(client, customer):
    before = _book()
    url = f"/api/v1/customers/{customer.pk}/merge"

    assert_error(send(client, "post", url, {"merge_id": 999999}), 404, "customer_not_found")
    same = assert_error(
        send(client, "post", url, {"merge_id": customer.pk}), 400, "merge_same_customer"
    )
    typed = assert_error(send(client, "post", url, {"merge_id": "abc"}), 422, "validation_error")
    missing = assert_error(send(client, "post", url, {}), 422, "validation_error")

    assert "merge_id" in same["fields"]
    assert "merge_id" in typed["fields"] and "merge_id" in missing["fields"]
    assert _book() == before


@pytest.mark.parametrize("query", [{"page": 0}, {"page": "x"}, {"page_size": 0}, {"q": "x" * 101}])
def test_bad_list_parameters_are_named(client, query):
    error = assert_error(client.get("/api/v1/customers", query), 422, "validation_error")
    assert set(error["fields"]) == set(query)


def test_a_customer_id_that_is_not_a_number_is_named(client):
    error = assert_error(client.get("/api/v1/customers/abc"), 422, "validation_error")
    assert "customer_id" in error["fields"]
