"""Each role may do exactly what the permission matrix says, on every endpoint."""

import pytest

from dingdan.api_v1 import api
from dingdan.shops.models import Role
from dingdan.shops.permissions import role_allows
from tests import factories

from .endpoints import ENDPOINTS, call

PROTECTED = [e for e in ENDPOINTS if e.action]


def test_every_api_operation_is_in_the_endpoint_table():
    schema = api.get_openapi_schema()
    served = {
        (method, path) for path, operations in schema["paths"].items() for method in operations
    }
    listed = {(e.method, e.path) for e in ENDPOINTS}
    assert served - listed == set(), "add these operations to tests/api/endpoints.py"
    assert listed - served == set(), "these listed operations no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("endpoint", PROTECTED, ids=lambda e: f"{e.method} {e.path}")
def test_role_gets_exactly_what_the_matrix_allows(endpoint, role):
    shop = factories.make_shop()
    factories.make_member(shop, "owner")
    ids = {name: make(shop) for name, make in endpoint.objects.items()}
    client = factories.api_client(factories.token_for(shop, role))

    response = call(client, endpoint, ids)

    if role_allows(role, endpoint.action):
        assert response.status_code < 400, response.content
    else:
        assert response.status_code == 403, response.content
        assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.django_db
def test_refusal_names_the_role_and_the_action_in_chinese_by_default():
    shop = factories.make_shop()
    client = factories.api_client(factories.token_for(shop, "viewer"))

    response = client.get("/api/v1/tokens")

    message = response.json()["error"]["message"]
    assert "只读" in message and "API" in message


@pytest.mark.django_db
def test_anonymous_caller_is_asked_to_authenticate():
    response = factories.Client().get("/api/v1/shop")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
