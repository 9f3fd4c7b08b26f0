"""A refused invitation, role change or new API token is shown again as chosen, its message
right after the field it is about, and nothing is written."""

import pytest
from django.contrib.auth import get_user_model

from dingdan.shops.audit_models import AuditRecord
from dingdan.shops.models import ApiToken, Membership
from tests import factories
from tests.field_errors import error_after_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return factories.make_shop()


def client_for(member, language="en"):
    client = factories.Client(headers={"Accept-Language": language})
    client.force_login(member.user)
    return client


def post(member, path, data, language="en"):
    response = client_for(member, language).post(path, data)
    assert response.status_code == 200
    return response.content.decode()


# -- staff ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Not a valid email address: nonsense"), ("zh-hans", "邮箱地址无效：nonsense")],
)
def test_a_bad_email_is_shown_at_the_email(shop, language, message):
    owner = factories.make_member(shop, "owner")
    users, records = get_user_model().objects.count(), AuditRecord.objects.count()
    html = post(
        owner, "/settings/staff/", {"op": "add", "email": "nonsense", "role": "warehouse"}, language
    )
    assert error_after_input(html, "email", "member-email") == message
    assert 'id="member-email" name="email" type="email" value="nonsense"' in html
    chosen = html.split('id="member-role"')[1].split("</select>")[0]
    assert '<option value="warehouse" selected>' in chosen
    assert Membership.objects.filter(shop=shop).count() == 1
    assert get_user_model().objects.count() == users
    assert AuditRecord.objects.count() == records


def test_someone_already_on_the_staff_is_shown_at_the_email(shop):
    owner = factories.make_member(shop, "owner")
    clerk = factories.make_member(shop, "clerk")
    html = post(
        owner, "/settings/staff/", {"op": "add", "email": clerk.user.email, "role": "viewer"}
    )
    assert "already works in this shop." in error_after_input(html, "email", "member-email")
    clerk.refresh_from_db()
    assert clerk.role == "clerk" and Membership.objects.filter(shop=shop).count() == 2


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "You cannot give the role Owner: it may do more than you."),
        ("zh-hans", "您不能授予“店主”角色：它的权限超过了您。"),
    ],
)
def test_a_role_above_ones_own_is_shown_at_the_role(shop, language, message):
    factories.make_member(shop, "owner")
    manager = factories.make_member(shop, "manager")
    html = post(
        manager,
        "/settings/staff/",
        {"op": "add", "email": "x@example.com", "role": "owner"},
        language,
    )
    assert error_after_input(html, "role", "member-role") == message
    assert 'value="x@example.com"' in html
    assert not Membership.objects.filter(user__email="x@example.com").exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "A shop needs at least one owner."), ("zh-hans", "店铺至少需要一位店主。")],
)
def test_demoting_the_last_owner_is_shown_at_that_members_role(shop, language, message):
    owner = factories.make_member(shop, "owner")
    clerk = factories.make_member(shop, "clerk")
    records = AuditRecord.objects.count()
    html = post(
        owner, "/settings/staff/", {"op": "role", "id": owner.pk, "role": "manager"}, language
    )
    assert error_after_input(html, "role", f"role-{owner.pk}") == message
    # The owner's row shows the role chosen; the clerk's row is as saved, with no error.
    row = html.split(f'id="role-{owner.pk}"')[1].split("</select>")[0]
    assert '<option value="manager" selected>' in row
    clerk_row = html.split(f'id="role-{clerk.pk}"')[1].split("</select>")[0]
    assert '<option value="clerk" selected>' in clerk_row
    assert f'aria-describedby="error-role-{clerk.pk}"' not in html
    owner.refresh_from_db()
    assert owner.role == "owner" and AuditRecord.objects.count() == records


def test_a_role_change_that_is_allowed_still_goes_back_to_the_page(shop):
    owner = factories.make_member(shop, "owner")
    clerk = factories.make_member(shop, "clerk")
    response = client_for(owner).post(
        "/settings/staff/", {"op": "role", "id": clerk.pk, "role": "warehouse"}
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.role == "warehouse"


# -- API tokens -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "message"), [("en", "This field is required."), ("zh-hans", "这个字段是必填项。")]
)
def test_a_token_without_a_name_is_shown_at_the_name(shop, language, message):
    owner = factories.make_member(shop, "owner")
    html = post(
        owner, "/settings/tokens/", {"op": "create", "name": " ", "role": "finance"}, language
    )
    assert error_after_input(html, "name") == message
    chosen = html.split('id="token-role"')[1].split("</select>")[0]
    assert '<option value="finance" selected>' in chosen
    assert 'data-testid="new-token"' not in html
    assert not ApiToken.objects.exists()


def test_a_too_long_token_name_is_kept_and_shown_at_the_name(shop):
    owner = factories.make_member(shop, "owner")
    html = post(owner, "/settings/tokens/", {"op": "create", "name": "小" * 101, "role": "clerk"})
    assert error_after_input(html, "name") == "At most 100 characters."
    assert f'value="{"小" * 101}"' in html
    assert not ApiToken.objects.exists()


def test_an_unknown_role_is_shown_at_the_role(shop):
    owner = factories.make_member(shop, "owner")
    html = post(owner, "/settings/tokens/", {"op": "create", "name": "ERP", "role": "king"})
    assert "Unknown role king" in error_after_input(html, "role")
    assert 'value="ERP"' in html
    assert not ApiToken.objects.exists()
