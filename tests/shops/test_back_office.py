"""The back-office shell: log in, see the shop, switch shops, switch language, manage staff."""

import pytest

from dingdan.shops.models import ApiToken, Membership
from tests import factories

pytestmark = pytest.mark.django_db


def logged_in(member):
    client = factories.Client()
    client.force_login(member.user)
    return client


def test_login_page_is_chinese_by_default_and_english_on_request():
    client = factories.Client()
    assert "登录" in client.get("/login/").content.decode()
    english = client.get("/login/", headers={"Accept-Language": "en"}).content.decode()
    assert "Log in" in english


def test_wrong_password_is_explained_and_right_one_opens_the_shop():
    member = factories.make_member(factories.make_shop(name="阿芳水果"), "owner")
    client = factories.Client()
    wrong = client.post("/login/", {"username": member.user.username, "password": "nope"})
    assert "用户名或密码错误" in wrong.content.decode()
    right = client.post(
        "/login/", {"username": member.user.username, "password": "secret-pass-1"}, follow=True
    )
    assert "阿芳水果" in right.content.decode()


def test_pages_need_a_login():
    response = factories.Client().get("/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_account_without_a_shop_is_told_so():
    client = factories.Client()
    client.force_login(factories.make_user())
    response = client.get("/")
    assert response.status_code == 403
    assert "还没有加入任何店铺" in response.content.decode()


def test_switching_shops_changes_what_the_pages_show():
    shop_a, shop_b = factories.make_shop(name="甲店"), factories.make_shop(name="乙店")
    member = factories.make_member(shop_a, "owner")
    factories.make_member(shop_b, "clerk", user=member.user)
    client = logged_in(member)

    client.post("/shops/switch/", {"shop": shop_b.slug, "next": "/"})
    page = client.get("/").content.decode()

    assert "<h1>乙店</h1>" in page
    assert "店员" in page


def test_switching_to_a_foreign_shop_is_refused_and_nothing_changes():
    shop_a, shop_b = factories.make_shop(name="甲店"), factories.make_shop(name="乙店")
    member = factories.make_member(shop_a, "owner")
    client = logged_in(member)

    response = client.post("/shops/switch/", {"shop": shop_b.slug, "next": "/"}, follow=True)

    assert "<h1>甲店</h1>" in response.content.decode()
    assert "未找到店铺" in response.content.decode()


def test_navigation_shows_only_what_the_role_may_use():
    shop = factories.make_shop()
    factories.make_member(shop, "owner")
    viewer_page = logged_in(factories.make_member(shop, "viewer")).get("/").content.decode()
    owner_page = logged_in(factories.make_member(shop, "owner")).get("/").content.decode()
    assert "API 令牌" not in viewer_page and "API 令牌" in owner_page


def test_a_viewer_is_refused_the_token_page():
    shop = factories.make_shop()
    response = logged_in(factories.make_member(shop, "viewer")).get("/settings/tokens/")
    assert response.status_code == 403


def test_owner_creates_and_revokes_a_token_in_the_ui():
    shop = factories.make_shop()
    client = logged_in(factories.make_member(shop, "owner"))

    page = client.post("/settings/tokens/", {"op": "create", "name": "小程序", "role": "clerk"})
    secret = page.context["new_secret"]
    token = ApiToken.objects.get(shop=shop)
    client.post("/settings/tokens/", {"op": "revoke", "id": token.pk})

    assert secret in page.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_owner_adds_staff_and_a_bad_email_is_explained():
    shop = factories.make_shop()
    client = logged_in(factories.make_member(shop, "owner"))

    added = client.post(
        "/settings/staff/", {"op": "add", "email": "x@example.com", "role": "clerk"}
    )
    bad = client.post(
        "/settings/staff/", {"op": "add", "email": "nonsense", "role": "clerk"}, follow=True
    )

    assert added.context["new_password"]
    assert Membership.objects.filter(shop=shop, user__email="x@example.com", role="clerk").exists()
    assert "邮箱地址无效" in bad.content.decode()


def test_admin_is_for_superusers_only():
    member = factories.make_member(factories.make_shop(), "owner")
    assert logged_in(member).get("/admin/").status_code == 302
    member.user.is_staff = member.user.is_superuser = True
    member.user.save()
    assert logged_in(member).get("/admin/").status_code == 200


def test_the_overview_lists_unread_alerts_and_marks_them_done():
    from dingdan.inventory.services import reservations
    from dingdan.inventory.services import stock as services
    from dingdan.inventory.services.ledger import Reference
    from dingdan.notify.models import Alert

    shop = factories.make_shop()
    owner = factories.make_member(shop, "owner")
    actor = factories.Actor.staff(owner)
    tea = factories.make_sku(shop, "TEA-1", name="乌龙茶", stock=5)
    services.set_low_stock_threshold(actor=actor, shop=shop, variant=tea, threshold=2)
    reservations.reserve_stock(
        actor=actor, shop=shop, lines=[(tea, 4)], reference=Reference("order", "1")
    )
    client = logged_in(owner)

    page = client.get("/").content.decode()
    alert = Alert.objects.get(shop=shop)
    client.post(f"/alerts/{alert.pk}/read/")

    assert "乌龙茶" in page and "TEA-1" in page
    assert "乌龙茶" not in client.get("/").content.decode()
