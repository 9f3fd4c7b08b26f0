"""Staff who don't need a customer's phone and door (finance, read-only viewers) see
138****8000 and a hidden street address, in the API and in the back office alike."""

import pytest

from dingdan.shops.models import Role
from dingdan.shops.permissions import role_allows
from tests import factories

pytestmark = pytest.mark.django_db

SEES_PII = [r for r in Role.values if role_allows(r, "customers.view_pii")]
MASKED = [r for r in Role.values if not role_allows(r, "customers.view_pii")]


@pytest.fixture
def shop():
    return factories.make_shop()


@pytest.fixture
def customer(shop):
    return factories.make_customer(
        shop, name="王芳", phone="13800138000", address="广东省深圳市南山区科技园路1号"
    )


def test_the_matrix_masks_someone_at_all():
    assert set(MASKED) == {"finance", "viewer"}


@pytest.mark.parametrize("role", MASKED)
def test_roles_without_pii_see_a_masked_phone_and_street_in_the_api(shop, customer, role):
    client = factories.api_client(factories.token_for(shop, role))

    one = client.get(f"/api/v1/customers/{customer.pk}").json()
    listed = client.get("/api/v1/customers").json()["items"][0]

    for body in (one, listed):
        assert body["phone"] == "138****8000"
        address = body["addresses"][0]
        assert (address["province"], address["city"], address["district"]) == (
            "广东省",
            "深圳市",
            "南山区",
        )
        assert address["detail"] == "科技****"
        assert "科技园路1号" not in str(body)


@pytest.mark.parametrize("role", SEES_PII)
def test_roles_with_pii_see_everything_in_the_api(shop, customer, role):
    client = factories.api_client(factories.token_for(shop, role))
    body = client.get(f"/api/v1/customers/{customer.pk}").json()
    assert body["phone"] == "13800138000"
    assert body["addresses"][0]["detail"] == "科技园路1号"


@pytest.mark.parametrize("role", MASKED)
def test_a_masked_role_cannot_uncover_a_phone_by_searching_for_it(shop, customer, role):
    client = factories.api_client(factories.token_for(shop, role))
    assert client.get("/api/v1/customers", {"q": "13800138000"}).json()["count"] == 0
    assert client.get("/api/v1/customers", {"q": "王芳"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("role", "masked"), [("viewer", True), ("finance", True), ("clerk", False)]
)
def test_the_back_office_masks_the_same_way(shop, customer, role, masked):
    client = factories.Client()
    client.force_login(factories.make_member(shop, role).user)

    page = client.get(f"/customers/{customer.pk}/").content.decode()
    listing = client.get("/customers/").content.decode()

    for html in (page, listing):
        assert ("138****8000" in html) is masked
        assert ("13800138000" in html) is not masked
        assert ("科技园路1号" in html) is not masked
