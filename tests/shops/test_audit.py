"""The audit log: staff, tokens and the shop leave records; records cannot be changed; the
page and the API list them for owners and managers only; a request's id lands in them."""

import pytest

from dingdan.shops import audit
from dingdan.shops.actors import Actor
from dingdan.shops.audit_models import AuditRecord, ImmutableRecord
from dingdan.shops.audit_selectors import history_for
from dingdan.shops.models import ApiToken
from dingdan.shops.services import shops as services
from tests import factories

pytestmark = pytest.mark.django_db


def logged_in(member):
    client = factories.Client()
    client.force_login(member.user)
    return client


def only(shop, **filters) -> AuditRecord:
    return AuditRecord.objects.get(shop=shop, **filters)


def test_adding_a_member_changing_their_role_and_removing_them_is_recorded():
    shop = factories.make_shop()
    owner = factories.make_member(shop, "owner")
    actor = Actor.staff(owner)

    member, _password = services.add_member(actor=actor, shop=shop, email="a@b.cn", role="clerk")
    services.change_member_role(actor=actor, shop=shop, membership=member, role="viewer")
    services.remove_member(actor=actor, shop=shop, membership=member)

    records = list(history_for(shop, audit.MEMBERSHIP, member.pk).order_by("id"))
    assert [r.action for r in records] == ["added", "role_changed", "removed"]
    assert {r.object_label for r in records} == {"a@b.cn"}
    assert records[0].changes == {"role": {"before": None, "after": "clerk"}}
    assert records[1].changes == {"role": {"before": "clerk", "after": "viewer"}}
    assert records[2].changes == {"role": {"before": "viewer", "after": None}}
    assert all(r.actor_user == owner.user and r.actor_kind == "staff" for r in records)
    assert records[0].actor_label == owner.user.get_username()


def test_token_records_name_and_role_but_never_the_secret_or_its_hash():
    shop = factories.make_shop()
    actor = Actor.staff(factories.make_member(shop, "owner"))

    token, secret = services.create_token(actor=actor, shop=shop, name="erp", role="viewer")
    services.revoke_token(actor=actor, shop=shop, token=token)

    created, revoked = history_for(shop, audit.API_TOKEN, token.pk).order_by("id")
    assert created.action == "created" and revoked.action == "revoked"
    assert created.changes == {"name": {"before": None, "after": "erp"},
                               "role": {"before": None, "after": "viewer"}}
    assert set(revoked.changes) == {"revoked_at"}
    stored = str(list(AuditRecord.objects.values()))
    token = ApiToken.objects.get(pk=token.pk)
    for leak in (secret, token.token_hash, secret[len("dd_"):]):
        assert leak not in stored


def test_a_record_refuses_a_secret_field():
    shop = factories.make_shop()
    with pytest.raises(ValueError):
        audit.record(actor=Actor.system(shop), shop=shop, object_type="api_token", obj_id=1,
                     label="x", action="created", changes={"token": audit.change(None, "dd_x")})


def test_shop_name_time_zone_and_settings_changes_are_recorded_apart():
    shop = factories.make_shop(name="旧名")
    actor = Actor.staff(factories.make_member(shop, "owner"))

    services.update_shop(actor=actor, shop=shop, name="新名", timezone_name="Asia/Tokyo",
                         allow_backorders=True)
    services.update_shop(actor=actor, shop=shop, name="新名")  # nothing changes

    changed = only(shop, object_type="shop")
    assert changed.changes == {"name": {"before": "旧名", "after": "新名"},
                               "timezone": {"before": "Asia/Shanghai", "after": "Asia/Tokyo"}}
    assert only(shop, object_type="shop_settings").changes == {
        "allow_backorders": {"before": False, "after": True}}


def test_a_settings_change_is_recorded_with_only_what_changed():
    shop = factories.make_shop()
    actor = Actor.staff(factories.make_member(shop, "owner"))

    services.update_shop_settings(actor=actor, shop=shop, changes={
        "payment_terms": "prepayment", "tax_rate_bp": 600})
    services.update_shop_settings(actor=actor, shop=shop, changes={"tax_rate_bp": 600})

    record = only(shop, object_type="shop_settings")
    assert record.changes == {
        "payment_terms": {"before": "on_delivery", "after": "prepayment"},
        "tax_rate_bp": {"before": 0, "after": 600}}
    assert record.actor_user_id == actor.user.pk


