"""API tokens: shown once, stored as a hash, usable as a Bearer token, revoked at once."""

import pytest
from django.core.management import call_command

from dingdan.errors import PermissionDenied
from dingdan.shops.models import ApiToken
from dingdan.shops.services import shops as services
from tests import factories

pytestmark = pytest.mark.django_db


def test_cli_prints_the_token_alone_on_its_last_line_and_keeps_only_a_hash(capsys):
    shop = factories.make_shop(slug="afang")

    call_command("token", "create", "--shop", "afang", "--role", "clerk")

    secret = capsys.readouterr().out.rstrip("\n").splitlines()[-1]
    token = ApiToken.objects.get(shop=shop)
    assert secret.startswith("dd_") and " " not in secret
    assert token.role == "clerk"
    assert secret not in (token.token_hash, token.prefix)
    assert not ApiToken.objects.filter(token_hash=secret).exists()
    me = factories.api_client(secret).get("/api/v1/me").json()
    assert (me["shop"]["slug"], me["role"], me["actor"]) == ("afang", "clerk", "api")


def test_cli_refuses_an_unknown_shop_or_role():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no-shop"):
        call_command("token", "create", "--shop", "no-shop", "--role", "owner")
    factories.make_shop(slug="real")
    with pytest.raises(CommandError):
        call_command("token", "create", "--shop", "real", "--role", "king")
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working_at_once(capsys):
    shop = factories.make_shop(slug="s1")
    secret = factories.token_for(shop, "owner")
    client = factories.api_client(secret)
    assert client.get("/api/v1/shop").status_code == 200
    token = ApiToken.objects.get(shop=shop)

    call_command("token", "revoke", "--shop", "s1", str(token.pk))

    response = client.get("/api/v1/shop")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"
    call_command("token", "list", "--shop", "s1")
    assert "revoked" in capsys.readouterr().out


def test_using_a_token_records_when_it_was_last_used():
    shop = factories.make_shop()
    secret = factories.token_for(shop, "viewer")
    assert ApiToken.objects.get(shop=shop).last_used_at is None
    factories.api_client(secret).get("/api/v1/shop")
    assert ApiToken.objects.get(shop=shop).last_used_at is not None


def test_the_api_creates_a_token_once_and_lists_it_without_the_secret():
    shop = factories.make_shop()
    client = factories.api_client(factories.token_for(shop, "owner", name="admin"))

    created = client.post(
        "/api/v1/tokens", {"name": "小程序", "role": "clerk"}, content_type="application/json"
    )
    listed = client.get("/api/v1/tokens").json()

    secret = created.json()["token"]
    assert created.status_code == 201
    assert factories.api_client(secret).get("/api/v1/me").json()["role"] == "clerk"
    assert {t["name"] for t in listed} == {"admin", "小程序"}
    assert all("token" not in t for t in listed)


@pytest.mark.parametrize("role", ["manager", "clerk", "finance"])
def test_only_owners_make_tokens(role):
    shop = factories.make_shop()
    factories.make_member(shop, "owner")
    staff = factories.staff_actor(shop, role)
    with pytest.raises(PermissionDenied):
        services.create_token(actor=staff, shop=shop, name="x", role="viewer")
    assert not ApiToken.objects.exists()
