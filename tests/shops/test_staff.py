"""Owners and managers run their team: add people, change roles, never lose the last owner."""

import pytest

from dingdan.errors import Conflict, PermissionDenied
from dingdan.shops.actors import Actor
from dingdan.shops.models import Membership, Role
from dingdan.shops.services import shops as services
from tests import factories

pytestmark = pytest.mark.django_db


def test_adding_a_new_person_creates_their_account_with_a_first_password():
    shop = factories.make_shop()
    owner = factories.staff_actor(shop, "owner")
    client = factories.Client()

    membership, password = services.add_member(
        actor=owner, shop=shop, email="Li.Lei@Example.com", role="clerk"
    )

    assert membership.role == "clerk"
    assert membership.user.email == "li.lei@example.com"
    assert client.login(username="li.lei@example.com", password=password)


def test_adding_someone_who_already_has_an_account_reuses_it():
    shop, other = factories.make_shop(), factories.make_shop()
    existing = factories.make_member(other, "owner")
    membership, password = services.add_member(
        actor=factories.staff_actor(shop), shop=shop, email=existing.user.email, role="viewer"
    )
    assert membership.user == existing.user
    assert password is None


def test_the_same_person_cannot_be_added_twice():
    shop = factories.make_shop()
    owner = factories.staff_actor(shop)
    services.add_member(actor=owner, shop=shop, email="a@example.com", role="clerk")
    with pytest.raises(Conflict) as refused:
        services.add_member(actor=owner, shop=shop, email="A@example.com", role="viewer")
    assert refused.value.code == "member_exists"
    assert Membership.objects.filter(shop=shop, user__email="a@example.com").count() == 1


def test_the_last_owner_can_neither_leave_nor_be_demoted():
    shop = factories.make_shop()
    owner = factories.make_member(shop, "owner")
    actor = Actor.staff(owner)
    with pytest.raises(Conflict):
        services.change_member_role(actor=actor, shop=shop, membership=owner, role="manager")
    with pytest.raises(Conflict):
        services.remove_member(actor=actor, shop=shop, membership=owner)
    owner.refresh_from_db()
    assert owner.role == "owner"


def test_a_second_owner_lets_the_first_step_down():
    shop = factories.make_shop()
    first = factories.make_member(shop, "owner")
    factories.make_member(shop, "owner")
    services.change_member_role(
        actor=Actor.staff(first), shop=shop, membership=first, role="manager"
    )
    first.refresh_from_db()
    assert first.role == "manager"


@pytest.mark.parametrize("role", Role.values)
def test_a_manager_cannot_hand_out_more_than_they_have(role):
    shop = factories.make_shop()
    factories.make_member(shop, "owner")
    manager = factories.staff_actor(shop, "manager")
    if role == "owner":
        with pytest.raises(PermissionDenied):
            services.add_member(actor=manager, shop=shop, email="x@example.com", role=role)
        assert not Membership.objects.filter(user__email="x@example.com").exists()
    else:
        membership, _ = services.add_member(
            actor=manager, shop=shop, email="x@example.com", role=role
        )
        assert membership.role == role


def test_a_manager_cannot_change_or_remove_an_owner():
    shop = factories.make_shop()
    owner = factories.make_member(shop, "owner")
    factories.make_member(shop, "owner")
    manager = factories.staff_actor(shop, "manager")
    with pytest.raises(PermissionDenied):
        services.change_member_role(actor=manager, shop=shop, membership=owner, role="viewer")
    with pytest.raises(PermissionDenied):
        services.remove_member(actor=manager, shop=shop, membership=owner)


def test_member_api_round_trip():
    shop = factories.make_shop()
    factories.make_member(shop, "owner")
    client = factories.api_client(factories.token_for(shop, "owner"))

    created = client.post(
        "/api/v1/shop/members",
        {"email": "wang@example.com", "role": "warehouse"},
        content_type="application/json",
    )
    member_id = created.json()["id"]
    changed = client.patch(
        f"/api/v1/shop/members/{member_id}", {"role": "clerk"}, content_type="application/json"
    )
    removed = client.delete(f"/api/v1/shop/members/{member_id}")

    assert created.status_code == 201 and created.json()["initial_password"]
    assert changed.json()["role"] == "clerk"
    assert removed.status_code == 204
    assert not Membership.objects.filter(pk=member_id).exists()


def test_shop_settings_change_through_the_api_and_bad_zones_are_refused():
    shop = factories.make_shop()
    client = factories.api_client(factories.token_for(shop, "owner"), language="en")

    renamed = client.patch(
        "/api/v1/shop",
        {"name": "阿芳水果", "timezone": "Asia/Urumqi"},
        content_type="application/json",
    )
    refused = client.patch(
        "/api/v1/shop", {"timezone": "Mars/Base"}, content_type="application/json"
    )

    assert renamed.json()["name"] == "阿芳水果"
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["timezone"] == "Unknown time zone: Mars/Base"
    shop.refresh_from_db()
    assert (shop.name, shop.timezone) == ("阿芳水果", "Asia/Urumqi")


def test_the_owner_switches_backorders_on_and_orders_may_then_wait_for_stock():
    from dingdan.inventory.services import reservations
    from dingdan.inventory.services.ledger import Reference

    shop = factories.make_shop()
    client = factories.api_client(factories.token_for(shop, "owner"))
    tea = factories.make_sku(shop, stock=1)

    before = client.get("/api/v1/shop").json()["allow_backorders"]
    after = client.patch(
        "/api/v1/shop", {"allow_backorders": True}, content_type="application/json"
    ).json()["allow_backorders"]
    shop.refresh_from_db()
    held = reservations.reserve_stock(
        actor=Actor.system(shop), shop=shop, lines=[(tea, 3)], reference=Reference("order", "1")
    )

    assert (before, after) == (False, True)
    assert held.backordered == {tea.pk: 2}


def test_the_settings_page_saves_the_backorder_choice():
    shop = factories.make_shop()
    client = factories.Client()
    client.force_login(factories.make_member(shop, "owner").user)
    client.post("/settings/shop/", {"name": shop.name, "timezone": "Asia/Shanghai",
                                    "allow_backorders": "on"})
    shop.refresh_from_db()
    assert shop.settings["allow_backorders"] is True