def test_records_are_never_changed_or_deleted():
    shop = factories.make_shop()
    entry = audit.record(actor=Actor.system(shop), shop=shop, object_type="shop", obj_id=shop.pk,
                         label=shop.name, action="changed", changes={})
    entry.action = "deleted"
    with pytest.raises(ImmutableRecord):
        entry.save()
    with pytest.raises(ImmutableRecord):
        entry.delete()
    with pytest.raises(ImmutableRecord):
        AuditRecord.objects.filter(pk=entry.pk).update(action="deleted")
    with pytest.raises(ImmutableRecord):
        AuditRecord.objects.filter(pk=entry.pk).delete()
    assert AuditRecord.objects.get(pk=entry.pk).action == "changed"


def test_deleting_the_staff_account_keeps_the_record_and_its_label():
    shop = factories.make_shop()
    owner = factories.make_member(shop, "owner")
    services.update_shop(actor=Actor.staff(owner), shop=shop, name="改名")
    label = owner.user.get_username()
    owner.user.delete()
    record = only(shop, object_type="shop")
    assert record.actor_user is None and record.actor_label == label


def test_the_request_id_is_echoed_and_lands_in_the_record():
    shop = factories.make_shop()
    client = logged_in(factories.make_member(shop, "owner"))

    response = client.post("/settings/shop/", {"name": "经请求", "timezone": "Asia/Shanghai"},
                           headers={"X-Request-ID": "req-abc.123"})

    assert response["X-Request-ID"] == "req-abc.123"
    assert only(shop, object_type="shop").request_id == "req-abc.123"


def test_an_insane_request_id_is_replaced_and_api_answers_carry_one_too():
    shop = factories.make_shop()
    secret = factories.token_for(shop, "owner")
    response = factories.api_client(secret).patch(
        "/api/v1/shop", {"name": "由接口"}, content_type="application/json",
        headers={"X-Request-ID": "bad id; <script>"},
    )
    made = response["X-Request-ID"]
    assert made != "bad id; <script>" and len(made) == 32
    record = only(shop, object_type="shop")
    assert record.request_id == made and record.actor_kind == "api"
    assert record.actor_token.name == "test"


def test_outside_a_request_the_request_id_is_blank():
    shop = factories.make_shop()
    services.update_shop(actor=Actor.system(shop), shop=shop, name="任务里改")
    record = only(shop, object_type="shop")
    assert record.request_id == "" and record.actor_label == "system"


# -- the page ----------------------------------------------------------------------------


def _some_history(shop):
    owner = factories.make_member(shop, "owner")
    actor = Actor.staff(owner)
    services.update_shop(actor=actor, shop=shop, name="新店名")
    services.create_token(actor=actor, shop=shop, name="小程序", role="viewer")
    return owner


def test_a_clerk_is_refused_the_audit_log_and_sees_no_link_to_it():
    shop = factories.make_shop()
    _some_history(shop)
    client = logged_in(factories.make_member(shop, "clerk"))
    assert client.get("/audit/").status_code == 403
    assert "/audit/" not in client.get("/").content.decode()


def test_an_owner_reads_the_log_as_sentences_and_filters_it():
    shop = factories.make_shop(name="旧店名")
    owner = _some_history(shop)
    client = logged_in(owner)
    name = owner.user.get_username()

    page = client.get("/audit/").content.decode()
    assert f"{name} 修改了店铺 新店名" in page
    assert "旧店名" in page and "新店名" in page
    assert f"{name} 创建了API 令牌 小程序" in page
    assert 'href="/audit/"' in client.get("/").content.decode()

    created_token, renamed = "创建了API 令牌 小程序", "修改了店铺 新店名"
    only_tokens = client.get("/audit/", {"what": "api_token"}).content.decode()
    assert created_token in only_tokens and renamed not in only_tokens
    changed = client.get("/audit/", {"action": "changed"}).content.decode()
    assert renamed in changed and created_token not in changed
    someone_else = client.get("/audit/", {"who": "user:999999"}).content.decode()
    assert "暂无记录" in someone_else and created_token not in someone_else
    by_owner = client.get("/audit/", {"who": f"user:{owner.user_id}"}).content.decode()
    assert created_token in by_owner
    future = client.get("/audit/", {"since": "2999-01-01"}).content.decode()
    assert "暂无记录" in future and created_token not in future
    both_ends = client.get("/audit/", {"until": "2999-01-01", "since": "2000-01-01"})
    assert created_token in both_ends.content.decode()
    english = client.get("/audit/", headers={"Accept-Language": "en"}).content.decode()
    assert f"{name} changed shop 新店名" in english


