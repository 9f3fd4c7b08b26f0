"""Bad input of any kind gets a 4xx in one format, with a message in the caller's language."""

import pytest

from dingdan.shops.models import Membership
from tests import factories

from .endpoints import ENDPOINTS, Endpoint, call


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    return error


@pytest.fixture
def owner_client(db):
    shop = factories.make_shop()
    factories.make_member(shop, "owner")
    return factories.api_client(factories.token_for(shop, "owner"))


def test_missing_fields_are_named_in_chinese_by_default(owner_client):
    error = assert_error(
        owner_client.post("/api/v1/shop/members", {}, content_type="application/json"),
        422,
        "validation_error",
    )
    assert set(error["fields"]) == {"email", "role"}
    assert error["fields"]["email"] == "这个字段是必填项。"


def test_messages_follow_accept_language(db):
    shop = factories.make_shop()
    client = factories.api_client(factories.token_for(shop, "owner"), language="en")
    error = assert_error(
        client.post("/api/v1/tokens", {"role": "viewer"}, content_type="application/json"),
        422,
        "validation_error",
    )
    assert error["fields"] == {"name": "This field is required."}
    assert "name" in error["message"]


def test_wrong_types_and_unknown_choices_are_explained(owner_client):
    error = assert_error(
        owner_client.post(
            "/api/v1/tokens", {"name": 12, "role": "boss"}, content_type="application/json"
        ),
        422,
        "validation_error",
    )
    assert set(error["fields"]) == {"name", "role"}
    assert "owner" in error["fields"]["role"]


def test_wrong_type_in_the_path_is_a_validation_error(owner_client):
    error = assert_error(owner_client.delete("/api/v1/tokens/abc"), 422, "validation_error")
    assert "token_id" in error["fields"]


def test_body_that_is_not_json_is_refused(owner_client):
    error = assert_error(
        owner_client.post("/api/v1/tokens", "{name:", content_type="application/json"),
        400,
        "invalid_json",
    )
    assert "JSON" in error["message"]


def test_body_that_is_json_but_not_an_object_is_refused(owner_client):
    assert_error(
        owner_client.post("/api/v1/tokens", [1, 2], content_type="application/json"),
        422,
        "validation_error",
    )


def test_bad_token_is_refused(db):
    error = assert_error(
        factories.api_client("dd_not-a-real-token").get("/api/v1/shop"), 401, "invalid_token"
    )
    assert "令牌" in error["message"]


def test_malformed_authorization_header_is_refused(db):
    client = factories.Client(headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert_error(client.get("/api/v1/shop"), 401, "unauthorized")


def test_unknown_shop_is_not_found(db):
    member = factories.make_member(factories.make_shop(), "owner")
    client = factories.Client()
    client.force_login(member.user)
    assert_error(
        client.get("/api/v1/shop", headers={"X-Shop": "no-such-shop"}), 404, "shop_not_found"
    )


def test_unknown_object_is_not_found(owner_client):
    assert_error(owner_client.delete("/api/v1/tokens/999999"), 404, "token_not_found")
    assert_error(
        owner_client.patch(
            "/api/v1/shop/members/999999", {"role": "clerk"}, content_type="application/json"
        ),
        404,
        "member_not_found",
    )


def test_unknown_url_and_wrong_method_use_the_error_format(owner_client):
    assert_error(owner_client.get("/api/v1/no-such-thing"), 404, "not_found")
    response = owner_client.put("/api/v1/health")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_session_writes_need_the_csrf_token(db):
    member = factories.make_member(factories.make_shop(), "owner")
    client = factories.Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    assert_error(
        client.post(
            "/api/v1/tokens", {"name": "x", "role": "viewer"}, content_type="application/json"
        ),
        403,
        "csrf_failed",
    )
    assert not member.shop.api_tokens.exists()


def test_too_long_values_are_refused_and_nothing_changes(owner_client):
    count = Membership.objects.count()
    error = assert_error(
        owner_client.post(
            "/api/v1/shop/members",
            {"email": "a" * 300 + "@example.com", "role": "clerk"},
            content_type="application/json",
        ),
        422,
        "validation_error",
    )
    assert "email" in error["fields"]
    assert Membership.objects.count() == count


def test_invalid_email_is_refused_in_the_format(owner_client):
    error = assert_error(
        owner_client.post(
            "/api/v1/shop/members",
            {"email": "not-an-email", "role": "clerk"},
            content_type="application/json",
        ),
        400,
        "invalid_input",
    )
    assert "email" in error["fields"]


def test_health_and_openapi_are_public(db):
    client = factories.Client()
    health = client.get("/api/v1/health").json()
    assert health["status"] == "ok" and health["database"]["ok"] is True
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/shop/members" in schema["paths"]
    docs = client.get("/api/docs", follow=True)
    assert docs.status_code == 200
    assert b"openapi.json" in docs.content


PROTECTED = [e for e in ENDPOINTS if e.action]
WITH_BODY = [e for e in PROTECTED if e.body]


@pytest.mark.parametrize("endpoint", PROTECTED, ids=lambda e: f"{e.method} {e.path}")
def test_every_endpoint_refuses_a_bad_token_and_an_unknown_shop(db, endpoint):
    shop = factories.make_shop()
    member = factories.make_member(shop, "owner")
    ids = {name: make(shop) for name, make in endpoint.objects.items()}
    session = factories.Client()
    session.force_login(member.user)

    assert_error(call(factories.api_client("dd_forged"), endpoint, ids), 401, "invalid_token")
    assert_error(call(factories.Client(), endpoint, ids), 401, "unauthorized")
    assert_error(call(session, endpoint, ids, **{"X-Shop": "nowhere"}), 404, "shop_not_found")


@pytest.mark.parametrize("endpoint", WITH_BODY, ids=lambda e: f"{e.method} {e.path}")
def test_every_body_field_of_the_wrong_type_is_named(db, endpoint):
    shop = factories.make_shop()
    factories.make_member(shop, "owner")
    ids = {name: make(shop) for name, make in endpoint.objects.items()}
    client = factories.api_client(factories.token_for(shop, "owner"))
    wrong = Endpoint(endpoint.method, endpoint.path, endpoint.action,
                     {field: {"nested": []} for field in endpoint.body},
                     headers=endpoint.headers)

    error = assert_error(call(client, wrong, ids), 422, "validation_error")

    assert {field.split(".")[0] for field in error["fields"]} == set(endpoint.body)
