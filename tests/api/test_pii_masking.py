"""No answer of the API shows a customer's whole phone number or street address to a role
without customers.view_pii, generated from the endpoint table: every operation says what
personal data its answer can carry (Endpoint.personal), each one that carries some is called
by every role that may call it but may not see personal data, and the owner is checked to
see exactly what the table says, so a wrong "carries nothing" is caught too."""

import json

import pytest

from dingdan.api_v1 import api
from dingdan.shops.models import Role
from dingdan.shops.permissions import role_allows
from tests import factories

from .endpoint_table import _resolve
from .endpoints import (
    ADDRESS,
    ENDPOINTS,
    NEW_STREET,
    PHONE,
    STREET,
    Endpoint,
    call,
)

MASKED_ROLES = [r for r in Role.values if not role_allows(r, "customers.view_pii")]
CARRYING = [e for e in ENDPOINTS if e.personal]


def _masked_callers(endpoint: Endpoint) -> list[str]:
    return [r for r in MASKED_ROLES if endpoint.action and role_allows(r, endpoint.action)]


def _cases():
    """(endpoint, role) for every role that may call an endpoint carrying personal data but
    may not see that data; an endpoint only such roles can't call is listed, skipped, so the
    table says why it has no case."""
    for endpoint in CARRYING:
        name = f"{endpoint.method} {endpoint.path}"
        roles = _masked_callers(endpoint)
        if not roles:
            yield pytest.param(endpoint, None, id=f"{name}-nobody", marks=pytest.mark.skip(
                reason=f"every role allowed to {endpoint.action} may see personal data"))
        for role in roles:
            yield pytest.param(endpoint, role, id=f"{name}-{role}")


def _answering_with_data() -> set[tuple[str, str]]:
    """The operations whose success answer has a body, from the OpenAPI document."""
    schema = api.get_openapi_schema()
    return {
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if any(int(code) < 400 and answer.get("content")
               for code, answer in operation["responses"].items())
    }


def test_every_operation_answering_with_data_says_what_personal_data_it_carries():
    unclassified = {
        (e.method, e.path) for e in ENDPOINTS if e.personal is None
    } & _answering_with_data()
    assert unclassified == set(), (
        "say in tests/api/endpoints.py (personal=…) what personal data these answers carry")


def _seeded_shop(endpoint: Endpoint):
    """A shop with the endpoint's objects and, unless the request itself brings the customer,
    an order of the customer with PHONE and ADDRESS (so lists have it to show)."""
    shop = factories.make_shop()
    factories.make_member(shop, "owner")
    ids = {name: make(shop) for name, make in endpoint.objects.items()}
    if PHONE not in json.dumps(_resolve(endpoint.body, ids)):
        sku = factories.make_sku(shop, stock=5).sku
        factories.place(shop, [(sku, 1)], name="周敏", phone=PHONE, address=ADDRESS)
    return shop, ids


def _body(response) -> str:
    """The answer as text, Chinese unescaped, so an address is found as written."""
    assert response.status_code < 400, response.content
    if not response.content:
        return ""
    return json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "role"), list(_cases()))
def test_a_role_without_pii_never_reads_a_whole_phone_or_street(endpoint, role):
    shop, ids = _seeded_shop(endpoint)
    client = factories.api_client(factories.token_for(shop, role))

    body = _body(call(client, endpoint, ids))

    assert PHONE not in body
    assert STREET not in body and NEW_STREET not in body
    # The masked forms are there instead: 138****5678 and the street's first characters.
    if "phone" in endpoint.personal:
        assert "138****5678" in body


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.personal is not None],
                         ids=lambda e: f"{e.method} {e.path}")
def test_the_owner_reads_exactly_what_the_table_says_an_answer_carries(endpoint):
    shop, ids = _seeded_shop(endpoint)
    client = factories.api_client(factories.token_for(shop, "owner"))

    body = _body(call(client, endpoint, ids))

    assert (PHONE in body) == ("phone" in endpoint.personal), body
    assert (STREET in body or NEW_STREET in body) == ("address" in endpoint.personal), body


@pytest.mark.django_db
@pytest.mark.parametrize("role", MASKED_ROLES)
def test_the_timeline_hides_the_street_of_address_edits_and_requests(role):
    from dingdan.orders.services import editing
    from dingdan.orders.services.customer_changes import change_by_customer
    from dingdan.orders.services.lifecycle import accept_order

    shop = factories.make_shop()
    sku = factories.make_sku(shop, stock=5).sku
    order = factories.place(shop, [(sku, 1)], phone=PHONE, address="浙江省杭州市上城区解放路9号")
    system = factories.Actor.system(shop)
    order = editing.edit_order(actor=system, order=order, version=order.version,
                               address=ADDRESS)
    order = accept_order(actor=system, order=order)
    change_by_customer(order=order, version=order.version, address="浙江省杭州市拱墅区"
                       + NEW_STREET)
    masked = factories.api_client(factories.token_for(shop, role, name="masked"))
    owner = factories.api_client(factories.token_for(shop, "owner", name="owner"))

    seen = _body(masked.get(f"/api/v1/orders/{order.pk}", {"include": "events"}))
    full = _body(owner.get(f"/api/v1/orders/{order.pk}", {"include": "events"}))

    for secret in (PHONE, STREET, NEW_STREET, "解放路9号"):
        assert secret not in seen
        assert secret in full
    assert "西湖区" in seen  # the district stays readable


@pytest.mark.django_db
def test_a_stored_answer_is_not_replayed_to_a_role_that_may_not_place_orders():
    shop = factories.make_shop()
    sku = factories.make_sku(shop, stock=5).sku
    body = {"customer": {"name": "王芳", "phone": PHONE, "address": ADDRESS},
            "lines": [{"sku": sku, "quantity": 1}]}
    key = {"Idempotency-Key": "order-1"}
    clerk = factories.api_client(factories.token_for(shop, "clerk", name="clerk"))
    finance = factories.api_client(factories.token_for(shop, "finance", name="finance"))

    first = clerk.post("/api/v1/orders", body, content_type="application/json", headers=key)
    replay = finance.post("/api/v1/orders", body, content_type="application/json", headers=key)

    assert first.status_code == 201
    assert replay.status_code == 403
    assert PHONE not in replay.content.decode()