def test_the_staff_and_token_pages_show_their_history_to_owners_only():
    shop = factories.make_shop()
    owner = factories.make_member(shop, "owner")
    services.add_member(actor=Actor.staff(owner), shop=shop, email="new@b.cn", role="clerk")
    services.create_token(actor=Actor.staff(owner), shop=shop, name="erp", role="viewer")

    staff_page = logged_in(owner).get("/settings/staff/").content.decode()
    assert 'data-testid="audit-history"' in staff_page and "添加了员工 new@b.cn" in staff_page
    assert "创建了API 令牌 erp" in logged_in(owner).get("/settings/tokens/").content.decode()
    clerk_page = logged_in(factories.make_member(shop, "clerk")).get("/settings/staff/")
    assert 'data-testid="audit-history"' not in clerk_page.content.decode()


# -- the API -----------------------------------------------------------------------------


def test_the_api_lists_and_filters_records_for_owners_and_managers_only():
    shop = factories.make_shop()
    owner = _some_history(shop)
    api = factories.api_client(factories.token_for(shop, "manager", name="读日志"))

    body = api.get("/api/v1/audit").json()
    assert body["count"] == 3  # the shop renamed, two tokens created
    newest = body["items"][0]
    assert newest["object_type"] == "api_token" and newest["object_label"] == "读日志"
    assert newest["actor_kind"] == "system"

    by_owner = api.get(f"/api/v1/audit?actor_user_id={owner.user_id}").json()
    assert {i["object_type"] for i in by_owner["items"]} == {"shop", "api_token"}
    assert by_owner["count"] == 2
    shop_only = api.get(f"/api/v1/audit?object_type=shop&object_id={shop.pk}").json()
    assert [i["changes"]["name"]["after"] for i in shop_only["items"]] == ["新店名"]
    assert api.get("/api/v1/audit?action=revoked").json()["count"] == 0
    assert api.get("/api/v1/audit?since=2999-01-01T00:00:00").json()["count"] == 0
    assert api.get("/api/v1/audit?until=2999-01-01T00:00:00%2B08:00").json()["count"] == 3

    token = ApiToken.objects.get(shop=shop, name="读日志")
    own = factories.api_client(factories.token_for(shop, "owner", name="o")).get(
        f"/api/v1/audit?actor_token_id={token.pk}").json()
    assert own["count"] == 0  # that token has changed nothing yet

    clerk = factories.api_client(factories.token_for(shop, "clerk", name="c"))
    refused = clerk.get("/api/v1/audit")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"


def test_a_new_shop_records_its_first_owner_as_added_by_the_system():
    shop, password = services.create_shop(slug="new-shop", name="新店", owner_email="Boss@Shop.cn")

    record = only(shop, object_type="membership")
    assert record.object_id == str(shop.memberships.get().pk)
    assert record.action == "added" and record.object_label == "boss@shop.cn"
    assert record.changes == {"role": {"before": None, "after": "owner"}}
    assert record.actor_kind == "system" and record.actor_user is None
    assert password and password not in str(record.changes)


def test_a_shop_without_an_owner_yet_has_an_empty_log():
    shop, _password = services.create_shop(slug="bare-shop", name="空店")
    assert not AuditRecord.objects.filter(shop=shop).exists()


def test_a_role_change_and_a_token_revoked_over_the_api_name_the_token():
    shop = factories.make_shop()
    factories.make_member(shop, "owner")
    member = factories.make_member(shop, "clerk")
    api = factories.api_client(factories.token_for(shop, "owner", name="管理脚本"))
    caller = ApiToken.objects.get(shop=shop, name="管理脚本")
    other, _secret = services.create_token(actor=Actor.system(shop), shop=shop, name="旧集成",
                                          role="viewer")

    changed = api.patch(f"/api/v1/shop/members/{member.pk}", {"role": "manager"},
                        content_type="application/json")
    revoked = api.delete(f"/api/v1/tokens/{other.pk}")

    assert changed.status_code == 200 and revoked.status_code == 200
    role = only(shop, object_type="membership", object_id=str(member.pk))
    assert role.action == "role_changed"
    assert role.changes == {"role": {"before": "clerk", "after": "manager"}}
    gone = only(shop, object_type="api_token", object_id=str(other.pk), action="revoked")
    assert gone.object_label == "旧集成" and set(gone.changes) == {"revoked_at"}
    assert gone.changes["revoked_at"]["before"] is None
    for record in (role, gone):
        assert record.actor_kind == "api" and record.actor_token == caller
        assert record.actor_user is None and "管理脚本" in record.actor_label
